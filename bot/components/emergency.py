"""NLU component: the danger reader (safety/) has the last word on `report_emergency`.

After the statistical classifier and the fallback, every message is read for
danger (``safety.read_danger``), and the reading is added to the NLU output
(``danger``: level, kinds, cannot call, now) for the dialogue and the actions:

- danger now → ``report_emergency``, whatever the model said;
- words of danger, but past, chronic, figurative, wished or hypothetical (calm) →
  never ``report_emergency``: the model's next intent instead, so the person
  gets the answer to their question ("Depuis son AVC l'an dernier…");
- unclear → never ``report_emergency`` either: the model's next intent, what the
  person asked, is kept, and the dialogue first asks "Est-ce en ce moment ?" with
  the line (danger_policy.py), then answers that intent on "Non";
- no word of danger → the model's intent is kept.

``report_emergency`` is therefore said only when the words say danger now, as the
intent contract defines it (danger or abuse now); the model's doubts become the
question, never silence and never a missing line.

The model's own choice is kept as ``model_intent`` so that the safety
evaluation measures the words and the model each alone, and together.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.rankings import rescaled_without
from bot.components.stateless import Stateless
from safety import Level, Reading, read_danger

EMERGENCY_INTENT = "report_emergency"
DANGER_KEY = "danger"
MODEL_INTENT_KEY = "model_intent"
SURE = 0.85  # the model's confidence above which its disagreement with the words counts
HEARD = 0.60  # the model hears danger where no word says it: ask, with every line
NEXT_AT_LEAST = 0.30  # once danger is ruled out, below this the next intent is only a guess
FALLBACK_INTENT = "nlu_fallback"


def together(reading: Reading, intent: dict[str, Any], ranking: list[dict[str, Any]]) -> Reading:
    """The words' reading, weighed with the model's: when they disagree, ask.

    - the words say danger now, the model is sure of another intent ("est-ce qu'elle a droit
      à l'APA ?"): unclear, so the person gets the line and "Est-ce en ce moment ?";
    - no word of danger, the model hears danger (its first intent, or sure of it further
      down): unclear, of no known kind (every line);
    - calm words (past, figurative…), but the model is sure of danger: unclear, so one
      question decides rather than the words alone;
    - otherwise the words decide.
    """
    name = intent.get("name")
    confidence = float(intent.get("confidence") or 0.0)
    disagrees = name not in (EMERGENCY_INTENT, None, FALLBACK_INTENT) and confidence >= SURE
    if reading.level is Level.DANGER and disagrees:
        return replace(reading, level=Level.UNCLEAR)
    heard = next((r for r in ranking if r.get("name") == EMERGENCY_INTENT), None)
    heard_confidence = float(heard.get("confidence") or 0.0) if heard is not None else 0.0
    if reading.level is Level.NONE and (name == EMERGENCY_INTENT or heard_confidence >= HEARD):
        return replace(reading, level=Level.UNCLEAR)
    if reading.level is Level.CALM and heard_confidence >= SURE:
        return replace(reading, level=Level.UNCLEAR)
    return reading


def without_emergency(ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The other intents, each as likely as the model finds it once danger now is ruled out
    (its confidence divided by what the emergency left), so their order and gaps are kept."""
    return rescaled_without(ranking, lambda r: r.get("name") == EMERGENCY_INTENT)


def next_intent(others: list[dict[str, Any]]) -> dict[str, Any]:
    """What the person asked, once danger now is ruled out: the model's next intent, or
    ``nlu_fallback`` when the model barely considered it (then the person is asked)."""
    best = others[0]
    if float(best.get("confidence") or 0.0) < NEXT_AT_LEAST:
        return {"name": FALLBACK_INTENT, "confidence": float(best.get("confidence") or 0.0)}
    return best


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class EmergencyWordsClassifier(Stateless, IntentClassifier):
    """Sets or removes `report_emergency` by what the words say about danger now."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._read(message)
        return messages

    @staticmethod
    def _read(message: Message) -> None:
        intent = dict(message.get(INTENT) or {})
        ranking = [dict(r) for r in message.get(INTENT_RANKING_KEY) or []]
        reading = together(read_danger(message.get(TEXT) or ""), intent, ranking)
        message.set(MODEL_INTENT_KEY, intent.get("name"), add_to_output=True)
        message.set(DANGER_KEY, reading.as_dict(), add_to_output=True)
        if reading.level is Level.DANGER and intent.get("name") != EMERGENCY_INTENT:
            emergency = {"name": EMERGENCY_INTENT, "confidence": 1.0}
            others = [r for r in ranking if r.get("name") != EMERGENCY_INTENT]
            message.set(INTENT, emergency, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [emergency, *others], add_to_output=True)
        elif reading.level is not Level.DANGER and intent.get("name") in (EMERGENCY_INTENT, None):
            others = without_emergency(ranking)
            if others:
                message.set(INTENT, next_intent(others), add_to_output=True)
                message.set(INTENT_RANKING_KEY, others, add_to_output=True)
