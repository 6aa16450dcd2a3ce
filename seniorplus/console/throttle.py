"""Progressive delays on login attempts, per account and per client address (in memory).

Every attempt is counted when it starts (parallel attempts are counted too); the
answer then waits ``2 ** (n - free)`` seconds, capped, where ``n`` is the number of
recent attempts on that login (known or not: the delay reveals nothing) or from that
address, whichever is larger. A success clears its account's count. Nothing ever
locks an account: its agent waits at most ``max_delay``, then the right password
works, whatever an attacker does elsewhere. Only the attacker's own address is
refused outright, after ``ip_max_failures`` attempts in the window.

Where the attempts are counted (``AttemptLog``): in Redis when ``REDIS_URL`` is set
(production: every web process counts together, and a restart forgets nothing,
`seniorplus.console.throttle_redis`), else in this process's memory (dev, tests).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from datetime import datetime, timedelta
from typing import Protocol

logger = logging.getLogger(__name__)

MAX_TRACKED_KEYS = 10_000


class AttemptLog(Protocol):
    """Recent attempts per key in a sliding window (memory or Redis)."""

    def count(self, key: str, now: datetime, window: timedelta) -> int: ...

    def add(self, key: str, now: datetime, window: timedelta) -> int: ...

    def forget(self, key: str) -> None: ...

    def clear(self) -> None: ...


class Attempts:
    """Recent attempts per key in a sliding window, in this process's memory."""

    def __init__(self) -> None:
        self._times: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: datetime, window: timedelta) -> deque[datetime]:
        times = self._times.get(key)
        if times is None:
            return deque()
        while times and now - times[0] > window:
            times.popleft()
        if not times:
            del self._times[key]
        return times

    def count(self, key: str, now: datetime, window: timedelta) -> int:
        with self._lock:
            return len(self._recent(key, now, window))

    def add(self, key: str, now: datetime, window: timedelta) -> int:
        """Count one attempt; the number of attempts before it."""
        with self._lock:
            if len(self._times) >= MAX_TRACKED_KEYS and key not in self._times:
                for stale in [k for k, t in self._times.items() if not t or now - t[-1] > window]:
                    del self._times[stale]
                if len(self._times) >= MAX_TRACKED_KEYS:
                    self._times.pop(next(iter(self._times)))
            times = self._recent(key, now, window)
            before = len(times)
            times.append(now)
            self._times[key] = times
            return before

    def forget(self, key: str) -> None:
        with self._lock:
            self._times.pop(key, None)

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._times.clear()


def progressive_delay(previous: int, free: int, cap_s: float) -> float:
    """0 s for the first ``free`` attempts, then 1, 2, 4, 8… seconds, at most ``cap_s``."""
    if previous < free:
        return 0.0
    return float(min(cap_s, 2 ** min(previous - free, 16)))


def account_key(login: str) -> str:
    return "compte:" + login.strip().lower()[:64]


def address_key(address: str) -> str:
    return "poste:" + address


def attempt_log_from_env() -> AttemptLog:
    """Redis when ``REDIS_URL`` is set, else memory."""
    url = os.environ.get("REDIS_URL")
    if not url:
        return Attempts()
    from seniorplus.console.throttle_redis import RedisAttempts

    return RedisAttempts(url)


class LoginThrottle:
    """The delays of the login form."""

    def __init__(self, attempts: AttemptLog | None = None) -> None:
        self._attempts = attempts
        self._choose = threading.Lock()

    @property
    def attempts(self) -> AttemptLog:
        """Chosen from the environment on first use (not at import)."""
        with self._choose:
            if self._attempts is None:
                self._attempts = attempt_log_from_env()
            return self._attempts

    def address_blocked(self, address: str, now: datetime, limit: int, window: timedelta) -> bool:
        """Whether ``address`` had already tried ``limit`` times before this attempt.

        Call after `begin`, which counted this attempt.
        """
        return self.attempts.count(address_key(address), now, window) > limit

    def begin(
        self,
        login: str,
        address: str,
        now: datetime,
        *,
        window: timedelta,
        free: int,
        cap_s: float,
    ) -> float:
        """Count this attempt; the seconds to wait before answering it."""
        on_account = self.attempts.add(account_key(login), now, window)
        from_address = self.attempts.add(address_key(address), now, window)
        return progressive_delay(max(on_account, from_address), free, cap_s)

    def succeeded(self, login: str) -> None:
        """The right password: the account's count starts again (not the address's)."""
        self.attempts.forget(account_key(login))

    def clear(self) -> None:
        self.attempts.clear()


LOGINS = LoginThrottle()
