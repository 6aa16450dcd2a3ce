"""ORM models of mediators, their agenda and appointments (migration 0003).

A mediator works at a site, handles some journeys (``mediator_skills``), offers
modes ("sur_place", "telephone", "domicile"), and has a weekly availability
grid cut into slots, minus absences. An appointment takes one slot; the partial
unique index ``uq_appointments_reserved_slot`` refuses a second reserved
appointment of the same mediator at the same start (no double booking).

Multi-valued ``modes`` columns hold a comma-separated list ("sur_place,telephone").
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seniorplus.cases.models import Case, Contact
from seniorplus.db import Base
from seniorplus.models import UTCDateTime, one_of, utcnow

MODES = ("sur_place", "telephone", "domicile")
APPOINTMENT_STATUSES = ("reserve", "annule", "effectue")


def split_modes(value: str) -> tuple[str, ...]:
    """``"sur_place,telephone"`` → ``("sur_place", "telephone")``."""
    return tuple(mode for mode in (part.strip() for part in value.split(",")) if mode)


class Site(Base):
    """A place where mediators receive: France Services, CLIC, Département."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))  # "France Services", "CLIC", "Département"
    commune: Mapped[str] = mapped_column(String(80), index=True)
    postcode: Mapped[str] = mapped_column(String(5))
    address: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(16), nullable=True)  # E.164
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)

    mediators: Mapped[list[Mediator]] = relationship(back_populates="site")

    def __repr__(self) -> str:
        return f"Site(id={self.id!r}, name={self.name!r})"


class Mediator(Base):
    """A person who meets seniors and caregivers, at a site, by phone or at home."""

    __tablename__ = "mediators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(16), nullable=True)  # E.164
    modes: Mapped[str] = mapped_column(String(64), default="sur_place")  # comma-separated
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    site: Mapped[Site] = relationship(back_populates="mediators")
    skills: Mapped[list[MediatorSkill]] = relationship(
        back_populates="mediator", cascade="all, delete-orphan"
    )
    availabilities: Mapped[list[MediatorAvailability]] = relationship(
        back_populates="mediator", cascade="all, delete-orphan"
    )
    absences: Mapped[list[MediatorAbsence]] = relationship(
        back_populates="mediator", cascade="all, delete-orphan"
    )

    @property
    def mode_list(self) -> tuple[str, ...]:
        return split_modes(self.modes)

    def __repr__(self) -> str:
        return f"Mediator(id={self.id!r}, name={self.name!r})"


class MediatorSkill(Base):
    """A journey a mediator handles."""

    __tablename__ = "mediator_skills"
    __table_args__ = (UniqueConstraint("mediator_id", "journey"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediators.id", ondelete="CASCADE"))
    journey: Mapped[str] = mapped_column(String(64), index=True)

    mediator: Mapped[Mediator] = relationship(back_populates="skills")


class MediatorAvailability(Base):
    """A weekly opening of a mediator (Europe/Paris wall-clock times), cut into slots."""

    __tablename__ = "mediator_availabilities"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("start_time < end_time", name="time_order"),
        CheckConstraint("slot_minutes > 0", name="slot_minutes"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mediator_id: Mapped[int] = mapped_column(
        ForeignKey("mediators.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    start_time: Mapped[time] = mapped_column(Time())
    end_time: Mapped[time] = mapped_column(Time())
    slot_minutes: Mapped[int] = mapped_column(Integer, default=45)
    modes: Mapped[str] = mapped_column(String(64), default="sur_place")  # comma-separated

    mediator: Mapped[Mediator] = relationship(back_populates="availabilities")

    @property
    def mode_list(self) -> tuple[str, ...]:
        return split_modes(self.modes)


class MediatorAbsence(Base):
    """Days off of a mediator: no slot between ``starts_at`` and ``ends_at``."""

    __tablename__ = "mediator_absences"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="time_order"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mediator_id: Mapped[int] = mapped_column(
        ForeignKey("mediators.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(120), nullable=True)

    mediator: Mapped[Mediator] = relationship(back_populates="absences")


class Appointment(Base):
    """A meeting with a mediator. ``reference`` is "RDV-" + 6 random characters."""

    __tablename__ = "appointments"
    __table_args__ = (
        UniqueConstraint("reference"),
        CheckConstraint(one_of("status", APPOINTMENT_STATUSES), name="status"),
        CheckConstraint(one_of("mode", MODES), name="mode"),
        CheckConstraint("starts_at < ends_at", name="time_order"),
        Index(
            "uq_appointments_reserved_slot",
            "mediator_id",
            "starts_at",
            unique=True,
            sqlite_where=text("status = 'reserve'"),
            postgresql_where=text("status = 'reserve'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(16))
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediators.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True, index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="reserve")
    booked_by: Mapped[str] = mapped_column(String(64))  # "contact:12" or "agent:3"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    mediator: Mapped[Mediator] = relationship()
    contact: Mapped[Contact] = relationship()
    case: Mapped[Case | None] = relationship()

    def __repr__(self) -> str:
        return f"Appointment(id={self.id!r}, status={self.status!r})"
