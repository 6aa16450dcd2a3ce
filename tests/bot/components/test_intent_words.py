"""Two intents the words must say: a goodbye, and a booking that is not a money question."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from bot.components.intent_words import IntentNeedsItsWords, fits_its_words


def read(text: str, ranking: list[tuple[str, float]]) -> dict[str, Any]:
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message({TEXT: text, INTENT: dict(entries[0]), INTENT_RANKING_KEY: entries})
    IntentNeedsItsWords().process([message])
    return message.as_dict(only_output_properties=False)


def names(result: dict[str, Any]) -> list[str]:
    return [r["name"] for r in result[INTENT_RANKING_KEY]]


@pytest.mark.parametrize(
    "text",
    [
        "il existe quelque chose pour financer la dame qui passe le matin chez papa ?",
        "qui paie l'aide a domicile de ma mère, elle vient trois fois par semaine",
        "c'est remboursé l'infirmière qui vient à la maison ?",
        "combien ça va nous coûter quelqu'un pour la toilette tous les jours",
    ],
)
def test_a_money_question_read_as_a_booking_gets_the_next_intent(text: str) -> None:
    result = read(text, [("book_appointment", 0.5), ("ask_apa", 0.4), ("ask_cost", 0.1)])
    assert result[INTENT]["name"] == "ask_apa"
    assert names(result) == ["ask_apa", "book_appointment", "ask_cost"]


@pytest.mark.parametrize(
    "text",
    [
        "je voudrais un rendez-vous pour savoir qui paie l'aide à domicile",
        "un conseiller peut venir m'expliquer combien ça coûte ?",
        "rdv pour le financement de l'ehpad svp",
        "quelqu'un peut passer chez moi pour les papiers",  # no word of paying
    ],
)
def test_a_request_for_a_meeting_stays_one(text: str) -> None:
    result = read(text, [("book_appointment", 0.5), ("ask_apa", 0.4)])
    assert result[INTENT]["name"] == "book_appointment"


@pytest.mark.parametrize("text", ["à domicile", "en maison de retraite", "à Clisson", "ah bon"])
def test_a_goodbye_without_a_word_of_parting_is_not_one(text: str) -> None:
    result = read(text, [("goodbye", 0.87), ("affirm", 0.03), ("inform", 0.02)])
    assert result[INTENT] == {"name": "nlu_fallback", "confidence": 0.03}
    assert names(result)[:2] == ["nlu_fallback", "goodbye"]
    result = read(text, [("goodbye", 0.6), ("inform", 0.35)])
    assert result[INTENT]["name"] == "inform"


@pytest.mark.parametrize(
    "text",
    ["merci, à demain", "bon je vous laisse", "A+", "c'est tout pour aujourd'hui", "bne soirée"],
)
def test_a_goodbye_in_its_words_stays_one(text: str) -> None:
    assert read(text, [("goodbye", 0.9), ("thank", 0.1)])[INTENT]["name"] == "goodbye"


def test_the_next_intent_must_have_been_considered() -> None:
    text = "qui paie la personne qui vient ?"
    result = read(text, [("book_appointment", 0.5), ("nlu_fallback", 0.3), ("ask_apa", 0.2)])
    assert result[INTENT]["name"] == "ask_apa"  # never the fallback of the ranking in its place
    result = read(text, [("book_appointment", 0.9), ("ask_apa", 0.05)])
    assert result[INTENT]["name"] == "nlu_fallback"


def test_other_intents_are_left_alone() -> None:
    result = read("combien coûte l'ehpad ?", [("ask_nursing_home", 0.6), ("ask_cost", 0.4)])
    assert result[INTENT]["name"] == "ask_nursing_home"


@pytest.mark.parametrize("intent", ["goodbye", "book_appointment"])
def test_every_training_example_says_the_words_of_its_intent(intent: str) -> None:
    data = load_data("data/nlu")
    examples = [m.get(TEXT) for m in data.intent_examples if m.get(INTENT) == intent]
    assert examples and [t for t in examples if not fits_its_words(intent, t)] == []
