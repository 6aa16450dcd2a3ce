"""Hand-built rasa_sdk Trackers for the action tests (no Rasa server needed)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def message_tracker(
    intent: str,
    slots: dict[str, Any],
    entities: list[dict[str, Any]] | None = None,
    text: str = "x",
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker whose latest message is `text` with `intent` and `entities`."""
    latest = {"text": text, "intent": {"name": intent}, "entities": entities or []}
    return Tracker(
        sender_id="s1",
        slots=slots,
        latest_message=latest,
        events=[*(events or []), {"event": "user", **latest, "parse_data": latest}]
        if events is not None
        else [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slot values an action set, by name."""
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def after_question(text: str, buttons: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Events of an earlier turn where the assistant asked `text` with `buttons`."""
    return [
        {"event": "user", "text": "avant", "parse_data": {"intent": {"name": "ask_apa"}}},
        {"event": "action", "name": "action_offer_journey"},
        {"event": "bot", "text": text, "data": {"buttons": buttons}},
        {"event": "action", "name": "action_listen"},
    ]


def answers_of(triage: dict[str, Any]) -> dict[str, Any]:
    """The triage answers of the ``triage`` slot, without the facts kept beside them."""
    return {k: v for k, v in triage.items() if not k.startswith("facts")}
