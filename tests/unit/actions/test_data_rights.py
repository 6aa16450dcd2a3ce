"""The data-rights action: see what is known, erase only after the "Oui" just asked for."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.cases import ActionOpenCase
from actions.data_rights import ActionMyData
from seniorplus.cases.models import Case, Contact
from seniorplus.db import session_scope
from seniorplus.dialogue import data_request
from seniorplus.dialogue.case_replies import DB_TROUBLE
from seniorplus.history.transcripts import default_store
from seniorplus.settings import get_settings
from tests.unit.trackers import after_question, message_tracker, slots_of

PERSON = "+33644445566"
CAREGIVER = {"journey": "apa_domicile", "journey_step": 1, "for_whom": "relative",
             "relationship": "mère"}  # fmt: skip


def said(dispatcher: CollectingDispatcher) -> str:
    return " ".join(str(m.get("text")) for m in dispatcher.messages)


def asking(text: str, request: str | None = None, events: list[Any] | None = None) -> Tracker:
    entities = [{"entity": "data_request", "value": request}] if request else []
    tracker = message_tracker("delete_my_data", {}, entities, text=text, events=events)
    tracker.sender_id = PERSON
    return tracker


async def run(tracker: Tracker) -> tuple[CollectingDispatcher, list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionMyData().run(dispatcher, tracker, {})
    return dispatcher, events


async def open_mothers_case() -> str:
    tracker = message_tracker("start_application", CAREGIVER)
    tracker.sender_id = PERSON
    events = await ActionOpenCase().run(CollectingDispatcher(), tracker, {})
    return str(slots_of(events)["case_reference"])


@pytest.fixture(autouse=True)
def no_tracker_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    default_store.cache_clear()


async def test_someone_we_know_nothing_about_is_told_so(database_url: str) -> None:
    dispatcher, _ = await run(asking("qu'est-ce que vous savez sur moi"))
    assert "Je ne garde rien sur vous" in said(dispatcher)
    with session_scope() as session:  # asking created nobody
        assert session.scalar(select(Contact)) is None


async def test_the_summary_names_the_case_the_relative_and_the_number(database_url: str) -> None:
    reference = await open_mothers_case()
    dispatcher, _ = await run(asking("quelles données avez-vous sur moi"))
    text = said(dispatcher)
    assert text.startswith("Voici ce que je sais sur vous")
    assert reference in text and "votre mère" in text and "finit par 55 66" in text
    assert PERSON not in text  # the whole number is never read back
    titles = [b["title"] for b in dispatcher.messages[-1]["buttons"]]
    assert titles == ["Effacer mes données", "Le menu"]


async def test_erasure_is_asked_then_done_after_yes(database_url: str) -> None:
    reference = await open_mothers_case()
    question, events = await run(asking("supprimez mes donnees svp"))
    assert reference in said(question) and "Voulez-vous vraiment tout effacer" in said(question)
    buttons = question.messages[-1]["buttons"]
    assert [b["title"] for b in buttons] == ["Oui", "Non"] and events == []
    with session_scope() as session:
        assert session.scalar(select(Contact).where(Contact.phone == PERSON)) is not None
    before = after_question(str(question.messages[-1]["text"]), buttons)
    done, events = await run(asking("oui", "effacer_confirme", before))
    assert said(done).startswith("C'est fait") and reference in said(done)
    assert events == [{"event": "reset_slots", "timestamp": None}]
    with session_scope() as session:
        assert session.scalar(select(Contact).where(Contact.phone == PERSON)) is None
        case = session.scalar(select(Case).where(Case.reference == reference))
        assert case is not None and case.status == "clos"


async def test_a_yes_to_nothing_only_asks_the_question(database_url: str) -> None:
    await open_mothers_case()
    forged, _ = await run(asking("/delete_my_data", "effacer_confirme"))
    assert "Voulez-vous vraiment tout effacer" in said(forged)
    with session_scope() as session:
        assert session.scalar(select(Contact).where(Contact.phone == PERSON)) is not None


async def test_no_keeps_everything_and_unclear_asks_what_is_wanted(database_url: str) -> None:
    await open_mothers_case()
    question = after_question("Voulez-vous vraiment tout effacer ?", [data_request.YES_BUTTON])
    kept, _ = await run(asking("non", "garder", question))
    assert [m["response"] for m in kept.messages] == ["utter_my_data_kept", "utter_main_menu"]
    unclear, _ = await run(asking("mes données"))
    assert unclear.messages[0]["response"] == "utter_my_data_choose"
    with session_scope() as session:
        assert session.scalar(select(Contact).where(Contact.phone == PERSON)) is not None


async def test_a_database_outage_gets_a_french_apology(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    dispatcher, events = await run(asking("effacez tout"))
    assert said(dispatcher) == DB_TROUBLE and events == []
    assert PERSON not in caplog.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je veux que vous effaciez tout ce que vous avez sur moi", "effacer"),
        ("oubliez moi", "effacer"),
        ("desinscrivez moi", "effacer"),
        ("vous connaissez quoi de moi", "voir"),
        ("je voudrais une copie de mes infos", "voir"),
        ("mes donnees", None),
        ("montrez moi puis supprimez tout", "effacer"),
    ],
)
def test_what_is_wanted_is_read_from_the_words(text: str, expected: str | None) -> None:
    assert data_request.wanted(text, []) == expected
