"""A topic and a question in one message: the question answered at once (the bank), the
application opened, or step 1; a message that asks nothing gets the overview."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.journeys import ActionOfferJourney
from tests.unit.trackers import message_tracker, slots_of


async def offer(intent: str, text: str, slots: dict[str, object] | None = None) -> tuple:
    dispatcher = CollectingDispatcher()
    tracker = message_tracker(intent, dict(slots or {}), text=text, events=[])
    events = await ActionOfferJourney().run(dispatcher, tracker, {})
    return dispatcher, events


async def test_a_question_of_the_bank_gets_its_answer_with_source_and_year() -> None:
    text = "ma grand-mère est gir 2 et vit chez elle, si elle a l'apa faudra la rendre à sa mort ?"
    dispatcher, events = await offer("ask_apa", text)
    first, second = (m["text"] for m in dispatcher.messages)
    assert first.startswith("Non.") and "jamais reprise sur l'héritage" in first
    assert second.startswith("Source : ") and "(2026)" in second
    titles = [b["title"] for b in dispatcher.messages[1]["buttons"]]
    assert titles[0] == "Voir les étapes" and "Tout sur cette aide" in titles
    assert slots_of(events)["journey"] == "apa_domicile"


async def test_an_application_opens_the_case_and_steps_start_step_one(database_url: str) -> None:
    dispatcher, events = await offer(
        "ask_apa", "je souhaiterais déposer une demande d'APA pour mon père"
    )
    slots = slots_of(events)
    assert slots["journey"] == "apa_domicile" and slots["relationship"] == "père"
    assert str(slots["case_reference"]).startswith("SP-")
    assert "le dossier de votre père" in " ".join(m["text"] for m in dispatcher.messages)

    dispatcher, events = await offer(
        "ask_legal_protection", "quelles sont les étapes pour une curatelle"
    )
    slots = slots_of(events)
    assert slots["journey"] == "protection_juridique" and slots["journey_step"] == 0
    assert "Étape 1 sur" in " ".join(m["text"] for m in dispatcher.messages)


async def test_a_message_that_asks_nothing_gets_the_overview() -> None:
    dispatcher, _ = await offer("ask_apa", "l'apa", {"for_whom": "self"})
    assert "Que voulez-vous savoir ?" in dispatcher.messages[-1]["text"]
    button = '/ask_apa{"journey": "apa_domicile"}'
    dispatcher, _ = await offer("ask_apa", button, {"journey": "apa_domicile", "for_whom": "self"})
    assert not any(m["text"].startswith("Source") for m in dispatcher.messages)


async def test_a_cost_or_papers_question_naming_its_topic_is_answered_for_that_topic() -> None:
    from actions.journeys import ActionJourneyCost, ActionJourneyDocuments

    dispatcher = CollectingDispatcher()
    text = "une maison de retraite près de Nantes ça revient à combien par mois ?"
    events = await ActionJourneyCost().run(
        dispatcher, message_tracker("ask_cost", {}, text=text, events=[]), {}
    )
    assert slots_of(events)["journey"] == "ehpad"
    assert "euros" in " ".join(m["text"] for m in dispatcher.messages)

    dispatcher = CollectingDispatcher()
    text = "il faut fournir quels documents pour une mise sous tutelle"
    events = await ActionJourneyDocuments().run(
        dispatcher, message_tracker("ask_documents", {}, text=text, events=[]), {}
    )
    assert slots_of(events)["journey"] == "protection_juridique"
    assert "utter_documents" not in [m.get("response") for m in dispatcher.messages]


async def test_the_papers_asked_are_listed_rather_than_a_close_call_of_the_bank() -> None:
    from actions.journeys import ActionJourneyDocuments

    text = "quels justificatifs pour l'inscription de ma mère en ehpad ?"
    dispatcher = CollectingDispatcher()
    events = await ActionJourneyDocuments().run(
        dispatcher, message_tracker("ask_documents", {}, text=text, events=[]), {}
    )
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "pièce d'identité" in said and "plusieurs EHPAD" not in said
    assert slots_of(events)["journey"] == "ehpad"


async def test_an_apa_amount_question_with_the_facts_starts_the_estimate() -> None:
    text = "mon mari est en gir deux avec deux mille cent euros par mois, combien d'apa il aurait"
    dispatcher, events = await offer("ask_apa", text)
    slots = slots_of(events)
    assert slots["journey"] == "apa_domicile" and slots["estimate_stage"] == "household"
    assert dispatcher.messages[0]["text"].startswith("Votre mari vit-il seul ou en couple ?")


async def test_a_button_title_typed_in_full_is_the_choice_not_a_question() -> None:
    from tests.unit.trackers import after_question

    title = "Combien coûte un EHPAD ?"  # a bank question offered as a choice
    earlier = after_question("Que voulez-vous savoir ?", [
        {"title": title, "payload": '/ask_nursing_home{"journey": "ehpad"}'}])  # fmt: skip
    dispatcher = CollectingDispatcher()
    slots = {"for_whom": "self"}
    tracker = message_tracker("ask_nursing_home", slots, text=title, events=earlier)
    await ActionOfferJourney().run(dispatcher, tracker, {})
    assert dispatcher.messages[-1]["text"] == "Que voulez-vous savoir ?"  # the overview
    alone = message_tracker("ask_nursing_home", slots, text=title, events=[])
    dispatcher = CollectingDispatcher()
    await ActionOfferJourney().run(dispatcher, alone, {})  # asked, not chosen: the answer
    assert dispatcher.messages[-1]["text"].startswith("Source : ")


async def test_a_question_the_bank_is_not_sure_of_gets_the_overview_and_its_two_nearest() -> None:
    text = (
        "mon père ne marche presque plus depuis sa chute, pour avoir la carte de "
        "stationnement, on la demande où exactement ?"
    )
    dispatcher, _ = await offer("ask_mobility_card", text, {"for_whom": "relative"})
    last = dispatcher.messages[-1]
    assert last["text"].startswith("Votre question est peut-être l'une de celles-ci.")
    offered = [b["payload"] for b in last["buttons"][:2]]
    assert all('"choice": "cmi_' in p for p in offered)
    assert any("cmi_ou_demander" in p for p in offered)


async def test_a_story_that_asks_nothing_gets_the_overview_alone() -> None:
    text = "ma mère marche très mal depuis l'hiver et ne sort plus beaucoup"
    dispatcher, _ = await offer("ask_mobility_card", text, {"for_whom": "relative"})
    assert dispatcher.messages[-1]["text"] == "Que voulez-vous savoir ?"


async def test_who_decides_the_amount_of_the_pension_fund_help_gets_its_answer() -> None:
    from actions.journeys import ActionJourneyCost

    slots = {"journey": "caisse_retraite", "journey_step": -1, "for_whom": "self"}
    dispatcher = CollectingDispatcher()
    text = "et qui décide combien ils me donnent ?"
    await ActionJourneyCost().run(dispatcher, message_tracker("ask_cost", slots, text=text), {})
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "La caisse de retraite, en principe." in said and "Les montants" not in said


async def test_a_widow_who_tells_of_herself_is_not_asked_about_her_late_husband() -> None:
    text = (
        "j'ai 86 ans et je vis seule depuis que mon mari est décédé, la caisse de retraite "
        "peut-elle payer quelqu'un pour les courses ?"
    )
    entities = [{"entity": "relationship", "value": "mari"}]
    dispatcher = CollectingDispatcher()
    tracker = message_tracker(
        "ask_retirement_fund_help", {"relationship": "mari"}, entities, text=text, events=[]
    )
    events = await ActionOfferJourney().run(dispatcher, tracker, {})
    assert slots_of(events)["for_whom"] == "self" and slots_of(events)["relationship"] is None
    assert "votre mari" not in " ".join(m.get("text") or "" for m in dispatcher.messages)
