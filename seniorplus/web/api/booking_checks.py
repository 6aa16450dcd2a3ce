"""Between the appointment routes and the booking service (``seniorplus.booking.service``).

What the service leaves to its caller is checked here, with an answer an agent can act
on: the person exists, the mediator exists, is active, accompanies the journey and offers
the mode. Who may book (data not erased, the case is the person's, of this journey, still
open) is the booking rule (``seniorplus.booking.rules``), worded here for an agent, and
checked before the slot so that the answer says what to fix. What the service refuses is
turned into French HTTP answers: a slot taken → 409, a slot outside the calendar
→ 422 saying why (past, same day, holiday, absence, outside the openings), both with
the free slots to offer instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from fastapi import status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from seniorplus.booking.dates import say_day, say_slot
from seniorplus.booking.holidays import holiday_name
from seniorplus.booking.models import Appointment, Mediator
from seniorplus.booking.rules import Decision, may_book
from seniorplus.booking.service import SlotTaken, SlotUnavailable, cares_for, describe_appointment
from seniorplus.booking.slots import earliest_start
from seniorplus.cases import parse_appointment_reference, parse_case_reference
from seniorplus.cases.models import Case, Contact
from seniorplus.web.api.agenda import MEDIATOR_NOT_FOUND
from seniorplus.web.api.booking_schemas import BookedAppointment, SlotProblem, SlotTarget
from seniorplus.web.api.cases import CASE_NOT_FOUND, appointment_out
from seniorplus.web.api.common import MODE_LABELS, ApiError, FieldProblem, paris
from seniorplus.web.api.free_slots import slots_out
from seniorplus.web.api.schemas import SlotOut

CONTACT_NOT_FOUND = "Personne introuvable : vérifiez contact_id."
APPOINTMENT_NOT_FOUND = "Rendez-vous introuvable : vérifiez la référence (par exemple RDV-7KQ4MX)."


class SlotRefused(ApiError):
    """A slot refused, answered with the free slots to offer instead (`SlotProblem`)."""

    def __init__(
        self,
        status_code: int,
        message_fr: str,
        alternatives: Sequence[SlotOut],
        *,
        fields: Sequence[FieldProblem] = (),
    ) -> None:
        super().__init__(status_code, message_fr, fields=fields)
        self.alternatives = list(alternatives)

    def response(self) -> JSONResponse:
        body = SlotProblem(
            erreur=self.message_fr, champs=self.fields or None, alternatives=self.alternatives
        )
        return JSONResponse(jsonable_encoder(body, exclude_none=True), status_code=self.status_code)


# --- who and what ---------------------------------------------------------------------


def refusal(decision: Decision, case: Case | None = None) -> ApiError:
    """A refusal of the booking rule, for an agent: 409 for a state, 422 for a wrong field."""
    if decision.why == "case_not_theirs":
        return ApiError.invalid(
            "case_reference",
            "ce dossier ne concerne ni cette personne ni un proche dont elle est l'aidante",
        )
    if decision.why == "other_journey" and case is not None:
        return ApiError.invalid(
            "journey", f"le dossier {case.reference} porte sur la démarche « {case.journey} »"
        )
    return ApiError(status.HTTP_409_CONFLICT, decision.reason_fr or "")  # erased, closed


def refuse_erased(contact: Contact) -> None:
    """409 when the person's data was erased at their request (RGPD)."""
    decision = may_book(contact)
    if not decision:
        raise refusal(decision)


def bookable_contact(session: Session, contact_id: int) -> Contact:
    """The person to book for: 404 unknown, 409 erased."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, CONTACT_NOT_FOUND)
    refuse_erased(contact)
    return contact


def slot_mediator(session: Session, target: SlotTarget, journey: str | None) -> Mediator:
    """The slot's mediator, able to give it: 404 unknown; 422 inactive, journey, mode."""
    mediator = session.get(Mediator, target.mediator_id)
    if mediator is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, MEDIATOR_NOT_FOUND)
    if not mediator.active:
        raise ApiError.invalid("slot", "ce médiateur ne donne plus de rendez-vous (inactif)")
    if journey is not None and journey not in {skill.journey for skill in mediator.skills}:
        raise ApiError.invalid(
            "journey", f"ce médiateur n'accompagne pas la démarche « {journey} »"
        )
    if target.mode not in mediator.mode_list:
        offered = ", ".join(MODE_LABELS[mode] for mode in mediator.mode_list)
        raise ApiError.invalid(
            "mode",
            f"rendez-vous {MODE_LABELS[target.mode]} non proposé par ce médiateur "
            f"(modes : {offered})",
        )
    return mediator


def case_for(session: Session, reference: str, contact: Contact, journey: str) -> Case:
    """The case the appointment is about: the person's, or a senior's they help."""
    canonical = parse_case_reference(reference)
    case = (
        session.scalar(select(Case).where(Case.reference == canonical))
        if canonical is not None
        else None
    )
    if case is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, CASE_NOT_FOUND)
    decision = may_book(contact, case, cares_for=cares_for(session, contact), journey=journey)
    if not decision:
        raise refusal(decision, case)
    return case


def find_appointment(session: Session, reference: str, *, for_update: bool = False) -> Appointment:
    """The appointment ``reference`` ("RDV-7KQ4MX", "rdv 7kq 4mx"), or a French 404."""
    canonical = parse_appointment_reference(reference)
    if canonical is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, APPOINTMENT_NOT_FOUND)
    query = select(Appointment).where(Appointment.reference == canonical)
    if for_update:
        query = query.with_for_update()  # PostgreSQL: a concurrent change waits (SQLite: no-op)
    appointment = session.scalar(query)
    if appointment is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, APPOINTMENT_NOT_FOUND)
    return appointment


@contextmanager
def inserts_seen(session: Session) -> Iterator[list[object]]:
    """The objects this session inserts meanwhile (to tell a new booking from a repeat).

    A repeated request gets the appointment already reserved, which was never
    inserted here; so does the loser of two simultaneous ones.
    """
    inserted: list[object] = []

    def seen(_session: Session, instance: object) -> None:
        inserted.append(instance)

    event.listen(session, "pending_to_persistent", seen)
    try:
        yield inserted
    finally:
        event.remove(session, "pending_to_persistent", seen)


# --- answers --------------------------------------------------------------------------


def why_not_bookable(target: SlotTarget, mediator: Mediator, now: datetime) -> str:
    """Why a slot is outside the mediator's calendar, in French (for a 422)."""
    today = paris(now).date()
    day = paris(target.starts_at).date()
    when = say_slot(target.starts_at, now)
    if target.starts_at <= now:
        return f"{when} est déjà passé"
    first = earliest_start(now)
    if target.starts_at < first:
        return f"pas de rendez-vous le jour même : au plus tôt {say_day(first.date(), today)}"
    holiday = holiday_name(day)
    if holiday is not None:
        return f"{say_day(day, today)} est un jour férié ({holiday})"
    end = target.starts_at + timedelta(minutes=1)
    if any(a.starts_at < end and target.starts_at < a.ends_at for a in mediator.absences):
        return f"le médiateur n'est pas disponible {when} (absence prévue)"
    return (
        f"{when} n'est pas un début de créneau {MODE_LABELS[target.mode]} dans le calendrier "
        "du médiateur (voir GET /api/slots)"
    )


def slot_refused(
    session: Session,
    refused: SlotUnavailable,
    target: SlotTarget,
    mediator: Mediator,
    now: datetime,
) -> SlotRefused:
    """The service's refusal as an answer: 409 taken, 422 outside the calendar."""
    alternatives = slots_out(session, refused.alternatives)
    if isinstance(refused, SlotTaken):
        offer = (
            "Voici d'autres créneaux libres."
            if alternatives
            else "Aucun autre créneau du même genre n'est libre dans les six semaines."
        )
        return SlotRefused(
            status.HTTP_409_CONFLICT, f"Ce créneau est déjà pris. {offer}", alternatives
        )
    problem = why_not_bookable(target, mediator, now)
    return SlotRefused(
        status.HTTP_422_UNPROCESSABLE_ENTITY,
        f"Requête invalide : slot : {problem}.",
        alternatives,
        fields=[FieldProblem(champ="slot", message=problem)],
    )


def booked_out(
    session: Session, appointment: Appointment, now: datetime, replaces: str | None = None
) -> BookedAppointment:
    """An appointment as the write routes answer it: with its French label."""
    case = appointment.case
    shown = appointment_out(appointment, case.reference if case is not None else None)
    return BookedAppointment(
        **dict(shown),
        label=describe_appointment(session, appointment, now),
        replaces=replaces,
    )
