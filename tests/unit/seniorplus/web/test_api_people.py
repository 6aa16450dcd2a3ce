"""The data-rights routes: export one person's data as JSON, erase it (supervisor and admin)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from seniorplus.cases import contact_for_conversation, link_caregiver, open_case
from seniorplus.cases.models import Case, Contact
from seniorplus.db import session_scope
from seniorplus.history.transcripts import default_store
from seniorplus.web.api.auth import Principal
from tests.unit.api_helpers import UNAUTHORIZED, api_client, app_client, configure_tokens

pytestmark = pytest.mark.usefixtures("database_url")
PHONE = "+33611223344"


@pytest.fixture(autouse=True)
def tokens(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    configure_tokens(monkeypatch)
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    default_store.cache_clear()
    yield
    default_store.cache_clear()


@pytest.fixture
def caregiver() -> tuple[int, str]:
    with session_scope() as session:
        me = contact_for_conversation(session, PHONE, "sms")
        link = link_caregiver(session, me, "Paul Durand", "père")
        father = session.get(Contact, link.senior_id)
        assert father is not None
        case, _ = open_case(session, me, father, "apa_domicile", me.actor)
        return me.id, case.reference


def test_the_export_holds_the_person_their_father_and_the_case(caregiver: tuple[int, str]) -> None:
    contact_id, reference = caregiver
    response = app_client().get(f"/api/contacts/{contact_id}/export")
    assert response.status_code == 200
    body = response.json()
    assert body["person"]["phone"] == PHONE and body["person"]["preferred_channel"] == "sms"
    assert body["acts_for"][0]["display_name"] == "Paul Durand"
    assert [c["reference"] for c in body["cases"]] == [reference]
    assert body["conversation"] is None  # no tracker store configured here


def test_erase_then_erase_again(caregiver: tuple[int, str]) -> None:
    contact_id, reference = caregiver
    client = app_client()
    first = client.post(f"/api/contacts/{contact_id}/erase")
    assert first.status_code == 200
    assert first.json()["dossiers_clos"] == [reference] and first.json()["proches_effaces"] == 1
    second = client.post(f"/api/contacts/{contact_id}/erase")
    assert second.status_code == 200 and second.json()["deja_efface"] is True
    with session_scope() as session:
        case = session.scalar(select(Case).where(Case.reference == reference))
        assert case is not None and case.status == "clos"
        assert [e.actor for e in case.events][-1] == "agent:eval"
    export = client.get(f"/api/contacts/{contact_id}/export").json()
    assert export["person"]["phone"] is None and export["person"]["erased_at"]


@pytest.mark.parametrize("path", ["/api/contacts/999/export", "/api/contacts/999/erase"])
def test_an_unknown_person_is_a_french_404(path: str) -> None:
    client = app_client()
    response = client.get(path) if path.endswith("export") else client.post(path)
    assert response.status_code == 404
    assert response.json()["erreur"].startswith("Personne introuvable")


def test_no_token_is_401_and_an_agent_role_is_403(caregiver: tuple[int, str]) -> None:
    contact_id, _ = caregiver
    assert app_client(token=None).get(f"/api/contacts/{contact_id}/export").json() == UNAUTHORIZED
    agent = api_client([lambda _request: Principal("agent", "marie", "agent")])
    assert agent.get(f"/api/contacts/{contact_id}/export").status_code == 403
    assert agent.post(f"/api/contacts/{contact_id}/erase").status_code == 403
    with session_scope() as session:
        assert session.scalar(select(Contact).where(Contact.phone == PHONE)) is not None


def test_a_malformed_id_is_a_french_422() -> None:
    response = app_client().get("/api/contacts/abc/export")
    assert response.status_code == 422 and "erreur" in response.json()
