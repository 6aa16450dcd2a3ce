"""Dialogue policy: words of danger that do not say "now" get one question first.

The NLU adds its danger reading to each message (bot/components/emergency.py).
Danger now is ``report_emergency`` and the rules answer it. When the words speak
of danger but not of now ("ma mère est tombée", "il a fait un malaise"), the
model's intent is kept (the person asked something) and this policy, above every
other, sends the message to ``action_emergency`` first: it gives the line of the
danger's kind and asks "Est-ce en ce moment ?". "Non" brings the message back as
what it asked (``danger_checked``), which this policy then leaves alone.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.choosing_policy import LISTEN, ChoosingPolicy
from safety import Level, Reading

EMERGENCY_ACTION = "action_emergency"
LEFT_TO_RULES = frozenset({"report_emergency", "danger_not_now"})
PRIORITY = 7  # above every other policy: safety first


def unclear_danger(tracker: DialogueStateTracker) -> bool:
    """The latest message speaks of danger without saying it is now, and was not asked yet."""
    message = tracker.latest_message
    if message is None or tracker.latest_action_name != ACTION_LISTEN_NAME:
        return False
    data = message.parse_data or {}
    if data.get("danger_checked") or (message.intent or {}).get("name") in LEFT_TO_RULES:
        return False
    reading = Reading.from_dict(data.get("danger"))
    return reading is not None and reading.level is Level.UNCLEAR


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class DangerQuestionPolicy(ChoosingPolicy):
    """Predicts `action_emergency` for an unclear danger, then `action_listen`."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": PRIORITY}

    def choose(self, tracker: DialogueStateTracker) -> str | None:
        if tracker.latest_action_name == EMERGENCY_ACTION:
            return LISTEN
        return EMERGENCY_ACTION if unclear_danger(tracker) else None
