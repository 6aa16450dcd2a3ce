"""Dialogue policy: a one-time code given while the assistant waits for it goes to `action_my_data`.

Before "mes données" shows or erases anything over SMS or the phone, the
assistant sends a code by SMS and waits for it (actions/data_rights.py). The
code ("482 913", "quatre huit deux neuf un trois") means nothing to the model;
when the assistant's last message was about a code (it offers a new one) and
the person's message is mostly digits, this policy, above the rules, sends it
to `action_my_data`, which checks it. Emergencies are never taken over.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.choosing_policy import ChoosingPolicy
from bot.components.title_policy import offered_buttons
from policies.codes import code_awaited, looks_like_code_attempt

MY_DATA_ACTION = "action_my_data"
NEVER_TAKEN_OVER = frozenset({"report_emergency"})
PRIORITY = 6  # above RulePolicy (4): a code is not a sentence the model knows


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class OneTimeCodePolicy(ChoosingPolicy):
    """Predicts `action_my_data` for digits typed or said while a code is awaited."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": PRIORITY}

    def choose(self, tracker: DialogueStateTracker) -> str | None:
        """`action_my_data` for a code awaited, then `action_listen` once it has answered."""
        if tracker.latest_action_name == MY_DATA_ACTION:
            return ACTION_LISTEN_NAME if self.takes_over(tracker) else None
        if tracker.latest_action_name != ACTION_LISTEN_NAME:
            return None
        return MY_DATA_ACTION if self.takes_over(tracker) else None

    @staticmethod
    def takes_over(tracker: DialogueStateTracker) -> bool:
        """True when the latest message is digits given while a code is awaited."""
        message = tracker.latest_message
        if message is None:
            return False
        intent = str((message.intent or {}).get("name") or "")
        if intent in NEVER_TAKEN_OVER or not code_awaited(offered_buttons(tracker)):
            return False
        return looks_like_code_attempt(message.text or "")
