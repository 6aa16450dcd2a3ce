"""Console authentication: passwords, login throttling, sessions, CSRF, roles, headers, and
the console session as an API principal. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from seniorplus.console.config import ConsoleSettings
from seniorplus.console.passwords import password_problem
from seniorplus.db import session_scope
from seniorplus.models import utcnow
from seniorplus.settings import get_settings
from seniorplus.staff.models import Agent, AgentSession
from tests.unit.console_helpers import (
    ORIGIN,
    PASSWORD,
    add_agent,
    audit_actions,
    client,
    csrf_of,
    fresh_throttle,
    log_in,
    login_csrf,
    post,
    signed_in,
)

pytestmark = pytest.mark.usefixtures("database_url", "fresh_throttle")
_ = fresh_throttle

WRONG = "Identifiant ou mot de passe incorrect."


# --- passwords (no database needed, but cheap) ----------------------------------------


def test_new_passwords_need_twelve_characters() -> None:
    assert password_problem("court") == "Le mot de passe doit compter au moins 12 caractères."
    assert password_problem("douze-lettre") is None
    assert password_problem(" " * 12) is not None


# --- login --------------------------------------------------------------------------------


def test_login_opens_a_session_with_a_safe_cookie() -> None:
    add_agent("camille")
    browser = client()
    response = log_in(browser, "Camille ")  # typed with a capital and a space
    assert response.status_code == 303
    assert response.headers["location"] == "/console/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("sp_console="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # not production
    token = cookie.split(";")[0].split("=", 1)[1]
    with session_scope() as session:
        stored = session.scalars(select(AgentSession)).one()
        assert stored.token_hash != token and len(stored.token_hash) == 64  # only its SHA-256
        assert stored.expires_at - stored.created_at == timedelta(hours=10)
    queue = browser.get("/console/")
    assert queue.status_code == 200 and "File d'attente" in queue.text
    assert "Camille" in queue.text
    assert audit_actions() == ["compte_cree", "connexion"]
    assert audit_actions("camille") == ["connexion"]  # the creation was by the system


def test_cookie_is_secure_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ConsoleSettings.from_env({"APP_ENV": "production"}).secure_cookie
    assert not ConsoleSettings.from_env({"APP_ENV": "dev"}).secure_cookie
    assert ConsoleSettings.from_env({}).secure_cookie  # APP_ENV unset: production


def test_unknown_login_gets_the_same_message_and_no_password_is_logged() -> None:
    add_agent("camille")
    browser = client()
    unknown = log_in(browser, "personne", "mot de passe secret 123")
    wrong = log_in(browser, "camille", "mot de passe secret 123")
    assert unknown.status_code == wrong.status_code == 401
    assert WRONG in unknown.text and WRONG in wrong.text
    assert "mot de passe secret 123" not in unknown.text + wrong.text
    with session_scope() as session:
        from seniorplus.staff.models import AuditEntry

        details = " ".join(e.detail for e in session.scalars(select(AuditEntry)))
    assert "secret" not in details and "personne" not in details
    assert audit_actions()[-2:] == ["echec_connexion", "echec_connexion"]


def test_disabled_account_cannot_log_in() -> None:
    add_agent("camille")
    with session_scope() as session:
        session.execute(update(Agent).values(active=False))
    response = log_in(client(), "camille")
    assert response.status_code == 401 and WRONG in response.text


def test_login_form_needs_its_token() -> None:
    add_agent("camille")
    browser = client()
    login_csrf(browser)  # the cookie is set, but the form's field is missing
    response = browser.post(
        "/console/login",
        data={"login": "camille", "password": PASSWORD},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert response.status_code == 403 and "Action refusée" in response.text
    assert "sp_console=" not in response.headers.get("set-cookie", "")


# --- sessions -----------------------------------------------------------------------------


def test_not_logged_in_goes_to_the_login_page() -> None:
    response = client().get("/console/rappels", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=%2Fconsole%2Frappels"


@pytest.mark.parametrize("how", ["idle", "absolute", "revoked"])
def test_ended_session_redirects_to_login_with_a_message(how: str) -> None:
    add_agent("camille")
    browser = signed_in("camille")
    with session_scope() as session:
        row = session.scalars(select(AgentSession)).one()
        if how == "idle":
            row.last_seen_at = utcnow() - timedelta(minutes=31)
        elif how == "absolute":
            row.expires_at = utcnow() - timedelta(seconds=1)
        else:
            row.revoked_at = utcnow()
    response = browser.get("/console/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith("&expiree=1")
    page = browser.get(response.headers["location"])
    assert "Votre session a expiré, reconnectez-vous." in page.text
    # The page's background refresh gets JSON, not a redirect.
    poll = browser.get("/console/file.json", headers={"X-Console-Poll": "1"})
    assert poll.status_code == 401
    assert poll.json()["erreur"] == "Votre session a expiré, reconnectez-vous."


def test_idle_timeout_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSOLE_IDLE_MINUTES", "5")
    get_settings.cache_clear()
    add_agent("camille")
    browser = signed_in("camille")
    with session_scope() as session:
        session.scalars(select(AgentSession)).one().last_seen_at = utcnow() - timedelta(minutes=6)
    assert browser.get("/console/", follow_redirects=False).status_code == 303


def test_background_refreshes_do_not_keep_a_session_alive() -> None:
    add_agent("camille")
    browser = signed_in("camille")
    old = utcnow() - timedelta(minutes=20)
    with session_scope() as session:
        session.scalars(select(AgentSession)).one().last_seen_at = old
    assert browser.get("/console/file.json", headers={"X-Console-Poll": "1"}).status_code == 200
    with session_scope() as session:
        assert session.scalars(select(AgentSession)).one().last_seen_at == old
    assert browser.get("/console/").status_code == 200  # a page the agent opened: activity
    with session_scope() as session:
        assert session.scalars(select(AgentSession)).one().last_seen_at > old


def test_logout_revokes_the_session() -> None:
    add_agent("camille")
    browser = signed_in("camille")
    cookie = browser.cookies.get("sp_console")
    response = post(browser, "/console/logout")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?fait=deconnecte"
    with session_scope() as session:
        assert session.scalars(select(AgentSession)).one().revoked_at is not None
    # The old cookie, replayed, opens nothing.
    replay = client()
    replay.cookies.set("sp_console", cookie or "")
    assert replay.get("/console/", follow_redirects=False).status_code == 303
    assert audit_actions()[-1] == "deconnexion"


# --- CSRF and origin ----------------------------------------------------------------------


def test_post_without_or_with_a_wrong_csrf_token_is_refused() -> None:
    add_agent("camille")
    browser = signed_in("camille")
    missing = browser.post("/console/logout", headers={"Origin": ORIGIN}, follow_redirects=False)
    wrong = browser.post(
        "/console/logout", data={"csrf": "faux"}, headers={"Origin": ORIGIN}, follow_redirects=False
    )
    for response in (missing, wrong):
        assert response.status_code == 403
        assert "la demande ne venait pas de la console" in response.text
        assert response.headers["content-type"].startswith("text/html")
    with session_scope() as session:
        assert session.scalars(select(AgentSession)).one().revoked_at is None


def test_post_from_another_site_is_refused_even_with_the_token() -> None:
    add_agent("camille")
    browser = signed_in("camille")
    token = csrf_of(browser)
    for headers in (
        {"Origin": "https://ailleurs.example"},
        {"Referer": "https://ailleurs.example/x"},
    ):
        response = browser.post(
            "/console/logout", data={"csrf": token}, headers=headers, follow_redirects=False
        )
        assert response.status_code == 403
    header_token = browser.post(
        "/console/logout", headers={"X-CSRF-Token": token, "Origin": ORIGIN}, follow_redirects=False
    )
    assert header_token.status_code == 303  # the fetch way: the header instead of the field


# --- roles and headers ----------------------------------------------------------------------


def test_an_agent_cannot_reach_supervisor_or_admin_pages() -> None:
    add_agent("camille")
    browser = signed_in("camille")
    for path in ("/console/admin/comptes", "/console/admin/mediateurs", "/console/journal",
                 "/console/intervenir"):  # fmt: skip
        response = browser.get(path)
        assert response.status_code == 403, path
        assert "Cette page est réservée à un autre rôle." in response.text
    created = post(browser, "/console/admin/comptes", {"login": "pirate", "name": "P",
                   "role": "admin", "password": PASSWORD, "password2": PASSWORD})  # fmt: skip
    assert created.status_code == 403
    with session_scope() as session:
        assert session.scalar(select(Agent).where(Agent.login == "pirate")) is None


def test_supervisor_reaches_journal_but_not_admin() -> None:
    add_agent("sophie", "supervisor")
    browser = signed_in("sophie")
    assert browser.get("/console/journal").status_code == 200
    assert browser.get("/console/admin/comptes").status_code == 403


def test_security_headers_on_console_pages() -> None:
    add_agent("camille")
    browser = client()
    for response in (browser.get("/console/login"), signed_in("camille").get("/console/")):
        headers = response.headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "'unsafe-inline'" not in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cache-control"] == "no-store"
        assert '<html lang="fr">' in response.text
        assert "<script>" not in response.text  # no inline script anywhere
    assert browser.get("/console/static/console.css").status_code == 200


def test_unknown_console_page_is_a_french_404() -> None:
    add_agent("camille")
    response = signed_in("camille").get("/console/nulle-part")
    assert response.status_code == 404 and "Page introuvable" in response.text


# --- the console session in the JSON API ---------------------------------------------------


def test_console_session_is_an_api_principal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_TOKENS", "")
    get_settings.cache_clear()
    add_agent("camille")
    add_agent("sophie", "supervisor")
    assert client().get("/api/cases").status_code == 401
    camille = signed_in("camille")
    assert camille.get("/api/cases").status_code == 200
    token = csrf_of(camille)
    body = {"status": "en_cours"}
    # A change: without the CSRF header the cookie does not count (401); with it, the role
    # decides (an agent may not change cases: 403).
    assert camille.patch("/api/cases/SP-2026-000001", json=body).status_code == 401
    with_header = camille.patch(
        "/api/cases/SP-2026-000001", json=body, headers={"X-CSRF-Token": token, "Origin": ORIGIN}
    )
    assert with_header.status_code == 403
    sophie = signed_in("sophie")
    found = sophie.patch(
        "/api/cases/SP-2026-000001",
        json=body,
        headers={"X-CSRF-Token": csrf_of(sophie), "Origin": ORIGIN},
    )
    assert found.status_code == 404  # authenticated and allowed: the case just does not exist
