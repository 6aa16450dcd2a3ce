"""Readers of single values, shared by the sections: pure, no environment read.

Each one raises :class:`ConfigurationError` with a French or English message that
names the variable and never repeats a secret.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Mapping
from typing import Literal

from seniorplus.errors import ConfigurationError

AppEnv = Literal["dev", "test", "production"]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

APP_ENVS: tuple[AppEnv, ...] = ("dev", "test", "production")
_TRUE, _FALSE = ("1", "true", "yes", "on", "oui"), ("0", "false", "no", "off", "non")
# Values copied from examples and never replaced; compared lowercased and stripped.
PLACEHOLDER_TOKENS = frozenset(
    {"", "change-me", "changeme", "change_me", "change me", "secret", "token", "xxx", "todo"}
)
# API_TOKENS: "name:sha256hex" pairs separated by commas; names are audit actors ("agent:<name>").
_API_TOKEN_NAME_RE = re.compile(r"^[A-Za-z0-9._@-]{1,50}$")
_SHA256_HEX_RE = re.compile(r"^[0-9a-f]{64}$")


def app_env_value(value: str) -> AppEnv:
    """``APP_ENV``, lowercased; **production when empty** (dev and tests say so explicitly).

    Raises:
        ConfigurationError: a value other than dev, test or production.
    """
    value = value.strip().lower() or "production"
    for known in APP_ENVS:
        if value == known:
            return known
    raise ConfigurationError(
        f"APP_ENV={value[:20]!r} n'est pas une valeur connue ({', '.join(APP_ENVS)}). "
        "Sans APP_ENV, c'est la production ; en développement, APP_ENV=dev (make run le met)."
    )


def app_env_of(environ: Mapping[str, str]) -> AppEnv:
    """``APP_ENV`` of a mapping; production when unset."""
    return app_env_value(environ.get("APP_ENV", ""))


def is_placeholder(token: str) -> bool:
    """A value copied from an example ("change-me", "<token>") rather than a real secret."""
    value = token.strip().lower()
    return value in PLACEHOLDER_TOKENS or (value.startswith("<") and value.endswith(">"))


def flag(name: str, value: str) -> bool:
    """``1/0``, ``true/false``, ``on/off``, ``yes/no``, ``oui/non``."""
    value = value.strip().lower()
    if value in _TRUE or value in _FALSE:
        return value in _TRUE
    raise ConfigurationError(f"{name} is not a boolean (1/0, true/false, on/off).")


def normalize_database_url(url: str) -> str:
    """Route plain PostgreSQL URLs to the psycopg 3 driver; leave others unchanged."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def parse_api_tokens(value: str, *, production: bool = False) -> tuple[tuple[str, str], ...]:
    """``"console:<sha256 hex>,eval:<sha256 hex>"`` → ``(("console", hex), ("eval", hex))``.

    Only SHA-256 hashes of the tokens are configured, never the tokens. Generate
    one with ``python -m seniorplus.web.api.auth nouveau-jeton <name>``.

    Raises:
        ConfigurationError: a malformed pair, name or hash, a name given twice, or
            (``production``) the hash of a placeholder token such as "change-me".
    """
    placeholders = {hashlib.sha256(token.encode()).hexdigest() for token in PLACEHOLDER_TOKENS}
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


def parse_trusted_proxies(value: str, name: str = "TRUSTED_PROXIES") -> tuple[Network, ...]:
    """``"10.0.0.1, 192.168.0.0/24"`` → networks.

    Raises:
        ConfigurationError: an entry that is not an address or a network (French).
    """
    networks: list[Network] = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ConfigurationError(
                f"{name} : « {item[:50]} » n'est ni une adresse IP ni un réseau."
            ) from exc
    return tuple(networks)
