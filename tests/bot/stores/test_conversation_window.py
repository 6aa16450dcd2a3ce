"""A turn reads a window of the conversation: the state a few turns back, then the events since.

The window must change nothing a turn decides: at every turn of a conversation with rewinds,
follow-ups, pauses and a new session, the tracker loaded through the window ends in the state
of the whole session read as Rasa reads it, with the same latest dialogue states, and every
event stays stored (bot/stores/window.py).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot.stores import window
from bot.stores.tracker_store import StrictSQLTrackerStore
from tests.bot.rewinding_histories import DOMAIN, history

SENDER = "fenetre"


def turns(events: list[Event]) -> list[list[Event]]:
    """The history cut after each ``action_listen``: what one turn adds."""
    cut: list[list[Event]] = [[]]
    for event in events:
        cut[-1].append(event)
        if isinstance(event, ActionExecuted) and event.action_name == "action_listen":
            cut.append([])
    return [part for part in cut if part]


def journey_turn(number: int) -> list[Event]:
    """A message, an action that sets the journey, then waiting."""
    return [
        UserUttered(f"message {number}", {"name": "ask_apa"}),
        ActionExecuted("action_journey"),
        SlotSet("journey", f"j{number}"),
        ActionExecuted("action_listen"),
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """A fresh database URL per name: SQLite (embedded) and PostgreSQL (production)."""
    if request.param == "sqlite":
        return lambda name: f"sqlite:///{tmp_path / name}.db"
    new = request.getfixturevalue("postgres_databases")
    return lambda name: new()


def store_at(url: str, monkeypatch: pytest.MonkeyPatch, keep: int) -> StrictSQLTrackerStore:
    monkeypatch.setenv("CONVERSATION_WINDOW_TURNS", str(keep))
    from bot.settings import bot_settings

    bot_settings.cache_clear()
    if url.startswith("sqlite:///"):
        store = StrictSQLTrackerStore(DOMAIN, dialect="sqlite", db=url.removeprefix("sqlite:///"))
    else:
        store = StrictSQLTrackerStore(DOMAIN, host=url)
    store.window_slack = 2
    return store


def play(store: StrictSQLTrackerStore, parts: list[list[Event]]) -> list[DialogueStateTracker]:
    """Each turn as Rasa runs it (load, add, save); the tracker loaded before each turn."""

    async def run() -> list[DialogueStateTracker]:
        loaded = []
        for part in parts:
            tracker = await store.get_or_create_tracker(SENDER)
            loaded.append(tracker.copy())
            for event in part:
                tracker.update(event)
            await store.save(tracker)
        loaded.append(await store.get_or_create_tracker(SENDER))
        return loaded

    return asyncio.run(run())


def stored(url: str) -> list[dict[str, Any]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT data FROM events ORDER BY id")).all()
    engine.dispose()
    # The first action_listen is made when each conversation is created: its time differs.
    return [{k: v for k, v in json.loads(row.data).items() if k != "timestamp"} for row in rows]


def test_every_turn_starts_from_the_state_the_whole_session_gives(
    database: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = turns(history())
    whole_url, window_url = database("whole"), database("window")
    whole = play(store_at(whole_url, monkeypatch, keep=0), parts)
    windowed = play(store_at(window_url, monkeypatch, keep=3), parts)
    assert stored(window_url) == stored(whole_url)
    shorter = 0
    for number, (full, short) in enumerate(zip(whole, windowed, strict=True)):
        assert window.same_state(short, full), f"turn {number}"
        assert short.latest_message == full.latest_message, f"turn {number}"
        assert short.past_states(DOMAIN)[-4:] == full.past_states(DOMAIN)[-4:], f"turn {number}"
        shorter += len(short.events) < len(full.events)
    assert shorter > len(parts) // 2  # most turns read less than the whole session


def test_a_turn_reads_between_keep_and_keep_plus_slack_messages(
    database: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = [journey_turn(n) for n in range(40)]
    url = database("t")
    loaded = play(store_at(url, monkeypatch, keep=4), parts)
    messages = [sum(isinstance(e, UserUttered) for e in t.events) for t in loaded]
    assert messages[:5] == [0, 1, 2, 3, 4]
    # Moved at the save that brings it to keep + slack: a turn reads keep to keep + slack - 1.
    assert max(messages) == 4 + 2 - 1 and min(messages[10:]) == 4
    last = loaded[-1]
    assert last.get_slot("journey") == "j39" and len(last.events) < 30
    assert isinstance(last.events[0], SlotSet)  # the prefix: the state before the window


def test_a_window_left_behind_by_a_new_session_is_not_used(
    database: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_at(database("t"), monkeypatch, keep=2)
    parts = [journey_turn(n) for n in range(10)]
    new_session = [ActionExecuted("action_session_start"), SessionStarted()]
    parts.append([*new_session, ActionExecuted("action_listen")])
    loaded = play(store, parts)
    assert [type(e).__name__ for e in loaded[-1].events][:2] == [
        "ActionExecuted",
        "SessionStarted",
    ]
    assert loaded[-1].get_slot("journey") is None  # the new session, not the old window


def test_a_move_that_would_not_rebuild_the_state_is_not_made() -> None:
    tracker = DialogueStateTracker.from_events(
        SENDER,
        [ActionExecuted("action_listen")]
        + [
            event
            for n in range(6)
            for event in (
                UserUttered(f"m{n}", {"name": "ask_apa"}),
                ActionExecuted("action_journey"),
                ActionExecuted("action_listen"),
            )
        ],
        DOMAIN.slots,
    )
    assert window.move(tracker, 0, keep=2, slack=2) is not None
    assert window.move(tracker, 0, keep=2, slack=5) is None  # not enough turns yet
    assert window.move(tracker, 0, keep=0, slack=0) is None  # windows off
