"""The request id that follows one message from the webhook to the actions.

Taken from ``X-Request-Id`` when the proxy (or a caller) sends a well-formed one, else
made here; kept in a context variable so that every log line of that request carries it,
and put in the Rasa message's ``metadata`` so that the action server reads it back from
``tracker.latest_message["metadata"]``.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

HEADER = "X-Request-Id"
METADATA_KEY = "request_id"
# Letters, digits and a few separators, 8 to 64 characters: nothing a log reader could
# mistake for a phone number or text, nothing that breaks a log line.
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")
_DIGITS_ONLY = re.compile(r"[\d.:+-]+")

current: ContextVar[str | None] = ContextVar("senior_plus_request_id", default=None)


def new_request_id() -> str:
    """A fresh random id (32 hex characters)."""
    return uuid.uuid4().hex


def clean_request_id(value: object) -> str | None:
    """``value`` when it is a well-formed id, else None (never a phone number)."""
    if not isinstance(value, str) or not _WELL_FORMED.fullmatch(value):
        return None
    if _DIGITS_ONLY.fullmatch(value):
        return None  # a bare number could be a phone number: refused
    return value


def from_headers(headers: Mapping[str, Any]) -> str:
    """The caller's ``X-Request-Id`` when well formed, else a new id."""
    given = headers.get(HEADER) or headers.get(HEADER.lower())
    return clean_request_id(given) or new_request_id()


def from_metadata(metadata: object) -> str | None:
    """The id a channel put in a message's metadata, if any."""
    if not isinstance(metadata, Mapping):
        return None
    return clean_request_id(metadata.get(METADATA_KEY))


def get() -> str | None:
    """The id of the request being served, if any."""
    return current.get()


@contextlib.contextmanager
def scope(request_id: str | None) -> Iterator[str | None]:
    """Set the current id for the ``with`` block, then restore the previous one."""
    token = current.set(request_id)
    try:
        yield request_id
    finally:
        current.reset(token)
