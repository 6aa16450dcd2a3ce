"""A conversation read from where it stood a few turns ago, instead of from its first message.

Every turn, Rasa loads the whole session from the tracker store, replays it, computes its
dialogue states, copies it before each action and sends all of it to the action server: the
cost of a turn grew with the length of the conversation (docs/performance.md, "coût plat").
Yet nothing that decides a turn looks far back: the slots hold what the conversation knows,
the memoization policy reads 4 states, the rules a few, the actions the last turns.

So the tracker store keeps, per conversation, a **window**: the stored event where it starts
(a message of the person, a few turns back) and the **prefix**, a handful of events that
rebuild the conversation's state just before it (one ``SlotSet`` per slot that is not at its
initial value, ``ConversationPaused`` if a person of the team holds the conversation, then
``action_listen``). A load reads the prefix and the events from the window's start, not the
events before it; they stay stored (the export, the console and ``GET /tracker`` read them).

The window moves on at a save, once it holds ``keep + slack`` of the person's messages, to
the ``keep``-th latest one, so that from then on it holds ``keep`` to ``keep + slack`` turns.
It moves only where the move is exact: no form active at the new start, the event before it
an ``action_listen``, and the conversation rebuilt from the new prefix and the events after it
ends in the same state as the conversation itself (slots, form, pause, latest action,
follow-up action). Otherwise it stays where it was, which is always right: a window is the
state at its start plus every event after it.

Pure functions over Rasa's trackers; the tracker store (``bot/stores/tracker_store.py``)
reads and writes the window's row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.events import (
    ActionExecuted,
    ConversationPaused,
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

# How many of the person's messages a window keeps when it moves: CONVERSATION_WINDOW_TURNS
# (bot/settings.py, 8 by default). It then takes in this many more before moving again.
DEFAULT_SLACK = 4


@dataclass(frozen=True)
class Move:
    """Where a window now starts: the position of that event in the tracker, and its prefix."""

    start: int
    prefix: list[dict[str, Any]]


def replayed(tracker: DialogueStateTracker, events: Sequence[Event]) -> DialogueStateTracker:
    """A tracker of the same conversation holding ``events`` alone (one replay)."""
    rebuilt = tracker.init_copy()
    rebuilt.recreate_from_dialogue(Dialogue(tracker.sender_id, list(events)))
    return rebuilt


def prefix_of(state: DialogueStateTracker, at: float) -> list[Event]:
    """Events that rebuild ``state``'s slots and pause, then wait for the person."""
    events: list[Event] = [
        SlotSet(name, slot.value, timestamp=at)
        for name, slot in state.slots.items()
        if slot.value != slot.initial_value
    ]
    if state.is_paused():
        events.append(ConversationPaused(timestamp=at))
    events.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=at))
    return events


def same_state(one: DialogueStateTracker, other: DialogueStateTracker) -> bool:
    """Whether two trackers stand at the same point of a conversation."""
    return (
        {name: slot.value for name, slot in one.slots.items()}
        == {name: slot.value for name, slot in other.slots.items()}
        and one.active_loop == other.active_loop
        and one.is_paused() == other.is_paused()
        and one.latest_action == other.latest_action
        and one.followup_action == other.followup_action
    )


def move(tracker: DialogueStateTracker, stored_from: int, keep: int, slack: int) -> Move | None:
    """Where the window of ``tracker`` should now start, or None to leave it where it is.

    ``stored_from`` is the position of the first stored event in ``tracker.events`` (after
    the prefix it was loaded with, 0 without one).
    """
    events = list(tracker.events)
    messages = [
        position
        for position in range(max(stored_from, 1), len(events))
        if isinstance(events[position], UserUttered)
        and isinstance(events[position - 1], ActionExecuted)
        and events[position - 1].action_name == ACTION_LISTEN_NAME
    ]
    if keep <= 0 or len(messages) < keep + slack:
        return None
    start = messages[-keep]
    before = replayed(tracker, events[:start])
    if before.active_loop_name or before.latest_action_name != ACTION_LISTEN_NAME:
        return None
    prefix = prefix_of(before, events[start - 1].timestamp)
    if not same_state(replayed(tracker, prefix + events[start:]), tracker):
        return None
    return Move(start, [event.as_dict() for event in prefix])
