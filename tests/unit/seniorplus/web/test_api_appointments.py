"""JSON API, appointments: book, cancel and move one for a person (jobs, history, actor),
double submission, slot taken (409 with alternatives), French 4xx answers, roles.
On SQLite and PostgreSQL.

The routes read the clock once per request (``appointments.utcnow``): the tests fix it
on Monday 30 November 2026, 10:00 in Paris, so that "tomorrow", holidays and
alternatives are known dates.
"""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, time, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.requests import Request

from seniorplus.booking.models import Appointment, MediatorAbsence
from seniorplus.booking.service import book
from seniorplus.booking.slots import Slot
from seniorplus.cases import contact_for_conversation, link_caregiver, open_case, set_status
from seniorplus.cases.models import Case, CaseEvent, Contact
from seniorplus.db import session_scope
from seniorplus.jobs.models import ScheduledJob
from seniorplus.web.api import Principal, appointments
from seniorplus.web.api.auth import Authenticator, Role
from tests.unit.api_helpers import (
    UNAUTHORIZED,
    Agenda,
    api_client,
    app_client,
    build_agenda,
    configure_tokens,
)

pytestmark = pytest.mark.usefixtures("database_url")

PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)  # a Monday
MONDAY, TUESDAY, WEDNESDAY = date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)
CHRISTMAS = date(2026, 12, 25)  # a Friday: Anne receives every day, but not on a holiday
ALICE, BOB = "+33611111111", "+33622222222"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def key(mediator_id: int, start: datetime, mode: str = "sur_place") -> str:
    utc = start.astimezone(UTC)
    return Slot(utc, utc, mediator_id, 0, mode).key


@pytest.fixture(autouse=True)
def tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    configure_tokens(monkeypatch)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(appointments, "utcnow", lambda: NOW.astimezone(UTC))


@pytest.fixture
def agenda() -> Agenda:
    with session_scope() as session:
        return build_agenda(session)


@pytest.fixture
def client() -> TestClient:
    return app_client()


def person(phone: str = ALICE) -> int:
    with session_scope() as session:
        return contact_for_conversation(session, phone, "sms").id


def booking(agenda: Agenda, contact_id: int, start: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "contact_id": contact_id,
        "slot": {"key": key(agenda.anne, start)},
        "journey": "apa_domicile",
        **extra,
    }


def reserved() -> list[tuple[str, int, datetime]]:
    """(reference, contact, start) of the reserved appointments."""
    with session_scope() as session:
        rows = session.scalars(
            select(Appointment).where(Appointment.status == "reserve").order_by(Appointment.id)
        )
        return [(a.reference, a.contact_id, a.starts_at) for a in rows]


def jobs_of(reference: str) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """The scheduled jobs of an appointment: key prefix → (kind, status, payload)."""
    with session_scope() as session:
        appointment_id = session.scalar(
            select(Appointment.id).where(Appointment.reference == reference)
        )
        return {
            job.key.split(":")[0]: (job.kind, job.status, job.payload_data)
            for job in session.scalars(
                select(ScheduledJob).where(ScheduledJob.key.endswith(f":{appointment_id}"))
            )
        }


def history(case_reference: str) -> list[tuple[str, str, dict[str, Any]]]:
    with session_scope() as session:
        case_id = session.scalar(select(Case.id).where(Case.reference == case_reference))
        events = session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case_id, CaseEvent.action == "rdv")
            .order_by(CaseEvent.id)
        )
        return [(e.actor, e.action, json.loads(e.detail)) for e in events]


def open_apa_case(contact_id: int) -> str:
    with session_scope() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None
        case, _ = open_case(session, contact, contact, "apa_domicile", contact.actor)
        return case.reference


def as_role(role: Role) -> TestClient:
    def authenticate(_request: Request) -> Principal:
        return Principal(kind="agent", name="m.durand", role=role)

    authenticator: Authenticator = authenticate
    return api_client([authenticator])


# --- booking --------------------------------------------------------------------------


def test_book_a_slot_by_its_key(agenda: Agenda, client: TestClient) -> None:
    alice = person()
    response = client.post("/api/appointments", json=booking(agenda, alice, at(WEDNESDAY, 9)))
    assert response.status_code == 201, response.text
    body = response.json()
    reference = body["reference"]
    assert response.headers["Location"] == f"/api/appointments/{reference}"
    assert reference.startswith("RDV-")
    assert (body["status"], body["status_label"]) == ("reserve", "réservé")
    assert body["starts_at"] == "2026-12-02T09:00:00+01:00"
    assert body["ends_at"] == "2026-12-02T09:45:00+01:00"
    assert (body["mode"], body["mode_label"]) == ("sur_place", "sur place")
    assert body["mediator"] == {"id": agenda.anne, "name": "Anne Test"}
    assert body["site"] == {
        "id": agenda.clisson,
        "name": "France Services Clisson (test)",
        "commune": "Clisson",
    }
    assert body["person"]["contact_id"] == alice
    assert body["booked_by"] == "agent:eval"
    assert body["case_reference"] is None
    assert body["replaces"] is None
    assert body["label"] == (
        "mercredi 2 décembre à 9 h, France Services Clisson (test), 1 rue de test, 44190 Clisson"
    )
    assert reserved() == [(reference, alice, at(WEDNESDAY, 9))]
    # The confirmation and the reminder were written in the booking's transaction.
    jobs = jobs_of(reference)
    assert set(jobs) == {"confirmation", "rappel"}
    kind, job_status, payload = jobs["confirmation"]
    assert (kind, job_status, payload["event"], payload["reference"]) == (
        "confirmation",
        "en_attente",
        "reserve",
        reference,
    )
    assert jobs["rappel"][:2] == ("rappel_veille", "en_attente")
    assert client.get(f"/api/appointments/{reference.lower()}").json()["reference"] == reference


def test_book_by_mediator_and_start_for_a_case_records_the_agent(
    agenda: Agenda, client: TestClient
) -> None:
    alice = person()
    case_reference = open_apa_case(alice)
    body = {
        "contact_id": alice,
        "slot": {"mediator_id": agenda.anne, "starts_at": "2026-12-02T14:30"},
        "mode": "telephone",
        "journey": "apa_domicile",
        "case_reference": case_reference.lower().replace("-", " "),
    }
    response = client.post("/api/appointments", json=body)
    assert response.status_code == 201, response.text
    booked = response.json()
    assert booked["starts_at"] == "2026-12-02T14:30:00+01:00"
    assert (booked["mode"], booked["case_reference"]) == ("telephone", case_reference)
    assert (
        booked["label"] == "mercredi 2 décembre à 14 h 30, par téléphone : Anne Test vous appellera"
    )
    assert history(case_reference) == [
        ("agent:eval", "rdv", {"reference": booked["reference"], "etat": "reserve"})
    ]


def test_a_caregiver_books_for_the_senior_case(agenda: Agenda, client: TestClient) -> None:
    daughter = person(BOB)
    with session_scope() as session:
        helper = session.get(Contact, daughter)
        assert helper is not None
        link = link_caregiver(session, helper, "Jeanne Martin", "fille")
        senior = session.get(Contact, link.senior_id)
        assert senior is not None
        case, _ = open_case(session, helper, senior, "apa_domicile", helper.actor)
        case_reference = case.reference
    response = client.post(
        "/api/appointments",
        json=booking(agenda, daughter, at(WEDNESDAY, 9), case_reference=case_reference),
    )
    assert response.status_code == 201, response.text
    assert response.json()["case_reference"] == case_reference


def test_a_double_submission_gives_one_appointment(agenda: Agenda, client: TestClient) -> None:
    body = booking(agenda, person(), at(WEDNESDAY, 9))
    first = client.post("/api/appointments", json=body)
    again = client.post("/api/appointments", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert len(reserved()) == 1
    assert len(jobs_of(first.json()["reference"])) == 2


def test_simultaneous_submissions_give_one_appointment(agenda: Agenda) -> None:
    body = booking(agenda, person(), at(WEDNESDAY, 9))
    barrier = threading.Barrier(4)
    answers: list[tuple[int, str]] = []

    def submit() -> None:
        client = app_client()
        barrier.wait(timeout=30)
        response = client.post("/api/appointments", json=body)
        answers.append((response.status_code, response.json()["reference"]))

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(code for code, _ in answers) == [200, 200, 200, 201]
    assert len({reference for _, reference in answers}) == 1
    assert len(reserved()) == 1


def test_a_taken_slot_is_409_with_three_alternatives(agenda: Agenda, client: TestClient) -> None:
    with session_scope() as session:
        bob = contact_for_conversation(session, BOB, "sms")
        book(session, bob, key(agenda.anne, at(WEDNESDAY, 9)), journey="apa_domicile", now=NOW)
    response = client.post("/api/appointments", json=booking(agenda, person(), at(WEDNESDAY, 9)))
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["erreur"] == "Ce créneau est déjà pris. Voici d'autres créneaux libres."
    assert [s["key"] for s in body["alternatives"]] == [
        key(agenda.anne, at(TUESDAY, 9)),
        key(agenda.anne, at(TUESDAY, 9, 45)),
        key(agenda.anne, at(TUESDAY, 10, 30)),
    ]
    first = body["alternatives"][0]
    assert first["label"] == "mardi 1er décembre à 9 h, France Services Clisson (test)"
    assert first["mediator"] == {"id": agenda.anne, "name": "Anne Test"}
    assert len(reserved()) == 1  # Bob's only


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (at(MONDAY, 9), "lundi 30 novembre à 9 h est déjà passé"),
        (at(MONDAY, 11, 15), "pas de rendez-vous le jour même : au plus tôt mardi 1er décembre"),
        (at(CHRISTMAS, 9), "vendredi 25 décembre est un jour férié (Noël)"),
        (
            at(WEDNESDAY, 13),
            "mercredi 2 décembre à 13 h n'est pas un début de créneau sur place dans le "
            "calendrier du médiateur (voir GET /api/slots)",
        ),
        (
            at(WEDNESDAY, 9, 10),
            "mercredi 2 décembre à 9 h 10 n'est pas un début de créneau sur place",
        ),
    ],
)
def test_a_slot_outside_the_calendar_is_422_saying_why(
    agenda: Agenda, client: TestClient, start: datetime, message: str
) -> None:
    response = client.post("/api/appointments", json=booking(agenda, person(), start))
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["erreur"].startswith(f"Requête invalide : slot : {message}")
    assert body["champs"][0]["champ"] == "slot"
    assert len(body["alternatives"]) == 3
    assert reserved() == []


def test_an_absence_is_named(agenda: Agenda, client: TestClient) -> None:
    with session_scope() as session:
        session.add(
            MediatorAbsence(
                mediator_id=agenda.anne, starts_at=at(WEDNESDAY, 0), ends_at=at(WEDNESDAY, 12)
            )
        )
    response = client.post("/api/appointments", json=booking(agenda, person(), at(WEDNESDAY, 9)))
    assert response.status_code == 422
    assert response.json()["champs"][0]["message"] == (
        "le médiateur n'est pas disponible mercredi 2 décembre à 9 h (absence prévue)"
    )


def test_unknown_or_erased_people_and_unknown_things(agenda: Agenda, client: TestClient) -> None:
    alice = person()
    wednesday = at(WEDNESDAY, 9)

    def post(**changes: Any) -> tuple[int, str]:
        response = client.post(
            "/api/appointments", json={**booking(agenda, alice, wednesday), **changes}
        )
        return response.status_code, response.json()["erreur"]

    assert post(contact_id=99999) == (404, "Personne introuvable : vérifiez contact_id.")
    assert post(slot={"mediator_id": 99999, "starts_at": "2026-12-02T09:00"}) == (
        404,
        "Médiateur introuvable.",
    )
    assert post(case_reference="SP-2026-999999")[0] == 404
    assert post(journey="astronautique") == (
        422,
        "Requête invalide : journey : démarche « astronautique » inconnue.",
    )
    assert post(journey="ehpad") == (
        422,
        "Requête invalide : journey : ce médiateur n'accompagne pas la démarche « ehpad ».",
    )
    assert post(mode="domicile")[1].startswith(
        "Requête invalide : mode : rendez-vous à domicile non proposé par ce médiateur"
    )
    someone_else = open_apa_case(person(BOB))
    code, message = post(case_reference=someone_else)
    assert (code, message) == (
        422,
        "Requête invalide : case_reference : ce dossier ne concerne ni cette personne ni un "
        "proche dont elle est l'aidante.",
    )
    mine = open_apa_case(alice)
    with session_scope() as session:
        case = session.scalar(select(Case).where(Case.reference == mine))
        assert case is not None
        set_status(session, case, "clos", "system")
    assert post(case_reference=mine)[0] == 409
    with session_scope() as session:
        erased = session.get(Contact, alice)
        assert erased is not None
        erased.erased_at = NOW
    code, message = post()
    assert code == 409 and message.startswith("Les données de cette personne ont été effacées")
    assert reserved() == []


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"slot": {"mediator_id": 1, "starts_at": "demain 9h"}},
            "slot.starts_at",
            "date et heure invalides",
        ),
        (
            {"slot": {"mediator_id": 1, "starts_at": "2026-02-31T09:00"}},
            "slot.starts_at",
            "date et heure invalides",
        ),
        (
            {"slot": {"mediator_id": 1, "starts_at": "2026-12-02T09:00:30"}},
            "slot.starts_at",
            "heure à la minute attendue",
        ),
        ({"slot": {"key": "6.2026-12-02.sur_place"}}, "slot.key", "créneau non reconnu"),
        ({"slot": {"key": "6.202612020800.visio"}}, "slot.key", "mode « visio » inconnu"),
        ({"slot": {"mediator_id": 1}}, "slot", "indiquez mediator_id et starts_at ensemble"),
        ({"slot": {}}, "slot", "indiquez soit key, soit mediator_id et starts_at"),
        ({"contact_id": "Alice"}, "contact_id", "nombre entier attendu"),
        ({"mode": "visio"}, "mode", "valeur non reconnue"),
        ({"journey": None}, "journey", "texte attendu"),
        ({"note": "x"}, "note", "champ inconnu"),
    ],
)
def test_invalid_bookings_are_422_in_french(
    agenda: Agenda, client: TestClient, payload: dict[str, Any], field: str, message: str
) -> None:
    body = {**booking(agenda, 1, at(WEDNESDAY, 9)), **payload}
    response = client.post("/api/appointments", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()["champs"][0]
    assert problem["champ"] == field
    assert problem["message"].startswith(message)


def test_malformed_json_is_422_in_french(agenda: Agenda, client: TestClient) -> None:
    for path in ("/api/appointments", "/api/appointments/RDV-TST001/move"):
        response = client.post(
            path, content=b'{"contact_id": 1,', headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422
        assert response.json()["champs"][0]["message"] == "JSON invalide"


# --- cancel ---------------------------------------------------------------------------


def _booked(client: TestClient, agenda: Agenda, start: datetime, **extra: Any) -> str:
    response = client.post("/api/appointments", json=booking(agenda, person(), start, **extra))
    assert response.status_code == 201, response.text
    return str(response.json()["reference"])


def test_cancel_then_cancel_again(agenda: Agenda, client: TestClient) -> None:
    case_reference = open_apa_case(person())
    reference = _booked(client, agenda, at(WEDNESDAY, 9), case_reference=case_reference)
    response = client.post(
        f"/api/appointments/{reference}/cancel", json={"reason": "La personne est hospitalisée."}
    )
    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert (cancelled["reference"], cancelled["status"]) == (reference, "annule")
    assert cancelled["cancelled_at"] == "2026-11-30T10:00:00+01:00"
    assert reserved() == []
    jobs = jobs_of(reference)
    assert {name: job[:2] for name, job in jobs.items()} == {
        "confirmation": ("confirmation", "annule"),
        "rappel": ("rappel_veille", "annule"),
        "annulation": ("confirmation", "en_attente"),
    }
    assert jobs["annulation"][2]["event"] == "annule"
    again = client.post(f"/api/appointments/{reference}/cancel")  # no body
    assert (again.status_code, again.json()) == (200, cancelled)
    assert history(case_reference)[1:] == [
        (
            "agent:eval",
            "rdv",
            {"reference": reference, "etat": "annule", "motif": "La personne est hospitalisée."},
        )
    ]  # one event: the second cancel changed nothing
    # The slot is free again.
    assert (
        client.post(
            "/api/appointments", json=booking(agenda, person(BOB), at(WEDNESDAY, 9))
        ).status_code
        == 201
    )


def test_cancel_refusals(agenda: Agenda, client: TestClient) -> None:
    reference = _booked(client, agenda, at(WEDNESDAY, 9))
    unknown = client.post("/api/appointments/RDV-ZZZZZZ/cancel")
    assert unknown.status_code == 404
    assert unknown.json() == {
        "erreur": "Rendez-vous introuvable : vérifiez la référence (par exemple RDV-7KQ4MX)."
    }
    assert client.post("/api/appointments/n-importe-quoi/cancel").status_code == 404
    too_long = client.post(f"/api/appointments/{reference}/cancel", json={"reason": "x" * 5000})
    assert too_long.status_code == 422
    assert too_long.json()["champs"] == [
        {"champ": "reason", "message": "texte trop long (au plus 500 caractères)"}
    ]
    assert [r for r, _, _ in reserved()] == [reference]  # still booked
    # An appointment that already took place cannot be cancelled.
    with session_scope() as session:
        past = session.scalar(select(Appointment).where(Appointment.reference == reference))
        assert past is not None
        past.starts_at, past.ends_at = at(MONDAY, 9), at(MONDAY, 9, 45)
    gone = client.post(f"/api/appointments/{reference}/cancel")
    assert gone.status_code == 409
    assert gone.json()["erreur"] == "Ce rendez-vous a déjà eu lieu : il ne peut plus être annulé."


# --- move -----------------------------------------------------------------------------


def test_move_to_a_free_slot(agenda: Agenda, client: TestClient) -> None:
    case_reference = open_apa_case(person())
    old = _booked(client, agenda, at(WEDNESDAY, 9), case_reference=case_reference)
    response = client.post(
        f"/api/appointments/{old}/move",
        json={"slot": {"mediator_id": agenda.anne, "starts_at": "2026-12-02T10:30"}},
    )
    assert response.status_code == 200, response.text
    moved = response.json()
    assert moved["replaces"] == old and moved["reference"] != old
    assert (moved["starts_at"], moved["mode"], moved["status"]) == (
        "2026-12-02T10:30:00+01:00",
        "sur_place",
        "reserve",
    )
    assert moved["booked_by"] == "agent:eval"
    assert moved["case_reference"] == case_reference
    assert client.get(f"/api/appointments/{old}").json()["status"] == "annule"
    assert [r for r, _, _ in reserved()] == [moved["reference"]]
    confirmation = jobs_of(moved["reference"])["confirmation"][2]
    assert (confirmation["event"], confirmation["replaces"]) == ("deplace", old)
    assert [detail for _, _, detail in history(case_reference)] == [
        {"reference": old, "etat": "reserve"},
        {"reference": old, "etat": "annule"},
        {"reference": moved["reference"], "etat": "reserve"},
    ]
    # The same move sent again gives the same new appointment.
    again = client.post(
        f"/api/appointments/{old}/move",
        json={"slot": {"key": key(agenda.anne, at(WEDNESDAY, 10, 30))}},
    )
    assert again.status_code == 200
    assert (again.json()["reference"], again.json()["replaces"]) == (moved["reference"], old)


def test_move_keeps_the_mode_unless_told(agenda: Agenda, client: TestClient) -> None:
    old = _booked(client, agenda, at(WEDNESDAY, 14), mode="telephone")
    moved = client.post(
        f"/api/appointments/{old}/move",
        json={"slot": {"mediator_id": agenda.anne, "starts_at": "2026-12-03T15:00"}},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["mode"] == "telephone"
    reference = moved.json()["reference"]
    same = client.post(
        f"/api/appointments/{reference}/move",
        json={"slot": {"key": key(agenda.anne, at(date(2026, 12, 3), 15), "telephone")}},
    )
    assert (same.status_code, same.json()["reference"]) == (200, reference)
    assert same.json()["replaces"] is None


def test_move_to_a_taken_slot_is_409_and_keeps_the_old_one(
    agenda: Agenda, client: TestClient
) -> None:
    old = _booked(client, agenda, at(WEDNESDAY, 9))
    with session_scope() as session:
        bob = contact_for_conversation(session, BOB, "sms")
        book(session, bob, key(agenda.anne, at(WEDNESDAY, 9, 45)), now=NOW)
    response = client.post(
        f"/api/appointments/{old}/move",
        json={"slot": {"key": key(agenda.anne, at(WEDNESDAY, 9, 45))}},
    )
    assert response.status_code == 409, response.text
    assert response.json()["erreur"].startswith("Ce créneau est déjà pris.")
    assert len(response.json()["alternatives"]) == 3
    assert old in [r for r, _, _ in reserved()]
    assert set(jobs_of(old)) == {"confirmation", "rappel"}
    assert jobs_of(old)["confirmation"][1] == "en_attente"
    assert (
        client.post(
            "/api/appointments/RDV-ZZZZZZ/move",
            json={"slot": {"key": key(agenda.anne, at(WEDNESDAY, 11, 15))}},
        ).status_code
        == 404
    )
    past = client.post(
        f"/api/appointments/{old}/move",
        json={"slot": {"mediator_id": agenda.anne, "starts_at": "2026-11-30T09:00"}},
    )
    assert past.status_code == 422
    assert past.json()["champs"][0]["message"] == "lundi 30 novembre à 9 h est déjà passé"


# --- authentication and roles ---------------------------------------------------------


def test_writes_need_a_token_and_a_writing_role(agenda: Agenda) -> None:
    reference = _booked(app_client(), agenda, at(WEDNESDAY, 9))
    body = booking(agenda, person(), at(WEDNESDAY, 9, 45))
    move = {"slot": {"key": key(agenda.anne, at(WEDNESDAY, 10, 30))}}
    requests = [
        ("/api/appointments", body),
        (f"/api/appointments/{reference}/cancel", {}),
        (f"/api/appointments/{reference}/move", move),
    ]
    anonymous, reader = app_client(token=None), as_role("agent")
    for path, payload in requests:
        refused = anonymous.post(path, json=payload)
        assert (refused.status_code, refused.json()) == (401, UNAUTHORIZED), path
        forbidden = reader.post(path, json=payload)
        assert forbidden.status_code == 403, path
        assert "réservée aux superviseurs" in forbidden.json()["erreur"]
    # Reading goes through the access rule, which reads the agent's account: an agent
    # sees only their people (tests/unit/seniorplus/web/test_access_routes.py);
    # no account here, 401.
    assert reader.get(f"/api/appointments/{reference}").status_code == 401
    assert [r for r, _, _ in reserved()] == [reference]  # nothing changed
    supervisor = as_role("supervisor")
    cancelled = supervisor.post(f"/api/appointments/{reference}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "annule"
