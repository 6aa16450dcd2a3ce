"""The client's address of a console request, with ``X-Forwarded-For`` believed only from
the proxies of ``TRUSTED_PROXIES`` (the rule: ``observability/client.py``, shared with the
bot's channels). Uvicorn must not rewrite the peer itself: scripts/env.sh sets
``FORWARDED_ALLOW_IPS`` to the same list (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request

from observability.client import real_client
from seniorplus.settings.values import Network
from seniorplus.settings.values import (
    parse_trusted_proxies as parse_trusted_proxies,  # TRUSTED_PROXIES
)

UNKNOWN = "inconnu"


def client_address(peer: str | None, forwarded_for: str | None, proxies: Sequence[Network]) -> str:
    """The address to count attempts against; ``UNKNOWN`` without a peer."""
    return real_client(peer, [forwarded_for] if forwarded_for else [], proxies) or UNKNOWN


def request_address(request: Request, proxies: Sequence[Network]) -> str:
    """The address of a Starlette request; several ``X-Forwarded-For`` lines are one list."""
    peer = request.client.host if request.client else None
    return real_client(peer, request.headers.getlist("x-forwarded-for"), proxies) or UNKNOWN
