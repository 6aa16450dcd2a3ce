"""The NLU fallback keeps Rasa's rule for short messages and spares long ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.long_message_fallback import LongMessageFallbackClassifier

ROOT = Path(__file__).resolve().parents[3]


def configured() -> dict[str, Any]:
    """The component's settings as config.yml gives them, over its defaults."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    name = "bot.components.long_message_fallback.LongMessageFallbackClassifier"
    entry = next(c for c in pipeline if c["name"] == name)
    settings = {k: v for k, v in entry.items() if k != "name"}
    return {**LongMessageFallbackClassifier.get_default_config(), **settings}


LONG = (
    "Bonjour, je vous écris pour mon père qui a quatre-vingt-six ans et vit seul depuis "
    "le décès de ma mère, il ne fait plus ses courses et oublie ses rendez-vous, "
    "que pouvons-nous demander ?"
)


def classify(text: str, first: float, second: float) -> dict[str, Any]:
    ranking = [
        {"name": "ask_apa", "confidence": first},
        {"name": "ask_nursing_home", "confidence": second},
    ]
    message = Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    LongMessageFallbackClassifier(configured()).process([message])
    return message.as_dict(only_output_properties=False)


def test_a_short_unsure_message_falls_back_as_with_rasa() -> None:
    assert classify("le truc pour ma mère", 0.40, 0.2)[INTENT]["name"] == "nlu_fallback"


def test_a_short_ambiguous_message_falls_back_as_with_rasa() -> None:
    assert classify("aide maison ou ehpad", 0.48, 0.46)[INTENT]["name"] == "nlu_fallback"


def test_a_short_clear_message_keeps_its_intent() -> None:
    assert classify("l'apa c'est quoi", 0.9, 0.05)[INTENT]["name"] == "ask_apa"


def test_a_long_message_keeps_its_best_intent_above_the_long_threshold() -> None:
    assert len(LONG.split()) >= 20
    out = classify(LONG, 0.36, 0.2)
    assert out[INTENT]["name"] == "ask_apa"
    assert out[INTENT_RANKING_KEY][0]["name"] == "ask_apa"


def test_closeness_alone_never_throws_a_long_message_away() -> None:
    assert classify(LONG, 0.40, 0.39)[INTENT]["name"] == "ask_apa"


def test_a_long_message_below_the_long_threshold_still_falls_back() -> None:
    out = classify(LONG, 0.22, 0.2)
    assert out[INTENT]["name"] == "nlu_fallback"
    assert out[INTENT_RANKING_KEY][1]["name"] == "ask_apa"
