"""Who calls the API: one dependency returns a `Principal`, whatever proved it.

Today machines prove it with ``Authorization: Bearer <token>``: the SHA-256 of
the token is compared in constant time with every hash of ``API_TOKENS``
(settings keep hashes only). A machine token has the role "admin". Agent
sessions (cookie, roles agent/supervisor/admin) will be one more
`Authenticator` given to ``create_api(authenticators=...)``: the routes only
see the `Principal`. A missing and a wrong token get the same 401.

Generate a token: ``python -m seniorplus.web.api.auth nouveau-jeton <name>``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from observability.mask import mask_url
from seniorplus.errors import ConfigurationError
from seniorplus.settings import get_settings, parse_api_tokens
from seniorplus.web.api.common import HTTP_MESSAGES_FR, ApiError

logger = logging.getLogger(__name__)

Role = Literal["agent", "supervisor", "admin"]
WRITE_ROLES: tuple[Role, ...] = ("supervisor", "admin")
MAX_TOKEN_CHARS = 512
TOKEN_BYTES = 32

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="jeton",
    description=(
        "Jeton de machine : en-tête `Authorization: Bearer <jeton>`. Seul le SHA-256 du jeton "
        "est configuré côté serveur (`API_TOKENS`)."
    ),
)


@dataclass(frozen=True)
class Principal:
    """The caller: a machine (token) or, later, an agent (session), with a role."""

    kind: Literal["machine", "agent"]
    name: str
    role: Role

    @property
    def actor(self) -> str:
        """Author of the audit events this caller writes ("agent:<name>").

        ``seniorplus.cases.check_actor`` knows "contact:", "agent:" and "system":
        machine tokens are recorded as "agent:<token name>".
        """
        return f"agent:{self.name}"

    @property
    def can_write(self) -> bool:
        return self.role in WRITE_ROLES


Authenticator = Callable[[Request], Principal | None]


def hash_token(token: str) -> str:
    """SHA-256 hex of a token, as ``API_TOKENS`` holds it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_CHARS:
        return None
    return token


def machine_token(request: Request) -> Principal | None:
    """A machine whose bearer token hashes to one of ``API_TOKENS``, else None.

    Every configured hash is compared (no early exit), each in constant time.
    """
    token = bearer_token(request)
    if token is None:
        return None
    digest = hash_token(token)
    found: str | None = None
    for name, expected in get_settings().api.tokens:
        if hmac.compare_digest(digest, expected):
            found = name
    return Principal(kind="machine", name=found, role="admin") if found else None


DEFAULT_AUTHENTICATORS: tuple[Authenticator, ...] = (machine_token,)


def authenticate(request: Request) -> Principal | None:
    """The first principal one of the app's authenticators recognises, else None."""
    authenticators: Sequence[Authenticator] = getattr(
        request.app.state, "authenticators", DEFAULT_AUTHENTICATORS
    )
    for authenticator in authenticators:
        principal = authenticator(request)
        if principal is not None:
            return principal
    return None


def unauthorized() -> ApiError:
    return ApiError(
        status.HTTP_401_UNAUTHORIZED,
        HTTP_MESSAGES_FR[401],
        headers={"WWW-Authenticate": 'Bearer realm="senior-plus"'},
    )


def current_principal(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
) -> Principal:
    """Dependency of every API route: the caller, or 401 (the same for a missing or wrong token).

    ``_credentials`` only declares the scheme in the OpenAPI document; the
    authenticators read the request themselves.
    """
    principal = authenticate(request)
    if principal is None:
        logger.info(
            "api: authentication refused (%s %s)", request.method, mask_url(request.url.path)
        )
        raise unauthorized()
    request.state.principal = principal
    return principal


def require_write(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """Dependency of the routes that change data: role supervisor or admin, else 403."""
    if not principal.can_write:
        raise ApiError(
            status.HTTP_403_FORBIDDEN,
            "Accès refusé : cette modification est réservée aux superviseurs et administrateurs.",
        )
    return principal


def new_token() -> str:
    """A fresh random token (URL-safe, 256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def main(argv: Sequence[str] | None = None) -> int:
    """``nouveau-jeton <name>``: print a token and the ``API_TOKENS`` entry holding its hash."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] != "nouveau-jeton":
        print("Usage : python -m seniorplus.web.api.auth nouveau-jeton <nom>", file=sys.stderr)
        return 2
    name = args[1]
    token = new_token()
    entry = f"{name}:{hash_token(token)}"
    try:
        parse_api_tokens(entry)
    except ConfigurationError:
        print(
            "Nom invalide : lettres, chiffres, « . », « _ », « @ », « - », 50 au plus.",
            file=sys.stderr,
        )
        return 2
    print(f"Jeton à remettre au client (il ne sera plus affiché) : {token}")
    print(f"Entrée à ajouter à API_TOKENS (séparées par des virgules) : {entry}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
