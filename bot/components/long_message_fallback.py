"""NLU fallback that does not throw away long messages.

Rasa's FallbackClassifier answers ``nlu_fallback`` when the best intent is below
a confidence threshold, or when the two best are closer than an ambiguity
threshold. On a short message that is right: "le truc là" deserves "Pardon, je
n'ai pas bien compris". A long message (an exhausted daughter's letter, a phone
transcript) is different: it tells a situation before the question, so its
confidence is spread over several topics it mentions, and the two best are often
close. Measured on the long held-out messages (docs/performance.md), most of the
fallbacks had the right intent first. Asking such a person to rephrase a
twenty-line message is the worst answer.

So, for a message of at least ``long_message_words`` words, the threshold is
``long_threshold`` (the same level as the dialogue's own fallback,
``core_fallback_threshold`` in config.yml) and closeness alone never makes a
fallback. Short messages keep Rasa's behaviour unchanged.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

LONG_WORDS_KEY = "long_message_words"
LONG_THRESHOLD_KEY = "long_threshold"


def word_count(text: str) -> int:
    """Words as a reader counts them (split on spaces)."""
    return len(text.split())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LongMessageFallbackClassifier(FallbackClassifier):
    """FallbackClassifier with a lower threshold, and no ambiguity rule, for long messages."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **FallbackClassifier.get_default_config(),
            LONG_WORDS_KEY: 20,
            LONG_THRESHOLD_KEY: 0.3,
        }

    def _should_fallback(self, message: Message) -> bool:
        if word_count(message.get(TEXT) or "") < self.component_config[LONG_WORDS_KEY]:
            return bool(super()._should_fallback(message))
        confidence = (message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY) or 0.0
        return bool(confidence < self.component_config[LONG_THRESHOLD_KEY])
