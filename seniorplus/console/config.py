"""Console settings, read from the environment on each call (cheap; tests change it).

Every value has a default; a malformed one fails loudly (`ConfigurationError`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from seniorplus.console.addresses import Network, parse_trusted_proxies
from seniorplus.errors import ConfigurationError
from seniorplus.settings import app_env_of, environment

COOKIE_NAME = "sp_console"
# Path "/" and not "/console": the console's JavaScript may call the JSON API at /api
# with the same session (seniorplus.web.api.console_auth). SameSite=Strict keeps it first-party.
COOKIE_PATH = "/"
LOGIN_CSRF_COOKIE = "sp_console_login"
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 256


@dataclass(frozen=True)
class ConsoleSettings:
    """Session lifetimes, login delays (seniorplus.console.throttle) and trusted proxies."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=10)
    free_attempts: int = 3  # attempts (per login, per address) answered without delay
    max_delay_s: int = 10  # the longest wait before an answer: never a lockout
    ip_max_failures: int = 30  # attempts from one address within ``ip_window``, then refused
    ip_window: timedelta = timedelta(minutes=15)  # also the memory of the delays
    secure_cookie: bool = True  # HTTPS only: everywhere but dev and test
    trusted_proxies: tuple[Network, ...] = ()  # X-Forwarded-For believed only from these

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ConsoleSettings:
        """Read ``CONSOLE_*`` variables (see docs/console.md).

        Raises:
            ConfigurationError: a value that is not a positive whole number, or a
                ``TRUSTED_PROXIES`` entry that is not an address or a network.
        """
        env = environment() if environ is None else environ
        return cls(
            idle=timedelta(minutes=_positive(env, "CONSOLE_IDLE_MINUTES", 30)),
            absolute=timedelta(hours=_positive(env, "CONSOLE_ABSOLUTE_HOURS", 10)),
            free_attempts=_positive(env, "CONSOLE_FREE_ATTEMPTS", 3),
            max_delay_s=_positive(env, "CONSOLE_MAX_DELAY_SECONDS", 10),
            ip_max_failures=_positive(env, "CONSOLE_IP_MAX_FAILURES", 30),
            ip_window=timedelta(minutes=_positive(env, "CONSOLE_IP_WINDOW_MINUTES", 15)),
            secure_cookie=app_env_of(env) == "production",  # APP_ENV unset: production
            trusted_proxies=parse_trusted_proxies(env.get("TRUSTED_PROXIES", "")),
        )


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) <= 0:
        raise ConfigurationError(f"{name}={raw!r} must be a positive whole number.")
    return int(raw)


def console_settings() -> ConsoleSettings:
    """The settings of this moment's environment."""
    return ConsoleSettings.from_env()
