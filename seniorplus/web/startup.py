"""What the web app checks before it serves: a missing secret stops the start.

Production is the default (``APP_ENV`` unset). There, the web app needs
``RASA_TOKEN`` (pause and resume of conversations), Twilio (SMS replies,
confirmations and reminders) and Telegram (replies): each missing or
placeholder value is named in one French message, and uvicorn exits. Uvicorn's
``FORWARDED_ALLOW_IPS`` must equal ``TRUSTED_PROXIES`` (seniorplus.console.addresses).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from fastapi import FastAPI

from seniorplus.errors import ConfigurationError
from seniorplus.logsetup import configure_logging
from seniorplus.scheduler.lifespan import scheduler_lifespan
from seniorplus.settings import Settings, SettingsError, environment

logger = logging.getLogger(__name__)


def configuration_problems(environ: Mapping[str, str]) -> list[str]:
    """Every reason, in French, why these settings cannot serve (empty: all good)."""
    try:
        settings = Settings.from_env(environ)
    except SettingsError as exc:
        return exc.problems
    except ConfigurationError as exc:
        return [str(exc)]
    return settings.start_problems()


def check_configuration(environ: Mapping[str, str]) -> None:
    """Raises ConfigurationError with every problem, in French, when there is one."""
    problems = configuration_problems(environ)
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise ConfigurationError(
            f"Senior Plus ne démarre pas, la configuration est incomplète :\n{lines}"
        )


@asynccontextmanager
async def app_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Check the configuration, then run the scheduler while the app serves."""
    if environment().get("APP_ENV") != "test":  # tests keep their own log capture
        configure_logging("web")  # JSON lines in production (docs/deployment.md, « Exploitation »)
    try:
        check_configuration(environment())
    except ConfigurationError as exc:
        logger.error("%s", exc)
        raise
    async with scheduler_lifespan(app):
        yield
