"""Hand-built rasa_sdk Trackers for the action tests (no Rasa server needed)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def message_tracker(
    intent: str,
    slots: dict[str, Any],
    entities: list[dict[str, Any]] | None = None,
    text: str = "x",
) -> Tracker:
    """A tracker whose latest message is `text` with `intent` and `entities`."""
    return Tracker(
        sender_id="s1",
        slots=slots,
        latest_message={"text": text, "intent": {"name": intent}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slot values an action set, by name."""
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}
