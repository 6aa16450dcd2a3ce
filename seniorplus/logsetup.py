"""Logging of the app's processes (web, action server, scheduler, event consumer).

One format for all (`observability.logs`: JSON lines in production, text in dev, chosen
by ``LOG_FORMAT``), every message passed through `observability.mask.mask_text` so that a
phone number or an e-mail address that slipped into a message is masked anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from observability import logs
from observability.mask import mask_text
from seniorplus.settings import ObservabilitySettings, environment

QUIET = ("httpx", "httpcore", "aiormq", "aio_pika", "sqlalchemy.engine", "multipart")


def configure_logging(
    process_name: str, level: int | str | None = None, env: Mapping[str, str] | None = None
) -> str:
    """Set the root logger for ``process_name``; returns ``json`` or ``text``.

    ``LOG_LEVEL`` and ``LOG_FORMAT`` come from the ``observability`` section, read alone
    (from ``env``, else the process environment): the logs must be set up to report a
    malformed value elsewhere in the settings.
    """
    section = ObservabilitySettings.from_env(environment() if env is None else env)
    chosen = level if level is not None else section.log_level.upper()
    fmt = logs.configure(process_name, chosen, mask=mask_text, env=section.as_environ())
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    return fmt
