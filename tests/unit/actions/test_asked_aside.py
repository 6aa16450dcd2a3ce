"""Issue 12, "answer the question asked": a question of the person's own while a question of
the assistant waits (who the help is for, the triage's, an estimate's) gets the bank's
answer, whatever the intent the model saw, and the question waiting is not lost: what the
conversation tells answers it, or it is asked again in short. A real answer to the question
waiting ("pour ma mère", "moi", "à domicile", "seule") is still taken as the answer.

The follow-up questions are written for these tests, in the shapes of
../shared/domain/how-people-write.md, not taken from the bank or the held-out sets.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionFallback, ActionRepeat, ActionResolveReply
from actions.journeys import (
    ActionJourneyCost,
    ActionJourneyDocuments,
    ActionJourneyNext,
    ActionOfferJourney,
)
from actions.questions import question_aside
from actions.triage import ActionTriage
from seniorplus.dialogue import apa_estimate, ehpad_estimate
from seniorplus.dialogue import speaker as who
from seniorplus.dialogue import triage_questions as triage
from seniorplus.dialogue.pending import AGAIN
from seniorplus.dialogue.speaker import Speaker
from seniorplus.journeys.walkthrough import Reply
from tests.unit.trackers import message_tracker, slots_of

SPEAKER_QUESTION = who.question()
SOURCE = "Source : "
MENU_AFTER_ANSWER = "Que voulez-vous savoir d'autre ?"
AMOUNTS = "Les montants :"


def before(said: str, intent: str, action: str, question: Reply) -> list[dict[str, Any]]:
    """An earlier turn: the person said `said`, the assistant asked `question` with its choices."""
    return [
        {"event": "user", "text": said, "parse_data": {"intent": {"name": intent}}},
        {"event": "action", "name": action},
        {"event": "bot", "text": question.text, "data": {"buttons": list(question.buttons)}},
        {"event": "action", "name": "action_listen"},
    ]


async def say(
    action: Action,
    intent: str,
    text: str,
    slots: dict[str, Any],
    earlier: list[dict[str, Any]],
    entities: list[dict[str, Any]] | None = None,
) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    tracker = message_tracker(intent, slots, entities, text=text, events=earlier)
    return dispatcher, await action.run(dispatcher, tracker, {})


def said(dispatcher: CollectingDispatcher) -> str:
    return " ".join(str(m.get("text") or m.get("response")) for m in dispatcher.messages)


def last(dispatcher: CollectingDispatcher) -> dict[str, Any]:
    return dispatcher.messages[-1]


# --- Who the help is for, asked after the overview of an aid --------------------------------

APA_OVERVIEW = {"journey": "apa_domicile", "journey_step": -1, "speaker_asked": True}
SENIOR_FIRST = "j'ai 84 ans, j'ai du mal pour faire ma toilette, c'est quoi l'apa"


@pytest.mark.parametrize(
    ("intent", "action"),
    [
        ("ask_cost", ActionJourneyCost()),  # what the model made of it: the list of amounts
        ("ask_apa", ActionOfferJourney()),
        ("inform", ActionResolveReply()),
        ("nlu_fallback", ActionFallback()),
        ("ask_documents", ActionJourneyDocuments()),
    ],
)
async def test_the_senior_s_follow_up_gets_who_decides_not_the_amounts(
    intent: str, action: Action
) -> None:
    """The finding: after "pour vous-même ou pour un proche ?", the follow-up got the amounts."""
    earlier = before(SENIOR_FIRST, "ask_apa", "action_offer_journey", SPEAKER_QUESTION)
    text = "et qui c'est qui décide combien je touche ?"
    dispatcher, events = await say(action, intent, text, APA_OVERVIEW, earlier)
    assert dispatcher.messages[0]["text"].startswith("Le président du Département.")
    assert AMOUNTS not in said(dispatcher)
    assert last(dispatcher)["text"].startswith(SOURCE)
    assert last(dispatcher)["text"].endswith(MENU_AFTER_ANSWER)  # the way on, no question
    # "j'ai 84 ans … je touche": the question itself says it is for herself
    assert slots_of(events) == {"for_whom": "self", "relationship": None, "speaker_asked": True}
    assert "pour vous-même ou pour un proche" not in said(dispatcher)


async def test_a_question_that_says_nothing_of_who_is_answered_then_who_asked_again() -> None:
    earlier = before("c'est quoi l'apa", "ask_apa", "action_offer_journey", SPEAKER_QUESTION)
    text = "et ça met combien de temps pour avoir la réponse ?"
    dispatcher, events = await say(ActionOfferJourney(), "ask_apa", text, APA_OVERVIEW, earlier)
    answer, source, again = dispatcher.messages
    assert "2 mois" in answer["text"]
    assert source["text"].startswith(SOURCE) and MENU_AFTER_ANSWER not in source["text"]
    assert again["text"] == f"{AGAIN}c'est pour vous-même ou pour un proche ?"
    assert again["buttons"] == list(SPEAKER_QUESTION.buttons)
    assert "for_whom" not in slots_of(events)


async def test_the_nursing_home_follow_up_read_as_a_cost_is_answered_by_the_bank() -> None:
    slots = {"journey": "ehpad", "journey_step": -1, "speaker_asked": True}
    earlier = before(
        "on cherche une maison de retraite", "ask_nursing_home", "action_offer_journey",
        SPEAKER_QUESTION,
    )  # fmt: skip
    text = "et si sa retraite suffit pas, les enfants doivent payer ?"
    dispatcher, _ = await say(ActionJourneyCost(), "ask_cost", text, slots, earlier)
    assert "selon leurs moyens" in dispatcher.messages[0]["text"]
    assert AMOUNTS not in said(dispatcher)
    assert last(dispatcher)["text"].startswith(AGAIN)


async def test_a_relative_named_before_answers_the_question_for_the_curator_question() -> None:
    slots = {"journey": "protection_juridique", "journey_step": -1, "speaker_asked": True}
    earlier = before(
        "mon frère ne gère plus ses papiers, c'est quoi une curatelle",
        "ask_legal_protection", "action_offer_journey", SPEAKER_QUESTION,
    )  # fmt: skip
    text = "et si le curateur fait mal son travail on peut en changer ?"
    dispatcher, events = await say(ActionJourneyNext(), "next_step", text, slots, earlier)
    assert "juge" in dispatcher.messages[0]["text"]
    assert "Étape 1 sur" not in said(dispatcher)
    assert slots_of(events) == {"for_whom": "relative", "relationship": "frère",
                                "speaker_asked": True}  # fmt: skip
    assert AGAIN not in said(dispatcher)


async def test_the_parking_card_follow_up_read_as_an_answer_is_a_question() -> None:
    slots = {"journey": "carte_mobilite", "journey_step": -1, "speaker_asked": True}
    earlier = before(
        "la carte pour se garer", "ask_mobility_card", "action_offer_journey", SPEAKER_QUESTION
    )
    text = "elle est valable combien de temps la carte ?"
    dispatcher, events = await say(ActionResolveReply(), "inform", text, slots, earlier)
    assert SOURCE in said(dispatcher) and "utter_noted" not in said(dispatcher)
    assert last(dispatcher)["text"] == f"{AGAIN}c'est pour vous-même ou pour un proche ?"
    assert all(e["event"] != "user" for e in events)  # not replayed as set_speaker


async def test_the_caregiver_speaking_of_their_job_is_not_taken_for_the_senior() -> None:
    slots = {"journey": "droits_aidant", "journey_step": -1, "speaker_asked": True}
    earlier = before(
        "j'ai 62 ans et je voudrais un congé", "ask_caregiver_support", "action_offer_journey",
        SPEAKER_QUESTION,
    )  # fmt: skip
    text = "mon patron a le droit de me refuser le congé ?"
    dispatcher, events = await say(
        ActionOfferJourney(), "ask_caregiver_support", text, slots, earlier
    )
    assert SOURCE in said(dispatcher)
    assert last(dispatcher)["text"].startswith(AGAIN)
    assert "for_whom" not in slots_of(events)


async def test_the_question_asked_again_is_not_asked_a_third_time() -> None:
    again = Reply(f"{AGAIN}c'est pour vous-même ou pour un proche ?", SPEAKER_QUESTION.buttons)
    earlier = before("c'est quoi l'apa", "ask_apa", "action_offer_journey", again)
    text = "faut-il déclarer l'apa aux impôts ?"
    dispatcher, _ = await say(ActionOfferJourney(), "ask_apa", text, APA_OVERVIEW, earlier)
    assert last(dispatcher)["text"].endswith(MENU_AFTER_ANSWER)
    assert AGAIN not in said(dispatcher)


async def test_a_question_about_another_aid_answered_makes_it_the_aid_talked_about() -> None:
    earlier = before("c'est quoi l'apa", "ask_apa", "action_offer_journey", SPEAKER_QUESTION)
    text = "et une maison de retraite, combien ça coûte par mois à peu près ?"
    dispatcher, events = await say(ActionJourneyCost(), "ask_cost", text, APA_OVERVIEW, earlier)
    assert "euros par jour" in dispatcher.messages[0]["text"]
    assert slots_of(events)["journey"] == "ehpad"
    assert last(dispatcher)["text"].startswith(AGAIN)


# --- The triage's questions -----------------------------------------------------------------

MOTHER = {"for_whom": "relative", "relationship": "mère", "speaker_asked": True}
STORY = "ma mère de 87 ans ne s'en sort plus seule"


def triage_waiting(stage: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    answers = {"for_whom": "relative", **({"age": 87} if stage != "age" else {})}
    slots = {**MOTHER, "triage": answers, "triage_stage": stage}
    [asked] = triage.question(stage, False, "votre mère")
    return slots, before(STORY, "report_autonomy_loss", "action_triage", asked)


@pytest.mark.parametrize(
    ("intent", "action"),
    [("report_autonomy_loss", ActionTriage()), ("ask_apa", ActionOfferJourney()),
     ("inform", ActionResolveReply()), ("repeat", ActionRepeat())],
)  # fmt: skip
async def test_during_the_triage_the_question_is_answered_and_where_she_lives_asked_again(
    intent: str, action: Action
) -> None:
    slots, earlier = triage_waiting("home")
    text = "et l'apa, faut il la déclarer aux impots ?"
    dispatcher, events = await say(action, intent, text, slots, earlier)
    assert "L'APA n'est pas imposable" in dispatcher.messages[0]["text"]
    assert last(dispatcher)["text"] == f"{AGAIN}où vit votre mère ?"
    assert last(dispatcher)["buttons"] == list(triage.HOME_BUTTONS)
    assert slots_of(events)["triage_stage"] == "home"
    assert slots_of(events)["journey"] == "apa_domicile"  # the aid now talked about


@pytest.mark.parametrize(
    ("intent", "action", "depends"),
    [("ask_cost", ActionJourneyCost(), "Les montants dépendent de l'aide"),
     ("ask_documents", ActionJourneyDocuments(), "Les papiers dépendent de l'aide")],
)  # fmt: skip
async def test_an_aspect_asked_before_the_aid_is_found_comes_after_the_questions(
    intent: str, action: Action, depends: str
) -> None:
    """Before: "Choisissez le sujet" and the nine topics, the triage dropped."""
    slots, earlier = triage_waiting("need")
    slots["triage"]["home"] = "at_home"  # answered: the need is asked
    text = "et ça coûterait combien à peu près, elle a 1400 euros de retraite"
    if intent == "ask_documents":
        text = "et il faudra quels papiers pour tout ça au juste"
    dispatcher, events = await say(action, intent, text, slots, earlier)
    said = [str(m.get("text")) for m in dispatcher.messages]
    assert said[0].startswith(depends)
    assert last(dispatcher)["text"] == f"{AGAIN}quelle phrase décrit le mieux le besoin d'aide ?"
    assert last(dispatcher)["buttons"]  # the choices of the question, kept
    assert slots_of(events)["triage_stage"] == "need"
    assert not any("Que puis-je faire pour vous" in t for t in said)


async def test_without_the_triage_an_aspect_with_no_aid_still_gets_the_topics() -> None:
    dispatcher, _ = await say(ActionJourneyCost(), "ask_cost", "ça coûte combien ?", {}, [])
    assert [m.get("response") for m in dispatcher.messages] == ["utter_cost", "utter_main_menu"]


async def test_a_question_that_also_gives_the_age_keeps_it_and_goes_on() -> None:
    slots, earlier = triage_waiting("age")
    text = "elle a 87 ans, est-ce que ses enfants devront payer quelque chose pour l'apa ?"
    dispatcher, events = await say(ActionTriage(), "report_autonomy_loss", text, slots, earlier)
    assert dispatcher.messages[0]["text"].startswith("Non.")  # the children pay nothing
    assert slots_of(events)["triage"]["age"] == 87  # the age is kept: the next question
    assert slots_of(events)["triage_stage"] == "home"
    assert last(dispatcher)["text"] == "Où vit votre mère ?"


async def test_an_answer_and_a_question_in_one_message_get_both_heard() -> None:
    """Before: a short message with the answer in it was the answer, its question lost."""
    slots, earlier = triage_waiting("home")
    text = "elle vit chez elle, faut-il déclarer l'apa aux impôts ?"
    dispatcher, events = await say(ActionTriage(), "report_autonomy_loss", text, slots, earlier)
    assert "L'APA n'est pas imposable" in dispatcher.messages[0]["text"]
    assert slots_of(events)["triage"]["home"] == "at_home"
    assert slots_of(events)["triage_stage"] == "need"
    assert last(dispatcher)["text"] == "Quelle phrase décrit le mieux le besoin d'aide ?"


# --- The estimates' questions ---------------------------------------------------------------


async def test_during_the_apa_estimate_the_question_is_answered_the_income_asked_again() -> None:
    slots = {**APA_OVERVIEW, "for_whom": "self", "estimate_stage": "income", "gir_band": "3-4"}
    [asked] = apa_estimate.income_question(Speaker(who.SELF))
    earlier = before("je vis seule", "inform", "action_resolve_reply", asked)
    text = "et au final qui décide du montant, c'est vous ?"
    dispatcher, events = await say(ActionJourneyCost(), "ask_cost", text, slots, earlier)
    assert dispatcher.messages[0]["text"].startswith("Le président du Département.")
    assert "Je n'ai pas compris le montant" not in said(dispatcher)
    assert last(dispatcher)["text"] == f"{AGAIN}quels sont vos revenus par mois, à peu près ?"
    assert last(dispatcher)["buttons"] == list(asked.buttons)
    assert "estimate_stage" not in slots_of(events)  # still waiting for the income


async def test_during_the_nursing_home_estimate_the_recovery_question_is_answered() -> None:
    slots = {"journey": "ehpad", "journey_step": -1, "for_whom": "relative",
             "relationship": "père", "estimate_stage": ehpad_estimate.STAGE}  # fmt: skip
    [asked] = ehpad_estimate.income_question(Speaker(who.RELATIVE, "père"))
    earlier = before("faire une estimation", "ask_cost", "action_journey_cost", asked)
    text = "l'aide sociale ils la reprennent sur la maison après ?"
    dispatcher, _ = await say(ActionResolveReply(), "inform", text, slots, earlier)
    assert SOURCE in said(dispatcher)
    assert last(dispatcher)["text"] == (
        f"{AGAIN}quels sont les revenus de votre père par mois, à peu près ?"
    )


async def test_during_the_household_question_a_tax_question_is_answered() -> None:
    slots = {**APA_OVERVIEW, "for_whom": "self", "estimate_stage": "household", "gir_band": "1-2"}
    [asked] = apa_estimate.household_question(Speaker(who.SELF))
    earlier = before("une estimation", "ask_cost", "action_journey_cost", asked)
    text = "faut-il déclarer l'apa aux impôts ?"
    dispatcher, _ = await say(ActionJourneyCost(), "ask_cost", text, slots, earlier)
    assert "L'APA n'est pas imposable" in dispatcher.messages[0]["text"]
    assert last(dispatcher)["text"] == f"{AGAIN}vivez-vous seul ou en couple ?"


# --- Answers stay answers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entities", "for_whom", "relationship"),
    [
        ("pour ma mère", [{"entity": "relationship", "value": "mère"}], "relative", "mère"),
        ("moi", [], "self", None),
        ("c'est pour moi ?", [], "self", None),
    ],
)
async def test_an_answer_to_who_the_help_is_for_is_still_the_answer(
    text: str, entities: list[dict[str, Any]], for_whom: str, relationship: str | None
) -> None:
    earlier = before(SENIOR_FIRST, "ask_apa", "action_offer_journey", SPEAKER_QUESTION)
    dispatcher, events = await say(
        ActionResolveReply(), "inform", text, APA_OVERVIEW, earlier, entities
    )
    replayed = events[-1]
    assert replayed["event"] == "user" and replayed["parse_data"]["intent"]["name"] == "set_speaker"
    given = {e["entity"]: e["value"] for e in replayed["parse_data"]["entities"]}
    assert given.get("for_whom") == for_whom and given.get("relationship") == relationship
    assert dispatcher.messages == []


@pytest.mark.parametrize("text", ["à domicile", "à domicile ?", "elle est chez elle"])
async def test_an_answer_to_where_she_lives_is_still_the_answer(text: str) -> None:
    slots, earlier = triage_waiting("home")
    dispatcher, events = await say(ActionTriage(), "report_autonomy_loss", text, slots, earlier)
    assert slots_of(events)["triage_stage"] == "need"  # answered: the next question
    assert AGAIN not in said(dispatcher) and SOURCE not in said(dispatcher)


@pytest.mark.parametrize("text", ["gir 2 ?", "elle a 87 ans ?", "à domicile ?", "en couple ?"])
async def test_an_answer_with_a_question_mark_is_not_a_question_of_its_own(text: str) -> None:
    """They match questions of the bank surely; said to "pour vous-même ou pour un proche ?",
    they answer (or try to), they do not ask."""
    earlier = before("c'est quoi l'apa", "ask_apa", "action_offer_journey", SPEAKER_QUESTION)
    tracker = message_tracker("inform", APA_OVERVIEW, text=text, events=earlier)
    assert question_aside(tracker) is None


async def test_figures_given_during_the_estimate_go_on_with_the_estimate() -> None:
    slots = {**APA_OVERVIEW, "for_whom": "self", "estimate_stage": "household", "gir_band": "3-4"}
    [asked] = apa_estimate.household_question(Speaker(who.SELF))
    earlier = before("une estimation", "ask_cost", "action_journey_cost", asked)
    text = "je vis seule, ça ferait combien à peu près ?"
    dispatcher, events = await say(ActionJourneyCost(), "ask_cost", text, slots, earlier)
    assert slots_of(events)["estimate_stage"] == "income"
    assert SOURCE not in said(dispatcher)


async def test_without_a_question_waiting_the_cost_question_is_answered_as_before() -> None:
    slots = {"journey": "apa_domicile", "journey_step": -1, "for_whom": "self"}
    menu = Reply("Que voulez-vous savoir ?", ({"title": "Le menu", "payload": "/help"},))
    earlier = before("c'est quoi l'apa", "ask_apa", "action_offer_journey", menu)
    dispatcher, _ = await say(ActionJourneyCost(), "ask_cost", "combien ça coûte ?", slots, earlier)
    assert said(dispatcher).startswith(AMOUNTS)


async def test_right_after_the_plan_an_aspect_is_given_for_the_aid_advised_first() -> None:
    """The promise kept: "je vous les donne dès que nous l'aurons trouvée"."""
    answers = {"for_whom": "relative", "age": 88, "home": "at_home", "need": "daily_care",
               "postcode": triage.SKIPPED}  # fmt: skip
    slots = {**MOTHER, "triage": answers, "triage_stage": None}
    dispatcher, events = await say(
        ActionJourneyCost(), "ask_cost", "combien on paierait alors", slots, []
    )
    said = " ".join(str(m.get("text")) for m in dispatcher.messages)
    assert slots_of(events)["journey"] == "apa_domicile"
    assert "Choisissez le sujet" not in said and "utter_cost" not in str(dispatcher.messages)
    assert "euros par mois" in said and SOURCE in said  # what one pays for the APA at home


async def test_a_senior_telling_of_herself_is_not_asked_who_it_is_for() -> None:
    text = "jai 86 ans je vis seule a st nazaire et je narrive plus a faire mes courses"
    dispatcher, events = await say(ActionTriage(), "report_autonomy_loss", text, {}, [])
    said = " ".join(str(m.get("text")) for m in dispatcher.messages)
    assert slots_of(events)["for_whom"] == "self"
    assert "pour vous ou pour un proche" not in said
    assert slots_of(events)["triage_stage"] not in (None, "for_whom", "age")


async def test_the_answer_to_another_triage_question_is_kept_and_the_question_asked_again() -> None:
    """Before: the whole opening again ("Je suis désolé…") and the same question."""
    [asked] = triage.question("for_whom", False, None)
    earlier = before("ça ne va plus à la maison", "report_autonomy_loss", "action_triage", asked)
    slots = {"triage": {"age": 86}, "triage_stage": "for_whom"}
    dispatcher, events = await say(
        ActionTriage(), "report_autonomy_loss", "un coup de main parfois", slots, earlier
    )
    said = [str(m.get("text")) for m in dispatcher.messages]
    assert said[0].startswith("C'est noté : un coup de main parfois.")
    assert "Je suis désolé" not in " ".join(said)
    assert slots_of(events)["triage"]["need"] == "occasional"
    assert len(dispatcher.messages) == 1 and dispatcher.messages[0]["buttons"]


async def test_a_place_given_earlier_is_not_said_back_at_each_answer() -> None:
    """Before: "C'est noté : st nazaire." at every answer, the same question each time."""
    slots, earlier = triage_waiting("home")
    slots["commune"] = "Saint-Nazaire"  # given in the first message
    dispatcher, events = await say(
        ActionTriage(), "report_autonomy_loss", "un coup de main parfois", slots, earlier
    )
    said = str(dispatcher.messages[0]["text"])
    assert said.startswith("C'est noté : un coup de main parfois.")
    assert "Saint-Nazaire" not in said
    assert slots_of(events)["triage"]["need"] == "occasional"
