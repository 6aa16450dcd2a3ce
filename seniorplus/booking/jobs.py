"""Jobs that a booking leaves for the scheduler: confirmation, reminder, cancellation notice.

Written in the booking's transaction, under unique keys (a twin insert loses on
``uq_scheduled_jobs_key``), so a double tap or a retry never sends twice:

| event | kind | key | run_at |
|---|---|---|---|
| booked or moved | confirmation | ``confirmation:appointment:<id>`` | now |
| the day before | rappel_veille | ``rappel:appointment:<id>`` | the day before, 10:00 Paris |
| cancelled | confirmation | ``annulation:appointment:<id>`` | now |

Payload (JSON): ``{"event": "reserve" | "deplace" | "rappel" | "annule",
"appointment_id", "reference", "contact_id", "starts_at" (ISO, UTC), "replaces"
(the old reference, when moved)}``. Quiet hours are the sender's business, and
so is re-reading the appointment's status just before sending.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from policies.hours import PARIS
from seniorplus.booking.models import Appointment
from seniorplus.jobs.models import ScheduledJob
from seniorplus.jobs.queue import schedule_job

REMINDER_AT = time(10, 0)  # the day before, Paris time: a quiet hour for a text or a call


def reminder_time(starts_at: datetime) -> datetime:
    """When the reminder goes: the day before the appointment at `REMINDER_AT`, Paris time."""
    day = starts_at.astimezone(PARIS).date() - timedelta(days=1)
    return datetime.combine(day, REMINDER_AT, tzinfo=PARIS)


def payload(appointment: Appointment, event: str, **extra: str) -> dict[str, Any]:
    """What the sender needs to write the message."""
    return {
        "event": event,
        "appointment_id": appointment.id,
        "reference": appointment.reference,
        "contact_id": appointment.contact_id,
        "starts_at": appointment.starts_at.isoformat(),
        **extra,
    }


def schedule_booked(
    session: Session, appointment: Appointment, now: datetime, replaces: str | None = None
) -> None:
    """The confirmation now, and the reminder the day before if that is still ahead."""
    extra = {"replaces": replaces} if replaces else {}
    event = "deplace" if replaces else "reserve"
    schedule_job(
        session,
        "confirmation",
        f"confirmation:appointment:{appointment.id}",
        now,
        payload(appointment, event, **extra),
    )
    remind_at = reminder_time(appointment.starts_at)
    if remind_at > now:  # booked the day before: the confirmation is the reminder
        schedule_job(
            session,
            "rappel_veille",
            f"rappel:appointment:{appointment.id}",
            remind_at,
            payload(appointment, "rappel"),
        )


def cancel_jobs(session: Session, appointment: Appointment) -> None:
    """The confirmation and reminder not sent yet will not be: status "annule"."""
    for key in (
        f"confirmation:appointment:{appointment.id}",
        f"rappel:appointment:{appointment.id}",
    ):
        job = session.scalar(select(ScheduledJob).where(ScheduledJob.key == key))
        if job is not None and job.status in ("en_attente", "echec"):
            job.status = "annule"
    session.flush()


def schedule_cancelled(session: Session, appointment: Appointment, now: datetime) -> None:
    """The cancellation notice, once."""
    schedule_job(
        session,
        "confirmation",
        f"annulation:appointment:{appointment.id}",
        now,
        payload(appointment, "annule"),
    )
