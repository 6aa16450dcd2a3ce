"""Journey actions with a hand-built Tracker: exact progress events and messages."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import journeys
from actions.journeys import (
    ActionJourneyCost,
    ActionJourneyDocuments,
    ActionJourneyNext,
    ActionJourneyPrevious,
    ActionOfferJourney,
)
from tests.unit.trackers import message_tracker, slots_of

STEPS = len(journeys()["apa_domicile"].steps)


def tracker(
    intent: str, slots: dict[str, Any], entities: list[dict[str, Any]] | None = None
) -> Tracker:
    return message_tracker(intent, slots, entities)


async def test_offer_starts_the_primary_journey_before_its_first_step() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionOfferJourney().run(dispatcher, tracker("ask_apa", {}), {})
    assert slots_of(events) == {"journey": "apa_domicile", "journey_step": -1,
                                "journey_resume_pending": False,
                                "journey_progress": {"apa_domicile": -1},
                                "triage_stage": None, "estimate_stage": None,
                                "speaker_asked": True}  # fmt: skip
    assert dispatcher.messages[0]["text"].startswith("L'APA")
    # the first time, the last question is who the help is for
    assert dispatcher.messages[-1]["text"].endswith("pour vous-même ou pour un proche ?")
    assert dispatcher.messages[-1]["buttons"][0]["payload"] == '/set_speaker{"for_whom": "self"}'


async def test_offer_follows_an_explicit_journey_of_the_same_intent_only() -> None:
    chosen = [{"entity": "journey", "value": "apa_etablissement"}]
    events = await ActionOfferJourney().run(
        CollectingDispatcher(), tracker("ask_apa", {}, chosen), {}
    )
    assert slots_of(events)["journey"] == "apa_etablissement"
    wrong = [{"entity": "journey", "value": "ehpad"}]
    events = await ActionOfferJourney().run(
        CollectingDispatcher(), tracker("ask_apa", {}, wrong), {}
    )
    assert slots_of(events)["journey"] == "apa_domicile"


async def test_next_and_previous_move_one_step_within_bounds() -> None:
    dispatcher = CollectingDispatcher()
    start = {"journey": "apa_domicile", "journey_step": -1}
    events = await ActionJourneyNext().run(dispatcher, tracker("next_step", start), {})
    assert slots_of(events)["journey_step"] == 0
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith("Les conditions à remplir :\n- Avoir 60 ans ou plus.")  # who, first
    assert next(t for t in texts if t.startswith("Étape")).startswith(f"Étape 1 sur {STEPS}")

    end = {"journey": "apa_domicile", "journey_step": STEPS - 1}
    dispatcher = CollectingDispatcher()
    events = await ActionJourneyNext().run(dispatcher, tracker("next_step", end), {})
    assert slots_of(events)["journey_step"] == STEPS - 1
    assert any("dernière étape" in m["text"] for m in dispatcher.messages)

    dispatcher = CollectingDispatcher()
    events = await ActionJourneyPrevious().run(dispatcher, tracker("previous_step", end), {})
    assert slots_of(events)["journey_step"] == STEPS - 2


async def test_resume_shows_the_step_where_the_person_stopped() -> None:
    dispatcher = CollectingDispatcher()
    slots = {"journey": "apa_domicile", "journey_step": 2, "journey_resume_pending": True}
    events = await ActionJourneyNext().run(dispatcher, tracker("next_step", slots), {})
    assert dispatcher.messages[0]["text"].startswith(f"Étape 3 sur {STEPS}")
    assert slots_of(events) == {"journey": "apa_domicile", "journey_step": 2,
                                "journey_resume_pending": False,
                                "journey_progress": {"apa_domicile": 2}}  # fmt: skip


async def test_without_a_journey_the_answers_stay_general() -> None:
    for action, first in ((ActionJourneyNext(), "utter_no_current_step"),
                          (ActionJourneyPrevious(), "utter_no_current_step"),
                          (ActionJourneyDocuments(), "utter_documents"),
                          (ActionJourneyCost(), "utter_cost")):  # fmt: skip
        dispatcher = CollectingDispatcher()
        assert await action.run(dispatcher, tracker("x", {"journey": "unknown"}), {}) == []
        assert dispatcher.messages[0]["response"] == first


async def test_papers_and_amounts_of_the_journey() -> None:
    slots = {"journey": "apa_domicile", "journey_step": -1}
    dispatcher = CollectingDispatcher()
    await ActionJourneyDocuments().run(dispatcher, tracker("ask_documents", slots), {})
    assert "avis d'imp" in " ".join(m["text"] for m in dispatcher.messages)
    dispatcher = CollectingDispatcher()
    await ActionJourneyCost().run(dispatcher, tracker("ask_cost", slots), {})
    joined = " ".join(m["text"] for m in dispatcher.messages)
    assert "2 080,33 euros" in joined and "(2026)" in joined


async def test_amounts_of_the_apa_offer_an_estimate() -> None:
    dispatcher = CollectingDispatcher()
    apa = {"journey": "apa_domicile", "journey_step": -1}
    await ActionJourneyCost().run(dispatcher, tracker("ask_cost", apa), {})
    assert dispatcher.messages[-1]["buttons"][0]["payload"] == '/ask_cost{"estimate": "apa"}'


async def test_offer_speaks_of_the_relative_when_one_was_named() -> None:
    dispatcher = CollectingDispatcher()
    await ActionOfferJourney().run(dispatcher, tracker("ask_apa", {"relationship": "père"}), {})
    assert dispatcher.messages[0]["text"].startswith("Pour votre père : ")
    dispatcher = CollectingDispatcher()
    await ActionOfferJourney().run(dispatcher, tracker("ask_apa", {"relationship": "voisin"}), {})
    assert dispatcher.messages[0]["text"].startswith("Pour votre proche : L'APA")
    dispatcher = CollectingDispatcher()
    await ActionOfferJourney().run(dispatcher, tracker("ask_apa", {"for_whom": "self"}), {})
    assert dispatcher.messages[0]["text"].startswith("L'APA")


async def test_a_senior_telling_of_herself_is_not_asked_who_the_help_is_for() -> None:
    for text in (
        "bonjour jai 86 ans je vis seule et je narrive plus a faire le menage, la caisse de "
        "retraite peut m aider",
        "j'ai 79 ans et j'ai du mal à faire ma toilette, c'est quoi l'apa",
    ):
        dispatcher = CollectingDispatcher()
        events = await ActionOfferJourney().run(
            dispatcher, message_tracker("ask_apa", {}, text=text), {}
        )
        said = " ".join(str(m.get("text")) for m in dispatcher.messages)
        assert "pour vous-même ou pour un proche" not in said
        assert slots_of(events)["for_whom"] == "self"


async def test_a_caregiver_telling_of_her_mother_is_still_spoken_to_about_her_mother() -> None:
    text = "ma mère a 86 ans elle vit seule, c'est quoi l'apa"
    entities = [{"entity": "relationship", "value": "mère"}]
    dispatcher = CollectingDispatcher()
    events = await ActionOfferJourney().run(
        dispatcher, message_tracker("ask_apa", {}, entities, text=text), {}
    )
    assert slots_of(events).get("for_whom") != "self"


@pytest.mark.parametrize(
    ("for_whom", "text", "answer"),
    [
        ("self", "et qui c'est qui décide combien je touche ?", "président du Département"),
        ("relative", "combien de temps ça prend ?", "2 mois"),  # how long, not how much
    ],
)
async def test_a_precise_question_read_as_cost_gets_its_answer_not_the_amounts(
    for_whom: str, text: str, answer: str
) -> None:
    apa = {"journey": "apa_domicile", "journey_step": -1, "for_whom": for_whom}
    dispatcher = CollectingDispatcher()
    await ActionJourneyCost().run(dispatcher, message_tracker("ask_cost", apa, text=text), {})
    joined = " ".join(str(m.get("text")) for m in dispatcher.messages)
    assert answer in joined and "Les montants" not in joined


async def test_how_much_one_gets_keeps_the_amounts_and_the_estimate_offer() -> None:
    apa = {"journey": "apa_domicile", "journey_step": -1, "for_whom": "self"}
    dispatcher = CollectingDispatcher()
    text = "l'apa ça fait combien par mois au maximum ?"
    await ActionJourneyCost().run(dispatcher, message_tracker("ask_cost", apa, text=text), {})
    assert dispatcher.messages[-1]["buttons"][0]["payload"] == '/ask_cost{"estimate": "apa"}'
