"""One log format for every process: JSON lines (production) or plain text (dev).

``LOG_FORMAT=json`` or ``text``; unset, JSON unless ``APP_ENV`` is ``dev`` or ``test``.
Each JSON line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``,
``request_id`` (when a request is being served), ``process`` name, and ``error`` (the
exception's type only: a traceback's values may hold what a person wrote). A ``mask``
function (`observability.mask.mask_text` by default) is applied to every message.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Mapping
from datetime import datetime, timezone

from observability import request_id
from observability.mask import mask_text

DEV_ENVS = ("dev", "test")
HANDLER_NAME = "senior-plus"
TEXT_FORMAT = "%(levelname)s %(name)s [%(request_id)s]: %(message)s"


def log_format(env: Mapping[str, str] = os.environ) -> str:
    """``json`` or ``text``, from ``LOG_FORMAT``, else from ``APP_ENV``."""
    chosen = (env.get("LOG_FORMAT") or "").strip().lower()
    if chosen in ("json", "text"):
        return chosen
    app_env = (env.get("APP_ENV") or "production").strip().lower()
    return "text" if app_env in DEV_ENVS else "json"


def rendered(record: logging.LogRecord) -> str:
    """The record's message with its arguments; a broken format string is not worth a lost line."""
    try:
        return record.getMessage()
    except Exception:
        return str(record.msg)


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (``-`` outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; no traceback values, only the exception's type."""

    def __init__(self, process_name: str = "", mask: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self.process_name = process_name or os.environ.get("SERVICE_NAME", "")
        self.mask = mask

    def format(self, record: logging.LogRecord) -> str:
        message = rendered(record)
        if self.mask is not None:
            message = self.mask(message)
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid and rid != "-":
            line["request_id"] = rid
        if self.process_name:
            line["process"] = self.process_name
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__
        return json.dumps(line, ensure_ascii=False)


class MaskingTextFormatter(logging.Formatter):
    """The text format, with the same mask as the JSON one."""

    def __init__(self, mask: Callable[[str], str] | None = None) -> None:
        super().__init__(TEXT_FORMAT)
        self.mask = mask

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return self.mask(text) if self.mask is not None else text


def make_handler(
    fmt: str,
    process_name: str = "",
    mask: Callable[[str], str] | None = None,
    stream: object = None,
) -> logging.Handler:
    """A stream handler (stderr by default) with the chosen format and the request id."""
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    formatter: logging.Formatter = (
        JsonFormatter(process_name, mask) if fmt == "json" else MaskingTextFormatter(mask)
    )
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    return handler


def configure(
    process_name: str,
    level: int | str = logging.INFO,
    mask: Callable[[str], str] | None = None,
    env: Mapping[str, str] = os.environ,
) -> str:
    """Give the root logger one handler in the chosen format; returns the format.

    A handler of ours set before is replaced (calling twice is harmless); other handlers
    (a test's log capture) are kept. Sanic's and uvicorn's loggers lose their own handlers
    and go through the root one, so that every line has the same format.
    """
    fmt = log_format(env)
    handler = make_handler(fmt, process_name, mask)
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in list(root.handlers):
        if old.get_name() == HANDLER_NAME:
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("sanic.root", "sanic.error", "sanic.access", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
    return fmt


class MaskFilter(logging.Filter):
    """Masks phone numbers and e-mail addresses in a record another library formats.

    Rasa writes some lines of its own with a conversation's id (a phone number on SMS and
    the phone), for instance its "Circuit breaker tripped" warning: the message is rendered
    and masked once, before any formatter sees it.
    """

    def __init__(self, mask: Callable[[str], str] = mask_text) -> None:
        super().__init__()
        self.mask = mask

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.mask(rendered(record)), None
        return True


def reformat_existing_handlers(
    process_name: str,
    env: Mapping[str, str] = os.environ,
    mask: Callable[[str], str] = mask_text,
) -> None:
    """For a process whose logging another library set up (Rasa): keep its handlers and
    levels, mask every message, and in JSON change their format and add the request id.
    In text (dev), the format stays the library's own."""
    fmt = log_format(env)
    loggers = [logging.getLogger()] + [
        logging.getLogger(name) for name in ("sanic.root", "sanic.error", "sanic.access")
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, MaskFilter) for f in handler.filters):
                handler.addFilter(MaskFilter(mask))
            if fmt != "json":
                continue
            handler.setFormatter(JsonFormatter(process_name, mask))
            if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
                handler.addFilter(RequestIdFilter())
