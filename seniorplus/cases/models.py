"""ORM models of people and cases (migration 0003).

People: ``contacts`` (one person, their channel identities, consent) and
``caregiver_links`` (who acts for whom). Cases: ``cases`` with a reference from
``case_counters``, their document checklist (``case_documents``) and audit
history (``case_events``). Mediators and appointments live in
:mod:`seniorplus.booking.models`, the job queue in :mod:`seniorplus.jobs.models`.

Invariants the database enforces, not the code: at most one non-closed case per
person and journey (partial unique index ``uq_cases_open_per_journey``), and no
two reserved appointments of a mediator at the same start (``uq_appointments_reserved_slot``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rendering.channels import Names
from seniorplus.db import Base
from seniorplus.models import UTCDateTime, one_of, utcnow

__all__ = [
    "CASE_STATUSES",
    "CHANNELS",
    "DOCUMENT_STATUSES",
    "CaregiverLink",
    "Case",
    "CaseCounter",
    "CaseDocument",
    "CaseEvent",
    "Contact",
]

CHANNELS = Names(lambda channel: True, aliases=False)
CASE_STATUSES = ("ouvert", "en_cours", "en_attente", "complet", "clos")
DOCUMENT_STATUSES = ("a_fournir", "recu", "non_concerne")


class Contact(Base):
    """A person: a senior or a caregiver, known by one or more channel identities.

    ``conversation_id`` and ``preferred_channel`` are None for a senior known only
    through a caregiver (never wrote to the assistant). ``erased_at`` is set once
    the person's data has been erased (RGPD); the row stays for open cases.
    """

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("phone"),
        UniqueConstraint("telegram_chat_id"),
        UniqueConstraint("conversation_id"),
        CheckConstraint(one_of("preferred_channel", tuple(CHANNELS)), name="preferred_channel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    phone: Mapped[str | None] = mapped_column(String(16), nullable=True)  # E.164
    telegram_chat_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    conversation_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    display_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    preferred_channel: Mapped[str | None] = mapped_column(String(16), nullable=True)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    notice_version: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def actor(self) -> str:
        """This contact as the author of an audit event ("contact:12")."""
        return f"contact:{self.id}"

    def __repr__(self) -> str:
        # No phone, chat id or name: they identify a person.
        return f"Contact(id={self.id!r}, channel={self.preferred_channel!r})"


class CaregiverLink(Base):
    """A caregiver acting for a senior ("mère", "père", "conjoint", ...)."""

    __tablename__ = "caregiver_links"
    __table_args__ = (
        UniqueConstraint("caregiver_id", "senior_id"),
        CheckConstraint("caregiver_id <> senior_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    caregiver_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    senior_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    relationship: Mapped[str] = mapped_column(String(32))
    senior_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"CaregiverLink(id={self.id!r}, relationship={self.relationship!r})"


class CaseCounter(Base):
    """Last case number given in a year: incremented in the opening transaction."""

    __tablename__ = "case_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Case(Base):
    """A case (dossier) of one journey, opened by someone for someone."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("reference"),
        CheckConstraint(one_of("status", CASE_STATUSES), name="status"),
        Index(
            "uq_cases_open_per_journey",
            "for_id",
            "journey",
            unique=True,
            sqlite_where=text("status <> 'clos'"),
            postgresql_where=text("status <> 'clos'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(16))  # "SP-2026-000123"
    journey: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="ouvert", index=True)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    for_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    documents: Mapped[list[CaseDocument]] = relationship(
        back_populates="case",
        lazy="selectin",
        order_by="CaseDocument.position",
        cascade="all, delete-orphan",
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case",
        order_by="CaseEvent.id",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"Case(id={self.id!r}, journey={self.journey!r}, status={self.status!r})"


class CaseDocument(Base):
    """One paper of a case's checklist, copied from the journey when the case opens."""

    __tablename__ = "case_documents"
    __table_args__ = (
        UniqueConstraint("case_id", "document_id"),
        CheckConstraint(one_of("status", DOCUMENT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    document_id: Mapped[str] = mapped_column(String(64))  # the journey's document id
    label: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer)  # order in the journey
    status: Mapped[str] = mapped_column(String(16), default="a_fournir")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="documents")

    def __repr__(self) -> str:
        return f"CaseDocument(id={self.id!r}, document_id={self.document_id!r})"


class CaseEvent(Base):
    """One change of a case, written in the same transaction as the change."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # "contact:12", "agent:3", "system"
    action: Mapped[str] = mapped_column(String(32))  # "ouverture", "statut", "piece", "rdv"
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON object

    case: Mapped[Case] = relationship(back_populates="events")

    @property
    def details(self) -> dict[str, Any]:
        """``detail`` decoded."""
        value = json.loads(self.detail)
        assert isinstance(value, dict)
        return value

    def __repr__(self) -> str:
        return f"CaseEvent(id={self.id!r}, action={self.action!r})"
