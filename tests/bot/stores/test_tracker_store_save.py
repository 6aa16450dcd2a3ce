"""The strict store saves a turn without reading it back, and loads it with one replay.

Rasa's ``SQLTrackerStore.save`` counts the session's stored events and, with an event broker,
loads the whole tracker again before every save (bot/stores/tracker_store.py). The strict
store must store and publish exactly what Rasa's store does, turn after turn, new session
included, without that second reading.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bot.stores.tracker_store import StrictSQLTrackerStore, load_tracker

SENDER = "bench-sender"


class Broker:
    """Records what would go to RabbitMQ."""

    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    def publish(self, event: dict[str, Any]) -> None:
        self.published.append(event)


def turn(number: int) -> list[Event]:
    return [
        UserUttered(f"message {number}", {"name": "ask_apa", "confidence": 0.9}),
        ActionExecuted("utter_apa"),
        BotUttered(f"réponse {number}"),
        ActionExecuted("action_listen"),
    ]


def conversation(store: SQLTrackerStore, turns: int, new_session_at: int) -> None:
    """Turns as Rasa runs them: load (or create), add the turn's events, save."""

    async def run() -> None:
        for number in range(1, turns + 1):
            tracker = await store.get_or_create_tracker(SENDER)
            if number == new_session_at:
                tracker.update(ActionExecuted("action_session_start"))
                tracker.update(SessionStarted())
                tracker.update(ActionExecuted("action_listen"))
            for event in turn(number):
                tracker.update(event)
            await store.save(tracker)

    asyncio.run(run())


def rows(path: Path) -> list[tuple[Any, ...]]:
    """The stored events, in order."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        query = "SELECT sender_id, type_name, intent_name, action_name, data FROM events"
        found = connection.execute(text(f"{query} ORDER BY id")).all()
    engine.dispose()
    # Both stores save the same events; only the moment they were made differs.
    return [
        (*row[:4], {k: v for k, v in json.loads(row[4]).items() if k != "timestamp"})
        for row in found
    ]


def without_time(published: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in event.items() if k != "timestamp"} for event in published]


def test_the_strict_store_stores_and_publishes_what_rasas_store_does(tmp_path: Path) -> None:
    domain = Domain.empty()
    ours_broker, rasas_broker = Broker(), Broker()
    ours = StrictSQLTrackerStore(
        domain, dialect="sqlite", db=str(tmp_path / "ours.db"), event_broker=ours_broker
    )
    rasas = SQLTrackerStore(
        domain, dialect="sqlite", db=str(tmp_path / "rasa.db"), event_broker=rasas_broker
    )
    conversation(ours, turns=12, new_session_at=7)
    conversation(rasas, turns=12, new_session_at=7)
    stored = rows(tmp_path / "ours.db")
    assert stored == rows(tmp_path / "rasa.db")
    assert len(stored) == 1 + 12 * 4 + 3  # the first action_listen, the turns, a new session
    assert without_time(ours_broker.published) == without_time(rasas_broker.published)
    assert [e["event"] for e in ours_broker.published] == [r[1] for r in stored]
    assert [e["sender_id"] for e in ours_broker.published] == [SENDER] * len(stored)


def test_saving_a_loaded_conversation_does_not_read_it_back(tmp_path: Path) -> None:
    store = StrictSQLTrackerStore(
        Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"), event_broker=Broker()
    )
    conversation(store, turns=3, new_session_at=0)
    reads: list[str] = []
    original = store._retrieve

    async def counted(sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
        reads.append(sender_id)
        return await original(sender_id, fetch_events_from_all_sessions)

    store._retrieve = counted  # type: ignore[method-assign]
    conversation(store, turns=2, new_session_at=0)
    assert reads == [SENDER, SENDER]  # one load per turn, no read when saving


def test_what_it_buys_on_a_long_conversation(tmp_path: Path) -> None:
    """A 100-turn conversation (400 events), broker on: the save alone, ours against Rasa's."""
    domain = Domain.empty()
    timings = {}
    for name, store_class in (("rasa", SQLTrackerStore), ("ours", StrictSQLTrackerStore)):
        store = store_class(
            domain, dialect="sqlite", db=str(tmp_path / f"{name}.db"), event_broker=Broker()
        )
        conversation(store, turns=100, new_session_at=0)

        async def last_turn(store: SQLTrackerStore = store) -> float:
            tracker = await store.get_or_create_tracker(SENDER)
            for event in turn(101):
                tracker.update(event)
            started = time.perf_counter()
            await store.save(tracker)
            return time.perf_counter() - started

        timings[name] = min(asyncio.run(last_turn()) for _ in range(3))
    print(f"save of turn 101 with a broker: Rasa {timings['rasa'] * 1000:.1f} ms, "
          f"strict store {timings['ours'] * 1000:.1f} ms")  # fmt: skip
    assert timings["ours"] < timings["rasa"]


def test_a_conversation_with_rewinds_loads_to_the_same_state_with_one_replay() -> None:
    """Rasa's from_dict replays the history at each rewind; one replay gives the same tracker."""
    domain = Domain.from_dict(
        {"slots": {"journey": {"type": "text", "mappings": [{"type": "custom"}]}}}
    )
    history: list[Event] = [ActionExecuted("action_listen")]
    for number in range(1, 30):
        history += turn(number)
        if number % 3 == 0:  # "vous pouvez répéter ?" read, then rewound by the policy
            history += [UserUttered("répéter", {"name": "repeat"}), UserUtteranceReverted()]
        if number % 5 == 0:
            history += [ActionExecuted("action_journey"), SlotSet("journey", f"j{number}")]
            history += [ActionReverted(), SlotSet("journey", f"k{number}")]
            history.append(ActionExecuted("action_listen"))
    serialised = [event.as_dict() for event in history]
    rasas = DialogueStateTracker.from_dict(SENDER, serialised, domain.slots)
    ours = load_tracker(SENDER, serialised, domain.slots)
    assert list(ours.events) == list(rasas.events)
    verbosity = EventVerbosity.ALL
    assert ours.current_state(verbosity) == rasas.current_state(verbosity)
    assert ours.past_states(domain) == rasas.past_states(domain)
    assert ours.get_slot("journey") == "k25"


def test_a_turn_the_database_refuses_is_not_published(tmp_path: Path) -> None:
    """The database cut during a save: the consumer must not count a message never kept,
    nor count it twice when the person sends it again (scale test, docs/deployment.md)."""
    broker = Broker()
    store = StrictSQLTrackerStore(
        Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"), event_broker=broker
    )
    original = store._store
    cut = {"on": True}

    def store_unless_cut(sender_id: str, new_events: list[Any]) -> list[int]:
        if cut["on"]:
            raise OperationalError("INSERT", {}, Exception("connection refused"))
        return original(sender_id, new_events)

    store._store = store_unless_cut  # type: ignore[method-assign]
    for loaded_first in (False, True):  # a new conversation, then one loaded from the base
        if loaded_first:
            cut["on"] = False
            conversation(store, turns=1, new_session_at=0)
            cut["on"] = True
        before = len(broker.published)
        with pytest.raises(OperationalError):
            conversation(store, turns=1, new_session_at=0)
        assert len(broker.published) == before  # nothing published for the refused turn
        cut["on"] = False
        conversation(store, turns=1, new_session_at=0)  # the same message, sent again
        new = [e["event"] for e in broker.published[before:]]
        assert new.count("user") == 1
        published = [e["event"] for e in broker.published]
        assert published == [r[1] for r in rows(tmp_path / "t.db")]
