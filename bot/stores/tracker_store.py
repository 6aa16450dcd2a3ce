"""Rasa's SQL tracker store, failing loudly instead of waiting or forgetting.

Rasa 3.6's ``SQLTrackerStore`` retries its first connection every 5 s forever (a replica
that never serves nor says why), and its agent wraps every store in a
``FailSafeTrackerStore`` that goes on in memory when the database fails (RasaHQ/rasa#3243):
a turn would start a conversation from nothing and its events would be lost with the
process. Here:

- at start, the database gets ``TRACKER_STORE_CONNECT_TIMEOUT_S`` seconds (default 15)
  to answer, then Rasa stops with a message saying so (French, then the technical detail);
- during a turn, a failure of the database fails the turn (``fail_loudly``, installed by
  ``bot/rasa_patches.py``): the channel's safety net answers the person
  (channels/safety_net.py), nothing is kept in memory.

Plugged with ``tracker_store: type: bot.stores.tracker_store.StrictSQLTrackerStore``.

Saving a turn no longer reads the conversation back (docs/performance.md). Rasa's ``save``
counts the stored events of the session to know which ones are new, and, with an event
broker (RabbitMQ in production), first loads and rebuilds the whole tracker again to find
the events to publish: as much work as loading the conversation, at every turn, growing
with its length. A tracker loaded by this store remembers how many of its events are
stored; saving it writes and publishes the events after those, exactly the ones Rasa's
count would give, since a conversation's turns run one at a time (the lock store). A
tracker this store did not load (a new conversation) is saved Rasa's way.

Loading a conversation no longer replays it once per "rewind". Rasa's SQL store rebuilds a
tracker event by event (``DialogueStateTracker.from_dict``), and each ``UserUtteranceReverted``
or ``ActionReverted`` of the history resets the tracker and replays every event before it:
the cost of a load grows with the length times the number of rewinds (our policies and
actions rewind often: repeat, explain a word, resolve a typed reply). The store now rebuilds
it as Rasa's other stores do (``recreate_from_dialogue``): all events, one replay, the
same reverted events left out, the same state at the end
(tests/bot/stores/test_tracker_store_save.py).

A turn reads a window of the conversation, not all of it (``bot/stores/window.py``): the
table ``conversation_windows`` keeps, per conversation, the stored event where its window
starts and the few events that rebuild the state just before it. A load reads those and the
events from there; a save moves the window on every few turns. Without a row (a new
conversation, ``CONVERSATION_WINDOW_TURNS=0``, a window left behind by a new session or by
the retention purge), the session is read as Rasa reads it.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.events import deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import ConnectionException
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.settings import bot_settings
from bot.stores import window
from bot.stores.event_rows import event_rows

logger = logging.getLogger(__name__)

DEFAULT_CONNECT_TIMEOUT_S = 15.0
TABLES_LOCK = 0x53504C55  # PostgreSQL advisory lock key: one replica creates the tables at a time
STORED = "_senior_plus_stored_events"  # on a tracker: how many of its events are stored
WINDOW = "_senior_plus_window"  # on a loaded tracker: a LoadedWindow

WINDOWS = sa.Table(
    "conversation_windows",
    sa.MetaData(),
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("first_event_id", sa.Integer, nullable=False),  # events.id where it starts
    sa.Column("timestamp", sa.Float, nullable=False),  # that event's (the retention purge)
    sa.Column("prefix", sa.Text, nullable=False),  # JSON: the events rebuilding the state
)


@dataclass
class LoadedWindow:
    """What a load read: how many prefix events, and the ids of the stored events after them."""

    prefix_length: int
    ids: list[int]


class TrackerStoreUnavailable(ConnectionException):
    """The conversation history's database does not answer."""


def describe(error: BaseException) -> str:
    """The error's class and first line: no SQL parameters, no message text."""
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first_line}"[:300]


def fail_loudly(error: Exception) -> None:
    """The ``on_tracker_store_error`` of Rasa's wrapper: never go on in memory."""
    logger.error(
        "Historique des conversations injoignable : ce tour échoue, rien n'est gardé en "
        "mémoire. Tracker store failed: %s",
        describe(error),
    )
    raise error


def _wait_for_database(url: Any, timeout_s: float) -> None:
    engine = sa.create_engine(url, **create_engine_kwargs(url))
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                with engine.connect() as connection:
                    connection.execute(sa.text("SELECT 1"))
                return
            except sa.exc.SQLAlchemyError as error:
                if time.monotonic() >= deadline:
                    safe_url = sa.engine.make_url(url).__repr__()  # password hidden
                    raise TrackerStoreUnavailable(
                        "Historique des conversations injoignable : l'assistant ne démarre "
                        f"pas (base {safe_url}, attendue {timeout_s:.0f} s). "
                        f"Tracker store unreachable: {describe(error)}"
                    ) from error
                time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
    finally:
        engine.dispose()


@contextlib.contextmanager
def _creating_tables(url: Any) -> Iterator[None]:
    """Replicas starting together on a new PostgreSQL database create its tables one at a
    time: two ``CREATE TABLE`` of the same table at once fail one start (a unique violation
    in PostgreSQL's catalog); the second replica then finds the tables and creates nothing."""
    if sa.engine.make_url(url).get_backend_name() != "postgresql":
        yield
        return
    engine = sa.create_engine(url, **create_engine_kwargs(url))
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": TABLES_LOCK})
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": TABLES_LOCK})
    finally:
        engine.dispose()


class StrictSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that refuses to start without its database."""

    def __init__(self, *args: Any, connect_timeout_s: float | str | None = None, **kwargs: Any):
        timeout = float(
            connect_timeout_s
            or bot_settings().tracker_store_connect_timeout_s
            or DEFAULT_CONNECT_TIMEOUT_S
        )
        url = self.get_db_url(
            **{
                name: kwargs[name]
                for name in ("dialect", "host", "port", "db", "username", "password", "query")
                if kwargs.get(name) is not None
            }
        )
        _wait_for_database(url, timeout)
        with _creating_tables(url):
            super().__init__(*args, **kwargs)  # Rasa creates its events table
            WINDOWS.metadata.create_all(self.engine)
        settings = bot_settings()
        self.window_keep = settings.conversation_window_turns
        self.window_slack = window.DEFAULT_SLACK
        self.rows = event_rows(self.SQLEvent.__table__, WINDOWS)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        prefix, rows = self._rows(sender_id, fetch_events_from_all_sessions)
        tracker = None
        if self.domain and rows:
            serialised = prefix + [json.loads(row.data) for row in rows]
            tracker = load_tracker(sender_id, serialised, self.domain.slots)
        # The latest session's events, as Rasa's save would count them; a bounded history
        # (max_event_history) would hide some: Rasa's way then.
        if (
            tracker is not None
            and tracker.events.maxlen is None
            and not fetch_events_from_all_sessions
        ):
            setattr(tracker, STORED, len(tracker.events))
            setattr(tracker, WINDOW, LoadedWindow(len(prefix), [row.id for row in rows]))
        return tracker

    def _rows(self, sender_id: str, all_sessions: bool) -> tuple[list[dict[str, Any]], list[Any]]:
        """The window's prefix events and the stored (id, data) rows after them: one round trip
        with a window or without one; two when the window is stale (a new session since, or
        its first event purged), which then reads the session."""
        if all_sessions:  # the HTTP API's full history: Rasa's query
            with self.session_scope() as session:
                query = self._event_query(session, sender_id, fetch_events_from_all_sessions=True)
                return [], list(query.with_entities(self.SQLEvent.id, self.SQLEvent.data).all())
        with self.engine.connect() as connection:
            if self.window_keep <= 0:
                return [], self.rows.session(connection, sender_id)
            read = self.rows.read(connection, sender_id)
            if read.window is None:
                return [], read.rows
            first, prefix = read.window
            if read.rows and read.rows[0].id == first:
                return json.loads(prefix), read.rows
            return [], self.rows.session(connection, sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the turn's new events, then publish them: never publish what was not stored.

        Rasa publishes first: when the database fails during the save, the event consumer
        has already counted a message that the conversation never kept, and counts it a
        second time when the person sends it again (the scale test's database cut).
        """
        stored = getattr(tracker, STORED, None)
        if stored is None or tracker.events.maxlen is not None:
            with self.session_scope() as session:
                new_events = list(self._additional_events(session, tracker))
        else:
            new_events = list(itertools.islice(tracker.events, stored, len(tracker.events)))
        ids = self._store(tracker.sender_id, new_events)
        setattr(tracker, STORED, len(tracker.events))
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)
        # Last: a replica killed, or a database cut, while the window moves must not stand
        # between a stored turn and its publication (the event consumer's counts).
        loaded = getattr(tracker, WINDOW, None)
        if stored is not None and isinstance(loaded, LoadedWindow):
            loaded.ids += ids
            self._move_window(tracker, loaded)

    def _store(self, sender_id: str, new_events: list[Any]) -> list[int]:
        """The rows of Rasa's ``SQLTrackerStore.save``, for the given events; their ids."""
        rows = []
        for event in new_events:
            data = event.as_dict()
            intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
            rows.append(
                {
                    "sender_id": sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": intent,
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                }
            )
        with self.engine.begin() as connection:
            return self.rows.insert(connection, rows)

    def _move_window(self, tracker: DialogueStateTracker, loaded: LoadedWindow) -> None:
        """Move the window on when it holds enough turns (after the events are stored).

        A separate transaction: if it fails, the window left where it was is still right.
        """
        if len(loaded.ids) != len(tracker.events) - loaded.prefix_length:
            return  # not the events this store loaded and wrote: leave it
        moved = window.move(tracker, loaded.prefix_length, self.window_keep, self.window_slack)
        if moved is None:
            return
        first = loaded.ids[moved.start - loaded.prefix_length]
        row = {
            "first_event_id": first,
            "timestamp": tracker.events[moved.start].timestamp,
            "prefix": json.dumps(moved.prefix),
        }
        try:
            with self.session_scope() as session:
                updated = session.execute(
                    WINDOWS.update().where(WINDOWS.c.sender_id == tracker.sender_id).values(**row)
                ).rowcount
                if not updated:
                    session.execute(WINDOWS.insert().values(sender_id=tracker.sender_id, **row))
                session.commit()
        except sa.exc.SQLAlchemyError as error:  # the turn is stored; the old window is right
            logger.warning("Fenêtre de conversation non déplacée : %s", describe(error))


def load_tracker(
    sender_id: str, serialised: list[dict[str, Any]], slots: Any
) -> DialogueStateTracker:
    """``DialogueStateTracker.from_dict``, with one replay instead of one per rewind."""
    tracker = DialogueStateTracker(sender_id, slots)
    tracker.recreate_from_dialogue(Dialogue(sender_id, deserialise_events(serialised)))
    return tracker
