"""Small per-conversation values the channels keep between two requests, shared by replicas.

A call's last question (channels/voice.py) and a Telegram chat's last keyboard
(channels/telegram_output.py) must be found by whichever Rasa process gets the next
request. ``REDIS_URL`` set (production): in Redis, with an expiry; unset (dev, tests, one
process): in memory, bounded. Same interface, same tests (tests/bot/channels/test_shared_state.py).

Both are conveniences, not the conversation (that is the tracker store): if Redis fails,
a value reads as missing and a write is dropped, with a warning; the channel then says
the generic question, or reads a tapped title as typed text. Keys are hashed: no phone
number or chat id in Redis.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from bot.settings import bot_settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "seniorplus:state"


class SharedState(Protocol):
    """Strings by key, each with a lifetime."""

    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, value: str, ttl_s: float) -> None: ...

    async def delete(self, key: str) -> None: ...


class MemoryState:
    """One process's memory: at most ``size`` keys (least recently used out), with expiry."""

    def __init__(self, size: int = 5000, clock: Callable[[], float] = time.monotonic) -> None:
        self.size = size
        self.clock = clock
        self._values: OrderedDict[str, tuple[str, float]] = OrderedDict()

    async def get(self, key: str) -> str | None:
        found = self._values.get(key)
        if found is None:
            return None
        if found[1] <= self.clock():
            del self._values[key]
            return None
        self._values.move_to_end(key)
        return found[0]

    async def put(self, key: str, value: str, ttl_s: float) -> None:
        self._values[key] = (value, self.clock() + ttl_s)
        self._values.move_to_end(key)
        while len(self._values) > self.size:
            self._values.popitem(last=False)

    async def delete(self, key: str) -> None:
        self._values.pop(key, None)


class RedisState:
    """Redis, shared by every process; blocking calls run in a worker thread."""

    def __init__(self, url: str, namespace: str) -> None:
        import redis  # the bot environment has it (Rasa's lock store)

        self.errors = redis.RedisError
        self.red = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.namespace = namespace

    def _key(self, key: str) -> str:
        digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:32]
        return f"{KEY_PREFIX}:{self.namespace}:{digest}"

    async def get(self, key: str) -> str | None:
        try:
            value = await asyncio.to_thread(self.red.get, self._key(key))
        except self.errors as error:
            logger.warning("Shared state %s unreadable (%s)", self.namespace, type(error).__name__)
            return None
        return value.decode() if isinstance(value, bytes) else None

    async def put(self, key: str, value: str, ttl_s: float) -> None:
        try:
            await asyncio.to_thread(self.red.set, self._key(key), value, px=int(ttl_s * 1000))
        except self.errors as error:
            logger.warning("Shared state %s not kept (%s)", self.namespace, type(error).__name__)

    async def delete(self, key: str) -> None:
        try:
            await asyncio.to_thread(self.red.delete, self._key(key))
        except self.errors as error:
            logger.warning("Shared state %s not cleared (%s)", self.namespace, type(error).__name__)


def shared_state(namespace: str, size: int = 5000) -> SharedState:
    """Redis when ``REDIS_URL`` is set (several processes), else this process's memory."""
    settings = bot_settings()
    if settings.redis_url:
        return RedisState(settings.redis_url, namespace)
    if settings.production:
        logger.warning(
            "REDIS_URL absent : %s gardé en mémoire, un seul processus Rasa possible. "
            "No REDIS_URL: %s kept in this process only",
            namespace,
            namespace,
        )
    return MemoryState(size)
