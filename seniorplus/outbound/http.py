"""HTTP plumbing shared by the senders: one client per send unless one is given."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Any

import httpx

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


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
