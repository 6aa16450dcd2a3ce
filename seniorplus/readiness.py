"""What a process of the app needs before it can serve: the database, and Redis when set.

Used by the readiness routes of the web app (`seniorplus.web.operations`) and of the
action server (`actions.operations`). Each check runs in a worker thread with a timeout;
a failure is logged with its type only and reported by name (never an address or secret).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy import text

from seniorplus.db import get_engine
from seniorplus.settings import get_settings

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 2.0


def _ping_database() -> None:
    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))


def _ping_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


async def _check(name: str, probe: Callable[[], object]) -> str | None:
    try:
        await asyncio.wait_for(asyncio.to_thread(probe), CHECK_TIMEOUT_S)
    except Exception as error:  # readiness reports, it does not raise
        logger.warning("Readiness: %s unavailable (%s)", name, type(error).__name__)
        return name
    return None


async def missing_services(redis_url: str | None = None) -> list[str]:
    """The services this process cannot reach (empty when ready)."""
    url = redis_url if redis_url is not None else get_settings().redis.url or ""
    checks = [_check("database", _ping_database)]
    if url:
        checks.append(_check("redis", lambda: _ping_redis(url)))
    return [name for name in await asyncio.gather(*checks) if name]
