"""The client's address, with ``X-Forwarded-For`` believed only from configured proxies.

``TRUSTED_PROXIES``: comma-separated addresses or networks of the reverse proxies in
front of the web app (empty by default: the header is ignored). When the direct peer
is one of them, the client is the rightmost address of ``X-Forwarded-For`` that is not
a trusted proxy. Uvicorn must not rewrite the peer itself: scripts/env.sh sets
``FORWARDED_ALLOW_IPS`` to the same list (docs/security.md).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.requests import Request

from seniorplus.settings.values import Network
from seniorplus.settings.values import (
    parse_trusted_proxies as parse_trusted_proxies,  # TRUSTED_PROXIES
)

UNKNOWN = "inconnu"


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(value: str, proxies: Sequence[Network]) -> bool:
    ip = _ip(value)
    return ip is not None and any(ip in network for network in proxies)


def client_address(peer: str | None, forwarded_for: str | None, proxies: Sequence[Network]) -> str:
    """The address to count attempts against (see the module docstring)."""
    if not peer:
        return UNKNOWN
    if not forwarded_for or not _trusted(peer, proxies):
        return peer
    for hop in reversed(forwarded_for.split(",")[-20:]):
        ip = _ip(hop)
        if ip is None:
            return peer  # a malformed chain: count against the proxy itself
        if not _trusted(str(ip), proxies):
            return str(ip)
    return peer


def request_address(request: Request, proxies: Sequence[Network]) -> str:
    """`client_address` of a Starlette request."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"), proxies)
