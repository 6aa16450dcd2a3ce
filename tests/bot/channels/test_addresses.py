"""The client behind the reverse proxy: X-Forwarded-For believed from TRUSTED_PROXIES only."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import pytest

from bot.settings import Network, bot_settings
from channels.rate_limits import Limits
from channels.rest import SeniorRestInput
from channels.store import ChannelStore
from observability.client import parse_ip, real_client
from tests.bot.twilio_payloads import ChannelClient, FakeAssistant, migrated_database

PROXY = "172.30.0.10"  # compose's HAProxy
PROXIES: tuple[Network, ...] = (
    ipaddress.ip_network("172.30.0.10"),
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("fd00::/8"),
)


def test_nobody_is_trusted_by_default_so_a_forged_header_is_ignored() -> None:
    assert real_client("198.51.100.7", ["203.0.113.9"], ()) == "198.51.100.7"


def test_a_forged_header_from_an_untrusted_peer_is_ignored() -> None:
    # Straight from the internet, past the proxy: the header is the client's own words.
    assert real_client("198.51.100.7", ["203.0.113.9"], PROXIES) == "198.51.100.7"
    assert real_client("198.51.100.7", ["10.0.0.1, 203.0.113.9"], PROXIES) == "198.51.100.7"


def test_the_header_of_a_trusted_proxy_names_the_client() -> None:
    assert real_client(PROXY, ["203.0.113.9"], PROXIES) == "203.0.113.9"
    assert real_client(PROXY, [" 203.0.113.9 "], PROXIES) == "203.0.113.9"


def test_no_header_from_the_proxy_counts_the_proxy() -> None:
    assert real_client(PROXY, [], PROXIES) == PROXY


def test_a_chain_gives_the_rightmost_address_that_is_not_a_trusted_proxy() -> None:
    # The client wrote "192.0.2.66" itself, a load balancer (10.1.2.3) then HAProxy appended.
    chain = ["192.0.2.66, 203.0.113.9, 10.1.2.3"]
    assert real_client(PROXY, chain, PROXIES) == "203.0.113.9"
    # The same chain over several header lines (one list, in order).
    lines = ["192.0.2.66", "203.0.113.9, 10.1.2.3"]
    assert real_client(PROXY, lines, PROXIES) == "203.0.113.9"


def test_a_chain_of_trusted_proxies_only_counts_the_peer() -> None:
    assert real_client(PROXY, ["10.1.2.3, 10.4.5.6"], PROXIES) == PROXY


@pytest.mark.parametrize(
    "header",
    [
        "un-nom.example",  # a host name
        "203.0.113.9:4431",  # a port
        "203.0.113.9;proto=https",
        "",  # an empty header
        "192.0.2.66, , 10.1.2.3",  # an empty hop on the way
        "192.0.2.66, unknown",  # Forwarded's "unknown", never an address
        "999.1.2.3",
    ],
)
def test_a_malformed_chain_falls_back_to_the_peer(header: str) -> None:
    assert real_client(PROXY, [header], PROXIES) == PROXY


def test_a_malformed_hop_left_of_the_client_does_not_matter() -> None:
    # Read from the right: the client is found before the rubbish it may have written.
    assert real_client(PROXY, ["rubbish, 203.0.113.9"], PROXIES) == "203.0.113.9"


def test_ipv6_clients_and_proxies() -> None:
    assert real_client("fd00::10", ["2001:db8:1:2::7"], PROXIES) == "2001:db8:1:2::7"
    assert real_client("fd00::10", ["2001:DB8:1:2:0:0:0:7"], PROXIES) == "2001:db8:1:2::7"
    assert real_client("2001:db8::99", ["203.0.113.9"], PROXIES) == "2001:db8::99"
    assert real_client(PROXY, ["2001:db8::7, fd00::20"], PROXIES) == "2001:db8::7"
    # Bracketed or with a port: not an address, the peer is counted.
    assert real_client(PROXY, ["[2001:db8::7]"], PROXIES) == PROXY


def test_an_ipv4_peer_seen_through_an_ipv6_socket_is_read_as_ipv4() -> None:
    assert parse_ip("::ffff:172.30.0.10") == ipaddress.ip_address(PROXY)
    assert real_client("::ffff:172.30.0.10", ["203.0.113.9"], PROXIES) == "203.0.113.9"


def test_a_peer_that_is_no_address_is_kept_as_it_is() -> None:
    assert real_client(None, ["203.0.113.9"], PROXIES) is None
    assert real_client("", ["203.0.113.9"], PROXIES) is None
    assert real_client("/run/rasa.sock", ["203.0.113.9"], PROXIES) == "/run/rasa.sock"


def test_a_very_long_chain_is_read_from_its_right_end() -> None:
    chain = ", ".join(["192.0.2.1"] * 500 + ["203.0.113.9", "10.1.2.3"])
    assert real_client(PROXY, [chain], PROXIES) == "203.0.113.9"


# Through the REST channel in a Sanic app: the per-address limit counts the real client.
def rest_client(tmp_path: Path, peer: str) -> ChannelClient:
    channel = SeniorRestInput(
        store=ChannelStore(migrated_database(tmp_path)),
        limits=Limits(per_sender="1000/minute", per_address="2/minute", storage="memory://"),
    )
    return ChannelClient(channel, FakeAssistant(), peer=(peer, 40000))


def statuses(client: ChannelClient, forwarded_for: list[str], count: int) -> list[int]:
    headers = [("content-type", "application/json")]
    headers += [("X-Forwarded-For", line) for line in forwarded_for]
    return [
        client.post(
            "/webhooks/rest/webhook",
            {},
            signature=None,
            raw=json.dumps({"sender": f"+3361234567{n}", "message": "bonjour"}).encode(),
            headers=headers,
        ).status
        for n in range(count)
    ]


def test_through_the_channel_a_forged_header_buys_no_fresh_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    client = rest_client(tmp_path, "198.51.100.7")
    assert statuses(client, ["203.0.113.1"], 2) == [200, 200]
    assert statuses(client, ["203.0.113.2"], 1) == [429]  # the same peer, another lie


def test_through_the_channel_each_client_behind_the_proxy_has_its_own_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", f"{PROXY}, fd00::/8")
    client = rest_client(tmp_path, PROXY)
    assert statuses(client, ["203.0.113.1"], 3) == [200, 200, 429]
    assert statuses(client, ["192.0.2.66", "203.0.113.2"], 2) == [200, 200]
    assert statuses(client, ["2001:db8:1:2::7"], 2) == [200, 200]
    # Another address of the same IPv6 /64: the same subscriber, the same count.
    assert statuses(client, ["2001:db8:1:2::8"], 1) == [429]
    assert statuses(client, ["not-an-address"], 3) == [200, 200, 429]  # the proxy's own count


def test_the_setting_reads_addresses_and_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", " 172.30.0.10 , 10.0.0.0/8,,fd00::/8 ")
    assert bot_settings().trusted_proxies == PROXIES
