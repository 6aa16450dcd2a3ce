"""Who is speaking, questions aside and changing one's mind, with hand-built Trackers."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.common import journeys
from actions.conversation import ActionExplainWord, ActionFallback, ActionResolveReply
from actions.journeys import (
    ActionJourneyNext,
    ActionJourneyPrevious,
    ActionOfferJourney,
    ActionSetSpeaker,
)
from actions.triage import ActionTriage
from seniorplus.dialogue import speaker as who
from tests.unit.trackers import after_question, answers_of, message_tracker, slots_of

APA = journeys()["apa_domicile"]
VISIT = next(i for i, s in enumerate(APA.steps) if s.id == "visite")


def texts(dispatcher: CollectingDispatcher) -> str:
    return " ".join(str(m.get("text") or m.get("response")) for m in dispatcher.messages)


def titles(dispatcher: CollectingDispatcher) -> list[str]:
    return [b["title"] for m in dispatcher.messages for b in m.get("buttons") or []]


async def test_the_answer_is_kept_and_the_journey_goes_on_for_the_relative() -> None:
    dispatcher = CollectingDispatcher()
    chosen = [
        {"entity": "for_whom", "value": "relative"},
        {"entity": "relationship", "value": "père"},
    ]
    slots = {"journey": "apa_domicile", "journey_step": -1}
    events = await ActionSetSpeaker().run(
        dispatcher, message_tracker("set_speaker", slots, chosen), {}
    )
    assert slots_of(events) == {
        "for_whom": "relative",
        "relationship": "père",
        "speaker_asked": True,
    }
    assert dispatcher.messages[0]["text"] == "C'est noté : je vous parlerai de votre père."
    assert dispatcher.messages[1]["text"] == "Que voulez-vous savoir ?"
    assert "Vos droits d'aidant" in titles(dispatcher)


async def test_the_senior_speaking_for_themselves_is_not_offered_caregiver_rights() -> None:
    dispatcher = CollectingDispatcher()
    slots = {"journey": "apa_domicile", "journey_step": -1, "relationship": "fille"}
    events = await ActionSetSpeaker().run(
        dispatcher,
        message_tracker("set_speaker", slots, [{"entity": "for_whom", "value": "self"}]),
        {},
    )
    assert slots_of(events) == {"for_whom": "self", "relationship": None, "speaker_asked": True}
    assert "Vos droits d'aidant" not in titles(dispatcher)


async def test_a_typed_answer_to_the_question_is_heard_as_the_choice() -> None:
    earlier = after_question(who.question().text, list(who.question().buttons))
    mum = [{"entity": "relationship", "value": "mère"}]
    events = await ActionResolveReply().run(
        CollectingDispatcher(),
        message_tracker("inform", {}, mum, text="c'est pour ma maman", events=earlier),
        {},
    )
    replayed = events[-1]
    assert replayed["event"] == "user" and replayed["text"] == "c'est pour ma maman"
    assert replayed["parse_data"]["intent"]["name"] == "set_speaker"
    assert replayed["parse_data"]["entities"] == [
        {"entity": "for_whom", "value": "relative"},
        {"entity": "relationship", "value": "mère"},
    ]


async def test_the_question_is_asked_once_only() -> None:
    dispatcher = CollectingDispatcher()
    await ActionOfferJourney().run(
        dispatcher, message_tracker("ask_apa", {"speaker_asked": True}), {}
    )
    assert dispatcher.messages[-1]["text"] == "Que voulez-vous savoir ?"


async def test_steps_are_worded_for_the_caregiver() -> None:
    slots: dict[str, Any] = {"journey": "apa_domicile", "journey_step": VISIT - 1}
    dispatcher = CollectingDispatcher()
    await ActionJourneyNext().run(dispatcher, message_tracker("next_step", slots), {})
    assert "vient chez vous" in texts(dispatcher)
    dispatcher = CollectingDispatcher()
    relative = {**slots, "for_whom": "relative", "relationship": "mère"}
    await ActionJourneyNext().run(dispatcher, message_tracker("next_step", relative), {})
    assert "vient chez votre mère" in texts(dispatcher)
    assert "chez vous" not in texts(dispatcher)


async def test_the_last_step_offers_a_caregiver_their_own_rights() -> None:
    last = {"journey": "apa_domicile", "journey_step": len(APA.steps) - 1, "relationship": "mari"}
    dispatcher = CollectingDispatcher()
    await ActionJourneyNext().run(dispatcher, message_tracker("next_step", last), {})
    assert "Vos droits d'aidant" in titles(dispatcher)


async def test_another_journey_keeps_the_first_one_and_offers_the_way_back() -> None:
    slots = {"journey": "apa_domicile", "journey_step": 2, "speaker_asked": True,
             "journey_progress": {"apa_domicile": 2}}  # fmt: skip
    dispatcher = CollectingDispatcher()
    events = await ActionOfferJourney().run(
        dispatcher, message_tracker("ask_mobility_card", slots), {}
    )
    assert slots_of(events)["journey_progress"] == {"apa_domicile": 2, "carte_mobilite": -1}
    back = next(b for m in dispatcher.messages for b in m.get("buttons") or []
                if b["title"] == f"Reprendre : {APA.title}")  # fmt: skip
    assert back["payload"] == '/next_step{"journey": "apa_domicile"}'

    # the button takes the person back to step 3 of the APA
    later = {"journey": "carte_mobilite", "journey_step": -1,
             "journey_progress": slots_of(events)["journey_progress"]}  # fmt: skip
    dispatcher = CollectingDispatcher()
    events = await ActionJourneyNext().run(
        dispatcher,
        message_tracker("next_step", later, [{"entity": "journey", "value": "apa_domicile"}]),
        {},
    )
    assert dispatcher.messages[0]["text"].startswith(f"Étape 3 sur {len(APA.steps)}")
    assert slots_of(events)["journey"] == "apa_domicile"


async def test_coming_back_to_a_journey_says_where_the_person_stopped() -> None:
    slots = {"journey": "ehpad", "journey_step": 0, "speaker_asked": True,
             "journey_progress": {"apa_domicile": 4, "ehpad": 0}}  # fmt: skip
    dispatcher = CollectingDispatcher()
    events = await ActionOfferJourney().run(dispatcher, message_tracker("ask_apa", slots), {})
    assert f"Vous en étiez à l'étape 5 sur {len(APA.steps)}." in texts(dispatcher)
    assert "Reprendre l'étape 5" in titles(dispatcher)
    assert slots_of(events)["journey_step"] == 4
    assert slots_of(events)["journey_resume_pending"] is True


async def test_a_word_asked_about_mid_journey_is_explained_then_back_to_the_step() -> None:
    slots = {"journey": "apa_domicile", "journey_step": 3}
    dispatcher = CollectingDispatcher()
    events = await ActionOfferJourney().run(
        dispatcher, message_tracker("ask_apa", slots, text="c'est quoi le GIR ?"), {}
    )
    assert events == []
    assert dispatcher.messages[0]["text"] == f"GIR : {APA.acronyms['GIR']}."
    assert (
        dispatcher.messages[0]["buttons"][0]["payload"] == '/next_step{"journey": "apa_domicile"}'
    )


async def test_a_word_asked_about_is_explained_with_the_way_back() -> None:
    slots = {"journey": "apa_domicile", "journey_step": 3}
    t = message_tracker("book_appointment", slots, text="ccas ça veut dire quoi")
    dispatcher = CollectingDispatcher()
    await ActionExplainWord().run(dispatcher, t, {})
    assert dispatcher.messages[0]["text"].startswith("CCAS : ")
    assert "Reprendre l'étape 4" in titles(dispatcher)


async def test_a_choice_typed_as_its_title_is_taken_even_when_the_model_is_lost() -> None:
    other = {"title": "L'APA en maison de retraite",
             "payload": '/ask_apa{"journey": "apa_etablissement"}'}  # fmt: skip
    earlier = after_question(
        "Que voulez-vous savoir ?", [{"title": "Voir les étapes", "payload": "/next_step"}, other]
    )
    events = await ActionFallback().run(
        CollectingDispatcher(),
        message_tracker("nlu_fallback", {}, text="l'apa en maison de retraite", events=earlier),
        {},
    )
    assert events[-1]["parse_data"]["intent"]["name"] == "ask_apa"
    assert events[-1]["parse_data"]["entities"] == [
        {"entity": "journey", "value": "apa_etablissement"}
    ]


async def test_changing_ones_mind_about_who_during_the_triage() -> None:
    waiting = {"triage": {"for_whom": "self"}, "triage_stage": "age", "for_whom": "self"}
    dispatcher = CollectingDispatcher()
    dad = [{"entity": "relationship", "value": "père"}]
    events = await ActionResolveReply().run(
        dispatcher, message_tracker("inform", waiting, dad, text="non c'est pour mon père"), {}
    )
    assert answers_of(slots_of(events)["triage"]) == {"for_whom": "relative"}
    assert slots_of(events)["relationship"] == "père"
    assert [m["text"] for m in dispatcher.messages] == [
        "C'est noté : je vous parlerai de votre père.",
        "Quel âge a votre père ?",
    ]


async def test_going_back_a_question_during_the_triage() -> None:
    answers = {"for_whom": "relative", "age": 87, "home": "at_home"}
    slots = {"triage": answers, "triage_stage": "need", "relationship": "mère"}
    dispatcher = CollectingDispatcher()
    events = await ActionJourneyPrevious().run(
        dispatcher, message_tracker("previous_step", slots, text="je me suis trompée"), {}
    )
    assert answers_of(slots_of(events)["triage"]) == {"for_whom": "relative", "age": 87}
    assert slots_of(events)["triage_stage"] == "home"
    assert dispatcher.messages[0]["text"] == "Où vit votre mère ?"


async def test_the_triage_starts_from_what_is_known_of_the_speaker() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionTriage().run(
        dispatcher, message_tracker("report_autonomy_loss", {"for_whom": "self"}), {}
    )
    assert answers_of(slots_of(events)["triage"]) == {"for_whom": "self"}
    assert dispatcher.messages[1]["text"] == "Quel âge avez-vous ?"


async def test_a_relative_named_mid_questions_takes_over_whatever_the_intent() -> None:
    waiting = {"triage": {"for_whom": "self"}, "triage_stage": "age", "for_whom": "self"}
    mum = [{"entity": "relationship", "value": "mère"}]
    dispatcher = CollectingDispatcher()
    events = await ActionTriage().run(
        dispatcher,
        message_tracker("report_autonomy_loss", waiting, mum, text="non pour ma mère"),
        {},
    )
    assert answers_of(slots_of(events)["triage"]) == {"for_whom": "relative"}
    assert slots_of(events)["for_whom"] == "relative"
    assert [m.get("text") for m in dispatcher.messages] == [
        "C'est noté : je vous parlerai de votre mère.",
        "Quel âge a votre mère ?",
    ]


async def test_pardon_with_a_relative_named_mid_questions_is_a_correction_not_a_repeat() -> None:
    from actions.conversation import ActionRepeat

    waiting = {"triage": {"for_whom": "self"}, "triage_stage": "age", "for_whom": "self"}
    dad = [{"entity": "relationship", "value": "père"}]
    dispatcher = CollectingDispatcher()
    events = await ActionRepeat().run(
        dispatcher,
        message_tracker("repeat", waiting, dad, text="ah pardon c'est pour mon père"),
        {},
    )
    assert slots_of(events)["relationship"] == "père"
    assert dispatcher.messages[-1]["text"] == "Quel âge a votre père ?"


async def test_a_case_reference_heard_as_an_answer_asks_for_the_case() -> None:
    events = await ActionResolveReply().run(
        CollectingDispatcher(),
        message_tracker("inform", {}, text="où en est le dossier sp 2026 000123", events=[]),
        {},
    )
    assert events[-1]["parse_data"]["intent"]["name"] == "check_case_status"
