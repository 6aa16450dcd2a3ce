"""Caregiver mode, questions aside and changing one's mind, through the REST channel."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from seniorplus.journeys import load_all
from tests.conversations.conftest import Assistant, Reply, buttons, joined, texts

pytestmark = pytest.mark.conversation
APA = load_all()["apa_domicile"]


def pick(reply: Reply, title: str) -> str:
    return str(buttons(reply).index(title) + 1)


def test_the_assistant_asks_who_it_is_for_then_words_the_steps_for_a_son(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    son = new_sender()
    assistant.say(son, "bonjour")
    offer = assistant.say(son, "comment on demande l'apa à domicile")
    assert joined(offer).startswith("L'APA")
    assert texts(offer)[-1].endswith("pour vous-même ou pour un proche ?")
    menu = assistant.say(son, pick(offer, "Pour mon père"))
    assert texts(menu)[0] == "C'est noté : je vous parlerai de votre père."
    assert "Vos droits d'aidant" in buttons(menu)
    assistant.say(son, pick(menu, "Voir les étapes"))
    visit = next(i for i, s in enumerate(APA.steps) if s.id == "visite")
    for _ in range(visit):
        step = assistant.say(son, "suivant")
    assert f"Étape {visit + 1} sur {len(APA.steps)}" in joined(step)
    assert "chez votre père" in joined(step) and "chez vous" not in joined(step)
    # asked once only: another topic does not ask again
    other = assistant.say(son, "et pour la carte de stationnement ?")
    assert "pour vous-même ou pour un proche" not in joined(other)
    assert joined(other).startswith("Pour votre père : ")


def test_a_word_asked_about_mid_journey_then_back_to_the_step(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    daughter = new_sender()
    first = assistant.say(daughter, "ma mère voudrait l'APA à domicile, comment faire ?")
    assert "Étape 1 sur" in joined(first)  # the steps asked: step 1 at once (issue 12)
    step = assistant.say(daughter, "suivant")
    assert "Étape 2 sur" in joined(step)
    aside = assistant.say(daughter, "c'est quoi le CCAS ?")
    assert joined(aside).startswith("CCAS : ") and "mairie" in joined(aside)
    back = assistant.say(daughter, pick(aside, "Reprendre l'étape 2"))
    assert texts(back) == texts(step)  # the same step, word for word
    assert "Étape 3 sur" in joined(assistant.say(daughter, "étape suivante"))


def test_another_topic_on_the_way_keeps_the_place_in_the_first_one(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    assistant.say(person, "je voudrais l'APA pour mon mari")
    assistant.say(person, "voir les étapes")
    assistant.say(person, "suivant")
    third = assistant.say(person, "suivant")
    assert "Étape 3 sur" in joined(third)
    other = assistant.say(person, "au fait, c'est quoi le droit au répit pour les aidants ?")
    assert f"Reprendre : {APA.title}" in buttons(other)
    back = assistant.say(person, pick(other, f"Reprendre : {APA.title}"))
    assert texts(back) == texts(third)
    again = assistant.say(person, "je voudrais revoir l'APA")
    assert "Vous en étiez à l'étape 3" in joined(again)


def test_changing_ones_mind_during_the_triage(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    first = assistant.say(person, "je n'arrive plus à monter l'escalier ni à faire ma toilette")
    age = assistant.say(person, pick(first, "Pour moi"))
    assert texts(age)[-1] == "Quel âge avez-vous ?"
    corrected = assistant.say(person, "non pardon c'est pour ma mère")
    assert texts(corrected)[-1] == "Quel âge a votre mère ?"
    home = assistant.say(person, "91 ans")
    assert texts(home)[-1] == "Où vit votre mère ?"
    need = assistant.say(person, pick(home, "À domicile"))
    back = assistant.say(person, "je me suis trompée, revenir en arrière")
    assert texts(back)[-1] == "Où vit votre mère ?"
    need = assistant.say(person, pick(back, "En maison de retraite"))
    assert "besoin d'aide" in texts(need)[-1]
    # leaving the questions for a topic: a later number is not taken as an answer
    offer = assistant.say(person, "en fait je voudrais juste savoir pour la maison de retraite")
    assert "Pour votre mère : " in joined(offer)
