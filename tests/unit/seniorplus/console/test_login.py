"""Console login: Argon2id with rehash, hashing off the event loop, progressive delays per
login and per address that reveal nothing and never lock an agent out, proxies trusted
only when configured. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import base64
import hashlib

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from seniorplus.console import login as login_module
from seniorplus.console.addresses import client_address, parse_trusted_proxies
from seniorplus.console.config import ConsoleSettings
from seniorplus.console.login import TOO_MANY_FROM_HERE, WRONG
from seniorplus.console.passwords import hash_password, needs_rehash, verify_password
from seniorplus.console.throttle import progressive_delay
from seniorplus.db import session_scope
from seniorplus.errors import ConfigurationError
from seniorplus.settings import get_settings
from seniorplus.staff.models import Agent
from seniorplus.web.app import create_app
from tests.unit.console_helpers import PASSWORD, add_agent, audit_details, fresh_throttle, log_in

pytestmark = pytest.mark.usefixtures("database_url")
_ = fresh_throttle


def browser_at(address: str) -> TestClient:
    """A browser whose connection comes from ``address``."""
    return TestClient(create_app(), raise_server_exceptions=False, client=(address, 50000))


def old_scrypt_hash(password: str) -> str:
    """The format of the hashes stored before Argon2id."""
    salt = b"0123456789abcdef"
    key = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


def stored_hash(login: str) -> str:
    with session_scope() as session:
        agent = session.scalars(select(Agent).where(Agent.login == login)).one()
        return agent.password_hash


def set_hash(login: str, value: str) -> None:
    with session_scope() as session:
        session.execute(update(Agent).where(Agent.login == login).values(password_hash=value))


# --- hashes -------------------------------------------------------------------------------


def test_new_hashes_are_argon2id_salted_and_verified() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert first != second  # a random salt each time
    assert verify_password(PASSWORD, first) and not verify_password(PASSWORD + "x", first)
    assert not verify_password(PASSWORD, "md5$abc") and not verify_password(PASSWORD, "")
    assert not needs_rehash(first)
    assert PASSWORD not in first


def test_old_scrypt_hashes_still_verify_and_need_a_rehash() -> None:
    old = old_scrypt_hash(PASSWORD)
    assert verify_password(PASSWORD, old) and not verify_password("autre chose", old)
    assert needs_rehash(old)
    assert not verify_password(PASSWORD, "scrypt$99999999999$8$1$AAAA$AAAA")  # absurd cost
    weaker = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    assert verify_password(PASSWORD, weaker) and needs_rehash(weaker)


@pytest.mark.parametrize(
    "make_old",
    [old_scrypt_hash, PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash],
    ids=["scrypt", "argon2-faible"],
)
def test_login_upgrades_an_old_hash(make_old) -> None:  # type: ignore[no-untyped-def]
    add_agent("camille")
    set_hash("camille", make_old(PASSWORD))
    assert log_in(browser_at("198.51.100.7"), "camille").status_code == 303
    upgraded = stored_hash("camille")
    assert upgraded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert log_in(browser_at("198.51.100.7"), "camille").status_code == 303
    assert stored_hash("camille") == upgraded  # once only


def test_a_wrong_password_does_not_rehash() -> None:
    add_agent("camille")
    old = old_scrypt_hash(PASSWORD)
    set_hash("camille", old)
    assert log_in(browser_at("198.51.100.7"), "camille", "pas le bon").status_code == 401
    assert stored_hash("camille") == old


def test_passwords_are_checked_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    add_agent("camille")
    seen: list[bool] = []
    real_verify = login_module.verify_password

    def spy(password: str, stored: str) -> bool:
        try:
            asyncio.get_running_loop()
            seen.append(True)  # on the event loop: it would block every request
        except RuntimeError:
            seen.append(False)
        return real_verify(password, stored)

    monkeypatch.setattr(login_module, "verify_password", spy)
    assert log_in(browser_at("198.51.100.7"), "camille").status_code == 303
    assert seen == [False]


# --- progressive delays ---------------------------------------------------------------------


def test_the_delay_doubles_after_three_attempts_and_is_capped() -> None:
    delays = [progressive_delay(n, free=3, cap_s=10) for n in range(9)]
    assert delays == [0, 0, 0, 1, 2, 4, 8, 10, 10]


def test_wrong_passwords_slow_down_and_never_lock(fresh_throttle: list[float]) -> None:
    add_agent("camille")
    browser = browser_at("198.51.100.7")
    for _ in range(8):
        response = log_in(browser, "camille", "pas le bon mot de passe")
        assert response.status_code == 401 and WRONG in response.text
    assert fresh_throttle == [1, 2, 4, 8, 10]  # the first three answered at once
    right = log_in(browser, "camille")
    assert right.status_code == 303  # never locked: after the wait, the right password works
    assert fresh_throttle[-1] == 10
    reasons = [d.get("motif") for d in audit_details() if "motif" in d]
    assert reasons == ["mot_de_passe"] * 8


def test_an_unknown_login_is_answered_like_a_known_one(fresh_throttle: list[float]) -> None:
    add_agent("camille")
    known, unknown = browser_at("198.51.100.7"), browser_at("198.51.100.8")
    for _ in range(6):
        a = log_in(known, "camille", "mauvais mot de passe")
        b = log_in(unknown, "personne", "mauvais mot de passe")
        assert (a.status_code, b.status_code) == (401, 401)
        assert a.text.replace("camille", "X") == b.text.replace("personne", "X").replace(
            b.text.split('name="csrf" value="')[1].split('"')[0],
            a.text.split('name="csrf" value="')[1].split('"')[0],
        )
    assert fresh_throttle[0::2] == fresh_throttle[1::2]  # the same delays, attempt by attempt


def test_an_attacker_elsewhere_cannot_lock_an_agent_out(
    monkeypatch: pytest.MonkeyPatch, fresh_throttle: list[float]
) -> None:
    monkeypatch.setenv("CONSOLE_IP_MAX_FAILURES", "5")
    get_settings.cache_clear()
    add_agent("camille")
    attacker = browser_at("203.0.113.66")
    answers = [log_in(attacker, "camille", f"essai {n}") for n in range(12)]
    assert all(a.status_code == 401 for a in answers)
    assert TOO_MANY_FROM_HERE in answers[-1].text  # the attacker's own address is refused
    fresh_throttle.clear()
    agent = log_in(browser_at("198.51.100.7"), "camille")
    assert agent.status_code == 303  # the agent, at their desk, still gets in
    assert fresh_throttle == [10]  # after at most the longest delay


def test_an_address_that_tried_too_often_is_refused_even_with_the_right_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONSOLE_IP_MAX_FAILURES", "3")
    get_settings.cache_clear()
    add_agent("camille")
    browser = browser_at("198.51.100.7")
    for login in ("a1", "a2", "a3"):
        assert WRONG in log_in(browser, login, "mauvais mot de passe").text
    blocked = log_in(browser, "camille")
    assert blocked.status_code == 401 and TOO_MANY_FROM_HERE in blocked.text
    assert log_in(browser_at("198.51.100.8"), "camille").status_code == 303


# --- proxies --------------------------------------------------------------------------------


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONSOLE_IP_MAX_FAILURES", "3")
    get_settings.cache_clear()
    add_agent("camille")
    local = browser_at("127.0.0.1")
    for n in range(3):  # each attempt pretends to come from elsewhere
        local.headers["X-Forwarded-For"] = f"192.0.2.{n}"
        log_in(local, "a", "mauvais mot de passe")
    local.headers["X-Forwarded-For"] = "192.0.2.99"
    assert TOO_MANY_FROM_HERE in log_in(local, "camille").text  # counted as 127.0.0.1


def test_a_trusted_proxy_passes_the_real_client_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSOLE_IP_MAX_FAILURES", "3")
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1")
    get_settings.cache_clear()
    add_agent("camille")
    proxy = browser_at("127.0.0.1")
    proxy.headers["X-Forwarded-For"] = "192.0.2.1"
    for _ in range(3):
        log_in(proxy, "a", "mauvais mot de passe")
    assert TOO_MANY_FROM_HERE in log_in(proxy, "camille").text
    proxy.headers["X-Forwarded-For"] = "192.0.2.2"  # another client behind the same proxy
    assert log_in(proxy, "camille").status_code == 303


def test_client_address_reads_the_chain_from_the_right() -> None:
    proxies = parse_trusted_proxies("10.0.0.0/8, 127.0.0.1")
    assert client_address("203.0.113.5", "1.2.3.4", proxies) == "203.0.113.5"
    assert client_address("127.0.0.1", "1.2.3.4", proxies) == "1.2.3.4"
    assert client_address("127.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.7", proxies) == "1.2.3.4"
    assert client_address("127.0.0.1", "pas-une-adresse", proxies) == "127.0.0.1"
    assert client_address("127.0.0.1", None, proxies) == "127.0.0.1"
    assert client_address("127.0.0.1", "1.2.3.4", ()) == "127.0.0.1"
    assert client_address(None, "1.2.3.4", proxies) == "inconnu"


def test_trusted_proxies_setting() -> None:
    assert ConsoleSettings.from_env({"APP_ENV": "dev"}).trusted_proxies == ()
    with pytest.raises(ConfigurationError, match="ni une adresse IP ni un réseau"):
        ConsoleSettings.from_env({"APP_ENV": "dev", "TRUSTED_PROXIES": "proxy.local"})
