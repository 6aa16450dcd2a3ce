"""Every read, export and erasure of a person's data, console or API, is in the audit journal:
who, what, when, and never a name or a number (issue 13, point 7). On SQLite."""

from __future__ import annotations

import json

from sqlalchemy import select

from seniorplus.db import session_scope
from seniorplus.staff.models import Agent, AuditEntry
from tests.unit.api_helpers import app_client
from tests.unit.console_helpers import fresh_throttle, signed_in
from tests.unit.seniorplus.web.test_access_routes import MARCEL_TRACES, World, migrated, world

_ = (fresh_throttle, migrated, world)


def reads() -> list[tuple[str | None, str, str, dict[str, object]]]:
    """(agent login, action, target, detail) of the journal's read lines, oldest first."""
    with session_scope() as session:
        rows = session.execute(
            select(Agent.login, AuditEntry.action, AuditEntry.target, AuditEntry.detail)
            .outerjoin(Agent, Agent.id == AuditEntry.agent_id)
            .where(AuditEntry.action.in_(
                ["lecture_conversation", "lecture_dossier", "lecture_dossiers", "lecture_rdv",
                 "lecture_rdvs", "export_donnees", "effacement"]))
            .order_by(AuditEntry.id)
        )  # fmt: skip
        return [
            (login, action, target, json.loads(detail)) for login, action, target, detail in rows
        ]


def test_console_reads_are_journaled(world: World) -> None:
    camille, marcel = signed_in("camille"), int(world.values["contact_id"])
    assert camille.get(f"/console/conversations/{world.values['handoff_id']}").status_code == 200
    assert camille.get(f"/console/cases/{world.values['case']}").status_code == 200
    handoff, case = f"handoff:{world.values['handoff_id']}", f"case:{world.values['case']}"
    console = {"par": "agent:camille", "via": "console", "personnes": [marcel]}
    assert reads() == [
        ("camille", "lecture_conversation", handoff, console),
        ("camille", "lecture_dossier", case, console),
    ]


def test_api_reads_are_journaled_with_the_people_read(world: World) -> None:
    camille, marcel = signed_in("camille"), int(world.values["contact_id"])
    day = world.values["day"]  # the appointment's day in France
    assert camille.get("/api/cases").status_code == 200
    assert camille.get(f"/api/cases/{world.values['case']}").status_code == 200
    assert camille.get("/api/appointments", params={"day": day}).status_code == 200
    assert camille.get(f"/api/appointments/{world.values['appointment']}").status_code == 200
    api = {"par": "agent:camille", "via": "api", "personnes": [marcel]}
    assert reads() == [
        ("camille", "lecture_dossiers", "", {**api, "filtre_telephone": False}),
        ("camille", "lecture_dossier", f"case:{world.values['case']}", api),
        ("camille", "lecture_rdvs", f"jour:{day}", api),
        ("camille", "lecture_rdv", f"appointment:{world.values['appointment']}", api),
    ]


def test_a_refused_read_writes_no_read_line(world: World) -> None:
    bruno = signed_in("bruno")
    assert bruno.get(f"/api/cases/{world.values['case']}").status_code == 404
    assert bruno.get(f"/console/cases/{world.values['case']}").status_code == 404
    assert reads() == []


def test_export_and_erasure_by_a_machine_token_are_journaled(world: World) -> None:
    marcel = world.values["contact_id"]
    machine = app_client()
    assert machine.get(f"/api/contacts/{marcel}/export").status_code == 200
    assert machine.post(f"/api/contacts/{marcel}/erase").status_code == 200
    target = f"contact:{marcel}"
    api = {"par": "agent:eval", "via": "api", "personnes": [int(marcel)]}
    assert reads() == [
        (None, "export_donnees", target, api),
        (None, "effacement", target, {**api, "deja_efface": False}),
    ]


def test_the_journal_never_holds_a_name_or_a_number(world: World) -> None:
    camille = signed_in("camille")
    camille.get(f"/console/conversations/{world.values['handoff_id']}")
    camille.get("/api/cases", params={"phone": "06 11 11 11 11"})
    app_client().get(f"/api/contacts/{world.values['contact_id']}/export")
    with session_scope() as session:
        journal = " ".join(e.target + e.detail for e in session.scalars(select(AuditEntry)))
    assert '"par": "agent:camille"' in journal and '"par": "agent:eval"' in journal
    for trace in MARCEL_TRACES:
        assert trace not in journal
