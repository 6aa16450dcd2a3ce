"""The triage hears facts once: from the first long message, a town given for another
question, "je sais pas", a correction, a short answer taken for another topic."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionFallback, ActionResolveReply
from actions.journeys import ActionOfferJourney
from actions.triage import ActionTriage
from tests.unit.trackers import answers_of, message_tracker, slots_of

MUM = {"relationship": "mère", "for_whom": "relative"}


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("text") or m.get("response") for m in dispatcher.messages]


async def test_facts_of_the_first_long_message_are_said_back_and_not_asked() -> None:
    first = (
        "bonsoir je vous écris pour ma maman qui a quatre vingt sept ans, elle vit seule "
        "chez elle et depuis sa chute elle a besoin d'aide pour sa toilette tous les jours"
    )
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("report_autonomy_loss", {}, text=first, events=[])
    events = await ActionTriage().run(dispatcher, tracker, {})
    said = texts(dispatcher)
    assert said[1] == (
        "J'ai noté : votre mère, 87 ans, seule, à domicile, "
        "besoin d'aide chaque jour (toilette, habillage)."
    )
    answers = answers_of(slots_of(events)["triage"])
    assert answers == {"for_whom": "relative", "age": 87, "home": "at_home", "need": "daily_care"}
    assert slots_of(events)["triage_stage"] == "postcode"  # age, home and the help: not asked
    assert "Quel âge" not in " ".join(said) and "Où vit" not in " ".join(said)


async def test_a_widow_naming_her_late_husband_is_helped_for_herself() -> None:
    story = (
        "bonjour j'ai 84 ans je vis seule à St Nazaire depuis que mon mari est parti, je "
        "n'arrive plus à faire le ménage ni les courses, qu'est-ce que je peux avoir ?"
    )
    named = [{"entity": "relationship", "value": "mari"}]  # what the model reads, and
    slots = {"relationship": "mari"}  # what Rasa's slot mapping fills from it
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("report_autonomy_loss", slots, named, text=story, events=[])
    events = await ActionTriage().run(dispatcher, tracker, {})
    said = " ".join(texts(dispatcher))
    assert "J'ai noté : 84 ans, personne seule, à domicile, Saint-Nazaire." in said
    assert "mari" not in said and "Où vivez-vous" not in said
    assert slots_of(events)["for_whom"] == "self"
    assert slots_of(events)["relationship"] is None
    assert answers_of(slots_of(events)["triage"])["home"] == "at_home"
    assert slots_of(events)["commune"] == "Saint-Nazaire"  # read in her words: not asked


async def test_the_town_for_where_she_lives_is_kept_and_the_question_asked_plainly() -> None:
    waiting = {**MUM, "triage": {"for_whom": "relative", "age": 87}, "triage_stage": "home"}
    town = [{"entity": "commune", "value": "Clisson"}]
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("inform", waiting, town, text="à Clisson")
    events = await ActionResolveReply().run(dispatcher, tracker, {})
    assert answers_of(slots_of(events)["triage"])["commune"] == "Clisson"
    assert "triage_stage" not in slots_of(events)  # still waiting for the same answer
    [asked] = dispatcher.messages
    assert asked["text"] == (
        "C'est noté : Clisson. Et votre mère vit à domicile, ou en maison de retraite ?"
    )
    assert asked["buttons"][0]["title"] == "À domicile"  # typed in full, the button itself

    kept = {**waiting, "triage": answers_of(slots_of(events)["triage"])}
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("ask_home_services", kept, text="elle est chez elle")
    events = await ActionOfferJourney().run(dispatcher, tracker, {})
    assert answers_of(slots_of(events)["triage"])["home"] == "at_home"
    assert slots_of(events)["triage_stage"] == "need"  # the postcode is not asked: the town is


async def test_the_town_answers_the_last_question_instead_of_a_postcode() -> None:
    answered = {"for_whom": "relative", "age": 87, "home": "at_home", "need": "daily_care"}
    waiting = {**MUM, "triage": answered, "triage_stage": "postcode"}
    for text, intent in (("Clisson", "inform"), ("elle habite à st sébastien", "nlu_fallback")):
        dispatcher = CollectingDispatcher()
        tracker = message_tracker(intent, waiting, text=text)  # no entity from the model
        action = ActionResolveReply() if intent == "inform" else ActionFallback()
        events = await action.run(dispatcher, tracker, {})
        slots = slots_of(events)
        assert slots["triage_stage"] is None, text
        assert slots["commune"] == answers_of(slots["triage"])["commune"] != "", text
        assert "Je vous conseille" in texts(dispatcher)[-1]
    assert slots["commune"] == "Saint-Sébastien-sur-Loire"

    dispatcher = CollectingDispatcher()
    tracker = message_tracker("inform", waiting, text="c'est loin d'ici")
    await ActionResolveReply().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [
        "Je n'ai pas reconnu cette commune. Écrivez son nom ou son code postal, "
        "par exemple : Clisson, ou 44190."
    ]


async def test_a_postcode_in_the_first_account_is_kept_and_not_asked() -> None:
    story = (
        "Bonjour, je vous écris pour mon père, 91 ans, qui vit seul au 4 rue du Port, 44500. "
        "Il est alité depuis sa chute et touche 16000 euros par an."
    )
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("report_autonomy_loss", {}, text=story, events=[])
    events = await ActionTriage().run(dispatcher, tracker, {})
    answers = answers_of(slots_of(events)["triage"])
    assert answers["postcode"] == "44500"  # "16000 euros" is not a postcode
    assert slots_of(events)["triage_stage"] is None
    assert "Je vous conseille" in texts(dispatcher)[-1]


async def test_the_help_needed_given_for_where_she_lives_is_kept_whatever_the_topic_read() -> None:
    waiting = {**MUM, "triage": {"for_whom": "relative", "age": 87}, "triage_stage": "home"}
    dispatcher = CollectingDispatcher()
    text = "juste un coup de main de temps en temps"  # the model reads the services at home
    tracker = message_tracker("ask_home_services", waiting, text=text)
    events = await ActionOfferJourney().run(dispatcher, tracker, {})
    assert answers_of(slots_of(events)["triage"])["need"] == "occasional"
    [asked] = dispatcher.messages
    assert asked["text"].startswith(f"C'est noté : {text}. Et votre mère vit à domicile")

    dispatcher = CollectingDispatcher()  # a topic named in words: the topic, not an answer
    text = "et la téléassistance, un coup de main parfois ça existe"
    tracker = message_tracker("ask_home_services", waiting, text=text)
    events = await ActionOfferJourney().run(dispatcher, tracker, {})
    assert slots_of(events)["journey"] == "services_domicile"
    assert "need" not in answers_of(slots_of(events).get("triage") or waiting["triage"])


async def test_je_sais_pas_moves_on_for_every_fact() -> None:
    answers: dict[str, Any] = {"for_whom": "relative"}
    order = (("age", "home"), ("home", "need"), ("need", "postcode"), ("postcode", None))
    for stage, after in order:
        waiting = {**MUM, "triage": answers, "triage_stage": stage}
        dispatcher = CollectingDispatcher()
        tracker = message_tracker("deny", waiting, text="je sais pas")
        events = await ActionResolveReply().run(dispatcher, tracker, {})
        assert slots_of(events)["triage_stage"] == after, stage
        answers = answers_of(slots_of(events)["triage"])
    assert "Je vous conseille" in dispatcher.messages[-1]["text"]


async def test_a_correction_replaces_the_age_and_says_so() -> None:
    waiting = {**MUM, "triage": {"for_whom": "relative", "age": 78}, "triage_stage": "need"}
    dispatcher = CollectingDispatcher()
    events = [{"event": "user", "text": "elle a 78 ans"}]
    tracker = message_tracker("deny", waiting, text="non, elle a 87 ans, pas 78", events=events)
    result = await ActionResolveReply().run(dispatcher, tracker, {})
    assert answers_of(slots_of(result)["triage"])["age"] == 87
    assert dispatcher.messages[0]["text"].startswith("C'est corrigé : 87 ans. Quelle phrase")


async def test_an_impossible_age_is_refused_kindly_and_a_short_answer_is_read() -> None:
    waiting = {**MUM, "triage": {"for_whom": "relative"}, "triage_stage": "age"}
    dispatcher = CollectingDispatcher()
    await ActionResolveReply().run(dispatcher, message_tracker("inform", waiting, text="8"), {})
    assert texts(dispatcher)[0].startswith("8 ans, cela ne semble pas possible.")

    home = {**MUM, "triage": {"for_whom": "relative", "age": 90}, "triage_stage": "home"}
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("nlu_fallback", home, text="en ehpad")
    events = await ActionFallback().run(dispatcher, tracker, {})
    assert answers_of(slots_of(events)["triage"])["home"] == "in_establishment"


async def test_the_journey_follows_the_facts_heard_and_asks_nobody_again() -> None:
    text = "ma belle-mère est en ehpad depuis mars, elle a droit à l'apa ?"
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("ask_apa", {}, text=text, events=[])
    events = await ActionOfferJourney().run(dispatcher, tracker, {})
    slots = slots_of(events)
    assert slots["journey"] == "apa_etablissement"
    assert slots["relationship"] == "belle-mère" and "speaker_asked" not in slots
    assert "pour un proche ?" not in " ".join(texts(dispatcher))


async def test_a_correction_read_as_a_request_to_repeat_is_a_correction() -> None:
    from actions.conversation import ActionRepeat

    waiting = {**MUM, "triage": {"for_whom": "relative", "age": 78}, "triage_stage": "home"}
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("repeat", waiting, text="pardon elle a 87 ans pas 78", events=[])
    events = await ActionRepeat().run(dispatcher, tracker, {})
    assert answers_of(slots_of(events)["triage"])["age"] == 87
    assert texts(dispatcher)[0].startswith("C'est corrigé : 87 ans. Et votre mère vit")


async def test_an_account_ending_with_a_question_gets_the_answer_then_the_questions() -> None:
    story = (
        "Mon oncle a 90 ans et vit seul à Saint-Herblain. Il ne peut plus se laver seul. "
        "On pense à l'APA. Est-ce que ses enfants devront la rembourser à l'héritage ?"
    )
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("report_autonomy_loss", {}, text=story, events=[])
    events = await ActionTriage().run(dispatcher, tracker, {})
    said = texts(dispatcher)
    assert "jamais reprise sur l'héritage" in said[1] and said[2].startswith("Source : ")
    assert said[3] == (
        "J'ai noté : votre oncle, 90 ans, seul, à domicile, besoin d'aide chaque jour "
        "(toilette, habillage), Saint-Herblain."
    )
    # living alone: at home; "il ne peut plus se laver seul": the help; the town, named
    # without the model's entity. Nothing is asked again: the advice comes.
    assert slots_of(events)["triage_stage"] is None
    assert "Je vous conseille" in said[-1]


async def test_a_story_that_ends_asking_how_to_apply_gets_step_1_with_its_facts_kept() -> None:
    story = (
        "Bonsoir, mon père a 84 ans et vit seul chez lui. Il est tombé deux fois cet hiver "
        "et ne fait plus ses courses ni son ménage. Comment fait-on la demande d'APA ?"
    )
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("report_autonomy_loss", {}, text=story, events=[])
    events = await ActionTriage().run(dispatcher, tracker, {})
    said = " ".join(t for t in texts(dispatcher) if t)
    assert "J'ai noté : votre père, 84 ans, seul, à domicile." in said
    assert "Étape 1 sur" in said
    assert "Où vit" not in said and "Quel âge" not in said
    slots = slots_of(events)
    assert answers_of(slots["triage"])["age"] == 84
    assert slots["journey"] == "apa_domicile"
    assert "triage_stage" not in slots


async def test_the_amount_asked_in_an_account_without_a_topic_starts_the_questions() -> None:
    from actions.journeys import ActionJourneyCost

    story = (
        "c'est pour mon mari, il a 86 ans, depuis sa chute il ne peut plus s'habiller seul, "
        "on vit tous les deux dans notre maison, combien on pourrait avoir comme aide"
    )
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("ask_cost", {}, text=story, events=[])
    events = await ActionJourneyCost().run(dispatcher, tracker, {})
    said = texts(dispatcher)
    assert "Choisissez le sujet" not in " ".join(t for t in said if t)
    assert said[1].startswith("Les montants dépendent de l'aide qui conviendra")
    assert said[2].startswith("J'ai noté : votre mari, 86 ans, en couple, à domicile")
    assert slots_of(events)["triage_stage"] == "postcode"  # the help was said: not asked

    slots = slots_of(events)  # the last question answered: the plan, then the amounts promised
    waiting = {**slots, "triage": answers_of(slots["triage"])}
    dispatcher = CollectingDispatcher()
    events = await ActionResolveReply().run(
        dispatcher, message_tracker("inform", waiting, text="44400"), {}
    )
    said = texts(dispatcher)
    plan = next(i for i, t in enumerate(said) if t and t.startswith("Je vous conseille"))
    assert "1. L'APA à domicile" in said[plan]
    assert any("par mois" in t for t in said[plan + 1 :] if t)  # the APA's amounts of the day
    assert said[-1] == "Voulez-vous une estimation pour votre mari ?"
    assert "asked" not in answers_of(slots_of(events)["triage"])  # the promise is kept once

    dispatcher = CollectingDispatcher()  # a plain question: the topics, as before
    tracker = message_tracker("ask_cost", {}, text="ça coûte combien ?", events=[])
    await ActionJourneyCost().run(dispatcher, tracker, {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_cost", "utter_main_menu"]


async def test_the_papers_asked_in_an_account_come_with_the_plan() -> None:
    from actions.journeys import ActionJourneyDocuments

    story = (
        "ma maman a 88 ans, elle vit seule chez elle à Orvault et ne peut plus se laver seule, "
        "quels papiers faut-il préparer pour avoir de l'aide"
    )
    dispatcher = CollectingDispatcher()
    tracker = message_tracker("ask_documents", {}, text=story, events=[])
    events = await ActionJourneyDocuments().run(dispatcher, tracker, {})
    said = [t for t in texts(dispatcher) if t]
    assert said[1].startswith("Les papiers dépendent de l'aide qui conviendra")
    assert slots_of(events)["triage_stage"] is None  # every fact told: the plan at once
    plan = next(i for i, t in enumerate(said) if t.startswith("Je vous conseille"))
    assert "1. L'APA à domicile" in said[plan]
    assert said[plan + 1].startswith("Pour l'APA à domicile, il faut :")  # as promised
