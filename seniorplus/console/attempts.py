"""Recent login attempts per key in a sliding window: the interface, and the memory version.

`seniorplus.console.throttle_redis` keeps them in Redis so that every web process
counts the same attempts; `seniorplus.console.throttle` chooses one and words the delays.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta
from typing import Protocol

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
