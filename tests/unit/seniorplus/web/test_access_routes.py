"""Every route of the web app, with each role: nobody, the agent who holds the person's
conversation, another agent, a supervisor and an administrator (issue 13, point 3).

``DECISIONS`` gives each route its access decision; a route of ``app.routes`` missing from
it fails the test, so a new route cannot ship without one. The target is always the data
of Marcel, whose conversation is given to Camille: another agent (Bruno) gets 401, 403 or
404, and never sees Marcel's name or number anywhere. On SQLite.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Literal

import httpx
import pytest
from alembic import command
from sqlalchemy import update
from starlette.routing import Mount, Route

from seniorplus.booking.models import Appointment
from seniorplus.cases import contact_for_conversation, open_case
from seniorplus.clock import PARIS, paris_day
from seniorplus.db import reset_engine, session_scope
from seniorplus.handoff.service import claim
from seniorplus.models import CallbackRequest, utcnow
from seniorplus.settings import get_settings
from seniorplus.staff.models import Agent
from seniorplus.web.app import create_app
from tests.unit.api_helpers import add_appointment, build_agenda, configure_tokens
from tests.unit.conftest import alembic_config
from tests.unit.console_helpers import (
    ORIGIN,
    add_agent,
    add_handoff,
    client,
    csrf_of,
    fresh_throttle,
    signed_in,
)

_ = fresh_throttle
MARCEL_PHONE, JEANNE_PHONE, CALLER_PHONE = "+33611111111", "+33622222222", "+33633333333"
MARCEL_TRACES = ("Marcel", "+33611111111", "06 11 11 11 11", "0611111111")
Role = Literal["personne", "camille", "bruno", "sophie", "admin"]
ROLES: tuple[Role, ...] = ("personne", "bruno", "camille", "sophie", "admin")

# What each decision lets each role get (status codes); anything else fails.
Decision = Literal[
    "public",  # anyone
    "api_read",  # any signed-in role; no personal data in it
    "api_scoped",  # the agent's own people only; others: 404
    "api_list",  # any signed-in role, but an agent's list holds only their own people
    "api_write",  # supervisors and administrators
    "console",  # any signed-in role
    "console_scoped",  # the agent's own conversations and cases; others: 404
    "supervisor",  # console pages of supervisors and administrators
    "admin",  # console pages of administrators
]

DECISIONS: dict[tuple[str, str], Decision] = {
    ("GET", "/"): "public",
    ("GET", "/health"): "public",
    # Operations (docs/deployment.md): no personal data; the proxy forwards none of them.
    ("GET", "/health/live"): "public",
    ("GET", "/health/ready"): "public",
    ("GET", "/metrics"): "public",
    ("GET", "/openapi.json"): "public",
    ("GET", "/docs"): "public",
    ("GET", "/docs/oauth2-redirect"): "public",
    ("GET", "/redoc"): "public",
    ("GET", "/api/openapi.json"): "public",
    ("GET", "/api/docs"): "public",
    ("GET", "/api/docs/oauth2-redirect"): "public",
    ("GET", "/api/cases"): "api_list",
    ("GET", "/api/cases/{reference}"): "api_scoped",
    ("PATCH", "/api/cases/{reference}"): "api_write",
    ("GET", "/api/sites"): "api_read",
    ("GET", "/api/mediators"): "api_read",
    ("POST", "/api/mediators"): "api_write",
    ("GET", "/api/mediators/{mediator_id}"): "api_read",
    ("PATCH", "/api/mediators/{mediator_id}"): "api_write",
    ("GET", "/api/mediators/{mediator_id}/availability"): "api_read",
    ("PUT", "/api/mediators/{mediator_id}/availability"): "api_write",
    ("GET", "/api/appointments"): "api_list",
    ("GET", "/api/appointments/{reference}"): "api_scoped",
    ("POST", "/api/appointments"): "api_write",
    ("POST", "/api/appointments/{reference}/cancel"): "api_write",
    ("POST", "/api/appointments/{reference}/move"): "api_write",
    ("GET", "/api/slots"): "api_read",
    ("GET", "/api/contacts/{contact_id}/export"): "api_write",
    ("POST", "/api/contacts/{contact_id}/erase"): "api_write",
    ("GET", "/console/login"): "public",
    ("POST", "/console/login"): "public",
    ("GET", "/console/logout"): "console",
    ("POST", "/console/logout"): "console",
    ("GET", "/console/"): "console",
    ("GET", "/console/file.json"): "console",
    ("POST", "/console/conversations/{handoff_id}/prendre"): "console_scoped",
    ("POST", "/console/conversations/{handoff_id}/reattribuer"): "supervisor",
    ("GET", "/console/conversations/{handoff_id}"): "console_scoped",
    ("GET", "/console/conversations/{handoff_id}/lines"): "console_scoped",
    ("POST", "/console/conversations/{handoff_id}/repondre"): "console_scoped",
    ("POST", "/console/conversations/{handoff_id}/rendre"): "console_scoped",
    ("POST", "/console/conversations/{handoff_id}/clore"): "console_scoped",
    ("GET", "/console/cases/{reference}"): "console_scoped",
    ("POST", "/console/cases/{reference}/pieces"): "console_scoped",
    ("POST", "/console/cases/{reference}/statut"): "console_scoped",
    ("GET", "/console/cases/{reference}/creneaux"): "console_scoped",
    ("POST", "/console/cases/{reference}/rdv"): "console_scoped",
    ("POST", "/console/rendez-vous/{appointment_reference}/deplacer"): "console_scoped",
    ("POST", "/console/rendez-vous/{appointment_reference}/annuler"): "console_scoped",
    ("GET", "/console/rappels"): "console",
    ("POST", "/console/rappels/{request_id}/fait"): "console",
    ("GET", "/console/intervenir"): "supervisor",
    ("POST", "/console/intervenir"): "supervisor",
    ("GET", "/console/admin/comptes"): "admin",
    ("POST", "/console/admin/comptes"): "admin",
    ("POST", "/console/admin/comptes/{agent_id}/role"): "admin",
    ("POST", "/console/admin/comptes/{agent_id}/actif"): "admin",
    ("POST", "/console/admin/comptes/{agent_id}/mot-de-passe"): "admin",
    ("GET", "/console/admin/mediateurs"): "admin",
    ("POST", "/console/admin/mediateurs/{mediator_id}/creneaux"): "admin",
    ("POST", "/console/admin/mediateurs/{mediator_id}/creneaux/{availability_id}/retirer"): "admin",
    ("POST", "/console/admin/mediateurs/{mediator_id}/absences"): "admin",
    ("POST", "/console/admin/mediateurs/{mediator_id}/absences/{absence_id}/retirer"): "admin",
    ("GET", "/console/journal"): "supervisor",
    ("GET", "/console/parcours"): "supervisor",
}


def app_routes() -> set[tuple[str, str]]:
    """(method, path) of every route of the app, mounted applications included."""
    found: set[tuple[str, str]] = set()

    def walk(routes: list[object], prefix: str) -> None:
        for route in routes:
            if isinstance(route, Mount):
                walk(list(getattr(route.app, "routes", [])), prefix + route.path)
            elif isinstance(route, Route) or hasattr(route, "methods"):
                for method in getattr(route, "methods", None) or {"GET"}:
                    if method != "HEAD":
                        found.add((method, prefix + getattr(route, "path", "")))

    walk(list(create_app().routes), "")
    return found


def test_every_route_has_an_access_decision() -> None:
    routes = app_routes()
    assert sorted(routes - DECISIONS.keys()) == [], "a route without an access decision"
    assert sorted(DECISIONS.keys() - routes) == [], "a decision for a route that is gone"


# --- the world: Marcel (Camille's), Jeanne (Bruno's) ------------------------------------------


@dataclass(frozen=True)
class World:
    values: dict[str, str]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating each time is slow)."""
    template = tmp_path_factory.mktemp("access") / "template.db"
    command.upgrade(alembic_config(f"sqlite:///{template}"), "head")
    return template


@pytest.fixture
def world(
    migrated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_throttle: list[float]
) -> Iterator[World]:
    database = tmp_path / "app.db"
    shutil.copyfile(migrated, database)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    configure_tokens(monkeypatch)
    get_settings.cache_clear()
    reset_engine()
    roles = (("camille", "agent"), ("bruno", "agent"), ("sophie", "supervisor"), ("admin", "admin"))
    ids = {login: add_agent(login, role) for login, role in roles}
    # A day in France, as the API reads "?day=" (utcnow() + 3 days is the next French day
    # between midnight and 1 or 2 a.m. in Paris: the test failed then).
    day = paris_day(utcnow()) + timedelta(days=3)
    with session_scope() as session:
        agenda = build_agenda(session)
        people = {}
        for hour, (phone, name, code) in enumerate(
            (
                (MARCEL_PHONE, "Marcel Dupont", "RDV-MARC22"),
                (JEANNE_PHONE, "Jeanne Leroy", "RDV-JEAN22"),
            ),
            start=10,
        ):
            when = datetime.combine(day, time(hour, 0), tzinfo=PARIS).astimezone(timezone.utc)
            person = contact_for_conversation(session, phone, "sms")
            person.display_name = name
            case, _ = open_case(session, person, person, "apa_domicile", person.actor)
            stored = add_appointment(session, agenda.anne, person.id, when, case_id=case.id)
            session.execute(
                update(Appointment).where(Appointment.reference == stored).values(reference=code)
            )
            people[phone] = (person.id, case.reference, code)
        callback = CallbackRequest(phone=CALLER_PHONE, reason="no_answer", status="waiting")
        session.add(callback)
        session.flush()
        callback_id = callback.id
    handoffs = {}
    for phone, login in ((MARCEL_PHONE, "camille"), (JEANNE_PHONE, "bruno")):
        handoff_id = add_handoff(phone, contact_id=people[phone][0], summary=f"Pour {login}.")
        with session_scope() as session:
            agent = session.get(Agent, ids[login])
            assert agent is not None
            claim(session, agent, handoff_id)
        handoffs[phone] = handoff_id
    contact_id, case_ref, appointment_ref = people[MARCEL_PHONE]
    yield World(
        {
            "handoff_id": str(handoffs[MARCEL_PHONE]),
            "case": case_ref,
            "appointment": appointment_ref,
            "appointment_reference": appointment_ref,
            "contact_id": str(contact_id),
            "mediator_id": str(agenda.anne),
            "agent_id": str(ids["camille"]),
            "request_id": str(callback_id),
            "availability_id": "1",
            "absence_id": "1",
            "day": day.isoformat(),
        }
    )
    reset_engine()


QUERIES = {"/api/appointments": "?day={day}", "/api/slots": "?journey=apa_domicile&commune=Clisson"}


def concrete(path: str, world: World) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "reference":
            return world.values["appointment" if "/appointments/" in path else "case"]
        return world.values[name]

    query = QUERIES.get(path, "").replace("{day}", world.values["day"])
    return re.sub(r"\{(\w+)\}", fill, path) + query


def call(role: Role, method: str, path: str) -> httpx.Response:
    browser = client() if role == "personne" else signed_in(role)
    headers = {"Origin": ORIGIN}
    if method == "GET":
        return browser.get(path, follow_redirects=False)
    if role != "personne":
        token = csrf_of(browser)
        headers["X-CSRF-Token"] = token
        if path.startswith("/console/"):
            return browser.post(path, data={"csrf": token}, headers=headers, follow_redirects=False)
    return browser.request(method, path, json={}, headers=headers, follow_redirects=False)


def expected(decision: Decision, role: Role) -> str:
    """ "ok", "login", "forbidden" or "hidden" for this role."""
    if decision == "public":
        return "public"
    if role == "personne":
        return "login"
    rank = {"camille": 1, "bruno": 1, "sophie": 2, "admin": 3}[role]
    needed = {"api_write": 2, "supervisor": 2, "admin": 3}.get(decision, 1)
    if rank < needed:
        return "forbidden"
    if decision in ("api_scoped", "console_scoped") and role == "bruno":
        return "hidden"
    return "ok"


def check(answer: httpx.Response, outcome: str, path: str, role: Role) -> None:
    status, where = answer.status_code, f"{role} {answer.request.method} {path}"
    assert (status != 500 and status < 502) or status in (502, 503), where
    if outcome == "login":
        if path.startswith("/api/"):
            assert status == 401, where
        else:
            assert status in (303, 401) and (
                status == 401 or "/console/login" in answer.headers["location"]
            ), where
    elif outcome == "forbidden":
        assert status in (401, 403), where
    elif outcome == "hidden":  # 409: "Déjà prise par Camille." (docs/console.md), no more
        assert status in (404, 409) or (
            status == 303 and "/console/" in answer.headers["location"]
        ), where
    elif outcome == "ok":
        assert status not in (401, 403, 404), where
    if (role in ("bruno", "personne") and outcome != "ok") or role == "bruno":
        for trace in MARCEL_TRACES:
            assert trace not in answer.text, f"{where} shows {trace}"


@pytest.mark.parametrize(("method", "path"), sorted(DECISIONS))
def test_each_role_gets_only_what_the_rule_allows(world: World, method: str, path: str) -> None:
    decision = DECISIONS[(method, path)]
    target = concrete(path, world)
    for role in ROLES:  # the writes that pass run last: supervisor, admin
        check(call(role, method, target), expected(decision, role), target, role)


def test_an_agent_lists_only_their_own_people_through_the_api(world: World) -> None:
    for role, sees_marcel, sees_jeanne in (
        ("camille", True, False),
        ("bruno", False, True),
        ("sophie", True, True),
    ):
        browser = signed_in(role)
        cases = browser.get("/api/cases").json()["items"]
        names = {item["person"]["display_name"] for item in cases}
        assert ("Marcel Dupont" in names, "Jeanne Leroy" in names) == (sees_marcel, sees_jeanne)
        day = world.values["day"]
        appointments = browser.get("/api/appointments", params={"day": day}).json()["items"]
        names = {item["person"]["display_name"] for item in appointments}
        assert ("Marcel Dupont" in names, "Jeanne Leroy" in names) == (sees_marcel, sees_jeanne)


def test_phone_numbers_are_masked_for_agents_in_the_api(world: World) -> None:
    case = world.values["case"]
    mine = signed_in("camille").get(f"/api/cases/{case}").json()
    assert mine["person"]["phone"] is None and mine["person"]["phone_masked"] == "+336******11"
    assert mine["appointments"][0]["person"]["phone"] is None
    assert MARCEL_PHONE not in str(mine)
    full = signed_in("sophie").get(f"/api/cases/{case}").json()
    assert full["person"]["phone"] == MARCEL_PHONE
    appointment = world.values["appointment"]
    assert signed_in("camille").get(f"/api/appointments/{appointment}").json()["person"][
        "phone"
    ] is None  # fmt: skip
