"""JSON API, agenda: sites, mediators (create, update, French validation), weekly calendar
and absences (validation, appointments left outside), appointments of a Paris day, free
slots from the booking service. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from seniorplus.booking.models import Mediator, MediatorSkill
from seniorplus.booking.service import book
from seniorplus.booking.slots import earliest_start, holiday_name, parse_slot_key
from seniorplus.cases import contact_for_conversation
from seniorplus.db import session_scope
from seniorplus.models import utcnow
from tests.unit.api_helpers import (
    Agenda,
    add_appointment,
    app_client,
    build_agenda,
    configure_tokens,
)

pytestmark = pytest.mark.usefixtures("database_url")

PARIS = ZoneInfo("Europe/Paris")
PERSON = "+33612345678"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


@pytest.fixture(autouse=True)
def tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    configure_tokens(monkeypatch)


@pytest.fixture
def agenda() -> Agenda:
    with session_scope() as session:
        return build_agenda(session)


def _person_id() -> int:
    with session_scope() as session:
        return contact_for_conversation(session, PERSON, "sms").id


def _mediator_count() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(Mediator)) or 0


# --- sites and mediators --------------------------------------------------------------


def test_sites_and_mediators_are_listed(agenda: Agenda) -> None:
    client = app_client()
    sites = client.get("/api/sites").json()
    assert [(s["id"], s["commune"], s["kind"]) for s in sites] == [
        (agenda.clisson, "Clisson", "France Services"),
        (agenda.nantes, "Nantes", "CLIC"),
    ]
    mediators = client.get("/api/mediators").json()
    assert mediators == [
        {
            "id": agenda.anne,
            "name": "Anne Test",
            "site": {
                "id": agenda.clisson,
                "name": "France Services Clisson (test)",
                "commune": "Clisson",
            },
            "phone": None,
            "modes": ["sur_place", "telephone"],
            "journeys": ["apa_domicile"],
            "active": True,
        },
        {
            "id": agenda.bruno,
            "name": "Bruno Test",
            "site": {"id": agenda.nantes, "name": "CLIC Nantes (test)", "commune": "Nantes"},
            "phone": "+33240000002",
            "modes": ["sur_place"],
            "journeys": ["apa_domicile", "ehpad"],
            "active": True,
        },
    ]


def test_create_a_mediator(agenda: Agenda) -> None:
    client = app_client()
    response = client.post(
        "/api/mediators",
        json={
            "name": "  Chloé Test ",
            "site_id": agenda.nantes,
            "phone": "02 40 00 00 03",
            "modes": ["sur_place", "domicile"],
            "journeys": ["protection_juridique", "ehpad"],
        },
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["Location"] == f"/api/mediators/{created['id']}"
    assert created["name"] == "Chloé Test"
    assert created["phone"] == "+33240000003"
    assert created["modes"] == ["sur_place", "domicile"]
    assert created["journeys"] == ["ehpad", "protection_juridique"]
    assert created["active"] is True
    assert client.get(f"/api/mediators/{created['id']}").json() == created
    ehpad = client.get("/api/mediators", params={"journey": "ehpad"}).json()
    assert [m["name"] for m in ehpad] == ["Bruno Test", "Chloé Test"]
    at_nantes = client.get("/api/mediators", params={"site_id": agenda.nantes}).json()
    assert {m["id"] for m in at_nantes} == {agenda.bruno, created["id"]}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"site_id": 999}, "site_id", "site 999 inconnu"),
        ({"journeys": ["ehpad", "astronautique"]}, "journeys[1]", "démarche « astronautique »"),
        ({"modes": ["visio"]}, "modes[0]", "valeur non reconnue ; valeurs possibles : "),
        ({"modes": []}, "modes", "il faut au moins 1 élément(s)"),
        ({"modes": ["sur_place", "sur_place"]}, "modes", "mode en double"),
        ({"phone": "123"}, "phone", "numéro de téléphone non reconnu"),
        ({"phone": "+33 7 00 00 00 00"}, "phone", "numéro de téléphone non reconnu"),
        ({"name": "   "}, "name", "texte trop court"),
        ({"name": "x" * 121}, "name", "texte trop long (au plus 120 caractères)"),
        ({"site_id": "Nantes"}, "site_id", "nombre entier attendu"),
        ({"bureau": "12"}, "bureau", "champ inconnu"),
    ],
)
def test_create_refuses_in_french(
    agenda: Agenda, change: dict[str, Any], field: str, message: str
) -> None:
    body = {"name": "Denis Test", "site_id": agenda.clisson, **change}
    before = _mediator_count()
    response = app_client().post("/api/mediators", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()["champs"][0]
    assert problem["champ"] == field
    assert message in problem["message"]
    assert _mediator_count() == before


def test_update_a_mediator(agenda: Agenda) -> None:
    client = app_client()
    with session_scope() as session:
        kept = session.scalar(
            select(MediatorSkill.id).where(
                MediatorSkill.mediator_id == agenda.bruno, MediatorSkill.journey == "ehpad"
            )
        )
    response = client.patch(
        f"/api/mediators/{agenda.bruno}",
        json={"name": "Bruno Test-Martin", "phone": None, "journeys": ["ehpad", "droits_aidant"]},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["name"] == "Bruno Test-Martin"
    assert updated["phone"] is None
    assert updated["journeys"] == ["droits_aidant", "ehpad"]
    assert updated["modes"] == ["sur_place"]  # not given: unchanged
    with session_scope() as session:
        rows = session.execute(
            select(MediatorSkill.journey, MediatorSkill.id).where(
                MediatorSkill.mediator_id == agenda.bruno
            )
        )
        skills = {journey: skill_id for journey, skill_id in rows}
    assert skills.keys() == {"ehpad", "droits_aidant"}
    assert skills["ehpad"] == kept  # the skill kept is the same row
    moved = client.patch(f"/api/mediators/{agenda.bruno}", json={"site_id": agenda.clisson})
    assert moved.json()["site"]["commune"] == "Clisson"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "corps", "rien à modifier"),
        ({"name": None}, "corps", "name ne peut pas être vide"),
        ({"active": None}, "corps", "active ne peut pas être vide"),
        ({"site_id": 999}, "site_id", "site 999 inconnu"),
        ({"journeys": ["inconnue"]}, "journeys[0]", "démarche « inconnue » inconnue"),
    ],
)
def test_update_refuses_in_french(
    agenda: Agenda, body: dict[str, Any], field: str, message: str
) -> None:
    response = app_client().patch(f"/api/mediators/{agenda.anne}", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()["champs"][0]
    assert problem["champ"] == field
    assert problem["message"].startswith(message)
    assert app_client().get(f"/api/mediators/{agenda.anne}").json()["name"] == "Anne Test"


def test_an_unknown_mediator_is_a_french_404(agenda: Agenda) -> None:
    client = app_client()
    for method, path, body in [
        ("GET", "/api/mediators/999", None),
        ("PATCH", "/api/mediators/999", {"name": "X"}),
        ("GET", "/api/mediators/999/availability", None),
        ("PUT", "/api/mediators/999/availability", {"weekly": []}),
        ("GET", "/api/appointments?day=2026-12-01&mediator_id=999", None),
    ]:
        response = client.request(method, path, json=body)
        assert response.status_code == 404, (method, path)
        assert response.json() == {"erreur": "Médiateur introuvable."}


# --- weekly calendar ------------------------------------------------------------------

WEEKLY = [
    {"weekday": 2, "start": "09:30", "end": "11:00"},
    {"weekday": 0, "start": "14:00", "end": "16:00", "slot_minutes": 30, "modes": ["telephone"]},
    {"weekday": 0, "start": "09:00", "end": "12:00", "slot_minutes": 60},
]


def test_calendar_is_read_in_paris_wall_clock_time(agenda: Agenda) -> None:
    calendar = app_client().get(f"/api/mediators/{agenda.anne}/availability").json()
    assert calendar["mediator_id"] == agenda.anne
    assert len(calendar["weekly"]) == 14
    assert calendar["weekly"][:2] == [
        {
            "weekday": 0,
            "weekday_label": "lundi",
            "start": "09:00",
            "end": "12:00",
            "slot_minutes": 45,
            "modes": ["sur_place"],
        },
        {
            "weekday": 0,
            "weekday_label": "lundi",
            "start": "14:00",
            "end": "16:00",
            "slot_minutes": 30,
            "modes": ["telephone"],
        },
    ]
    assert calendar["weekly"][-1]["weekday_label"] == "dimanche"
    assert calendar["absences"] == []
    assert calendar["appointments_to_review"] == []


def test_put_replaces_the_calendar_and_absences(agenda: Agenda) -> None:
    client = app_client()
    path = f"/api/mediators/{agenda.anne}/availability"
    absences = [
        {"starts_at": "2026-12-24T00:00", "ends_at": "2026-12-26T00:00", "reason": "congés"}
    ]
    response = client.put(path, json={"weekly": WEEKLY, "absences": absences})
    assert response.status_code == 200, response.text
    calendar = response.json()
    assert [
        (w["weekday"], w["start"], w["end"], w["slot_minutes"], w["modes"])
        for w in calendar["weekly"]
    ] == [
        (0, "09:00", "12:00", 60, ["sur_place"]),
        (0, "14:00", "16:00", 30, ["telephone"]),
        (2, "09:30", "11:00", 45, ["sur_place"]),
    ]
    [absence] = calendar["absences"]
    assert absence["starts_at"] == "2026-12-24T00:00:00+01:00"  # read as Paris time
    assert absence["ends_at"] == "2026-12-26T00:00:00+01:00"
    assert absence["reason"] == "congés"
    assert client.get(path).json() == calendar
    kept = client.put(path, json={"weekly": WEEKLY[:1]}).json()  # absences not given: kept
    assert len(kept["weekly"]) == 1
    assert kept["absences"] == calendar["absences"]
    cleared = client.put(path, json={"weekly": [], "absences": []}).json()
    assert (cleared["weekly"], cleared["absences"]) == ([], [])


@pytest.mark.parametrize(
    ("weekly", "field", "message"),
    [
        (
            [{"weekday": 0, "start": "12:00", "end": "09:00"}],
            "weekly[0]",
            "lundi : l'heure de fin (09:00) doit être après l'heure de début (12:00)",
        ),
        (
            [{"weekday": 4, "start": "10:00", "end": "10:00"}],
            "weekly[0]",
            "vendredi : l'heure de fin (10:00) doit être après l'heure de début (10:00)",
        ),
        (
            [{"weekday": 7, "start": "09:00", "end": "12:00"}],
            "weekly[0].weekday",
            "doit être inférieur ou égal à 6",
        ),
        (
            [{"weekday": -1, "start": "09:00", "end": "12:00"}],
            "weekly[0].weekday",
            "doit être supérieur ou égal à 0",
        ),
        (
            [
                {"weekday": 1, "start": "09:00", "end": "12:00"},
                {"weekday": 3, "start": "11:00", "end": "13:00"},
                {"weekday": 1, "start": "11:30", "end": "13:00"},
            ],
            "corps",
            "les plages mardi 09:00–12:00 et 11:30–13:00 se chevauchent",
        ),
        (
            [{"weekday": 2, "start": "09:00", "end": "09:30", "slot_minutes": 45}],
            "weekly[0]",
            "mercredi 09:00–09:30 : la plage est plus courte qu'un créneau de 45 minutes",
        ),
        (
            [{"weekday": 0, "start": "09:00", "end": "12:00", "modes": ["domicile"]}],
            "weekly[0].modes",
            "lundi 09:00–12:00 : mode à domicile non proposé par ce médiateur "
            "(modes : sur place, par téléphone)",
        ),
        (
            [{"weekday": 0, "start": "25:00", "end": "12:00"}],
            "weekly[0].start",
            "heure invalide (format HH:MM, par exemple 09:30)",
        ),
        (
            [{"weekday": 0, "start": "09:00:30", "end": "12:00"}],
            "weekly[0].start",
            "heure à la minute attendue (HH:MM)",
        ),
        (
            [{"weekday": 0, "start": "09:00", "end": "12:00", "slot_minutes": 5}],
            "weekly[0].slot_minutes",
            "doit être supérieur ou égal à 10",
        ),
        (
            [{"weekday": 0, "start": "09:00"}],
            "weekly[0].end",
            "champ obligatoire",
        ),
    ],
)
def test_calendar_validation_in_french(
    agenda: Agenda, weekly: list[dict[str, Any]], field: str, message: str
) -> None:
    client = app_client()
    path = f"/api/mediators/{agenda.anne}/availability"
    before = client.get(path).json()
    response = client.put(path, json={"weekly": weekly})
    assert response.status_code == 422, response.text
    assert response.json()["champs"][0] == {"champ": field, "message": message}
    assert response.json()["erreur"] == f"Requête invalide : {field} : {message}."
    assert client.get(path).json() == before  # nothing changed


def test_absence_validation_in_french(agenda: Agenda) -> None:
    response = app_client().put(
        f"/api/mediators/{agenda.anne}/availability",
        json={
            "weekly": WEEKLY,
            "absences": [{"starts_at": "2026-12-26T00:00", "ends_at": "2026-12-24T00:00"}],
        },
    )
    assert response.status_code == 422
    assert response.json()["champs"] == [
        {"champ": "absences[0]", "message": "la fin de l'absence doit être après son début"}
    ]


def test_appointments_left_outside_the_new_calendar_are_listed(agenda: Agenda) -> None:
    person = _person_id()
    day = utcnow().astimezone(PARIS).date() + timedelta(days=8)
    with session_scope() as session:
        reference = add_appointment(session, agenda.anne, person, at(day, 10, 30))
        add_appointment(session, agenda.anne, person, at(day, 9, 0), status="annule")
        add_appointment(session, agenda.anne, person, at(day - timedelta(days=10), 10, 30))  # past
    client = app_client()
    path = f"/api/mediators/{agenda.anne}/availability"
    same_day = {"weekday": day.weekday(), "start": "09:00", "end": "12:00"}
    other_day = {"weekday": (day.weekday() + 1) % 7, "start": "09:00", "end": "12:00"}
    assert client.put(path, json={"weekly": [same_day]}).json()["appointments_to_review"] == []
    moved = client.put(path, json={"weekly": [other_day]}).json()
    assert moved["appointments_to_review"] == [reference]
    assert client.get(path).json()["appointments_to_review"] == [reference]
    away = {"starts_at": f"{day}T00:00", "ends_at": f"{day + timedelta(days=1)}T00:00"}
    absent = client.put(path, json={"weekly": [same_day], "absences": [away]}).json()
    assert absent["appointments_to_review"] == [reference]
    phone_only = {**same_day, "modes": ["telephone"]}
    wrong_mode = client.put(path, json={"weekly": [phone_only], "absences": []}).json()
    assert wrong_mode["appointments_to_review"] == [reference]


# --- appointments of a day ------------------------------------------------------------


def test_appointments_by_mediator_and_paris_day(agenda: Agenda) -> None:
    person = _person_id()
    tuesday, monday = date(2026, 12, 1), date(2026, 11, 30)
    with session_scope() as session:
        nine = add_appointment(session, agenda.anne, person, at(tuesday, 9, 0))
        after_midnight = add_appointment(session, agenda.anne, person, at(tuesday, 0, 30))
        before_midnight = add_appointment(session, agenda.anne, person, at(monday, 23, 30))
        bruno = add_appointment(session, agenda.bruno, person, at(tuesday, 10, 0))
        cancelled = add_appointment(
            session, agenda.anne, person, at(tuesday, 11, 0), status="annule", mode="telephone"
        )
    client = app_client()

    def references(**params: Any) -> list[str]:
        response = client.get("/api/appointments", params=params)
        assert response.status_code == 200, response.text
        return [item["reference"] for item in response.json()["items"]]

    # 00:30 in Paris on 1 December is 23:30 UTC on 30 November: it belongs to the 1st.
    assert references(day="2026-12-01", mediator_id=agenda.anne) == [
        after_midnight,
        nine,
        cancelled,
    ]
    assert references(day="2026-11-30", mediator_id=agenda.anne) == [before_midnight]
    assert references(day="2026-12-01", mediator_id=agenda.anne, status="reserve") == [
        after_midnight,
        nine,
    ]
    assert references(day="2026-12-01") == [after_midnight, nine, bruno, cancelled]
    assert references(day="2026-12-02") == []
    body = client.get(
        "/api/appointments", params={"day": "2026-12-01", "mediator_id": agenda.anne}
    ).json()
    assert (body["day"], body["mediator_id"]) == ("2026-12-01", agenda.anne)
    first, _, last = body["items"]
    assert first["starts_at"] == "2026-12-01T00:30:00+01:00"
    assert first["ends_at"] == "2026-12-01T01:15:00+01:00"
    assert first["person"]["phone"] == PERSON
    assert first["booked_by"] == f"contact:{person}"
    assert first["case_reference"] is None
    assert (last["status"], last["status_label"]) == ("annule", "annulé")
    assert (last["mode"], last["mode_label"]) == ("telephone", "par téléphone")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("day=2026-02-31", "day", "date invalide (format AAAA-MM-JJ, par exemple 2026-12-03)"),
        ("day=31/12/2026", "day", "date invalide (format AAAA-MM-JJ, par exemple 2026-12-03)"),
        ("", "day", "champ obligatoire"),
        ("day=2026-12-01&mediator_id=abc", "mediator_id", "nombre entier attendu"),
        ("day=2026-12-01&status=fini", "status", "valeur non reconnue"),
    ],
)
def test_appointments_query_validation_in_french(
    agenda: Agenda, query: str, field: str, message: str
) -> None:
    response = app_client().get(f"/api/appointments?{query}")
    assert response.status_code == 422
    problem = response.json()["champs"][0]
    assert problem["champ"] == field
    assert problem["message"].startswith(message)


# --- free slots -----------------------------------------------------------------------


def _first_open_day(after: date) -> date:
    day = after
    while holiday_name(day):
        day += timedelta(days=1)
    return day


def test_slots_at_the_nearest_site(agenda: Agenda) -> None:
    now = utcnow()
    response = app_client().get(
        "/api/slots", params={"journey": "apa_domicile", "commune": "Clisson"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["journey"], body["reason"], body["matched"]) == ("apa_domicile", "ok", True)
    assert body["message"] == "Voici les prochains rendez-vous libres :"
    assert body["place"] == {"name": "Clisson", "postcode": "44190"}
    slots = body["slots"]
    assert len(slots) == 3
    day = _first_open_day(earliest_start(now).date())
    starts = [datetime.fromisoformat(s["starts_at"]) for s in slots]
    assert starts == [at(day, 9, 0), at(day, 9, 45), at(day, 10, 30)]
    for slot in slots:
        assert slot["mediator"] == {"id": agenda.anne, "name": "Anne Test"}
        assert slot["site"]["id"] == agenda.clisson
        assert slot["site_address"] == "1 rue de test"
        assert (slot["mode"], slot["mode_label"]) == ("sur_place", "sur place")
        assert slot["label"].endswith("France Services Clisson (test)")
        start = datetime.fromisoformat(slot["starts_at"])
        assert parse_slot_key(slot["key"]) == (agenda.anne, start, "sur_place")
        assert datetime.fromisoformat(slot["ends_at"]) - start == timedelta(minutes=45)


def test_slots_after_a_moment_by_phone_and_elsewhere(agenda: Agenda) -> None:
    client = app_client()
    day = _first_open_day(utcnow().astimezone(PARIS).date() + timedelta(days=10))
    later = client.get(
        "/api/slots",
        params={"journey": "apa_domicile", "commune": "44190", "after": f"{day}T10:00", "n": 2},
    ).json()
    assert [s["starts_at"] for s in later["slots"]] == [
        at(day, 10, 30).isoformat(),
        at(day, 11, 15).isoformat(),
    ]
    by_phone = client.get("/api/slots", params={"journey": "apa_domicile", "mode": "telephone"})
    assert by_phone.json()["reason"] == "ok"
    assert {s["mode"] for s in by_phone.json()["slots"]} == {"telephone"}
    assert all(s["label"].endswith("par téléphone") for s in by_phone.json()["slots"])
    unknown = client.get("/api/slots", params={"journey": "apa_domicile", "commune": "Brest"})
    assert unknown.json()["reason"] == "unknown_place"
    assert unknown.json()["place"] is None
    assert unknown.json()["message"].startswith("Je ne connais pas cette commune.")
    assert {s["mode"] for s in unknown.json()["slots"]} == {"telephone"}
    ehpad = client.get("/api/slots", params={"journey": "ehpad", "commune": "Nantes", "n": 10})
    slots = ehpad.json()["slots"]
    assert len(slots) == 10
    assert {s["mediator"]["id"] for s in slots} == {agenda.bruno}
    assert all(datetime.fromisoformat(s["starts_at"]).weekday() < 5 for s in slots)
    nothing = client.get("/api/slots", params={"journey": "caisse_retraite", "commune": "Nantes"})
    assert (nothing.json()["reason"], nothing.json()["slots"]) == ("none_free", [])


def test_a_booked_slot_leaves_the_slots_and_appears_in_the_day(agenda: Agenda) -> None:
    client = app_client()
    params = {"journey": "apa_domicile", "commune": "Clisson"}
    first = client.get("/api/slots", params=params).json()["slots"][0]
    with session_scope() as session:
        person = contact_for_conversation(session, PERSON, "sms")
        appointment = book(session, person, first["key"], journey="apa_domicile")
        reference = appointment.reference
    again = client.get("/api/slots", params=params).json()["slots"]
    assert first["key"] not in [s["key"] for s in again]
    day = first["starts_at"][:10]
    listed = client.get("/api/appointments", params={"day": day, "mediator_id": agenda.anne})
    [item] = listed.json()["items"]
    assert (item["reference"], item["starts_at"], item["status"]) == (
        reference,
        first["starts_at"],
        "reserve",
    )


def test_a_deactivated_mediator_gives_no_more_slots(agenda: Agenda) -> None:
    client = app_client()
    assert client.patch(f"/api/mediators/{agenda.anne}", json={"active": False}).status_code == 200
    inactive = client.get("/api/mediators", params={"active": False}).json()
    assert [m["id"] for m in inactive] == [agenda.anne]
    slots = client.get("/api/slots", params={"journey": "apa_domicile", "commune": "Clisson"})
    assert {s["mediator"]["id"] for s in slots.json()["slots"]} == {agenda.bruno}  # Nantes, 24 km


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("journey=astronautique", "journey", "démarche « astronautique » inconnue"),
        ("commune=Clisson", "journey", "champ obligatoire"),
        ("journey=ehpad&n=0", "n", "doit être supérieur ou égal à 1"),
        ("journey=ehpad&n=11", "n", "doit être inférieur ou égal à 10"),
        ("journey=ehpad&mode=visio", "mode", "valeur non reconnue"),
        ("journey=ehpad&after=demain", "after", "date et heure invalides"),
    ],
)
def test_slots_query_validation_in_french(
    agenda: Agenda, query: str, field: str, message: str
) -> None:
    response = app_client().get(f"/api/slots?{query}")
    assert response.status_code == 422
    problem = response.json()["champs"][0]
    assert problem["champ"] == field
    assert problem["message"].startswith(message)
