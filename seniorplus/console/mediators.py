"""Mediators' calendars from the console: weekly slot ranges and absences (audited).

Times typed by the administrator are Paris wall-clock times; absences are stored
in UTC. A range is cut into slots by the booking code (`seniorplus.booking`).
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy.orm import Session

from policies.hours import PARIS
from seniorplus.booking.models import MODES, Mediator, MediatorAbsence, MediatorAvailability
from seniorplus.console.accounts import AccountError
from seniorplus.staff.audit import audit
from seniorplus.staff.models import Agent

MIN_SLOT_MINUTES, MAX_SLOT_MINUTES = 10, 240
MAX_REASON_CHARS = 120


class CalendarError(AccountError):
    """A refused calendar change (``message_fr``)."""


def mediator(session: Session, mediator_id: int) -> Mediator:
    found = session.get(Mediator, mediator_id)
    if found is None:
        raise CalendarError("Ce médiateur n'existe pas.")
    return found


def parse_clock(text: str) -> time:
    """ "09:00" or "9:00" → time(9, 0)."""
    try:
        return time.fromisoformat(text.strip().zfill(5))
    except ValueError:
        raise CalendarError("Heure invalide : écrivez par exemple 09:00.") from None


def parse_local(text: str) -> datetime:
    """ "2026-12-03T09:00" (Paris) → an aware datetime."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CalendarError("Date invalide : choisissez un jour et une heure.") from None
    return value.replace(tzinfo=PARIS) if value.tzinfo is None else value


def add_availability(
    session: Session,
    by: Agent,
    mediator_id: int,
    weekday: int,
    start: time,
    end: time,
    slot_minutes: int,
    modes: list[str],
) -> MediatorAvailability:
    """A weekly range of slots for a mediator.

    Raises:
        CalendarError: unknown mediator, day, mode; end not after start; odd slot length.
    """
    person = mediator(session, mediator_id)
    if not 0 <= weekday <= 6:
        raise CalendarError("Jour de la semaine invalide.")
    if start >= end:
        raise CalendarError("L'heure de fin doit venir après l'heure de début.")
    if not MIN_SLOT_MINUTES <= slot_minutes <= MAX_SLOT_MINUTES:
        raise CalendarError(
            f"Durée d'un rendez-vous : de {MIN_SLOT_MINUTES} à {MAX_SLOT_MINUTES} minutes."
        )
    chosen = [mode for mode in MODES if mode in modes]
    if not chosen:
        raise CalendarError("Cochez au moins un type de rendez-vous.")
    availability = MediatorAvailability(
        mediator_id=person.id,
        weekday=weekday,
        start_time=start,
        end_time=end,
        slot_minutes=slot_minutes,
        modes=",".join(chosen),
    )
    session.add(availability)
    session.flush()
    detail = {"jour": weekday, "de": start.strftime("%H:%M"), "a": end.strftime("%H:%M")}
    audit(session, by, "creneau_ajoute", f"mediateur:{person.id}", detail)
    return availability


def remove_availability(
    session: Session, by: Agent, mediator_id: int, availability_id: int
) -> None:
    """Remove a weekly range (appointments already booked stay)."""
    availability = session.get(MediatorAvailability, availability_id)
    if availability is None or availability.mediator_id != mediator_id:
        raise CalendarError("Ce créneau n'existe plus.")
    detail = {
        "jour": availability.weekday,
        "de": availability.start_time.strftime("%H:%M"),
        "a": availability.end_time.strftime("%H:%M"),
    }
    session.delete(availability)
    session.flush()
    audit(session, by, "creneau_retire", f"mediateur:{mediator_id}", detail)


def add_absence(
    session: Session, by: Agent, mediator_id: int, starts: datetime, ends: datetime, reason: str
) -> MediatorAbsence:
    """Days off: no slot is offered between ``starts`` and ``ends``.

    Raises:
        CalendarError: unknown mediator, end not after start.
    """
    person = mediator(session, mediator_id)
    if starts >= ends:
        raise CalendarError("La fin de l'absence doit venir après son début.")
    absence = MediatorAbsence(
        mediator_id=person.id,
        starts_at=starts.astimezone(PARIS),
        ends_at=ends.astimezone(PARIS),
        reason=" ".join(reason.split())[:MAX_REASON_CHARS] or None,
    )
    session.add(absence)
    session.flush()
    detail = {"du": starts.isoformat(timespec="minutes"), "au": ends.isoformat(timespec="minutes")}
    audit(session, by, "absence_ajoutee", f"mediateur:{person.id}", detail)
    return absence


def remove_absence(session: Session, by: Agent, mediator_id: int, absence_id: int) -> None:
    absence = session.get(MediatorAbsence, absence_id)
    if absence is None or absence.mediator_id != mediator_id:
        raise CalendarError("Cette absence n'existe plus.")
    session.delete(absence)
    session.flush()
    audit(session, by, "absence_retiree", f"mediateur:{mediator_id}")
