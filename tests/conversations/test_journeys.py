"""A journey walked step by step through the REST channel, and resumed later."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conversations.conftest import Assistant, buttons, joined, texts

pytestmark = pytest.mark.conversation


def test_a_daughter_walks_the_apa_steps(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    assistant.say(person, "bonjour")
    offer = assistant.say(person, "ma mère voudrait l'APA, c'est quoi exactement ?")
    assert "Voir les étapes" in buttons(offer)
    assert "Vos droits d'aidant" in buttons(offer) or "Source : " in joined(offer)
    first = assistant.say(person, "comment on fait ?")  # the steps asked: step 1 (issue 12)
    assert "Étape 1 sur" in joined(first)
    second = assistant.say(person, "ok et ensuite ?")
    assert "Étape 2 sur" in joined(second)
    assert "Étape 3 sur" in joined(assistant.say(person, "suivant"))
    papers = assistant.say(person, "il faut quels papiers pour ça")
    assert "il faut" in joined(papers)
    back = assistant.say(person, "on peut revenir à l'étape d'avant ?")
    assert "Étape 2 sur" in joined(back)
    again = assistant.say(person, "vous pouvez répéter ?")
    assert texts(again) == texts(back)
    amounts = assistant.say(person, "et ça coûte combien ?")
    assert "euros" in joined(amounts) and "2026" in joined(amounts)


def test_coming_back_later_offers_to_resume(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    assistant.say(person, "bonjour")
    offer = assistant.say(person, "je voudrais des infos sur la carte mobilité inclusion")
    assert "Pour mon père" in buttons(offer)  # who the help is for, asked the first time
    menu = assistant.say(person, "pour moi-même")
    assistant.say(person, str(buttons(menu).index("Voir les étapes") + 1))
    assistant.say(person, "suivant")
    assistant.say(person, "merci au revoir")
    back = assistant.say(person, "bonjour")
    assert "reprendre votre démarche" in joined(back) and "étape 2 sur" in joined(back)
    resumed = assistant.say(person, "oui")
    assert "Étape 2 sur" in joined(resumed)
    assert "Étape 3 sur" in joined(assistant.say(person, "suivant"))


def test_the_other_apa_journey_is_one_choice_away(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    assistant.say(person, "c'est quoi l'allocation personnalisée d'autonomie")
    offer = assistant.say(person, "pour mon mari")
    assert "votre mari" in joined(offer)
    assert "L'APA en maison de retraite" in buttons(offer)
    number = buttons(offer).index("L'APA en maison de retraite") + 1
    other = assistant.say(person, f"le {number}")
    assert "En maison de retraite" in joined(other)


def test_an_apa_estimate_from_plain_answers(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    assistant.say(person, "bonjour")
    assistant.say(person, "je voudrais savoir comment marche l'APA pour mon père")
    amounts = assistant.say(person, "combien ça coûte ?")
    assert "Faire une estimation" in buttons(amounts)
    question = assistant.say(person, "1")
    assert "Je ne sais pas" in buttons(question)
    number = buttons(question).index("Aide chaque jour pour la toilette") + 1
    household = assistant.say(person, str(number))
    assert "Votre père vit-il seul ou en couple ?" in joined(household)
    income_question = assistant.say(person, "il vit seul depuis des années")
    assert "revenus" in joined(income_question)
    answer = assistant.say(person, "il touche environ 1500 euros par mois")
    assert "Avec 1 500 euros par mois, seul : selon notre estimation" in joined(answer)
    assert "Département" in joined(answer)
