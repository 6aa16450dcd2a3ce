"""A word asked about on the way is recognised; other questions are left alone."""

from __future__ import annotations

import pytest

from seniorplus.dialogue.definitions import asked_acronym, glossary
from seniorplus.journeys import load_all

JOURNEYS = load_all()
WORDS = glossary(JOURNEYS.values())


@pytest.mark.parametrize(
    ("text", "acronym"),
    [
        ("c'est quoi le GIR ?", "GIR"),
        ("cest quoi le gir", "GIR"),
        ("CCAS ça veut dire quoi", "CCAS"),
        ("que veut dire ASH", "ASH"),
        ("euh c koi la cmi", "CMI"),
        ("GIR ?", "GIR"),
        ("qu'est-ce que l'AJPA", "AJPA"),
    ],
)
def test_a_definition_question_names_its_word(text: str, acronym: str) -> None:
    assert asked_acronym(text, WORDS) == acronym


@pytest.mark.parametrize(
    "text",
    [
        "je veux demander l'APA",  # a topic, not a word to explain
        "GIR",  # no question
        "c'est quoi la différence entre APA et PCH",  # two words: not a definition
        "c'est quoi la suite",
        "",
    ],
)
def test_other_messages_are_not_definition_questions(text: str) -> None:
    assert asked_acronym(text, WORDS) is None


def test_the_journey_in_progress_has_the_last_word() -> None:
    ehpad = JOURNEYS["ehpad"]
    assert glossary(JOURNEYS.values(), first=ehpad)["ASH"] == ehpad.acronyms["ASH"]
