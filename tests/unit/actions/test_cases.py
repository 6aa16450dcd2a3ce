"""Case actions on a migrated database: open once, status, papers ticked, never another's."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.cases import ActionCaseStatus, ActionOpenCase
from actions.journeys import ActionJourneyDocuments
from seniorplus.dialogue.case_replies import DB_TROUBLE
from seniorplus.settings import get_settings
from tests.unit.trackers import message_tracker, slots_of

APA = {"journey": "apa_domicile", "journey_step": 2}


def said(dispatcher: CollectingDispatcher) -> str:
    return " ".join(str(m.get("text")) for m in dispatcher.messages)


def as_person(sender: str, intent: str, slots: dict[str, Any], text: str = "x") -> Tracker:
    tracker = message_tracker(intent, slots, text=text)
    tracker.sender_id = sender
    return tracker


async def open_for(sender: str, slots: dict[str, Any]) -> tuple[str, CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = await ActionOpenCase().run(
        dispatcher, as_person(sender, "start_application", slots), {}
    )
    return str(slots_of(events).get("case_reference")), dispatcher


async def test_a_case_is_opened_once_for_the_journey_in_progress(database_url: str) -> None:
    reference, first = await open_for("+33612345678", APA)
    assert reference.startswith("SP-") and "C'est fait" in said(first)
    assert reference in said(first) and "Il manque encore" in said(first)
    again, second = await open_for("+33612345678", APA)
    assert again == reference
    assert "déjà ouvert" in said(second)


async def test_a_caregiver_opens_the_case_of_their_mother(database_url: str) -> None:
    slots = {**APA, "for_whom": "relative", "relationship": "mère"}
    reference, dispatcher = await open_for("+33611111111", slots)
    assert "le dossier de votre mère" in said(dispatcher)
    status = CollectingDispatcher()
    await ActionCaseStatus().run(status, as_person("+33611111111", "check_case_status", {}), {})
    assert reference in said(status) and "ouvert" in said(status)


async def test_status_without_a_case_and_with_someone_elses_reference(database_url: str) -> None:
    reference, _ = await open_for("+33622222222", APA)
    mine = CollectingDispatcher()
    await ActionCaseStatus().run(mine, as_person("+33633333333", "check_case_status", {}), {})
    assert "Je ne trouve pas de dossier ouvert" in said(mine)
    theirs = CollectingDispatcher()
    typed = f"où en est le dossier {reference.lower().replace('-', ' ')}"
    await ActionCaseStatus().run(
        theirs, as_person("+33633333333", "check_case_status", {}, text=typed), {}
    )
    unknown = CollectingDispatcher()
    await ActionCaseStatus().run(
        unknown, as_person("+33633333333", "check_case_status", {}, text="SP-2026-999999"), {}
    )
    assert said(theirs) == said(unknown)  # the same words: nothing says it exists
    assert "Je ne trouve pas de dossier à cette référence" in said(theirs)


async def test_papers_are_ticked_off_from_what_the_person_says(database_url: str) -> None:
    await open_for("+33644444444", APA)
    dispatcher = CollectingDispatcher()
    await ActionJourneyDocuments().run(
        dispatcher, as_person("+33644444444", "ask_documents", APA, "j'ai le RIB"), {}
    )
    assert said(dispatcher).startswith("C'est noté : un RIB")
    assert "RIB" not in said(dispatcher).split("Il manque encore")[1]
    # asking which papers (no "j'ai") still lists them
    listing = CollectingDispatcher()
    await ActionJourneyDocuments().run(
        listing, as_person("+33644444444", "ask_documents", APA, "il faut quels papiers"), {}
    )
    assert "il faut" in said(listing)


async def test_a_database_outage_gets_a_french_apology(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    _, dispatcher = await open_for("+33655555555", APA)
    assert said(dispatcher) == DB_TROUBLE
    assert "+33655555555" not in caplog.text


async def test_the_application_named_in_the_message_is_opened_for_the_person_named(
    database_url: str,
) -> None:
    text = "bonjour je voudrais faire la demande de curatelle pour mon beau-père"
    dispatcher = CollectingDispatcher()
    tracker = as_person("+33644444444", "start_application", {}, text=text)
    events = await ActionOpenCase().run(dispatcher, tracker, {})
    slots = slots_of(events)
    assert slots["journey"] == "protection_juridique" and slots["relationship"] == "beau-père"
    assert str(slots["case_reference"]).startswith("SP-")
    assert "le dossier de votre beau-père" in said(dispatcher)


@pytest.mark.parametrize(
    "text",
    [
        "c'est pour mon mari je voulais savoir pour l'apa comment on fait la demande",
        "euh la curatelle pour mon frère comment on s'y prend",
        "quelles sont les étapes pour demander l'APA pour ma mère ?",
    ],
)
async def test_asked_how_to_apply_the_steps_start_and_no_case_is_opened(
    database_url: str, text: str
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = as_person("+33655555555", "start_application", {}, text=text)
    events = await ActionOpenCase().run(dispatcher, tracker, {})
    slots = slots_of(events)
    assert "case_reference" not in slots and "C'est fait" not in said(dispatcher)
    assert slots["journey_step"] == 0 and "Étape 1 sur" in said(dispatcher)


async def test_the_wish_to_apply_opens_the_case_even_when_asked_how(database_url: str) -> None:
    text = "je voudrais faire la demande d'APA pour ma mère, comment on fait ?"
    dispatcher = CollectingDispatcher()
    tracker = as_person("+33666666666", "start_application", {}, text=text)
    events = await ActionOpenCase().run(dispatcher, tracker, {})
    assert str(slots_of(events)["case_reference"]).startswith("SP-")


async def test_a_wait_for_a_file_sent_elsewhere_gets_what_the_bank_says_of_it(
    database_url: str,
) -> None:
    text = (
        "nous avons envoyé le dossier d'APA de ma mère il y a trois mois au département et "
        "toujours pas de réponse, on a droit à quelque chose en attendant ?"
    )
    dispatcher = CollectingDispatcher()
    await ActionCaseStatus().run(
        dispatcher, as_person("+33677777777", "check_case_status", {}, text=text), {}
    )
    assert "APA provisoire" in said(dispatcher)
    assert "Je ne trouve pas de dossier" not in said(dispatcher)


@pytest.mark.parametrize(
    ("ranking", "journey"),
    [
        ([("start_application", 0.52), ("ask_mobility_card", 0.48)], "carte_mobilite"),
        ([("start_application", 0.8), ("ask_mobility_card", 0.1)], None),  # barely read
    ],
)
async def test_the_topic_read_next_to_the_request_chooses_the_journey(
    database_url: str, ranking: list[tuple[str, float]], journey: str | None
) -> None:
    """No word names the topic ("la carte pour se garer"); the NLU read it after the request."""
    text = "on voudrait la carte pour se garer près des magasins, comment on fait la demande"
    tracker = as_person("+33677777777", "start_application", {}, text=text)
    tracker.latest_message["intent_ranking"] = [
        {"name": name, "confidence": confidence} for name, confidence in ranking
    ]
    dispatcher = CollectingDispatcher()
    events = await ActionOpenCase().run(dispatcher, tracker, {})
    assert slots_of(events).get("journey") == journey
    if journey is None:
        assert "Pour quelle démarche" in said(dispatcher)
    else:
        assert "Étape 1 sur" in said(dispatcher)  # asked how: the steps start
