"""Typed settings read once from the environment: the only reader of ``os.environ``.

Every other module of ``seniorplus/`` and ``actions/`` reads its variables through
:func:`environment` (or gets a mapping passed in); ``tests/unit/seniorplus/test_settings_reads.py``
walks the sources and fails on any other read. The production rules (a real
``RASA_TOKEN``, PostgreSQL unless ``ALLOW_SQLITE_IN_PRODUCTION=1``) live here.

Tests change the environment and call ``get_settings.cache_clear()``.
"""

from __future__ import annotations

import hashlib
import os
import re
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
DEFAULT_SCHEDULER_INTERVAL_S = 30.0
_TRUE, _FALSE = ("1", "true", "yes", "on", "oui"), ("0", "false", "no", "off", "non")

_APP_ENVS: tuple[AppEnv, ...] = ("dev", "test", "production")
# Values copied from examples and never replaced; compared lowercased and stripped.
_PLACEHOLDER_TOKENS = frozenset(
    {"", "change-me", "changeme", "change_me", "change me", "secret", "token", "xxx", "todo"}
)


# API_TOKENS: "name:sha256hex" pairs separated by commas; names are audit actors ("agent:<name>").
_API_TOKEN_NAME_RE = re.compile(r"^[A-Za-z0-9._@-]{1,50}$")
_SHA256_HEX_RE = re.compile(r"^[0-9a-f]{64}$")


def parse_api_tokens(value: str, *, production: bool = False) -> tuple[tuple[str, str], ...]:
    """``"console:<sha256 hex>,eval:<sha256 hex>"`` → ``(("console", hex), ("eval", hex))``.

    Only SHA-256 hashes of the tokens are configured, never the tokens. Generate
    one with ``python -m seniorplus.web.api.auth nouveau-jeton <name>``.

    Raises:
        ConfigurationError: a malformed pair, name or hash, a name given twice, or
            (``production``) the hash of a placeholder token such as "change-me".
    """
    placeholders = {hashlib.sha256(token.encode()).hexdigest() for token in _PLACEHOLDER_TOKENS}
    pairs: list[tuple[str, str]] = []
    for position, item in enumerate(value.split(","), start=1):
        if not item.strip():
            continue
        name, separator, digest = (part.strip() for part in item.partition(":"))
        digest = digest.lower()
        if not separator or not _API_TOKEN_NAME_RE.fullmatch(name):
            raise ConfigurationError(
                f"API_TOKENS entry {position} is not 'name:sha256hex' "
                "(name: letters, digits, '.', '_', '@', '-', at most 50)."
            )
        if not _SHA256_HEX_RE.fullmatch(digest):
            raise ConfigurationError(
                f"API_TOKENS entry {position} ({name}) must hold the SHA-256 of the token "
                "(64 hex digits), never the token itself."
            )
        if any(name == known for known, _ in pairs):
            raise ConfigurationError(f"API_TOKENS names {name!r} twice.")
        if production and digest in placeholders:
            raise ConfigurationError(
                f"API_TOKENS entry {name!r} is the hash of a placeholder token: "
                "generate a real one when APP_ENV=production."
            )
        pairs.append((name, digest))
    return tuple(pairs)


def app_env_of(environ: Mapping[str, str]) -> AppEnv:
    """``APP_ENV``, lowercased; **production when unset** (dev and tests say so explicitly).

    Raises:
        ConfigurationError: a value other than dev, test or production.
    """
    value = environ.get("APP_ENV", "").strip().lower() or "production"
    for known in _APP_ENVS:
        if value == known:
            return known
    raise ConfigurationError(
        f"APP_ENV={value!r} n'est pas une valeur connue ({', '.join(_APP_ENVS)}). "
        "Sans APP_ENV, c'est la production ; en développement, APP_ENV=dev (make run le met)."
    )


def environment() -> Mapping[str, str]:
    """The process environment: the one place ``os.environ`` is read (issue 16, point 4)."""
    return os.environ


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

    app_env: AppEnv = "production"
    database_url: str = field(default=DEFAULT_DATABASE_URL, repr=False)  # may hold a password
    rasa_url: str = DEFAULT_RASA_URL
    action_server_url: str = DEFAULT_ACTION_SERVER_URL
    rasa_token: str | None = field(default=None, repr=False)
    privacy_notice_version: str = DEFAULT_PRIVACY_NOTICE_VERSION
    # Machine tokens of the JSON API: (name, SHA-256 hex of the token); empty = none accepted.
    api_tokens: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    # Appointment notices (seniorplus/scheduler): run by the web app, every N seconds.
    scheduler_enabled: bool = True
    scheduler_interval_s: float = DEFAULT_SCHEDULER_INTERVAL_S
    # Whether DATABASE_URL was set (False: the SQLite default); where the URL came from,
    # not a setting, so not compared. ALLOW_SQLITE_IN_PRODUCTION=1: SQLite said on purpose.
    database_url_given: bool = field(default=False, compare=False)
    allow_sqlite_in_production: bool = False

    @property
    def is_sqlite(self) -> bool:
        """True when the app database is an embedded SQLite file."""
        return self.database_url.startswith("sqlite")

    def database_problems(self) -> list[str]:
        """Production writes to PostgreSQL: SQLite (or no DATABASE_URL) only if said on purpose."""
        if self.app_env != "production" or not self.is_sqlite or self.allow_sqlite_in_production:
            return []
        if not self.database_url_given:
            return [
                "DATABASE_URL manque : en production, la base est PostgreSQL "
                "(ALLOW_SQLITE_IN_PRODUCTION=1 pour un essai sur une seule machine)."
            ]
        return [
            "DATABASE_URL désigne SQLite : en production, la base est PostgreSQL "
            "(ALLOW_SQLITE_IN_PRODUCTION=1 pour un essai sur une seule machine)."
        ]

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build and validate settings from an environment mapping.

        Raises:
            ConfigurationError: unknown ``APP_ENV`` (unset means production), a missing
                or placeholder ``RASA_TOKEN`` in production, a malformed ``API_TOKENS``,
                ``SCHEDULER_ENABLED`` or ``SCHEDULER_INTERVAL_S``.
        """

        def get(name: str, default: str) -> str:
            value = environ.get(name, "").strip()
            return value or default

        app_env = app_env_of(environ)
        token = environ.get("RASA_TOKEN")
        if app_env == "production":
            if token is None or _is_placeholder(token):
                raise ConfigurationError(
                    "RASA_TOKEN manque : en production (APP_ENV=production, ou APP_ENV non "
                    "défini) il faut un vrai secret ; une valeur vide ou d'exemple comme "
                    "« change-me » est refusée. En développement, APP_ENV=dev."
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
            api_tokens=parse_api_tokens(
                environ.get("API_TOKENS", ""), production=app_env == "production"
            ),
            scheduler_enabled=_flag(environ, "SCHEDULER_ENABLED", default=app_env != "test"),
            scheduler_interval_s=_seconds(environ, "SCHEDULER_INTERVAL_S"),
            database_url_given=bool(environ.get("DATABASE_URL")),
            allow_sqlite_in_production=environ.get("ALLOW_SQLITE_IN_PRODUCTION") == "1",
        )


def _flag(environ: Mapping[str, str], name: str, *, default: bool) -> bool:
    value = environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE or value in _FALSE:
        return value in _TRUE
    raise ConfigurationError(f"{name}={value!r} is not a boolean (1/0, true/false, on/off).")


def _seconds(environ: Mapping[str, str], name: str) -> float:
    value = environ.get(name, "").strip()
    if not value:
        return DEFAULT_SCHEDULER_INTERVAL_S
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 86400:
        raise ConfigurationError(f"{name}={value!r} must be a number of seconds (0 < s <= 86400).")
    return seconds


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process, read from ``os.environ`` on first call."""
    return Settings.from_env(environment())
