"""A small in-memory limit on failed logins per client address (one process).

The per-account lock lives in the database (``agents.locked_until``); this one
slows down someone trying many logins from one place. It is per process and
forgotten on restart: a first line, not the only one.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta

MAX_TRACKED_ADDRESSES = 10_000


class AddressThrottle:
    """Failed attempts per address in a sliding window."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: datetime, window: timedelta) -> deque[datetime]:
        times = self._failures.get(address)
        if times is None:
            return deque()
        while times and now - times[0] > window:
            times.popleft()
        if not times:
            del self._failures[address]
        return times

    def blocked(self, address: str, now: datetime, limit: int, window: timedelta) -> bool:
        """Whether ``address`` already failed ``limit`` times within ``window``."""
        with self._lock:
            return len(self._recent(address, now, window)) >= limit

    def failed(self, address: str, now: datetime, window: timedelta) -> None:
        """Count one failure of ``address``."""
        with self._lock:
            if len(self._failures) >= MAX_TRACKED_ADDRESSES and address not in self._failures:
                for stale in [
                    a for a, t in self._failures.items() if not t or now - t[-1] > window
                ]:
                    del self._failures[stale]
                if len(self._failures) >= MAX_TRACKED_ADDRESSES:
                    self._failures.pop(next(iter(self._failures)))
            times = self._recent(address, now, window)
            times.append(now)
            self._failures[address] = times

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._failures.clear()


ADDRESSES = AddressThrottle()
