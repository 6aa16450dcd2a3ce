"""Typed settings read once from the environment.

Tests change the environment and call ``get_settings.cache_clear()``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from seniorplus.errors import ConfigurationError

AppEnv = Literal["dev", "test", "production"]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'app.db'}"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
DEFAULT_ACTION_SERVER_URL = "http://127.0.0.1:5055/webhook"
DEFAULT_PRIVACY_NOTICE_VERSION = "2026-11"

_APP_ENVS: tuple[AppEnv, ...] = ("dev", "test", "production")
# Values copied from examples and never replaced; compared lowercased and stripped.
_PLACEHOLDER_TOKENS = frozenset(
    {"", "change-me", "changeme", "change_me", "change me", "secret", "token", "xxx", "todo"}
)


def normalize_database_url(url: str) -> str:
    """Route plain PostgreSQL URLs to the psycopg 3 driver; leave others unchanged."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _is_placeholder(token: str) -> bool:
    value = token.strip().lower()
    return value in _PLACEHOLDER_TOKENS or (value.startswith("<") and value.endswith(">"))


@dataclass(frozen=True)
class Settings:
    """Configuration of the app environment (action server, web app, migrations)."""

    app_env: AppEnv = "dev"
    database_url: str = field(default=DEFAULT_DATABASE_URL, repr=False)  # may hold a password
    rasa_url: str = DEFAULT_RASA_URL
    action_server_url: str = DEFAULT_ACTION_SERVER_URL
    rasa_token: str | None = field(default=None, repr=False)
    privacy_notice_version: str = DEFAULT_PRIVACY_NOTICE_VERSION

    @property
    def is_sqlite(self) -> bool:
        """True when the app database is an embedded SQLite file."""
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build and validate settings from an environment mapping.

        Raises:
            ConfigurationError: unknown ``APP_ENV``, or a missing or placeholder
                ``RASA_TOKEN`` in production.
        """

        def get(name: str, default: str) -> str:
            value = environ.get(name, "").strip()
            return value or default

        app_env = get("APP_ENV", "dev").lower()
        if app_env not in _APP_ENVS:
            raise ConfigurationError(f"APP_ENV={app_env!r} is not one of {', '.join(_APP_ENVS)}.")
        token = environ.get("RASA_TOKEN")
        if app_env == "production":
            if token is None or _is_placeholder(token):
                raise ConfigurationError(
                    "RASA_TOKEN must be set to a real secret when APP_ENV=production "
                    "(empty or placeholder values such as 'change-me' are refused)."
                )
            token = token.strip()
        elif token is not None and not token.strip():
            token = None
        return cls(
            app_env=app_env,
            database_url=normalize_database_url(get("DATABASE_URL", DEFAULT_DATABASE_URL)),
            rasa_url=get("RASA_URL", DEFAULT_RASA_URL),
            action_server_url=get("ACTION_SERVER_URL", DEFAULT_ACTION_SERVER_URL),
            rasa_token=token,
            privacy_notice_version=get("PRIVACY_NOTICE_VERSION", DEFAULT_PRIVACY_NOTICE_VERSION),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process, read from ``os.environ`` on first call."""
    return Settings.from_env(os.environ)
