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

from seniorplus.console.addresses import parse_trusted_proxies
from seniorplus.console.config import ConsoleSettings
from seniorplus.errors import ConfigurationError
from seniorplus.logsetup import configure_logging
from seniorplus.outbound.settings import OutboundSettings
from seniorplus.scheduler.lifespan import scheduler_lifespan
from seniorplus.settings import Settings, environment

logger = logging.getLogger(__name__)


def _proxy_problems(environ: Mapping[str, str], console: ConsoleSettings) -> list[str]:
    """Uvicorn must trust exactly the proxies we trust (its default trusts 127.0.0.1)."""
    if "FORWARDED_ALLOW_IPS" not in environ:
        return [
            "FORWARDED_ALLOW_IPS manque : sans lui, uvicorn croit l'en-tête X-Forwarded-For "
            "venu de 127.0.0.1. Donnez-lui la même liste que TRUSTED_PROXIES (vide sans proxy)."
        ]
    try:
        uvicorn_trusts = parse_trusted_proxies(environ["FORWARDED_ALLOW_IPS"])
    except ConfigurationError:
        return ["FORWARDED_ALLOW_IPS doit être la même liste que TRUSTED_PROXIES."]
    if set(uvicorn_trusts) != set(console.trusted_proxies):
        return ["FORWARDED_ALLOW_IPS doit être la même liste que TRUSTED_PROXIES."]
    return []


def configuration_problems(environ: Mapping[str, str]) -> list[str]:
    """Every reason, in French, why these settings cannot serve (empty: all good)."""
    problems: list[str] = []
    try:
        settings = Settings.from_env(environ)
    except ConfigurationError as exc:
        return [str(exc)]
    try:
        console = ConsoleSettings.from_env(environ)
    except ConfigurationError as exc:
        problems.append(str(exc))
        console = None
    if settings.app_env == "production" and console is not None:
        problems.extend(_proxy_problems(environ, console))
    if settings.app_env == "production":
        problems.extend(settings.database_problems())
        outbound = OutboundSettings.from_env(environ)
        for check in (outbound.require_twilio, outbound.require_telegram):
            try:
                check()
            except ConfigurationError as exc:
                problems.append(str(exc))
    return problems


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
