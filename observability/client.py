"""The client's address behind the reverse proxy: ``X-Forwarded-For`` believed only from it.

One rule for both environments (the bot's channels, ``channels/addresses.py``, and the web
app's console, ``seniorplus/console/addresses.py``), with the proxies of ``TRUSTED_PROXIES``
(empty by default):

- the peer (the socket's address) is not a trusted proxy, or no header: the peer. Anyone
  on the internet can send ``X-Forwarded-For``; a forged one must not buy a fresh count;
- the peer is a trusted proxy: the rightmost address of the header that is not a trusted
  proxy. Each proxy appends the address it saw, so the entries left of the first untrusted
  one may be anything the client wrote;
- an entry that is not an IP address on the way, or only trusted proxies: the peer. An
  unreadable chain is counted against the proxy, never against a value the client chose.

Several ``X-Forwarded-For`` lines are one list, in order (RFC 9110, 5.3). IPv4 addresses
seen through an IPv6 socket (``::ffff:192.0.2.1``) are read as IPv4. Standard library only.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_HOPS = 20  # a longer chain is cut from the left: the right end is what we believe


def parse_ip(value: str) -> Address | None:
    """An address, IPv4-mapped IPv6 read as IPv4; None for anything else (a port, a name)."""
    try:
        ip = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _trusted(ip: Address, proxies: Sequence[Network]) -> bool:
    return any(ip.version == network.version and ip in network for network in proxies)


def real_client(
    peer: str | None, forwarded_for: Iterable[str], proxies: Sequence[Network]
) -> str | None:
    """The address to count a request against (see the module docstring); None without peer."""
    peer_ip = parse_ip(peer or "")
    if peer_ip is None:
        return peer or None  # a UNIX socket, or no socket at all (tests)
    hops = [hop for line in forwarded_for for hop in line.split(",")][-MAX_HOPS:]
    if not hops or not _trusted(peer_ip, proxies):
        return str(peer_ip)
    for hop in reversed(hops):
        ip = parse_ip(hop)
        if ip is None:
            return str(peer_ip)  # a malformed chain: count against the proxy itself
        if not _trusted(ip, proxies):
            return str(ip)
    return str(peer_ip)
