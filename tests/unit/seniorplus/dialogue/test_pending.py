"""The question waiting for its answer, and a message that asks its own instead (pure)."""

from __future__ import annotations

import pytest

from seniorplus.dialogue import apa_estimate, ehpad_estimate
from seniorplus.dialogue import speaker as who
from seniorplus.dialogue import triage_questions as triage
from seniorplus.dialogue.pending import (
    AGAIN,
    ESTIMATE,
    SPEAKER,
    TRIAGE,
    Waiting,
    answers_or_tells,
    answers_waiting,
    asked_again,
    asks_aside,
    waiting,
)
from seniorplus.dialogue.speaker import Speaker

SPEAKER_BUTTONS = list(who.question().buttons)
WHO = Waiting(SPEAKER)
HOME = Waiting(TRIAGE, "home")
INCOME = Waiting(ESTIMATE, "income")
HOUSEHOLD = Waiting(ESTIMATE, "household")


def test_the_question_waiting_is_read_from_the_slots_then_from_the_choices() -> None:
    assert waiting("home", None, True, []) == HOME
    assert waiting(None, "income", True, []) == INCOME
    assert waiting(None, None, False, SPEAKER_BUTTONS) == WHO
    assert waiting(None, None, True, SPEAKER_BUTTONS) is None  # already known
    assert waiting(None, None, False, [{"title": "Le menu", "payload": "/help"}]) is None


def test_who_the_help_is_for_asked_again_waits_no_more() -> None:
    again = asked_again(who.question())
    assert waiting(None, None, False, SPEAKER_BUTTONS, again.text) is None


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (WHO, "pour ma maman"),
        (WHO, "moi"),
        (HOME, "à domicile"),
        (HOME, "elle est en ehpad depuis mars"),
        (Waiting(TRIAGE, "age"), "87"),
        (Waiting(TRIAGE, "postcode"), "44000"),
        (Waiting(TRIAGE, "postcode"), "clisson"),  # the town, without the model's entity
        (Waiting(TRIAGE, "postcode"), "j'habite à st herblain"),
        (HOUSEHOLD, "seule"),
        (INCOME, "1 200 euros"),
        (Waiting(ESTIMATE, "gir"), "il est gir 2"),
        (Waiting(ESTIMATE, ehpad_estimate.STAGE), "mille quatre cents"),
    ],
)
def test_an_answer_to_the_question_waiting_is_read(kind: Waiting, text: str) -> None:
    entities = [{"entity": "relationship", "value": "mère"}] if "maman" in text else []
    assert answers_waiting(kind, text, entities)
    assert not asks_aside(kind, text, entities)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (WHO, "et qui c'est qui décide combien je touche ?"),
        (WHO, "ça met combien de temps pour avoir la réponse"),
        (HOME, "avant, l'apa faut-il la déclarer aux impôts ?"),
        (HOME, "elle vit chez elle, est-ce que ses enfants devront payer ?"),  # both
        (INCOME, "et au final qui décide du montant ?"),
        (HOUSEHOLD, "les enfants doivent payer quelque chose ?"),
    ],
)
def test_a_question_of_one_s_own_is_asked_aside(kind: Waiting, text: str) -> None:
    assert asks_aside(kind, text, [])


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (WHO, "à domicile ?"),  # a question mark alone, few words
        (WHO, "elle a 87 ans ?"),  # a fact, no word that asks
        (HOME, "chez elle ?"),
        (HOUSEHOLD, "elle vit seule, ça ferait combien ?"),  # the estimate's to answer
        (INCOME, "elle touche 1 300 euros, combien elle aurait ?"),
        (WHO, "/ask_apa"),
        (WHO, ""),
    ],
)
def test_an_answer_a_button_or_nothing_is_not_a_question_aside(kind: Waiting, text: str) -> None:
    assert not asks_aside(kind, text, [])


def test_a_long_message_naming_a_town_is_not_taken_for_the_answer_alone() -> None:
    """Read as the answer, a long message would pass for a plain reply (a danger it tells
    is then heard by the keywords alone): only a short one, or the name, answers."""
    postcode = Waiting(TRIAGE, "postcode")
    assert not answers_waiting(postcode, "elle est tombée dans sa cuisine à Rezé ce matin", [])
    assert not answers_waiting(postcode, "c'est loin d'ici", [])


def test_the_question_is_asked_again_in_short_with_its_choices() -> None:
    again = asked_again(who.question())
    assert again.text == f"{AGAIN}c'est pour vous-même ou pour un proche ?"
    assert again.buttons == who.question().buttons
    [age] = triage.question("age", False, "votre mère")
    assert asked_again(age).text == f"{AGAIN}quel âge a votre mère ?"
    [postcode] = triage.question("postcode", True, None)
    assert asked_again(postcode).text == f"{AGAIN}dans quelle commune vivez-vous ?"
    [income] = apa_estimate.income_question(Speaker(who.SELF))
    assert asked_again(income).text == f"{AGAIN}quels sont vos revenus par mois, à peu près ?"
    [household] = apa_estimate.household_question(Speaker(who.RELATIVE, "père"))
    assert asked_again(household).text == f"{AGAIN}votre père vit-il seul ou en couple ?"


def test_an_answer_or_a_fact_while_a_question_waits() -> None:
    assert answers_or_tells(HOME, "il vit chez lui", [])  # the answer
    assert answers_or_tells(Waiting(ESTIMATE, "gir"), "il vit seul oui", [])  # a fact
    assert answers_or_tells(HOME, "à Clisson", [{"entity": "commune", "value": "Clisson"}])
    assert not answers_or_tells(HOME, "c'est très grave ce qui arrive", [])
