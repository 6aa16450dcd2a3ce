"""A question about paying read as book_appointment gets the model's next intent."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.booking_words import BookingNeedsItsWords, asks_about_paying


def read(text: str, ranking: list[tuple[str, float]]) -> dict[str, Any]:
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message({TEXT: text, INTENT: dict(entries[0]), INTENT_RANKING_KEY: entries})
    BookingNeedsItsWords().process([message])
    return message.as_dict(only_output_properties=False)


@pytest.mark.parametrize(
    "text",
    [
        "il existe quelque chose pour financer la dame qui passe le matin chez papa ?",
        "qui paie l'aide a domicile de ma mère, elle vient trois fois par semaine",
        "c'est remboursé l'infirmière qui vient à la maison ?",
        "combien ça va nous coûter quelqu'un pour la toilette tous les jours",
    ],
)
def test_a_money_question_is_given_the_next_intent(text: str) -> None:
    result = read(text, [("book_appointment", 0.5), ("ask_apa", 0.4), ("ask_cost", 0.1)])
    assert result[INTENT]["name"] == "ask_apa"
    assert [r["name"] for r in result[INTENT_RANKING_KEY]] == [
        "ask_apa",
        "book_appointment",
        "ask_cost",
    ]


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


def test_the_next_intent_must_have_been_considered() -> None:
    text = "qui paie la personne qui vient ?"
    result = read(text, [("book_appointment", 0.9), ("ask_apa", 0.05), ("nlu_fallback", 0.04)])
    assert result[INTENT]["name"] == "book_appointment"
    result = read(text, [("book_appointment", 0.5), ("nlu_fallback", 0.3), ("ask_apa", 0.2)])
    assert result[INTENT]["name"] == "ask_apa"  # never the fallback in its place


def test_other_intents_are_left_alone() -> None:
    result = read("combien coûte l'ehpad ?", [("ask_nursing_home", 0.6), ("ask_cost", 0.4)])
    assert result[INTENT]["name"] == "ask_nursing_home"


def test_no_training_example_of_an_appointment_is_read_as_a_money_question() -> None:
    from rasa.shared.nlu.training_data.loading import load_data

    data: TrainingData = load_data("data/nlu")
    booking = [m.get(TEXT) for m in data.intent_examples if m.get(INTENT) == "book_appointment"]
    assert booking and not [text for text in booking if asks_about_paying(text)]
