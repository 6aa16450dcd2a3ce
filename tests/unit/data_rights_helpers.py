"""Builders for the data-rights tests: a tracker-store ``events`` table and a person's traces."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import create_engine, insert

from seniorplus.history.transcripts import EVENTS, TranscriptStore
from seniorplus.settings import normalize_database_url


@contextmanager
def tracker_store(url: str) -> Iterator[TranscriptStore]:
    """Rasa's ``events`` table created in the database at ``url``, and a store on it."""
    engine = create_engine(normalize_database_url(url))
    EVENTS.metadata.create_all(engine)
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
