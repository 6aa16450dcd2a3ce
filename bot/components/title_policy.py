"""Dialogue policy: a choice typed as its title ("voir les étapes") is taken as that choice.

The titles of the buttons are product wording, not training data: the model may
read "voir les étapes" as anything. When the person's message is, once
normalised (case, accents, punctuation), the title of one of the buttons the
assistant just offered, this policy, above the rules, sends it to
`action_resolve_reply`, which replays it as the button's intent with its entities.
The replayed message carries that intent: then the policy steps aside, so it
never loops. Emergencies are never taken over.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.choosing_policy import ChoosingPolicy
from policies.buttons import button_titled, payload_intent

RESOLVE_ACTION = "action_resolve_reply"
NEVER_TAKEN_OVER = frozenset({"report_emergency"})
PRIORITY = 6  # above RulePolicy (4) and ExplainWordPolicy (5): a typed title is exact


def offered_buttons(tracker: DialogueStateTracker) -> list[dict[str, Any]]:
    """The buttons of the assistant's messages just before the latest user message."""
    buttons: list[dict[str, Any]] = []
    seen_latest = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_latest:
                break
            seen_latest = True
        elif seen_latest and isinstance(event, BotUttered):
            buttons = list((event.data or {}).get("buttons") or []) + buttons
    return buttons


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class TypedTitlePolicy(ChoosingPolicy):
    """Predicts `action_resolve_reply` for a button title typed in full."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": PRIORITY}

    def choose(self, tracker: DialogueStateTracker) -> str | None:
        return RESOLVE_ACTION if self.takes_over(tracker) else None

    @staticmethod
    def takes_over(tracker: DialogueStateTracker) -> bool:
        """True when the latest message is a typed title not yet read as its button."""
        if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.latest_message is None:
            return False
        intent = str((tracker.latest_message.intent or {}).get("name") or "")
        if intent in NEVER_TAKEN_OVER:
            return False
        button = button_titled(tracker.latest_message.text or "", offered_buttons(tracker))
        if button is None:
            return False
        return payload_intent(str(button.get("payload", ""))) != intent
