"""Who may book, cancel or move an appointment: one rule for the actions, the API and the console.

Pure: the decisions read the objects they are given (a person, a case, an appointment), never
the database; whether the person helps a senior (a caregiver link) is asked of the caller
through ``cares_for``. Each refusal says why in a short French sentence for the person, and
by a code (``why``) an entrance may word for its own readers (an agent, an API client).

- **book** for a person, about a case or not: the person's data was not erased; the case is
  theirs (they are its senior, they opened it, or they help its senior), of the journey asked
  for, and still open;
- **cancel** one's appointment: theirs (booked for them, by them, or for a senior they help),
  not yet held; cancelling a cancelled one changes nothing (allowed);
- **move** it: theirs, the person's data not erased, not cancelled, not yet held.

Which slot is free is not decided here: the calendar and the database do (``service.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from seniorplus.booking.models import Appointment
from seniorplus.cases.models import Case, Contact

Why = Literal["erased", "case_not_theirs", "other_journey", "case_closed", "not_theirs",
              "cancelled", "held"]  # fmt: skip

ERASED = (
    "Les données de cette personne ont été effacées à sa demande : on ne peut plus lui "
    "prendre ni lui déplacer de rendez-vous."
)
CASE_NOT_THEIRS = "Je ne trouve pas ce dossier à votre nom."
CASE_CLOSED = "Ce dossier est clos : on ne peut plus y rattacher de rendez-vous."
NOT_THEIRS = (
    "Je ne trouve pas ce rendez-vous à votre nom. Vérifiez la référence (par exemple "
    "RDV-7KQ4MX), ou demandez à parler à un conseiller."
)
CANCELLED = "Ce rendez-vous est déjà annulé. Voulez-vous en prendre un nouveau ?"
HELD_CANCEL = "Ce rendez-vous a déjà eu lieu : il ne peut plus être annulé."
HELD_MOVE = "Ce rendez-vous a déjà eu lieu : il ne peut plus être déplacé."


@dataclass(frozen=True)
class Decision:
    """Allowed, or refused with a code and a French sentence for the person."""

    allowed: bool
    why: Why | None = None
    reason_fr: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def _refused(why: Why, reason_fr: str) -> Decision:
    return Decision(False, why, reason_fr)


def _nobody(_senior_id: int) -> bool:
    return False


def is_their_case(person: Contact, case: Case, cares_for: Callable[[int], bool] = _nobody) -> bool:
    """The case's senior, the one who opened it, or a caregiver of its senior."""
    return person.id in (case.for_id, case.opened_by_id) or cares_for(case.for_id)


def may_book(
    person: Contact,
    case: Case | None = None,
    *,
    cares_for: Callable[[int], bool] = _nobody,
    journey: str | None = None,
) -> Decision:
    """May an appointment be booked for ``person``, about ``case`` (if any)?

    Args:
        cares_for: whether ``person`` helps the senior of this id (a caregiver link).
        journey: the journey the appointment is for, when the caller names one: the case must
            be of that journey.
    """
    if person.erased_at is not None:
        return _refused("erased", ERASED)
    if case is None:
        return ALLOWED
    if not is_their_case(person, case, cares_for):
        return _refused("case_not_theirs", CASE_NOT_THEIRS)
    if journey is not None and case.journey != journey:
        said = f"Le dossier {case.reference} porte sur la démarche « {case.journey} »."
        return _refused("other_journey", said)
    if case.status == "clos":
        return _refused("case_closed", CASE_CLOSED)
    return ALLOWED


def is_their_appointment(
    person: Contact, appointment: Appointment, cares_for: Callable[[int], bool] = _nobody
) -> bool:
    """Booked for them, by them, or for a senior they help."""
    return (
        appointment.contact_id == person.id
        or appointment.booked_by == person.actor
        or cares_for(appointment.contact_id)
    )


def still_to_come(appointment: Appointment, now: datetime) -> bool:
    """Not yet held: neither marked done nor started."""
    return appointment.status != "effectue" and appointment.starts_at > now


def may_cancel(
    person: Contact,
    appointment: Appointment,
    now: datetime,
    *,
    cares_for: Callable[[int], bool] = _nobody,
) -> Decision:
    """May ``person`` cancel ``appointment``? A cancelled one is allowed: nothing more to do."""
    if not is_their_appointment(person, appointment, cares_for):
        return _refused("not_theirs", NOT_THEIRS)
    if appointment.status == "annule":
        return ALLOWED
    if not still_to_come(appointment, now):
        return _refused("held", HELD_CANCEL)
    return ALLOWED


def may_move(
    person: Contact,
    appointment: Appointment,
    now: datetime,
    *,
    owner: Contact | None = None,
    cares_for: Callable[[int], bool] = _nobody,
) -> Decision:
    """May ``person`` move ``appointment`` to another slot?

    ``owner``: the person the appointment is for, when known (their data must not be erased).
    """
    if not is_their_appointment(person, appointment, cares_for):
        return _refused("not_theirs", NOT_THEIRS)
    if owner is not None and owner.erased_at is not None:
        return _refused("erased", ERASED)
    if appointment.status == "annule":
        return _refused("cancelled", CANCELLED)
    if not still_to_come(appointment, now):
        return _refused("held", HELD_MOVE)
    return ALLOWED


def may_change(appointment: Appointment, now: datetime) -> bool:
    """Whether a reserved appointment may still be cancelled or moved (the console's buttons)."""
    return appointment.status == "reserve" and still_to_come(appointment, now)
