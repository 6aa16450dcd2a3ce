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
import threading
from datetime import datetime, timedelta

from seniorplus.console.attempts import AttemptLog, Attempts
from seniorplus.console.throttle_redis import RedisAttempts
from seniorplus.settings import get_settings

logger = logging.getLogger(__name__)


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
    url = get_settings().redis.url
    return RedisAttempts(url) if url else Attempts()


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
