"""The facts heard in the conversation, read and kept by the actions (thin over
seniorplus/dialogue/heard.py)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.common import latest_text
from seniorplus.dialogue.heard import Heard, heard, person_messages


def known(tracker: Tracker) -> Heard:
    """Every fact the person gave so far, the latest correction winning."""
    latest = latest_text(tracker)
    return heard(tracker.get_slot("triage"), person_messages(tracker.events, latest))


def keep(tracker: Tracker, facts: Heard, triage: dict[str, Any] | None = None) -> EventType:
    """The event that keeps `facts` (in the ``triage`` slot, with `triage` answers if given)."""
    base = triage if triage is not None else tracker.get_slot("triage")
    return SlotSet("triage", facts.stored_in(base))
