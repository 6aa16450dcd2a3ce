"""Dialogue policy: "c'est quoi le CCAS ?" is explained, whatever intent the model saw.

A word asked about on the way is not an intent of the contract: the model files
it under the topic it sounds like (book_appointment for CCAS, ask_apa for GIR).
This policy, above the rules, sends such a message to `action_explain_word`
(which answers, then offers the way back to the step in progress), then listens.
A term that names the topic itself ("c'est quoi l'APA" → ask_apa) is left to the
rules: the overview of that aid explains it better. Emergencies and requests for
a person are never taken over.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.choosing_policy import LISTEN, ChoosingPolicy
from policies.questions import asked_term

EXPLAIN_ACTION = "action_explain_word"
NEVER_TAKEN_OVER = frozenset({"report_emergency", "request_human", "delete_my_data", "repeat"})
PRIORITY = 5  # above RulePolicy (4): on equal confidence, the higher priority wins


@lru_cache(maxsize=4)
def journey_terms(directory: str) -> tuple[str, ...]:
    """Every acronym the journeys explain (data/journeys/*.yml, `acronyms` keys)."""
    terms: set[str] = set()
    for path in sorted(Path(directory).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        terms.update(str(term) for term in (data.get("acronyms") or {}))
    return tuple(sorted(terms))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class ExplainWordPolicy(ChoosingPolicy):
    """Predicts `action_explain_word` for a question about a term, then `action_listen`."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "priority": PRIORITY,
            "journeys": "data/journeys",
            # Terms that name the topic of an intent: the topic's overview explains them.
            "topic_terms": {},
        }

    def choose(self, tracker: DialogueStateTracker) -> str | None:
        """The action to take now, or None to leave the decision to the other policies."""
        if tracker.latest_action_name == EXPLAIN_ACTION:
            return LISTEN
        if tracker.latest_action_name != ACTION_LISTEN_NAME:
            return None
        message = tracker.latest_message
        if message is None:
            return None
        intent = str((message.intent or {}).get("name") or "")
        if intent in NEVER_TAKEN_OVER:
            return None
        term = asked_term(message.text or "", journey_terms(str(self.config["journeys"])))
        if term is None or term in (self.config.get("topic_terms") or {}).get(intent, ()):
            return None
        return EXPLAIN_ACTION
