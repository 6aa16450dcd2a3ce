"""The persisted job queue (table ``scheduled_jobs``, migration 0003).

A feature writes its own kinds (``seniorplus.booking.jobs``, ``seniorplus.handoff.deferred``,
``seniorplus.data_rights.jobs``); the scheduler only claims and runs them.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from seniorplus.db import Base
from seniorplus.models import UTCDateTime, one_of, utcnow

JOB_KINDS = ("confirmation", "rappel_veille", "purge")  # documented kinds; not constrained
JOB_STATUSES = ("en_attente", "en_cours", "fait", "echec", "annule")


class ScheduledJob(Base):
    """A persisted job (confirmation, reminder, purge); ``key`` makes it unique."""

    __tablename__ = "scheduled_jobs"
    __table_args__ = (
        UniqueConstraint("key"),
        CheckConstraint(one_of("status", JOB_STATUSES), name="status"),
        Index("ix_scheduled_jobs_status_run_at", "status", "run_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))  # e.g. "rappel:appointment:42"
    run_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[str] = mapped_column(Text, default="{}")  # JSON object
    status: Mapped[str] = mapped_column(String(16), default="en_attente")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)

    @property
    def payload_data(self) -> dict[str, Any]:
        """``payload`` decoded."""
        value = json.loads(self.payload)
        assert isinstance(value, dict)
        return value

    def __repr__(self) -> str:
        return f"ScheduledJob(id={self.id!r}, kind={self.kind!r}, status={self.status!r})"
