"""Appointments: those of a day, one by its reference; book, cancel and move one for a person.

Thin: the booking service (``seniorplus.booking.service``) decides, in the request's
transaction, and writes the jobs (confirmation, reminder, cancellation notice) and the
case's "rdv" events; ``booking_checks`` checks what it leaves to its caller and turns
its refusals into answers. Every change is made under the caller's actor
("agent:<name>"), kept in ``booked_by`` and in the case history.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy.orm import Session

from seniorplus.booking.models import Appointment, Mediator
from seniorplus.booking.service import SlotUnavailable, book, cancel, reschedule
from seniorplus.cases.cases import journeys
from seniorplus.cases.errors import CaseError
from seniorplus.db import session_scope
from seniorplus.handoff.access import may_see_appointment, visible_appointments
from seniorplus.models import utcnow
from seniorplus.staff.read_audit import record_read
from seniorplus.web.api.agenda import MEDIATOR_NOT_FOUND, NOT_FOUND, WRITE_ERRORS
from seniorplus.web.api.auth import Principal, current_principal, require_write
from seniorplus.web.api.booking_checks import (
    APPOINTMENT_NOT_FOUND,
    bookable_contact,
    booked_out,
    case_for,
    find_appointment,
    inserts_seen,
    refuse_erased,
    slot_mediator,
    slot_refused,
)
from seniorplus.web.api.booking_schemas import (
    BookedAppointment,
    BookingIn,
    CancelIn,
    MoveIn,
    SlotProblem,
)
from seniorplus.web.api.cases import READ_ERRORS, appointment_out, appointments_query
from seniorplus.web.api.common import ApiError, ErrorBody, paris_day
from seniorplus.web.api.schemas import AppointmentList, AppointmentOut, AppointmentStatus
from seniorplus.web.api.scope import viewer_of

logger = logging.getLogger(__name__)

router = APIRouter(tags=["agenda"])


def _error(description: str, model: type[ErrorBody] = ErrorBody) -> dict[str, Any]:
    return {"model": model, "description": description}


APPOINTMENT_NOT_FOUND_DOC: dict[int | str, dict[str, Any]] = {
    404: _error("Rendez-vous introuvable.")
}
SLOT_ERRORS: dict[int | str, dict[str, Any]] = {
    **WRITE_ERRORS,
    404: _error("Personne, médiateur, dossier ou rendez-vous introuvable."),
    409: _error(
        "Créneau déjà pris (avec `alternatives`), personne aux données effacées, dossier "
        "clos, rendez-vous passé ou annulé.",
        SlotProblem,
    ),
    422: _error(
        "Corps invalide, ou créneau hors du calendrier (passé, le jour même, férié, absence, "
        "hors des plages ; avec `alternatives`).",
        SlotProblem,
    ),
}


def _refused(error: CaseError) -> ApiError:
    """A refusal of the booking service other than a slot: 409 with its French sentence."""
    return ApiError(status.HTTP_409_CONFLICT, error.message_fr)


def _location(request: Request, reference: str) -> str:
    return request.url_for("get_appointment", reference=reference).path


def _load(session: Session, appointment: Appointment) -> Appointment:
    """The appointment with what `appointment_out` reads (mediator, site, person, case)."""
    loaded = session.scalars(appointments_query().where(Appointment.id == appointment.id))
    return loaded.unique().one()


@router.get(
    "/appointments",
    response_model=AppointmentList,
    summary="Rendez-vous d'un jour",
    description=(
        "Les rendez-vous qui commencent ce jour-là (journée de Paris), pour un médiateur ou "
        "pour tous, dans l'ordre de l'heure ; annulés compris sauf filtre `status`."
    ),
    responses={**READ_ERRORS, **NOT_FOUND},
)
def list_appointments(
    principal: Annotated[Principal, Depends(current_principal)],
    day: Annotated[date, Query(description="Le jour, AAAA-MM-JJ.")],
    mediator_id: Annotated[int | None, Query(ge=1, description="Le médiateur.")] = None,
    appointment_status: Annotated[
        AppointmentStatus | None, Query(alias="status", description="reserve, annule, effectue.")
    ] = None,
) -> AppointmentList:
    start, end = paris_day(day)
    query = (
        appointments_query()
        .where(Appointment.starts_at >= start, Appointment.starts_at < end)
        .order_by(Appointment.starts_at, Appointment.mediator_id, Appointment.id)
    )
    if appointment_status is not None:
        query = query.where(Appointment.status == appointment_status)
    with session_scope() as session:
        viewer = viewer_of(session, principal)
        query = query.where(visible_appointments(session, viewer))
        if mediator_id is not None:
            if session.get(Mediator, mediator_id) is None:
                raise ApiError(status.HTTP_404_NOT_FOUND, MEDIATOR_NOT_FOUND)
            query = query.where(Appointment.mediator_id == mediator_id)
        found = list(session.scalars(query).unique())
        items = [
            appointment_out(
                a,
                a.case.reference if a.case is not None else None,
                full_phone=viewer.sees_full_phones,
            )
            for a in found
        ]
        record_read(
            session,
            viewer,
            principal.actor,
            "lecture_rdvs",
            f"jour:{day.isoformat()}",
            via="api",
            people=[a.contact_id for a in found],
        )
    return AppointmentList(day=day, mediator_id=mediator_id, items=items)


@router.get(
    "/appointments/{reference}",
    response_model=AppointmentOut,
    summary="Un rendez-vous",
    description="La référence est acceptée comme on la tape : `RDV-7KQ4MX`, `rdv 7kq 4mx`.",
    responses={**READ_ERRORS, **APPOINTMENT_NOT_FOUND_DOC},
)
def get_appointment(
    reference: str, principal: Annotated[Principal, Depends(current_principal)]
) -> AppointmentOut:
    with session_scope() as session:
        viewer = viewer_of(session, principal)
        appointment = _load(session, find_appointment(session, reference))
        if not may_see_appointment(session, viewer, appointment):
            raise ApiError(status.HTTP_404_NOT_FOUND, APPOINTMENT_NOT_FOUND)
        record_read(
            session,
            viewer,
            principal.actor,
            "lecture_rdv",
            f"appointment:{appointment.reference}",
            via="api",
            people=[appointment.contact_id],
        )
        case = appointment.case
        return appointment_out(
            appointment,
            case.reference if case is not None else None,
            full_phone=viewer.sees_full_phones,
        )


@router.post(
    "/appointments",
    response_model=BookedAppointment,
    status_code=status.HTTP_201_CREATED,
    summary="Réserver un rendez-vous pour une personne",
    description=(
        "Réserve le créneau (`slot.key` de `GET /slots`, ou `slot.mediator_id` et "
        "`slot.starts_at`) pour la personne `contact_id`, éventuellement pour un de ses "
        "dossiers. 201 avec `Location` ; la même demande renvoyée (même personne, même "
        "créneau) rend le même rendez-vous avec 200, sans en créer un second. La confirmation "
        "et le rappel de la veille sont planifiés dans la même transaction. Créneau pris : "
        "409 avec `alternatives`. Réservé aux rôles superviseur et administrateur."
    ),
    responses=SLOT_ERRORS,
)
def book_appointment(
    body: BookingIn,
    request: Request,
    response: Response,
    principal: Annotated[Principal, Depends(require_write)],
) -> BookedAppointment:
    if body.journey not in journeys():
        raise ApiError.invalid("journey", f"démarche « {body.journey} » inconnue")
    target = body.slot.target(body.mode)
    now = utcnow()
    with session_scope() as session:
        contact = bookable_contact(session, body.contact_id)
        mediator = slot_mediator(session, target, body.journey)
        case = (
            case_for(session, body.case_reference, contact, body.journey)
            if body.case_reference is not None
            else None
        )
        try:
            with inserts_seen(session) as inserted:
                appointment = book(
                    session,
                    contact,
                    target.key,
                    target.mode,
                    case,
                    principal.actor,
                    journey=body.journey,
                    now=now,
                )
        except SlotUnavailable as refused:
            raise slot_refused(session, refused, target, mediator, now) from None
        except CaseError as error:
            raise _refused(error) from None
        created = any(row is appointment for row in inserted)  # else: the same request again
        out = booked_out(session, _load(session, appointment), now)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = _location(request, out.reference)
    logger.info(
        "api: appointment %s %s by %s",
        out.reference,
        "booked" if created else "asked again",
        principal.actor,
    )
    return out


@router.post(
    "/appointments/{reference}/cancel",
    response_model=BookedAppointment,
    summary="Annuler un rendez-vous",
    description=(
        "Annule le rendez-vous : le créneau est libre aussitôt, la confirmation et le rappel "
        "pas encore envoyés sont annulés, l'avis d'annulation est planifié. Annuler deux fois "
        "rend la même réponse. `reason` (facultatif, 500 caractères au plus) est inscrit à "
        "l'historique du dossier lié. Un rendez-vous passé ne s'annule pas (409). Réservé aux "
        "rôles superviseur et administrateur."
    ),
    responses={**SLOT_ERRORS, **APPOINTMENT_NOT_FOUND_DOC},
)
def cancel_appointment(
    reference: str,
    principal: Annotated[Principal, Depends(require_write)],
    body: CancelIn | None = None,
) -> BookedAppointment:
    now = utcnow()
    with session_scope() as session:
        appointment = find_appointment(session, reference, for_update=True)
        was = appointment.status
        try:
            cancelled = cancel(
                session,
                appointment.contact,
                appointment.reference,
                actor=principal.actor,
                reason=body.reason if body is not None else None,
                now=now,
            )
        except CaseError as error:
            raise _refused(error) from None
        out = booked_out(session, _load(session, cancelled), now)
    if was != out.status:
        logger.info("api: appointment %s cancelled by %s", out.reference, principal.actor)
    return out


@router.post(
    "/appointments/{reference}/move",
    response_model=BookedAppointment,
    summary="Déplacer un rendez-vous",
    description=(
        "Déplace le rendez-vous sur un autre créneau, d'un seul coup : le nouveau est réservé "
        "et l'ancien annulé, ou rien ne change. Réponse : le nouveau rendez-vous, avec "
        "`replaces` (l'ancienne référence) ; la confirmation du déplacement est planifiée. "
        "Créneau pris : 409 avec `alternatives`. Réservé aux rôles superviseur et "
        "administrateur."
    ),
    responses={**SLOT_ERRORS, **APPOINTMENT_NOT_FOUND_DOC},
)
def move_appointment(
    reference: str,
    body: MoveIn,
    principal: Annotated[Principal, Depends(require_write)],
) -> BookedAppointment:
    now = utcnow()
    with session_scope() as session:
        old = find_appointment(session, reference, for_update=True)
        old_reference = old.reference
        refuse_erased(old.contact)
        target = body.slot.target(body.mode, default_mode=old.mode)
        journey = old.case.journey if old.case is not None else None
        mediator = slot_mediator(session, target, journey)
        try:
            new = reschedule(
                session,
                old.contact,
                old_reference,
                target.key,
                target.mode,
                actor=principal.actor,
                now=now,
            )
        except SlotUnavailable as refused:
            raise slot_refused(session, refused, target, mediator, now) from None
        except CaseError as error:
            raise _refused(error) from None
        replaces = old_reference if new.id != old.id else None
        out = booked_out(session, _load(session, new), now, replaces)
    logger.info(
        "api: appointment %s moved to %s by %s", old_reference, out.reference, principal.actor
    )
    return out
