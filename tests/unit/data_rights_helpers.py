"""Builders for the data-rights tests: a tracker-store ``events`` table and a person's traces."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import create_engine, insert

from seniorplus.history.transcripts import EVENTS, WINDOWS, TranscriptStore
from seniorplus.settings import normalize_database_url


@contextmanager
def tracker_store(url: str) -> Iterator[TranscriptStore]:
    """Rasa's ``events`` table and the bot's windows in the database at ``url``; a store on it."""
    engine = create_engine(normalize_database_url(url))
    EVENTS.metadata.create_all(engine)
    WINDOWS.metadata.create_all(engine)
    engine.dispose()
    store = TranscriptStore(url)
    try:
        yield store
    finally:
        store.dispose()


def say(store: TranscriptStore, sender: str, at: datetime, user: str, bot: str) -> None:
    """One exchange of ``sender`` at ``at``: a user message and the bot's answer."""
    rows = [
        {"event": "user", "text": user, "input_channel": "sms", "timestamp": at.timestamp()},
        {"event": "action", "name": "action_listen", "timestamp": at.timestamp()},
        {"event": "bot", "text": bot, "timestamp": at.timestamp() + 0.5},
    ]
    with store.engine.begin() as connection:
        for row in rows:
            connection.execute(
                insert(EVENTS).values(
                    sender_id=sender,
                    type_name=row["event"],
                    timestamp=row["timestamp"],
                    data=json.dumps(row, ensure_ascii=False),
                )
            )


def window(store: TranscriptStore, sender: str, at: datetime) -> None:
    """The bot's window of ``sender``'s conversation, starting at ``at`` (slot values in it)."""
    prefix = [{"event": "slot", "name": "commune", "value": "Clisson", "timestamp": at.timestamp()}]
    with store.engine.begin() as connection:
        connection.execute(
            insert(WINDOWS).values(
                sender_id=sender,
                first_event_id=1,
                timestamp=at.timestamp(),
                prefix=json.dumps(prefix),
            )
        )


def windows(store: TranscriptStore) -> list[str]:
    """The conversations that have a window."""
    with store.engine.connect() as connection:
        return sorted(row.sender_id for row in connection.execute(WINDOWS.select()))
