"""The bot environment's settings: the one reader of ``os.environ`` in ``channels/`` and ``bot/``.

The bot environment cannot import the app (``seniorplus.settings``, pydantic-settings);
its few variables are read here into a frozen dataclass. Rasa itself reads its YAML
(``bot/endpoints.yml``, ``bot/credentials.yml``: ``${VARIABLE}`` only) and stays out.

``bot_settings()`` reads the environment once per process, then answers from its cache
(the channels ask for it on every request): a test that changes the environment calls
``bot_settings.cache_clear()`` (tests/bot/conftest.py does it before and after each test).
``BotSettings.from_env(mapping)`` builds them from a mapping, without cache. A malformed
value raises ``ValueError`` naming the variable, without its value.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

DEV_ENVS = ("dev", "test")


def environment() -> Mapping[str, str]:
    """The process environment: the one place ``os.environ`` is read in the bot environment."""
    return os.environ


def _text(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def _seconds(environ: Mapping[str, str], name: str) -> float | None:
    value = _text(environ, name)
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"{name} doit être un nombre de secondes.") from None
    if not seconds > 0:
        raise ValueError(f"{name} doit être supérieur à zéro.")
    return seconds


def _count(environ: Mapping[str, str], name: str, default: int) -> int:
    value = _text(environ, name)
    if value is None:
        return default
    if not value.isdigit():
        raise ValueError(f"{name} doit être un nombre entier positif ou nul.")
    return int(value)


def _networks(environ: Mapping[str, str], name: str) -> tuple[Network, ...]:
    """``"172.30.0.10, 10.0.0.0/8, fd00::/8"`` → networks (an address is a network of one)."""
    networks: list[Network] = []
    for position, item in enumerate(environ.get(name, "").split(","), start=1):
        if not item.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"{name} : l'élément {position} n'est ni une adresse IP ni un réseau."
            ) from None
    return tuple(networks)


@dataclass(frozen=True)
class BotSettings:
    """What ``channels/`` and ``bot/`` read from the environment (names of .env.example)."""

    app_env: str = "production"  # APP_ENV, lowercased; unset: production
    redis_url: str | None = field(default=None, repr=False)  # REDIS_URL; may hold a password
    database_url: str | None = field(default=None, repr=False)  # DATABASE_URL (channel state)
    rate_limit_storage_url: str | None = field(default=None, repr=False)  # RATE_LIMIT_STORAGE_URL
    rate_limit_per_sender: str | None = None  # RATE_LIMIT_PER_SENDER
    rate_limit_per_address: str | None = None  # RATE_LIMIT_PER_ADDRESS
    # TRUSTED_PROXIES: the reverse proxies whose X-Forwarded-For is believed; empty: nobody's.
    trusted_proxies: tuple[Network, ...] = ()
    tracker_store_connect_timeout_s: float | None = None  # TRACKER_STORE_CONNECT_TIMEOUT_S
    lock_lease_s: float | None = None  # LOCK_LEASE_S
    # CONVERSATION_WINDOW_TURNS: the person's messages a turn reads back at least
    # (bot/stores/window.py); 0 reads the whole session, as Rasa does.
    conversation_window_turns: int = 8

    @property
    def production(self) -> bool:
        """Production is the default: anything but dev and test counts as production."""
        return self.app_env not in DEV_ENVS

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> BotSettings:
        """Read the settings from a mapping; ``ValueError`` naming a malformed variable."""
        return cls(
            app_env=(_text(environ, "APP_ENV") or "production").lower(),
            redis_url=_text(environ, "REDIS_URL"),
            database_url=_text(environ, "DATABASE_URL"),
            rate_limit_storage_url=_text(environ, "RATE_LIMIT_STORAGE_URL"),
            rate_limit_per_sender=_text(environ, "RATE_LIMIT_PER_SENDER"),
            rate_limit_per_address=_text(environ, "RATE_LIMIT_PER_ADDRESS"),
            trusted_proxies=_networks(environ, "TRUSTED_PROXIES"),
            tracker_store_connect_timeout_s=_seconds(environ, "TRACKER_STORE_CONNECT_TIMEOUT_S"),
            lock_lease_s=_seconds(environ, "LOCK_LEASE_S"),
            conversation_window_turns=_count(environ, "CONVERSATION_WINDOW_TURNS", 8),
        )


@cache
def bot_settings() -> BotSettings:
    """The settings of the process environment, read on the first call (``cache_clear()``)."""
    return BotSettings.from_env(environment())
