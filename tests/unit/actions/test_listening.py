"""Issue 12, the questions people actually ask: the precise question answered rather than the
overview, two close questions (the best answered, the other offered), the other topic of a
message that mixes two needs offered, and a cost question naming another topic."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.journeys import ActionJourneyCost, ActionOfferJourney
from seniorplus.dialogue.asks import named_topics, other_topic
from tests.unit.trackers import message_tracker, slots_of

RELATIVE = {"for_whom": "relative", "relationship": "mère"}


async def offer(
    intent: str, text: str, entities: list[dict[str, Any]] | None = None
) -> tuple[CollectingDispatcher, dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    tracker = message_tracker(intent, dict(RELATIVE), entities, text=text, events=[])
    events = await ActionOfferJourney().run(dispatcher, tracker, {})
    return dispatcher, slots_of(events)


def said(dispatcher: CollectingDispatcher) -> str:
    return " ".join(m["text"] for m in dispatcher.messages)


def buttons(dispatcher: CollectingDispatcher) -> list[dict[str, str]]:
    return [b for m in dispatcher.messages for b in m.get("buttons") or []]


async def test_who_decides_the_apa_amount_is_answered_with_its_source() -> None:
    dispatcher, slots = await offer("ask_apa", "qui décide au final du montant de l'apa de papa ?")
    assert said(dispatcher).startswith("Le président du Département.")
    assert "Source : CASF art. L232-14" in said(dispatcher)
    assert slots["journey"] == "apa_domicile"


async def test_changing_the_curator_is_answered_not_the_renewal() -> None:
    text = "la curatrice de ma mère ne rappelle jamais, on a le droit d'en demander une autre ?"
    dispatcher, _ = await offer("ask_legal_protection", text)
    assert said(dispatcher).startswith("Oui, c'est le juge qui décide.")
    assert "renouvellement" not in said(dispatcher)


async def test_the_apa_in_an_ehpad_asked_from_home_is_answered_from_that_journey() -> None:
    text = "ma mère quitte sa maison pour un ehpad en janvier, son apa continue ?"
    dispatcher, slots = await offer("ask_apa", text)
    assert "APA en établissement" in said(dispatcher)
    assert slots["journey"] == "apa_etablissement"


async def test_two_close_questions_answer_the_best_and_offer_the_other() -> None:
    text = "l'ajpa c'est combien de jours et combien par jour ?"  # two questions in one
    dispatcher, _ = await offer("ask_caregiver_support", text)
    assert "demi-journée" in dispatcher.messages[0]["text"]  # the amount, then the days
    offered = buttons(dispatcher)[0]
    assert offered["title"] == "Combien de jours d'AJPA au maximum ?"
    assert '"choice": "aid_ajpa_jours"' in offered["payload"]

    chosen = [
        {"entity": "journey", "value": "droits_aidant"},
        {"entity": "choice", "value": "aid_ajpa_jours"},
    ]
    dispatcher, slots = await offer("ask_caregiver_support", offered["payload"], chosen)
    assert dispatcher.messages[0]["text"].startswith("22 jours par mois au plus.")
    assert slots["journey"] == "droits_aidant"


async def test_a_choice_of_another_journey_is_not_taken_for_a_question() -> None:
    chosen = [
        {"entity": "journey", "value": "droits_aidant"},
        {"entity": "choice", "value": "prot_changer"},  # not a question of this journey
    ]
    payload = '/ask_caregiver_support{"journey": "droits_aidant", "choice": "prot_changer"}'
    dispatcher, _ = await offer("ask_caregiver_support", payload, chosen)
    assert "juge" not in said(dispatcher)


async def test_a_message_with_two_needs_answers_one_and_offers_the_other() -> None:
    text = (
        "Ma mère est sous curatelle depuis l'an dernier et elle doit entrer en EHPAD à Vallet. "
        "Sa retraite ne suffira pas à payer. Que faire quand la retraite ne suffit pas ?"
    )
    dispatcher, slots = await offer("ask_nursing_home", text)
    assert slots["journey"] == "ehpad"
    assert "Protéger un proche par le juge" in dispatcher.messages[-1]["text"]
    offered = {b["payload"] for b in buttons(dispatcher)}
    assert '/ask_legal_protection{"journey": "protection_juridique"}' in offered
    assert dispatcher.messages[-1]["buttons"][-1]["title"] == "Le menu"  # still last


async def test_a_message_with_one_need_offers_nothing_else() -> None:
    text = "ma mère touche l'apa à domicile, combien coûte la téléassistance par mois ?"
    dispatcher, _ = await offer("ask_home_services", text)
    assert "Vous parlez aussi" not in said(dispatcher)  # the APA is a fact here, not a need


async def test_a_cost_question_on_another_topic_during_a_journey_answers_that_topic() -> None:
    dispatcher = CollectingDispatcher()
    text = "et l'allocation journalière du proche aidant, elle paie combien par jour ?"
    slots = {**RELATIVE, "journey": "apa_domicile", "journey_step": 1}
    tracker = message_tracker("ask_cost", slots, text=text, events=[])
    events = await ActionJourneyCost().run(dispatcher, tracker, {})
    assert "demi-journée" in dispatcher.messages[0]["text"]
    assert slots_of(events)["journey"] == "droits_aidant"


async def test_the_tax_credit_for_home_help_is_answered_without_a_journey() -> None:
    dispatcher = CollectingDispatcher()
    text = "on récupère combien aux impôts sur les heures d'aide à domicile de ma mère ?"
    tracker = message_tracker("ask_cost", dict(RELATIVE), text=text, events=[])
    events = await ActionJourneyCost().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"].startswith("Oui, en principe : 50 %")
    assert slots_of(events)["journey"] == "services_domicile"


def test_the_topics_named_are_read_in_order_and_the_apa_is_never_offered() -> None:
    text = "pour la curatelle de maman et la place en ehpad, avec son apa"
    assert named_topics(text) == ["ask_legal_protection", "ask_nursing_home", "ask_apa"]
    assert other_topic(text, "ask_legal_protection") == "ask_nursing_home"
    assert other_topic("garde-t-on l'apa en ehpad ?", "ask_apa") is None
    assert other_topic("changer de tuteur, et l'ajpa ?", "ask_legal_protection") == (
        "ask_caregiver_support"
    )
