"""Why this turn hands the conversation to a person, read from the tracker's events (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from rendering.channels import Names
from seniorplus.dialogue.turns import Event, split_turns
from seniorplus.handoff.messages import EMERGENCY

VOICE_CHANNELS = Names(lambda channel: channel.kind == "voice")
EMERGENCY_RESPONSE = "utter_emergency"


def handoff_reason(intent: str | None, channel: str | None, events: Sequence[Event]) -> str:
    """ "urgence", "appel", "demande" or "incomprehension" (the handoffs.reason values).

    Emergency words win (the console puts them first); then a phone call (the
    caller is transferred, or a callback is due); then the person's request; then
    the assistant's second misunderstanding in a row (``action_fallback`` ran in
    this turn and chained to the handoff).
    """
    if intent == "report_emergency":
        return "urgence"
    if channel in VOICE_CHANNELS:
        return "appel"
    if intent == "request_human":
        return "demande"
    current = split_turns(list(events))[-1]
    if intent == "nlu_fallback" or "action_fallback" in current.actions:
        return "incomprehension"
    return "demande"


def emergency_given(events: Sequence[Event]) -> bool:
    """Whether the emergency numbers were sent in this turn (by the emergency rule)."""
    current = split_turns(list(events))[-1]
    return any(
        (message.get("metadata") or {}).get("utter_action") == EMERGENCY_RESPONSE
        or message.get("text") == EMERGENCY
        for message in current.bot_messages
    )
