"""The one rule for the client's address behind the proxy, as both environments read it."""

from __future__ import annotations

import ipaddress

from observability.client import Network, real_client

PROXIES: tuple[Network, ...] = (ipaddress.ip_network("10.0.0.0/8"),)


def test_a_header_from_anyone_but_a_trusted_proxy_is_ignored() -> None:
    assert real_client("198.51.100.7", ["203.0.113.9"], PROXIES) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client() -> None:
    forged_then_real = ["1.2.3.4, 203.0.113.9", "10.0.0.3"]
    assert real_client("10.0.0.2", forged_then_real, PROXIES) == "203.0.113.9"


def test_an_ipv4_address_seen_through_an_ipv6_socket_is_read_as_ipv4() -> None:
    assert real_client("::ffff:10.0.0.2", ["203.0.113.9"], PROXIES) == "203.0.113.9"


def test_an_unreadable_chain_counts_against_the_proxy() -> None:
    assert real_client("10.0.0.2", ["203.0.113.9, not-an-ip"], PROXIES) == "10.0.0.2"


def test_no_peer_gives_no_address() -> None:
    assert real_client(None, ["203.0.113.9"], PROXIES) is None
