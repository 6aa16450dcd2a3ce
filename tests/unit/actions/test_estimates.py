"""The APA estimate exchange with a hand-built Tracker: what is asked, what is used."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionResolveReply
from actions.journeys import ActionJourneyCost
from tests.unit.trackers import message_tracker, slots_of

APA = {"journey": "apa_domicile", "journey_step": 1}


def said(dispatcher: CollectingDispatcher) -> str:
    return " ".join(m["text"] for m in dispatcher.messages)


def user(text: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "ask_apa"}}}


async def cost(slots: dict[str, Any], entities: list[dict[str, Any]], **kw: Any) -> Any:
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("ask_cost", slots, entities, **kw)
    events = await ActionJourneyCost().run(dispatcher, tracker, {})
    return dispatcher, slots_of(events)


async def reply(slots: dict[str, Any], text: str, intent: str = "inform") -> Any:
    dispatcher = CollectingDispatcher()
    tracker = message_tracker(intent, slots, text=text)
    events = await ActionResolveReply().run(dispatcher, tracker, {})
    return dispatcher, slots_of(events)


async def test_nothing_known_the_help_then_the_household_then_the_income() -> None:
    dispatcher, slots = await cost(APA, [{"entity": "estimate", "value": "apa"}])
    assert slots["estimate_stage"] == "gir" and len(dispatcher.messages[0]["buttons"]) == 3

    dispatcher, slots = await cost(APA, [{"entity": "gir_band", "value": "3-4"}])
    assert slots["gir_band"] == "3-4" and slots["estimate_stage"] == "household"
    assert "vit-elle seule ou en couple ?" in said(dispatcher)
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads[1] == '/ask_cost{"home": "couple"}'

    waiting = {**APA, "gir_band": "3-4", "estimate_stage": "household"}
    dispatcher, slots = await cost(waiting, [{"entity": "home", "value": "couple"}])
    assert slots["estimate_stage"] == "income" and "revenus du couple" in said(dispatcher)
    assert slots["triage"]["facts"] == {"household": "couple"}


async def test_a_couple_pays_much_less_than_one_person_with_the_same_income() -> None:
    base = {**APA, "gir_band": "3-4", "estimate_stage": "income"}
    alone = {**base, "triage": {"facts": {"household": "seul"}, "facts_read": 1}}
    couple = {**base, "triage": {"facts": {"household": "couple"}, "facts_read": 1}}
    one, _ = await reply(alone, "2000 euros")
    two, slots = await reply(couple, "2000 euros")
    assert "Avec 2 000 euros par mois, seul(e) : selon notre estimation" in said(one)
    assert "Avec 2 000 euros par mois, en couple :" in said(two)
    assert slots["estimate_stage"] is None and slots["triage"]["facts"]["income"] == "2000"
    # GIR 3-4, whole plan used: 2 000 alone leaves 250-334 euros; a couple counts 2 000 / 1.7
    assert "250 à 334 euros" in said(one) and "49 à 59 euros" in said(two)


async def test_a_yearly_income_is_said_back_per_year_and_per_month() -> None:
    waiting = {**APA, "gir_band": "1-2", "estimate_stage": "income",
               "triage": {"facts": {"household": "couple"}, "facts_read": 1}}  # fmt: skip
    dispatcher, slots = await reply(waiting, "quinze mille six cents euros par an")
    assert "Avec 15 600 euros par an (1 300 euros par mois), en couple" in said(dispatcher)
    assert slots["triage"]["facts"]["income_yearly"] is True


async def test_facts_given_earlier_are_not_asked_again() -> None:
    earlier = [user("mon père est en GIR 3 et touche 1 300 € par mois, il vit seul")]
    dispatcher, slots = await cost(
        {**APA, "relationship": "père", "for_whom": "relative"},
        [{"entity": "estimate", "value": "apa"}],
        text="/ask_cost",
        events=earlier,
    )
    assert slots["gir_band"] == "3" and slots["estimate_stage"] is None
    assert said(dispatcher).startswith("Avec 1 300 euros par mois, seul : selon")
    assert "GIR 3 " in said(dispatcher)


async def test_a_correction_replaces_the_fact_heard_before() -> None:
    history = [user("ma mère a 78 ans et 900 euros de retraite"),
               user("non pardon, elle touche 1 250 euros par mois")]  # fmt: skip
    waiting = {**APA, "gir_band": "3-4", "estimate_stage": "household",
               "relationship": "mère", "for_whom": "relative"}  # fmt: skip
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("inform", waiting, text="elle vit seule", events=history)
    events = await ActionResolveReply().run(dispatcher, tracker, {})
    assert "Avec 1 250 euros par mois, seule :" in said(dispatcher)
    assert slots_of(events)["triage"]["facts"]["household"] == "seul"


async def test_the_household_typed_or_not_known() -> None:
    waiting = {**APA, "gir_band": "3-4", "estimate_stage": "household"}
    dispatcher, slots = await reply(waiting, "avec mon mari", intent="ask_caregiver_support")
    assert slots["estimate_stage"] == "income" and slots["triage"]["facts"]["household"] == "couple"

    dispatcher, slots = await reply(waiting, "je sais pas trop", intent="deny")
    assert slots["estimate_stage"] == "income" and slots["triage"]["facts_skipped"] == ["household"]

    dispatcher, slots = await reply(waiting, "bof", intent="deny")
    assert slots == {} and "Je n'ai pas compris" in said(dispatcher)

    skipped = {**waiting, "estimate_stage": "income",
               "triage": {"facts_skipped": ["household"]}}  # fmt: skip
    dispatcher, _ = await reply(skipped, "1500")
    assert "calculé pour une personne seule" in said(dispatcher)


async def test_the_help_needed_typed_in_words_or_another_fact_given_instead() -> None:
    mum = {**APA, "estimate_stage": "gir", "relationship": "mère", "for_whom": "relative"}
    dispatcher, slots = await reply(mum, "elle a besoin d'aide pour sa toilette chaque matin")
    assert slots["gir_band"] == "3-4" and slots["estimate_stage"] == "household"

    dispatcher, slots = await reply(mum, "seule")  # the household, given for another question
    assert said(dispatcher).startswith("C'est noté : votre mère, seule. Pour une estimation")
    assert slots["triage"]["facts"]["household"] == "seul" and "estimate_stage" not in slots
    assert len(dispatcher.messages[0]["buttons"]) == 3  # the help question again

    dispatcher, slots = await reply(mum, "bof", intent="deny")
    assert said(dispatcher).startswith("Je n'ai pas bien compris. Pour une estimation")

    dispatcher, slots = await reply(mum, "juste le ménage et les courses")
    assert "(APA) n'est alors pas versée" in said(dispatcher)
    assert "caisse de retraite peut aider votre mère" in said(dispatcher)
    assert slots["estimate_stage"] is None
    assert "caisse_retraite" in dispatcher.messages[0]["buttons"][0]["payload"]


async def test_the_help_answer_is_heard_whatever_intent_the_model_saw() -> None:
    from actions.triage import ActionTriage

    waiting = {**APA, "estimate_stage": "gir", "for_whom": "self"}
    dispatcher = CollectingDispatcher()
    text = "j'ai besoin d'aide tout le temps"
    tracker = message_tracker("report_autonomy_loss", waiting, text=text, events=[])
    events = await ActionTriage().run(dispatcher, tracker, {})
    assert slots_of(events)["gir_band"] == "1-2"
    assert "Vivez-vous seul ou en couple ?" in said(dispatcher)


async def test_an_unknown_income_gives_the_ceilings() -> None:
    waiting = {**APA, "gir_band": "3-4", "estimate_stage": "income"}
    dispatcher, slots = await cost(waiting, [{"entity": "income", "value": "inconnu"}])
    assert slots["estimate_stage"] is None and "jusqu'à environ" in said(dispatcher)

    dispatcher, slots = await reply(waiting, "bof")
    assert slots == {} and "pas compris le montant" in said(dispatcher)


async def test_an_impossible_income_is_refused_kindly() -> None:
    waiting = {**APA, "gir_band": "3-4", "estimate_stage": "income"}
    for text in ("500 000 euros", "35000 par mois"):
        dispatcher, slots = await reply(waiting, text)
        assert slots == {} and "cela semble beaucoup" in said(dispatcher), text
    dispatcher, slots = await reply(waiting, "35 000 euros par an")  # per year: 2 916,67
    assert slots["estimate_stage"] is None and "Avec 35 000 euros par an" in said(dispatcher)


async def test_a_question_with_the_gir_and_the_income_gets_the_estimate_at_once() -> None:
    text = "mon père est en GIR 3 et touche mille trois cents euros par mois, combien d'APA ?"
    dispatcher, slots = await cost({"relationship": "père"}, [], text=text, events=[])
    assert slots["journey"] == "apa_domicile" and slots["gir_band"] == "3"
    assert slots["estimate_stage"] == "household"
    assert said(dispatcher).startswith("Votre père vit-il seul ou en couple ?")
    heard = slots["triage"]["facts"]
    assert Decimal(heard["income"]) == 1300 and heard["gir"] == 3

    dispatcher, slots = await cost({}, [], text="ça coûte combien ?", events=[])
    assert "journey" not in slots  # no fact, no APA: the general answer as before


async def test_the_help_described_in_the_question_is_used_for_the_estimate() -> None:
    text = "ma mère ne peut plus faire sa toilette seule, combien d'APA pourrait-elle toucher ?"
    dispatcher, slots = await cost({"relationship": "mère"}, [], text=text, events=[])
    assert slots["journey"] == "apa_domicile" and slots["gir_band"] == "3-4"
    assert slots["estimate_stage"] == "household"  # the help question is not asked
    assert "quelle phrase" not in said(dispatcher)
    assert slots["triage"]["facts"]["need"] == "daily_care"

    text = "elle n'a pas besoin d'aide pour la toilette, combien d'APA ?"
    dispatcher, slots = await cost({"relationship": "mère"}, [], text=text, events=[])
    assert "gir_band" not in slots and "estimate_stage" not in slots  # nothing heard to use


async def test_inside_the_apa_journey_a_message_with_the_facts_starts_the_estimate() -> None:
    text = "elle est gir 4 et touche 1 100 euros par mois, elle vit seule, ça ferait combien"
    slots = {**APA, "relationship": "mère", "for_whom": "relative"}
    dispatcher, got = await cost(slots, [], text=text, events=[])
    assert got["estimate_stage"] is None and got["gir_band"] == "4"
    assert said(dispatcher).startswith("Avec 1 100 euros par mois, seule : selon")
