"""A case opened from a conversation, its papers ticked, its status asked, and kept private."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from seniorplus.db import reset_engine
from seniorplus.settings import get_settings
from seniorplus.web.app import create_app
from tests.conversations.conftest import ROOT, Assistant, joined

pytestmark = pytest.mark.conversation


def api_get(assistant: Assistant, path: str) -> dict[str, Any]:
    """GET on the app's JSON API, on the assistant's own database, with the machine token."""
    env = {"DATABASE_URL": f"sqlite:///{assistant.app_database}", "APP_ENV": "test"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        get_settings.cache_clear()
        reset_engine()
        token = (ROOT / "var" / "api_token").read_text().strip()
        with TestClient(create_app()) as client:
            response = client.get(path, headers={"Authorization": f"Bearer {token}"})
        reset_engine()
        get_settings.cache_clear()
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_daughter_opens_a_case_ticks_papers_and_asks_where_it_stands(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    daughter = new_sender()
    assistant.say(daughter, "bonjour")
    assistant.say(daughter, "ma mère a besoin de l'APA pour rester chez elle")
    assistant.say(daughter, "voir les étapes")
    opened = joined(assistant.say(daughter, "je veux faire la demande"))
    reference = re.search(r"SP-\d{4}-\d{6}", opened)
    assert reference and "le dossier de votre mère" in opened and "Il manque encore" in opened
    again = joined(assistant.say(daughter, "on peut lancer la demande ?"))
    assert reference.group() in again and "déjà ouvert" in again  # never two cases
    ticked = joined(assistant.say(daughter, "voilà j'ai le relevé d'identité bancaire"))
    assert ticked.startswith("C'est noté") and "RIB" in ticked
    status = joined(assistant.say(daughter, "où en est mon dossier ?"))
    assert reference.group() in status and "Prochaine étape" in status
    offer = assistant.say(daughter, "je voudrais un rendez-vous avec un conseiller")
    assert "Lequel vous convient" in joined(offer)
    booked = joined(assistant.say(daughter, "1"))
    assert booked.startswith("C'est noté : rendez-vous") and "RDV-" in booked

    # the case, its ticked paper and the meeting are there for the agents, through the API
    detail = api_get(assistant, f"/api/cases/{reference.group().lower()}")
    assert detail["reference"] == reference.group()
    assert {d["id"]: d["status"] for d in detail["documents"]}["rib"] == "recu"
    assert [a["reference"] for a in detail["appointments"]] == [
        re.search(r"RDV-\w+", booked).group()  # type: ignore[union-attr]
    ]

    stranger = new_sender()
    theirs = joined(assistant.say(stranger, f"où en est le dossier {reference.group().lower()}"))
    assert reference.group() not in theirs and "Je ne trouve pas" in theirs


def test_a_meeting_is_booked_then_appears_in_the_agenda(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    assistant.say(person, "bonjour")
    assistant.say(person, "je voudrais des infos sur l'APA, j'habite à Ancenis")
    offer = assistant.say(person, "je voudrais un rendez-vous avec un conseiller")
    assert "Lequel vous convient" in joined(offer)
    booked = joined(assistant.say(person, "2"))
    assert booked.startswith("C'est noté : rendez-vous") and "RDV-" in booked
    again = joined(assistant.say(person, "annuler mon rendez-vous"))
    assert "Quel rendez-vous voulez-vous annuler" in again
