"""HTTP plumbing shared by the senders: one client per send unless one is given."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import httpx

from seniorplus.models import utcnow
from seniorplus.settings import OutboundSettings, get_settings

Clock = Callable[[], datetime]
DEFAULT_TIMEOUT_S = 10.0
__all__ = ["DEFAULT_TIMEOUT_S", "Clock", "HttpSender", "client_scope", "int_field", "read_json",
           "utcnow"]  # fmt: skip


class HttpSender:
    """What every vendor sender keeps: its settings, an optional shared client, a clock."""

    def __init__(
        self,
        settings: OutboundSettings | None = None,
        *,
        client: httpx.AsyncClient | None = None,
        clock: Clock = utcnow,
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        """Raises ConfigurationError when this vendor's settings are missing."""
        self._settings = settings or get_settings().outbound
        self.require(self._settings)
        self._client = client
        self._clock = clock
        self._timeout = timeout

    def require(self, settings: OutboundSettings) -> None:
        """Check the settings this vendor needs (overridden by each sender)."""


@asynccontextmanager
async def client_scope(
    client: httpx.AsyncClient | None, timeout: float
) -> AsyncIterator[httpx.AsyncClient]:
    """The given client (left open), else a new one closed on exit."""
    if client is not None:
        yield client
    else:
        async with httpx.AsyncClient(timeout=timeout) as new_client:
            yield new_client


def read_json(response: httpx.Response) -> dict[str, Any]:
    """The JSON object of a response; {} when the body is not one."""
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def int_field(payload: dict[str, Any], name: str) -> int | None:
    """An integer field of a vendor payload (booleans are not integers here)."""
    value = payload.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
