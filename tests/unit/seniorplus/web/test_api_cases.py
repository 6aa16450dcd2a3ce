"""JSON API, cases: list and filter (phone, status, journey, pages), one case by a reference
typed any way, 404, changes audited as "agent:<token name>", atomic and refused in French.
On SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select

from seniorplus.cases import contact_for_conversation, link_caregiver, open_case, set_status
from seniorplus.cases.models import Case, CaseDocument, CaseEvent
from seniorplus.db import session_scope
from seniorplus.journeys import load_all
from seniorplus.models import utcnow
from tests.unit.api_helpers import add_appointment, app_client, build_agenda, configure_tokens

pytestmark = pytest.mark.usefixtures("database_url")

SENIOR = "+33612345678"
CAREGIVER = "+33698765432"
OTHER = "+33611223344"
JOURNEYS = load_all()


@dataclass(frozen=True)
class Data:
    marcel: str  # apa_domicile for Marcel, by himself, now "en_cours"
    jeanne_apa: str  # apa_domicile for Jeanne, opened by her daughter (CAREGIVER)
    jeanne_ehpad: str  # ehpad for Jeanne, opened by her daughter
    other: str  # carte_mobilite for someone else
    marcel_appointment: str


@pytest.fixture(autouse=True)
def tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    configure_tokens(monkeypatch)


@pytest.fixture
def data() -> Data:
    with session_scope() as session:
        agenda = build_agenda(session)
        marcel = contact_for_conversation(session, SENIOR, "sms")
        marcel.display_name = "Marcel Dupont"
        daughter = contact_for_conversation(session, CAREGIVER, "telegram")
        jeanne = link_caregiver(session, daughter, "Jeanne Martin", "mère").senior_id
        other = contact_for_conversation(session, OTHER, "voice")
        mine, _ = open_case(session, marcel, marcel, "apa_domicile", marcel.actor)
        set_status(session, mine, "en_cours", "system")
        jeanne_contact = session.get(type(marcel), jeanne)
        assert jeanne_contact is not None
        apa, _ = open_case(session, daughter, jeanne_contact, "apa_domicile", daughter.actor)
        ehpad, _ = open_case(session, daughter, jeanne_contact, "ehpad", daughter.actor)
        theirs, _ = open_case(session, other, other, "carte_mobilite", other.actor)
        appointment = add_appointment(
            session, agenda.anne, marcel.id, utcnow() + timedelta(days=3), case_id=mine.id
        )
        return Data(mine.reference, apa.reference, ehpad.reference, theirs.reference, appointment)


def _events(reference: str, action: str) -> list[CaseEvent]:
    with session_scope() as session:
        return list(
            session.scalars(
                select(CaseEvent)
                .join(Case, Case.id == CaseEvent.case_id)
                .where(Case.reference == reference, CaseEvent.action == action)
                .order_by(CaseEvent.id)
            )
        )


# --- list and filters -----------------------------------------------------------------


def test_lists_every_case_newest_first_with_what_an_agent_needs(data: Data) -> None:
    response = app_client().get("/api/cases")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["total"], body["limit"], body["offset"]) == (4, 50, 0)
    references = [item["reference"] for item in body["items"]]
    assert references == [data.other, data.jeanne_ehpad, data.jeanne_apa, data.marcel]
    marcel = body["items"][-1]
    assert marcel["journey"] == "apa_domicile"
    assert marcel["journey_title"] == JOURNEYS["apa_domicile"].title
    assert (marcel["status"], marcel["status_label"]) == ("en_cours", "en cours de traitement")
    assert marcel["person"] == {
        "contact_id": marcel["person"]["contact_id"],
        "display_name": "Marcel Dupont",
        "phone_masked": "+336******78",
    }
    assert marcel["missing_documents"] == len(JOURNEYS["apa_domicile"].documents)
    assert marcel["closed_at"] is None
    opened = datetime.fromisoformat(marcel["opened_at"])
    assert opened.utcoffset() in (timedelta(hours=1), timedelta(hours=2))  # Paris time
    assert SENIOR not in response.text  # the list never shows a phone in clear


@pytest.mark.parametrize(
    "phone",
    ["06 98 76 54 32", "0698765432", "06.98.76.54.32", "+33698765432", "+33 6 98 76 54 32"],
)
def test_phone_filter_finds_the_cases_a_caregiver_handles(data: Data, phone: str) -> None:
    response = app_client().get("/api/cases", params={"phone": phone})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [item["reference"] for item in items] == [data.jeanne_ehpad, data.jeanne_apa]
    assert {item["person"]["display_name"] for item in items} == {"Jeanne Martin"}
    assert {item["person"]["phone_masked"] for item in items} == {None}  # Jeanne never wrote


def test_phone_filter_with_an_unencoded_plus_and_for_the_person_themselves(data: Data) -> None:
    client = app_client()
    raw_plus = client.get(f"/api/cases?phone={SENIOR}")  # "+" arrives as a space
    encoded = client.get(f"/api/cases?phone={quote(SENIOR)}")
    for response in (raw_plus, encoded):
        assert [i["reference"] for i in response.json()["items"]] == [data.marcel]
    nobody = client.get("/api/cases", params={"phone": "+33745000000"})
    assert nobody.json() == {"total": 0, "limit": 50, "offset": 0, "items": []}


@pytest.mark.parametrize("phone", ["12", "06 12", "bonjour", "+33 7 00 00 00 00"])
def test_an_unreadable_phone_is_a_french_422(data: Data, phone: str) -> None:
    response = app_client().get("/api/cases", params={"phone": phone})
    assert response.status_code == 422
    body = response.json()
    assert body["erreur"] == "Requête invalide : phone : numéro de téléphone non reconnu."
    assert body["champs"] == [{"champ": "phone", "message": "numéro de téléphone non reconnu"}]


def test_status_and_journey_filters(data: Data) -> None:
    client = app_client()

    def references(**params: str) -> list[str]:
        response = client.get("/api/cases", params=params)
        assert response.status_code == 200, response.text
        return [item["reference"] for item in response.json()["items"]]

    assert references(status="en_cours") == [data.marcel]
    assert references(status="clos") == []
    assert references(journey="apa_domicile") == [data.jeanne_apa, data.marcel]
    assert references(journey="apa_domicile", status="ouvert") == [data.jeanne_apa]
    assert references(journey="ehpad", phone="0698765432") == [data.jeanne_ehpad]
    assert references(journey="inconnue") == []


def test_an_unknown_status_is_a_french_422_listing_the_statuses(data: Data) -> None:
    response = app_client().get("/api/cases", params={"status": "fermé"})
    assert response.status_code == 422
    body = response.json()
    assert body["erreur"].startswith("Requête invalide : status : valeur non reconnue")
    assert "'ouvert', 'en_cours', 'en_attente', 'complet' ou 'clos'" in body["erreur"]
    assert [problem["champ"] for problem in body["champs"]] == ["status"]


def test_pages(data: Data) -> None:
    client = app_client()
    first = client.get("/api/cases", params={"limit": 3}).json()
    second = client.get("/api/cases", params={"limit": 3, "offset": 3}).json()
    assert first["total"] == second["total"] == 4
    assert [len(first["items"]), len(second["items"])] == [3, 1]
    seen = [i["reference"] for i in first["items"] + second["items"]]
    assert sorted(seen) == sorted([data.marcel, data.jeanne_apa, data.jeanne_ehpad, data.other])
    too_small = client.get("/api/cases", params={"limit": 0})
    assert too_small.status_code == 422
    assert too_small.json()["champs"] == [
        {"champ": "limit", "message": "doit être supérieur ou égal à 1"}
    ]
    too_big = client.get("/api/cases", params={"limit": 201, "offset": -1})
    assert too_big.status_code == 422
    assert [p["champ"] for p in too_big.json()["champs"]] == ["limit", "offset"]
    assert client.get("/api/cases", params={"limit": "beaucoup"}).json()["champs"] == [
        {"champ": "limit", "message": "nombre entier attendu"}
    ]


def test_the_phone_filter_never_reaches_the_logs(
    data: Data, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="seniorplus")
    app_client().get("/api/cases", params={"phone": "06 98 76 54 32"})
    app_client().get("/api/cases", params={"phone": "06 98"})  # refused
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("seniorplus"))
    assert "case(s) listed (phone filter: True)" in logged
    for fragment in ("98 76", "98765432", "0698"):
        assert fragment not in logged


# --- one case -------------------------------------------------------------------------


def test_one_case_by_reference_in_lower_case_with_spaces(data: Data) -> None:
    year, number = data.marcel.split("-")[1:]
    typed = f"sp {year} {int(number)}"  # "sp 2026 1"
    response = app_client().get(f"/api/cases/{quote(typed)}")
    assert response.status_code == 200, response.text
    case = response.json()
    assert case["reference"] == data.marcel
    assert case["person"]["phone"] == SENIOR  # an agent handling the case may call back
    assert case["person"]["phone_masked"] == "+336******78"
    assert case["person"]["preferred_channel"] == "sms"
    assert case["opened_by"]["contact_id"] == case["person"]["contact_id"]
    documents = JOURNEYS["apa_domicile"].documents
    assert [d["id"] for d in case["documents"]] == [d.id for d in documents]
    assert {(d["status"], d["status_label"]) for d in case["documents"]} == {
        ("a_fournir", "à fournir")
    }
    assert [(e["action"], e["actor"]) for e in case["history"]] == [
        ("ouverture", f"contact:{case['person']['contact_id']}"),
        ("statut", "system"),
    ]
    assert case["history"][1]["detail"] == {"from": "ouvert", "to": "en_cours"}
    assert case["next_step"] is not None and case["next_step"]["title"]
    [appointment] = case["appointments"]
    assert appointment["reference"] == data.marcel_appointment
    assert appointment["case_reference"] == data.marcel
    assert appointment["mediator"]["name"] == "Anne Test"
    assert appointment["site"]["commune"] == "Clisson"
    assert (appointment["mode"], appointment["mode_label"]) == ("sur_place", "sur place")
    assert appointment["person"]["phone"] == SENIOR


def test_a_case_opened_by_a_caregiver_shows_both_people(data: Data) -> None:
    case = app_client().get(f"/api/cases/{data.jeanne_ehpad}").json()
    assert case["person"]["display_name"] == "Jeanne Martin"
    assert case["person"]["phone"] is None
    assert case["opened_by"]["phone"] == CAREGIVER
    assert case["opened_by"]["preferred_channel"] == "telegram"
    assert case["appointments"] == []


@pytest.mark.parametrize("reference", ["SP-2026-999999", "SP-1999-000001", "n'importe quoi", "0"])
def test_an_unknown_case_is_a_french_404(data: Data, reference: str) -> None:
    response = app_client().get(f"/api/cases/{quote(reference)}")
    assert response.status_code == 404
    assert response.json() == {
        "erreur": "Dossier introuvable : vérifiez la référence (par exemple SP-2026-000123)."
    }


# --- changes --------------------------------------------------------------------------


def test_patch_status_writes_an_audit_event_under_the_token_name(data: Data) -> None:
    reference = data.jeanne_apa.lower().replace("-", " ")
    response = app_client().patch(f"/api/cases/{quote(reference)}", json={"status": "en_attente"})
    assert response.status_code == 200, response.text
    case = response.json()
    assert (case["status"], case["status_label"]) == ("en_attente", "en attente d'une réponse")
    assert case["history"][-1]["actor"] == "agent:eval"
    assert case["history"][-1]["detail"] == {"from": "ouvert", "to": "en_attente"}
    [event] = _events(data.jeanne_apa, "statut")
    assert (event.actor, event.details) == ("agent:eval", {"from": "ouvert", "to": "en_attente"})
    again = app_client().patch(f"/api/cases/{data.jeanne_apa}", json={"status": "en_attente"})
    assert again.status_code == 200
    assert len(_events(data.jeanne_apa, "statut")) == 1  # nothing changed, nothing recorded


def test_patch_documents_and_status_together(data: Data) -> None:
    first, second = (d.id for d in JOURNEYS["ehpad"].documents[:2])
    response = app_client().patch(
        f"/api/cases/{data.jeanne_ehpad}",
        json={
            "documents": [
                {"id": first, "status": "recu"},
                {"id": second, "status": "non_concerne"},
            ],
            "status": "en_cours",
        },
    )
    assert response.status_code == 200, response.text
    case = response.json()
    statuses = {d["id"]: d["status"] for d in case["documents"]}
    assert (statuses[first], statuses[second]) == ("recu", "non_concerne")
    assert case["status"] == "en_cours"
    pieces = _events(data.jeanne_ehpad, "piece")
    assert [(e.actor, e.details["document"], e.details["to"]) for e in pieces] == [
        ("agent:eval", first, "recu"),
        ("agent:eval", second, "non_concerne"),
    ]
    listed = app_client().get("/api/cases", params={"journey": "ehpad"}).json()["items"][0]
    assert listed["missing_documents"] == len(JOURNEYS["ehpad"].documents) - 2


def test_a_refused_change_is_a_french_409_and_changes_nothing(data: Data) -> None:
    first = JOURNEYS["apa_domicile"].documents[0].id
    response = app_client().patch(
        f"/api/cases/{data.jeanne_apa}",
        json={"documents": [{"id": first, "status": "recu"}], "status": "complet"},
    )
    assert response.status_code == 409
    assert response.json() == {"erreur": "Un dossier ouvert ne peut pas passer à l'état complet."}
    with session_scope() as session:
        document = session.scalar(
            select(CaseDocument)
            .join(Case, Case.id == CaseDocument.case_id)
            .where(Case.reference == data.jeanne_apa, CaseDocument.document_id == first)
        )
        assert document is not None and document.status == "a_fournir"  # rolled back
    assert _events(data.jeanne_apa, "piece") == []


def test_a_closed_case_no_longer_changes(data: Data) -> None:
    client = app_client(token=None)
    client.headers.update({"Authorization": "Bearer jeton-console-Z8r3Kq1Mv7Nw2Xp5Lt9Hb4Jd6Fs0Gc"})
    closed = client.patch(f"/api/cases/{data.other}", json={"status": "clos"})
    assert closed.status_code == 200
    assert closed.json()["closed_at"] is not None
    assert closed.json()["history"][-1]["actor"] == "agent:console"
    first = JOURNEYS["carte_mobilite"].documents[0].id
    again = client.patch(
        f"/api/cases/{data.other}", json={"documents": [{"id": first, "status": "recu"}]}
    )
    assert again.status_code == 409
    assert again.json()["erreur"] == "Ce dossier est clos : je ne peux plus le changer."
    reopen = client.patch(f"/api/cases/{data.other}", json={"status": "ouvert"})
    assert reopen.json() == {"erreur": "Ce dossier est clos : son statut ne peut plus changer."}


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "corps", "rien à modifier : indiquez status, documents ou les deux"),
        ({"status": "termine"}, "status", "valeur non reconnue"),
        ({"statut": "clos"}, "statut", "champ inconnu"),
        ({"documents": []}, "documents", "il faut au moins 1 élément(s)"),
        ({"documents": [{"id": "x"}]}, "documents[0].status", "champ obligatoire"),
        (
            {"documents": [{"id": "rib", "status": "recu"}, {"id": "rib", "status": "recu"}]},
            "corps",
            "une même pièce est donnée deux fois",
        ),
        (
            {"documents": [{"id": "passeport_martien", "status": "recu"}]},
            "documents[0].id",
            "pièce « passeport_martien » absente de ce dossier",
        ),
    ],
)
def test_an_invalid_change_is_a_french_422(
    data: Data, body: dict[str, object], field: str, message: str
) -> None:
    response = app_client().patch(f"/api/cases/{data.marcel}", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()["champs"][0]
    assert problem["champ"] == field
    assert problem["message"].startswith(message)
    assert response.json()["erreur"].startswith("Requête invalide : ")


def test_patch_of_an_unknown_case_is_404(data: Data) -> None:
    response = app_client().patch("/api/cases/SP-2026-999999", json={"status": "clos"})
    assert response.status_code == 404
