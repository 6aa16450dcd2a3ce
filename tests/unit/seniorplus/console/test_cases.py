"""The case page of the console: checklist and status edited under the agent's name,
history, booking / moving / cancelling for the person, and who may open which case.
On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import time

import pytest
from sqlalchemy import select

from seniorplus.booking.models import Appointment
from seniorplus.cases import contact_for_conversation, open_case
from seniorplus.cases.models import Case, CaseDocument, CaseEvent
from seniorplus.db import session_scope
from tests.unit.agenda_builders import EVERY_DAY, add_clisson_site, add_mediator, add_openings
from tests.unit.console_helpers import (
    add_agent,
    add_handoff,
    audit_actions,
    fresh_throttle,
    post,
    signed_in,
)

pytestmark = pytest.mark.usefixtures("database_url", "fresh_throttle")
_ = fresh_throttle

PHONE = "+33612345678"
STRANGER = "+33698765432"
SLOT = re.compile(r'name="creneau" value="([^"]+)"')


@pytest.fixture
def case_ref() -> str:
    """Marcel's APA case, his waiting handoff, a mediator in Clisson; agents camille, sophie."""
    add_agent("camille", name="Camille")
    add_agent("sophie", "supervisor", name="Sophie")
    with session_scope() as session:
        marcel = contact_for_conversation(session, PHONE, "sms")
        marcel.display_name = "Marcel Dupont"
        case, _ = open_case(session, marcel, marcel, "apa_domicile", marcel.actor)
        site = add_clisson_site(session)
        anne = add_mediator(session, site, "Anne Test", journeys=["apa_domicile"])
        add_openings(session, anne, EVERY_DAY, time(9, 0), time(12, 0))
        contact_id, reference = marcel.id, case.reference
    add_handoff(PHONE, contact_id=contact_id)
    return reference


def _first_document(reference: str) -> tuple[str, str]:
    with session_scope() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        document = case.documents[0]
        return document.document_id, document.label


def test_conversation_page_links_the_persons_cases(case_ref: str) -> None:
    camille = signed_in("camille")
    handoff_page = camille.get("/console/conversations/1")
    assert "Marcel Dupont" in handoff_page.text
    assert f'href="/console/cases/{case_ref}"' in handoff_page.text
    page = camille.get(f"/console/cases/{case_ref}")
    assert page.status_code == 200
    assert f"Dossier {case_ref}" in page.text and "pour Marcel Dupont" in page.text
    document_id, _label = _first_document(case_ref)
    assert f'value="{document_id}"' in page.text
    assert "Dossier ouvert" in page.text  # the history


def test_checklist_edit_is_recorded_under_the_agents_name(case_ref: str) -> None:
    camille = signed_in("camille")
    document_id, _ = _first_document(case_ref)
    response = post(
        camille, f"/console/cases/{case_ref}/pieces", {"document": document_id, "statut": "recu"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/console/cases/{case_ref}?fait=piece"
    with session_scope() as session:
        document = session.scalars(
            select(CaseDocument).where(CaseDocument.document_id == document_id)
        ).one()
        assert document.status == "recu"
        event = session.scalars(select(CaseEvent).where(CaseEvent.action == "piece")).one()
        assert event.actor == "agent:camille"
    assert audit_actions("camille")[-1] == "piece"
    page = camille.get(response.headers["location"])
    assert "La liste des pièces est à jour." in page.text
    assert "(camille (conseiller))" in page.text or "camille (conseiller)" in page.text
    unknown = post(
        camille, f"/console/cases/{case_ref}/pieces", {"document": "inconnue", "statut": "recu"}
    )
    assert unknown.status_code == 409 and "ne fait pas partie du dossier" in unknown.text


def test_status_follows_the_workflow(case_ref: str) -> None:
    camille = signed_in("camille")
    assert (
        post(camille, f"/console/cases/{case_ref}/statut", {"statut": "en_cours"}).status_code
        == 303
    )
    refused = post(camille, f"/console/cases/{case_ref}/statut", {"statut": "ouvert"})
    assert refused.status_code == 409
    assert "ne peut pas passer à l&#39;état ouvert" in refused.text
    with session_scope() as session:
        assert session.scalars(select(Case)).one().status == "en_cours"
    assert audit_actions("camille").count("statut_dossier") == 1


def test_an_agent_cannot_open_an_unrelated_case(case_ref: str) -> None:
    with session_scope() as session:
        stranger = contact_for_conversation(session, STRANGER, "sms")
        other, _ = open_case(session, stranger, stranger, "apa_domicile", stranger.actor)
        other_ref = other.reference
    camille = signed_in("camille")
    page = camille.get(f"/console/cases/{other_ref}")
    assert page.status_code == 404
    assert "Dossier introuvable" in page.text
    assert (
        post(camille, f"/console/cases/{other_ref}/statut", {"statut": "clos"}).status_code == 404
    )
    assert camille.get("/console/cases/SP-2099-999999").status_code == 404
    assert signed_in("sophie").get(f"/console/cases/{other_ref}").status_code == 200


def test_book_move_and_cancel_for_the_person(case_ref: str) -> None:
    camille = signed_in("camille")
    slots = camille.get(f"/console/cases/{case_ref}/creneaux", params={"commune": "Clisson"})
    assert slots.status_code == 200 and "Voici les prochains rendez-vous libres" in slots.text
    keys = SLOT.findall(slots.text)
    assert len(keys) >= 2
    booked = post(
        camille, f"/console/cases/{case_ref}/rdv", {"creneau": keys[0], "mode": "sur_place"}
    )
    assert booked.status_code == 303, booked.text
    with session_scope() as session:
        appointment = session.scalars(select(Appointment)).one()
        assert appointment.booked_by == "agent:camille" and appointment.status == "reserve"
        reference = appointment.reference
    page = camille.get(booked.headers["location"])
    assert "Le rendez-vous est réservé." in page.text and reference in page.text
    # Move it to the second slot.
    moving = camille.get(
        f"/console/cases/{case_ref}/creneaux", params={"commune": "Clisson", "deplacer": reference}
    )
    assert f'action="/console/rendez-vous/{reference}/deplacer"' in moving.text
    moved = post(
        camille,
        f"/console/rendez-vous/{reference}/deplacer",
        {"creneau": keys[1], "mode": "sur_place"},
    )
    assert moved.status_code == 303, moved.text
    with session_scope() as session:
        rows = {a.reference: a.status for a in session.scalars(select(Appointment))}
    assert rows[reference] == "annule" and list(rows.values()).count("reserve") == 1
    new_reference = next(r for r, s in rows.items() if s == "reserve")
    cancelled = post(camille, f"/console/rendez-vous/{new_reference}/annuler", {"motif": "malade"})
    assert cancelled.status_code == 303
    with session_scope() as session:
        assert (
            session.scalars(select(Appointment).where(Appointment.reference == new_reference))
            .one()
            .status
            == "annule"
        )
        motifs = [
            e.details.get("motif") for e in session.scalars(select(CaseEvent)) if e.action == "rdv"
        ]
    assert "malade" in motifs
    assert [a for a in audit_actions("camille") if a.startswith("rdv_")] == [
        "rdv_pris",
        "rdv_deplace",
        "rdv_annule",
    ]


def test_booking_a_slot_taken_meanwhile_offers_others(case_ref: str) -> None:
    camille = signed_in("camille")
    slots = camille.get(f"/console/cases/{case_ref}/creneaux", params={"commune": "44190"})
    keys = SLOT.findall(slots.text)
    assert post(camille, f"/console/cases/{case_ref}/rdv", {"creneau": keys[0]}).status_code == 303
    with session_scope() as session:
        stranger = contact_for_conversation(session, STRANGER, "sms")
        other, _ = open_case(session, stranger, stranger, "apa_domicile", stranger.actor)
        other_ref = other.reference
    sophie = signed_in("sophie")
    taken = post(sophie, f"/console/cases/{other_ref}/rdv", {"creneau": keys[0]})
    assert taken.status_code == 409
    assert "Ce rendez-vous vient d&#39;être pris par quelqu&#39;un d&#39;autre." in taken.text
    assert "Autres créneaux libres" in taken.text
