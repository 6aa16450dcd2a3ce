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
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.events import deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import ConnectionException
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.settings import bot_settings

logger = logging.getLogger(__name__)

DEFAULT_CONNECT_TIMEOUT_S = 15.0
STORED = "_senior_plus_stored_events"  # on a tracker: how many of its events are stored


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
        super().__init__(*args, **kwargs)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            # The data column alone: no ORM object per stored event (a third of the load).
            rows = (
                self._event_query(
                    session,
                    sender_id,
                    fetch_events_from_all_sessions=fetch_events_from_all_sessions,
                )
                .with_entities(self.SQLEvent.data)
                .all()
            )
            serialised = [json.loads(row.data) for row in rows]
        tracker = None
        if self.domain and serialised:
            tracker = load_tracker(sender_id, serialised, self.domain.slots)
        # The latest session's events, as Rasa's save would count them; a bounded history
        # (max_event_history) would hide some: Rasa's way then.
        if (
            tracker is not None
            and tracker.events.maxlen is None
            and not fetch_events_from_all_sessions
        ):
            setattr(tracker, STORED, len(tracker.events))
        return tracker

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
        self._store(tracker.sender_id, new_events)
        setattr(tracker, STORED, len(tracker.events))
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)

    def _store(self, sender_id: str, new_events: list[Any]) -> None:
        """The rows of Rasa's ``SQLTrackerStore.save``, for the given events."""
        with self.session_scope() as session:
            for event in new_events:
                data = event.as_dict()
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(
                    self.SQLEvent(
                        sender_id=sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent,
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()


def load_tracker(
    sender_id: str, serialised: list[dict[str, Any]], slots: Any
) -> DialogueStateTracker:
    """``DialogueStateTracker.from_dict``, with one replay instead of one per rewind."""
    tracker = DialogueStateTracker(sender_id, slots)
    tracker.recreate_from_dialogue(Dialogue(sender_id, deserialise_events(serialised)))
    return tracker
