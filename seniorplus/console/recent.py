"""Recent conversations from Rasa's tracker store, for a supervisor who wants to step in.

Reads the ``events`` table as `seniorplus.history.transcripts` does (same
columns): the conversations where the person last wrote, newest first. With the event
broker on, the list itself comes from what the consumer wrote (`recent_from_activity`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from seniorplus.events.models import ConversationActivity
from seniorplus.history.transcripts import EVENTS, TranscriptStore

PREVIEW_CHARS = 120


@dataclass(frozen=True)
class RecentConversation:
    """A conversation, when the person last wrote, from where, and what."""

    conversation_id: str
    last_at: datetime
    channel: str | None
    last_text: str
    messages: int


def _text_and_channel(data: str | None) -> tuple[str, str | None]:
    try:
        event = json.loads(data or "{}")
    except ValueError:
        return "", None
    if not isinstance(event, dict):
        return "", None
    text = event.get("text")
    channel = event.get("input_channel")
    text = text if isinstance(text, str) else ""
    if len(text) > PREVIEW_CHARS:
        text = text[: PREVIEW_CHARS - 1].rstrip() + "…"
    return text, channel if isinstance(channel, str) else None


def _last_user_text(connection: Connection, sender_id: str) -> tuple[str, str | None]:
    data = connection.execute(
        select(EVENTS.c.data)
        .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name == "user")
        .order_by(EVENTS.c.timestamp.desc(), EVENTS.c.id.desc())
        .limit(1)
    ).scalar()
    return _text_and_channel(data)


def recent_conversations(store: TranscriptStore, limit: int = 30) -> list[RecentConversation]:
    """The ``limit`` conversations where the person wrote most recently."""
    last = func.max(EVENTS.c.timestamp).label("last")
    summary = (
        select(EVENTS.c.sender_id, last, func.count().label("n"))
        .where(EVENTS.c.type_name == "user")
        .group_by(EVENTS.c.sender_id)
        .order_by(last.desc())
        .limit(limit)
    )
    out: list[RecentConversation] = []
    with store.engine.connect() as connection:
        for sender_id, timestamp, count in connection.execute(summary).all():
            text, channel = _last_user_text(connection, sender_id)
            at = datetime.fromtimestamp(timestamp or 0.0, timezone.utc)
            out.append(RecentConversation(sender_id, at, channel, text, int(count)))
    return out


def recent_from_activity(
    session: Session, store: TranscriptStore, limit: int = 30
) -> list[RecentConversation]:
    """The same list with the event broker on: the conversations come from
    ``conversation_activity`` (an index), not from a GROUP BY over Rasa's whole ``events``
    table; only the last message of each is read there (by its sender's index)."""
    rows = session.execute(
        select(
            ConversationActivity.conversation_id,
            ConversationActivity.last_user_at,
            ConversationActivity.channel,
            ConversationActivity.user_messages,
        )
        .where(ConversationActivity.last_user_at.is_not(None))
        .order_by(ConversationActivity.last_user_at.desc())
        .limit(limit)
    ).all()
    out: list[RecentConversation] = []
    with store.engine.connect() as connection:
        for sender_id, at, channel, count in rows:
            text, said_on = _last_user_text(connection, sender_id)
            out.append(RecentConversation(sender_id, at, channel or said_on, text, count))
    return out
