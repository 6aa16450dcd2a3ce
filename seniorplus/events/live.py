"""What the console's live transcript asks before reading the tracker store.

The transcript (static/conversation.js) asks for new lines every 3 seconds. With the
broker on, `conversation_activity` tells whether the person or the assistant said
anything after the last line shown: most polls answer from this one indexed row and
never touch Rasa's ``events`` table; the tracker store is read only when there is
something new to show. With the broker off (dev), there is no such row: the console
reads the tracker store at each poll, as before.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from seniorplus.events.models import ConversationActivity
from seniorplus.events.settings import broker_enabled


def said_since(session: Session, conversation_id: str, since: datetime) -> bool:
    """Whether the consumer saw a message of this conversation after ``since``."""
    last = session.scalar(
        select(ConversationActivity.last_message_at).where(
            ConversationActivity.conversation_id == conversation_id
        )
    )
    return last is not None and last > since


def tracker_worth_reading(session: Session, conversation_id: str, since: datetime | None) -> bool:
    """False only when the broker is on and nothing was said after ``since``.

    The first display (``since`` None) always reads the whole history.
    """
    if since is None or not broker_enabled():
        return True
    return said_since(session, conversation_id, since)
