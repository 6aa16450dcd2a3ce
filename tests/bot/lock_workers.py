"""Processes of the lock store tests (tests/bot/stores/test_redis_lock_store.py),
started with spawn."""

from __future__ import annotations

import asyncio
import time

import redis

from bot.stores.redis_lock_store import AtomicRedisLockStore
from tests.support import REDIS_TEST_URL


class NoLockStore(AtomicRedisLockStore):
    """A broken lock: every ticket is served at once. The contention test must catch it."""

    def try_acquire(self, conversation_id: str, ticket: int) -> int:
        super().try_acquire(conversation_id, ticket)
        return 1


def store(prefix: str, lease_s: float, broken: bool = False) -> AtomicRedisLockStore:
    kind = NoLockStore if broken else AtomicRedisLockStore
    return kind(client=redis.Redis.from_url(REDIS_TEST_URL), lease_s=lease_s, key_prefix=prefix)


def turns(prefix: str, conversation: str, count: int, broken: bool = False) -> None:
    """``count`` turns, each a read-increment-write of a shared counter inside the lock."""
    red = redis.Redis.from_url(REDIS_TEST_URL)
    locks = store(prefix, lease_s=5.0, broken=broken)

    async def run() -> None:
        for _ in range(count):
            async with locks.lock(conversation) as held:
                value = int(red.get(f"{prefix}:counter") or 0)
                await asyncio.sleep(0.002)  # a turn takes time: a broken lock loses updates
                red.set(f"{prefix}:counter", value + 1)
                red.rpush(f"{prefix}:served", held.now_serving or 0)

    asyncio.run(run())


def hold_forever(prefix: str, conversation: str, lease_s: float) -> None:
    """Take the lock, say so, and never let go (the test kills this process)."""
    red = redis.Redis.from_url(REDIS_TEST_URL)
    locks = store(prefix, lease_s=lease_s)

    async def run() -> None:
        async with locks.lock(conversation):
            red.set(f"{prefix}:held", "1")
            while True:
                await asyncio.sleep(3600)

    asyncio.run(run())


def wait_in_line(prefix: str, conversation: str, lease_s: float) -> None:
    """Wait for the lock, then record when it was served (seconds since the epoch)."""
    red = redis.Redis.from_url(REDIS_TEST_URL)
    locks = store(prefix, lease_s=lease_s)

    async def run() -> None:
        async with locks.lock(conversation):
            red.set(f"{prefix}:served_at", repr(time.time()))

    asyncio.run(run())
