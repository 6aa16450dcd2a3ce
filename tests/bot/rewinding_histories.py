"""A conversation with every kind of rewind, for the tests of Rasa's copies and states.

Turns with rewound messages, a rewound action, follow-ups, a rejected action, a pause, rule
turns, entities and a new session (tests/bot/test_prior_states.py, test_rasa_patches.py).
"""

from __future__ import annotations

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    FollowupAction,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)

DOMAIN = Domain.from_dict(
    {
        "slots": {
            "journey": {"type": "text", "mappings": [{"type": "custom"}]},
            "rule_only": {"type": "bool", "mappings": [{"type": "custom"}]},
        },
        "actions": ["action_journey", "action_x", "action_y"],
        "intents": ["ask_apa", "repeat", "affirm"],
        "entities": ["relationship"],
    }
)


def history() -> list[Event]:
    """Turns with rewinds, a rewound action, follow-ups, a pause, a rule turn, a new session."""
    events: list[Event] = [ActionExecuted("action_listen")]
    for number in range(1, 25):
        entities = [{"entity": "relationship", "value": "mère"}] if number % 4 == 0 else []
        events += [
            UserUttered(f"message {number}", {"name": "ask_apa", "confidence": 0.9}, entities),
            ActionExecuted("action_journey", hide_rule_turn=number % 6 == 0),
            SlotSet("journey", f"j{number}"),
            BotUttered(f"réponse {number}"),
            ActionExecuted("action_listen", hide_rule_turn=number % 6 == 0),
        ]
        if number % 3 == 0:  # "vous pouvez répéter ?" read, then rewound by a policy
            events += [UserUttered("répéter", {"name": "repeat"}), UserUtteranceReverted()]
        if number % 5 == 0:
            events += [UserUttered("oui", {"name": "affirm"}), ActionExecuted("action_x")]
            events += [SlotSet("rule_only", True), ActionReverted(), FollowupAction("action_y")]
            events += [ActionExecuted("action_y"), ActionExecuted("action_listen")]
        if number % 7 == 0:
            events += [ActionExecutionRejected("action_x"), ConversationPaused()]
            events += [ConversationResumed()]
        if number == 12:
            events += [ActionExecuted("action_session_start"), SessionStarted()]
            events += [SlotSet("journey", "carried"), ActionExecuted("action_listen")]
    return events
