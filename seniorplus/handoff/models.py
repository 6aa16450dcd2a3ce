"""ORM models of the human handoff (migration 0004).

The agents, their sessions and the audit log are in :mod:`seniorplus.staff.models`.

- ``handoffs``: a conversation handed to a person (reason, plain-French summary,
  status, assigned agent); at most one open handoff per conversation (partial
  unique index), so a double request or two agents claiming at once cannot split it;
- ``handoff_replies``: what an agent wrote and whether it reached the person;
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seniorplus.db import Base
from seniorplus.models import UTCDateTime, one_of, utcnow
from seniorplus.staff.models import Agent

HANDOFF_REASONS = ("demande", "incomprehension", "urgence", "agent", "appel", "incident")
HANDOFF_STATUSES = ("en_attente", "prise", "rendue", "close")
OPEN_STATUSES = ("en_attente", "prise")
DELIVERY_STATUSES = ("sent", "deferred", "refused", "failed", "callback")


class Handoff(Base):
    """A conversation handed to a person, from the request to the hand-back or closing."""

    __tablename__ = "handoffs"
    __table_args__ = (
        CheckConstraint(one_of("reason", HANDOFF_REASONS), name="reason"),
        CheckConstraint(one_of("status", HANDOFF_STATUSES), name="status"),
        Index(
            "uq_handoffs_open_per_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=text("status IN ('en_attente', 'prise')"),
            postgresql_where=text("status IN ('en_attente', 'prise')"),
        ),
        Index("ix_handoffs_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(128))  # Rasa sender id
    channel: Mapped[str] = mapped_column(String(16))  # "sms", "telegram", "voice", "rest"
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id"), nullable=True, index=True
    )
    reason: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="en_attente")
    assigned_agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    assigned_agent: Mapped[Agent | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"Handoff(id={self.id!r}, status={self.status!r}, reason={self.reason!r})"


class HandoffReply(Base):
    """A message an agent wrote to the person, and what became of it."""

    __tablename__ = "handoff_replies"
    __table_args__ = (CheckConstraint(one_of("delivery", DELIVERY_STATUSES), name="delivery"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoffs.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    delivery: Mapped[str] = mapped_column(String(16))
    reason_fr: Mapped[str | None] = mapped_column(Text, nullable=True)
    vendor_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
