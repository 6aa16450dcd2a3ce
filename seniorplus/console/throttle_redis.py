"""Login attempts counted in Redis, shared by every web process (`seniorplus.console.throttle`).

One sorted set per key (an account or an address, hashed: no login or address in Redis),
scored by the attempt's time; each step is one MULTI/EXEC transaction, so two processes
counting at once both see each other. If Redis fails, this process counts in its own
memory meanwhile (a warning is logged): the delays go on, per process, rather than stop.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import datetime, timedelta

import redis

from seniorplus.console.attempts import Attempts

logger = logging.getLogger(__name__)

KEY_PREFIX = "seniorplus:login"


class RedisAttempts:
    """``AttemptLog`` on Redis sorted sets."""

    def __init__(self, url: str, key_prefix: str = KEY_PREFIX) -> None:
        self.red = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.key_prefix = key_prefix
        self.fallback = Attempts()

    def _key(self, key: str) -> str:
        return f"{self.key_prefix}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"

    def _degraded(self, error: redis.RedisError) -> None:
        logger.warning(
            "Redis injoignable : tentatives de connexion comptées par processus. "
            "Login attempts counted in memory (%s)",
            type(error).__name__,
        )

    def count(self, key: str, now: datetime, window: timedelta) -> int:
        try:
            with self.red.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(self._key(key), "-inf", f"({(now - window).timestamp()}")
                pipe.zcard(self._key(key))
                return int(pipe.execute()[1])
        except redis.RedisError as error:
            self._degraded(error)
            return self.fallback.count(key, now, window)

    def add(self, key: str, now: datetime, window: timedelta) -> int:
        """Count one attempt; the number of attempts before it."""
        name, at = self._key(key), now.timestamp()
        try:
            with self.red.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(name, "-inf", f"({(now - window).timestamp()}")
                pipe.zcard(name)
                pipe.zadd(name, {f"{at}:{uuid.uuid4().hex[:8]}": at})
                pipe.expire(name, int(window.total_seconds()) + 60)
                return int(pipe.execute()[1])
        except redis.RedisError as error:
            self._degraded(error)
            return self.fallback.add(key, now, window)

    def forget(self, key: str) -> None:
        self.fallback.forget(key)
        try:
            self.red.delete(self._key(key))
        except redis.RedisError as error:
            self._degraded(error)

    def clear(self) -> None:
        """Forget everything under the prefix (tests)."""
        self.fallback.clear()
        keys = list(self.red.scan_iter(f"{self.key_prefix}:*"))
        if keys:
            self.red.delete(*keys)
