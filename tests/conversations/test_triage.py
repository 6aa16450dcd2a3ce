"""Issue 3's tester: a worried daughter, from one sentence to a plan, steps and an estimate."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conversations.conftest import Assistant, buttons, joined

pytestmark = pytest.mark.conversation


def pick(reply: list[dict[str, object]], title: str) -> str:
    return str(buttons(reply).index(title) + 1)


def test_a_worried_daughter_gets_a_plan(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    daughter = new_sender()
    assistant.say(daughter, "bonjour")
    first = assistant.say(daughter, "ma mère ne s'en sort plus seule à la maison")
    assert "Quel âge a votre mère" in joined(first)
    again = assistant.say(daughter, "elle a 150 ans")  # an impossible age is asked again
    assert "150 ans, cela ne semble pas possible" in joined(again)
    home = assistant.say(daughter, "87 ans")
    assert "Où vit votre mère" in joined(home)
    need = assistant.say(daughter, pick(home, "À domicile"))
    postcode = assistant.say(daughter, pick(need, "Aide chaque jour pour la toilette"))
    assert "code postal" in joined(postcode)
    plan = assistant.say(daughter, "44110")
    assert "GIR 3 ou 4" in joined(plan) and "1. L'APA à domicile" in joined(plan)
    offer = assistant.say(daughter, "1")
    assert "Pour votre mère : L'APA" in joined(offer)
    steps = assistant.say(daughter, pick(offer, "Voir les étapes"))
    assert "Étape 1 sur" in joined(steps)
    papers = assistant.say(daughter, "quels papiers il faut ?")
    assert "il faut" in joined(papers)


def test_the_town_answers_the_last_question(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    """Many seniors do not know their postcode by heart: the commune's name answers."""
    senior = new_sender()
    first = assistant.say(senior, "je n'arrive plus à faire mes courses ni le ménage")
    assistant.say(senior, pick(first, "Pour moi"))
    home = assistant.say(senior, "79 ans")
    need = assistant.say(senior, pick(home, "À domicile"))
    where = assistant.say(senior, pick(need, "Un coup de main parfois"))
    assert "Dernière question : dans quelle commune vivez-vous ?" in joined(where)
    plan = assistant.say(senior, "j'habite à Vertou")
    assert "Je vous conseille" in joined(plan)
    assert "reconnu" not in joined(plan) and "Dernière question" not in joined(plan)


def test_i_dont_know_is_always_a_way_forward(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    senior = new_sender()
    first = assistant.say(senior, "je n'arrive plus à faire mes courses ni le ménage")
    age = assistant.say(senior, pick(first, "Pour moi"))
    assert "Quel âge avez-vous" in joined(age)
    home = assistant.say(senior, pick(age, "Je ne sais pas"))
    need = assistant.say(senior, pick(home, "À domicile"))
    postcode = assistant.say(senior, pick(need, "Je ne sais pas"))
    plan = assistant.say(senior, pick(postcode, "Je ne sais pas"))
    assert "Je vous conseille" in joined(plan)
