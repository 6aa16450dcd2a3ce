"""Tables written by the event consumer (migration 0007)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from seniorplus.db import Base
from seniorplus.models import UTCDateTime, utcnow


class ConversationActivity(Base):
    """One conversation as the events tell it: when it moved, when it last spoke, counts.

    ``last_message_at``: the newest user or bot message (what the console's transcript
    shows); ``last_at``: the newest event of any kind. No text here.
    """

    __tablename__ = "conversation_activity"
    __table_args__ = (Index("ix_conversation_activity_last_user_at", "last_user_at"),)

    conversation_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    channel: Mapped[str | None] = mapped_column(String(32), nullable=True)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_user_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    user_messages: Mapped[int] = mapped_column(Integer, default=0)
    bot_messages: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:  # no conversation id: a phone number on SMS and voice
        return f"ConversationActivity(channel={self.channel!r}, last_at={self.last_at!r})"


class JourneyProgress(Base):
    """The furthest step a conversation reached in a journey (-1: only the overview).

    Steps count from 0 (``journey_step`` of actions/journeys.py); a step shown again
    after going back changes nothing.
    """

    __tablename__ = "journey_progress"
    __table_args__ = (UniqueConstraint("conversation_id", "journey"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(255))
    journey: Mapped[str] = mapped_column(String(64), index=True)
    furthest_step: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the journey first opened
    reached_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the furthest step reached

    def __repr__(self) -> str:
        return f"JourneyProgress(journey={self.journey!r}, furthest_step={self.furthest_step!r})"


class SeenEvent(Base):
    """An event already applied, by the SHA-256 of its body: a redelivery changes nothing."""

    __tablename__ = "broker_events_seen"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
