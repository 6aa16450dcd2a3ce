"""The conversation history, as Rasa's SQL tracker store keeps it (table ``events``).

Rasa owns this table (it creates it on start); we only read it for an export,
and delete rows for an erasure or the retention purge. The columns used are
stable across Rasa 3.x: ``sender_id``, ``type_name``, ``timestamp`` (Unix
seconds) and ``data`` (the event as JSON).

Deleting rows of a conversation whose turn is still running would be undone:
at the end of a turn Rasa writes again every event it holds that the table
lacks. So an erasure deletes only once the conversation has been quiet for a
moment (:meth:`TranscriptStore.quiet_since`), see :mod:`seniorplus.data_rights.erasure`.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    func,
    inspect,
    select,
)

from seniorplus.settings import get_settings, normalize_database_url

EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
"""The columns of Rasa's ``events`` table that we touch (tests create it from this)."""

WINDOWS = Table(
    "conversation_windows",
    MetaData(),
    Column("sender_id", String(255), primary_key=True),
    Column("first_event_id", Integer, nullable=False),
    Column("timestamp", Float, nullable=False),
    Column("prefix", Text, nullable=False),
)
"""The bot's table of windows (bot/stores/tracker_store.py): per conversation, where a turn
starts reading and the slot values just before. Personal data: erased with the events."""

SPOKEN = ("user", "bot")


@dataclass(frozen=True)
class TranscriptLine:
    """One message of the history."""

    at: datetime
    speaker: Literal["personne", "assistant"]
    text: str
    channel: str | None


def _line(type_name: str, timestamp: float | None, data: str | None) -> TranscriptLine | None:
    try:
        event = json.loads(data or "{}")
    except ValueError:
        return None
    text = event.get("text") if isinstance(event, dict) else None
    if not isinstance(text, str) or not text.strip():
        return None
    at = datetime.fromtimestamp(timestamp or 0.0, timezone.utc)
    speaker: Literal["personne", "assistant"] = "personne" if type_name == "user" else "assistant"
    channel = event.get("input_channel") if type_name == "user" else None
    return TranscriptLine(at, speaker, text, channel if isinstance(channel, str) else None)


class TranscriptStore:
    """Read and delete conversation history in the tracker store at ``url``."""

    def __init__(self, url: str) -> None:
        self._url = normalize_database_url(url)
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self._table_seen = False

    @property
    def engine(self) -> Engine:
        """Built on first use, never at construction."""
        with self._lock:
            if self._engine is None:
                self._engine = create_engine(self._url, pool_pre_ping=True, hide_parameters=True)
            return self._engine

    def exists(self) -> bool:
        """Whether Rasa has created its table yet (not before its first conversation).

        Once seen, the table is taken to stay: no catalogue query on every read.
        """
        if not self._table_seen:
            self._table_seen = inspect(self.engine).has_table(EVENTS.name)
        return self._table_seen

    def dispose(self) -> None:
        """Close the connections (tests, shutdown)."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    def read(self, sender_ids: Sequence[str]) -> list[TranscriptLine]:
        """The messages of these conversations, oldest first."""
        if not sender_ids or not self.exists():
            return []
        query = (
            select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
            .where(EVENTS.c.sender_id.in_(list(sender_ids)), EVENTS.c.type_name.in_(SPOKEN))
            .order_by(EVENTS.c.timestamp, EVENTS.c.id)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        lines = (_line(row.type_name, row.timestamp, row.data) for row in rows)
        return [line for line in lines if line is not None]

    def first_and_last(self, sender_ids: Sequence[str]) -> tuple[datetime, datetime] | None:
        """When these conversations began and last moved, or None if there is nothing."""
        if not sender_ids or not self.exists():
            return None
        query = select(func.min(EVENTS.c.timestamp), func.max(EVENTS.c.timestamp)).where(
            EVENTS.c.sender_id.in_(list(sender_ids))
        )
        with self.engine.connect() as connection:
            first, last = connection.execute(query).one()
        if first is None or last is None:
            return None
        return datetime.fromtimestamp(first, timezone.utc), datetime.fromtimestamp(
            last, timezone.utc
        )

    def quiet_since(self, sender_ids: Sequence[str], moment: datetime) -> bool:
        """Whether nothing was written in these conversations after ``moment``."""
        span = self.first_and_last(sender_ids)
        return span is None or span[1] <= moment

    def delete(self, sender_ids: Sequence[str]) -> int:
        """Delete the whole history of these conversations; the number of events deleted."""
        if not sender_ids or not self.exists():
            return 0
        statement = delete(EVENTS).where(EVENTS.c.sender_id.in_(list(sender_ids)))
        with self.engine.begin() as connection:
            deleted = connection.execute(statement).rowcount or 0
            if self._has_windows(connection):
                connection.execute(delete(WINDOWS).where(WINDOWS.c.sender_id.in_(list(sender_ids))))
            return deleted

    def delete_before(self, cutoff: datetime) -> int:
        """Delete every event older than ``cutoff`` (retention); the number deleted.

        The windows of the conversations that lose events go too: their prefix holds the
        slot values of those events. Such a conversation is read from what is left.
        """
        if not self.exists():
            return 0
        old = EVENTS.c.timestamp < cutoff.timestamp()
        with self.engine.begin() as connection:
            if self._has_windows(connection):
                touched = select(EVENTS.c.sender_id).where(old).distinct()
                connection.execute(delete(WINDOWS).where(WINDOWS.c.sender_id.in_(touched)))
            return connection.execute(delete(EVENTS).where(old)).rowcount or 0

    @staticmethod
    def _has_windows(connection: Connection) -> bool:
        return inspect(connection).has_table(WINDOWS.name)


@functools.lru_cache(maxsize=1)
def default_store() -> TranscriptStore | None:
    """The tracker store of this process's ``TRACKER_STORE_URL``, or None when unset."""
    url = get_settings().data_rights.tracker_store_url  # TRACKER_STORE_URL
    return TranscriptStore(url) if url else None
