"""What to send for a claimed job, decided from the database as it is now, not as it was.

The payload only says which appointment and which event; the appointment,
its mediator, site and person are read again just before sending:

- an appointment cancelled, or moved (the old one is ``annule``; the new one
  has its own jobs), gets no confirmation or reminder: ``annule``;
- an appointment already past gets nothing: ``annule``;
- the times written are the row's, never the payload's: a changed start is said
  as it is now, and a reminder whose appointment moved later waits for its new
  time (the day before at 10:00);
- a person whose data was erased gets nothing: ``annule``;
- a person nobody can write to (no phone, a test conversation): ``echec``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy.orm import Session

from seniorplus.booking.jobs import reminder_time
from seniorplus.booking.models import Appointment, Mediator, Site
from seniorplus.cases.models import Contact
from seniorplus.jobs.models import ScheduledJob
from seniorplus.outbound.base import REASON_NO_CHANNEL
from seniorplus.outbound.sms import is_phone_number
from seniorplus.outbound.telegram import chat_of
from seniorplus.scheduler.messages import EVENTS, AppointmentFacts, Event, message_for

REMINDER_SLACK = timedelta(minutes=1)  # a reminder due within a minute is not postponed

REASON_UNREADABLE = "Tâche illisible : rien n'est envoyé."
REASON_NO_APPOINTMENT = "Rendez-vous introuvable : rien n'est envoyé."
REASON_ERASED = "Les données de la personne ont été effacées : rien n'est envoyé."
REASON_NOT_RESERVED = "Rendez-vous annulé ou déplacé : rien n'est envoyé."
REASON_NOT_CANCELLED = "Le rendez-vous n'est pas annulé : pas d'avis d'annulation."
REASON_PAST = "Rendez-vous déjà passé : rien n'est envoyé."
REASON_REMINDER_MOVED = "Rendez-vous changé : rappel reprogrammé la veille."


@dataclass(frozen=True)
class Outgoing:
    """A message to send now, on the person's own channel."""

    address: str  # conversation id or E.164 phone
    channel: str | None  # the person's preferred channel
    text: str
    event: Event


@dataclass(frozen=True)
class Skip:
    """Nothing sent: the job becomes ``status`` (``run_at`` when it waits again)."""

    status: str
    reason: str
    run_at: datetime | None = None


def address_of(contact: Contact) -> str | None:
    """Where to write to the person: their conversation if it is a phone or a Telegram chat,
    else their phone."""
    for candidate in (contact.conversation_id, contact.phone):
        if candidate and (is_phone_number(candidate) or chat_of(candidate) is not None):
            return candidate
    return None


def _facts(session: Session, appointment: Appointment) -> AppointmentFacts:
    mediator = session.get(Mediator, appointment.mediator_id)
    assert mediator is not None
    site = session.get(Site, mediator.site_id)
    assert site is not None
    return AppointmentFacts(
        reference=appointment.reference,
        starts_at=appointment.starts_at,
        mode=appointment.mode,
        mediator=mediator.name,
        site_name=site.name,
        site_address=site.address,
        site_postcode=site.postcode,
        site_commune=site.commune,
    )


def _read(job: ScheduledJob) -> tuple[Event, int, str | None] | None:
    """(event, appointment id, replaced reference) of the payload; None if unreadable."""
    try:
        data = job.payload_data
    except (ValueError, AssertionError):
        return None
    event, appointment_id, replaces = (data.get(k) for k in ("event", "appointment_id", "replaces"))
    if event not in EVENTS or not isinstance(appointment_id, int):
        return None
    return cast(Event, event), appointment_id, replaces if isinstance(replaces, str) else None


def _still_relevant(event: Event, appointment: Appointment, now: datetime) -> Skip | None:
    if event == "annule":
        if appointment.status != "annule":
            return Skip("annule", REASON_NOT_CANCELLED)
    elif appointment.status != "reserve":
        return Skip("annule", REASON_NOT_RESERVED)
    if appointment.starts_at <= now:
        return Skip("annule", REASON_PAST)
    if event == "rappel":
        due = reminder_time(appointment.starts_at)
        if due > now + REMINDER_SLACK:
            return Skip("en_attente", REASON_REMINDER_MOVED, run_at=due)
    return None


def plan(session: Session, job: ScheduledJob, now: datetime) -> Outgoing | Skip:
    """What to do with ``job`` now: the message to send, or why nothing is sent."""
    read = _read(job)
    if read is None:
        return Skip("echec", REASON_UNREADABLE)
    event, appointment_id, replaces = read
    appointment = session.get(Appointment, appointment_id)
    if appointment is None:
        return Skip("annule", REASON_NO_APPOINTMENT)
    contact = session.get(Contact, appointment.contact_id)
    if contact is None or contact.erased_at is not None:
        return Skip("annule", REASON_ERASED)
    skip = _still_relevant(event, appointment, now)
    if skip is not None:
        return skip
    address = address_of(contact)
    if address is None:
        return Skip("echec", REASON_NO_CHANNEL)
    text = message_for(event, _facts(session, appointment), now, replaces)
    return Outgoing(address, contact.preferred_channel, text, event)
