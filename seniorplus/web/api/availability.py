"""A mediator's weekly calendar and absences: read it, replace it, list what it leaves out."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from seniorplus.booking.models import Appointment, Mediator, MediatorAbsence, MediatorAvailability
from seniorplus.db import session_scope
from seniorplus.models import utcnow
from seniorplus.web.api.agenda import NOT_FOUND, WRITE_ERRORS, load_mediator
from seniorplus.web.api.auth import Principal, current_principal, require_write
from seniorplus.web.api.cases import READ_ERRORS
from seniorplus.web.api.common import MODE_LABELS, WEEKDAYS_FR, ApiError, paris
from seniorplus.web.api.schemas import (
    AbsenceOut,
    AvailabilityIn,
    AvailabilityOut,
    WeeklyRangeOut,
    as_mode,
)

logger = logging.getLogger(__name__)

router = APIRouter()


def _covered(appointment: Appointment, mediator: Mediator) -> bool:
    """Whether the appointment still falls in an opening offering its mode, outside absences."""
    start, end = paris(appointment.starts_at), paris(appointment.ends_at)
    in_opening = any(
        opening.weekday == start.weekday()
        and opening.start_time <= start.time()
        and end.date() == start.date()
        and end.time() <= opening.end_time
        and appointment.mode in opening.mode_list
        for opening in mediator.availabilities
    )
    away = any(
        absence.starts_at < appointment.ends_at and appointment.starts_at < absence.ends_at
        for absence in mediator.absences
    )
    return in_opening and not away


def availability_out(session: Session, mediator: Mediator) -> AvailabilityOut:
    upcoming = session.scalars(
        select(Appointment)
        .where(
            Appointment.mediator_id == mediator.id,
            Appointment.status == "reserve",
            Appointment.starts_at > utcnow(),
        )
        .order_by(Appointment.starts_at)
    )
    openings = sorted(mediator.availabilities, key=lambda o: (o.weekday, o.start_time))
    return AvailabilityOut(
        mediator_id=mediator.id,
        weekly=[
            WeeklyRangeOut(
                weekday=opening.weekday,
                weekday_label=WEEKDAYS_FR[opening.weekday],
                start=opening.start_time,
                end=opening.end_time,
                slot_minutes=opening.slot_minutes,
                modes=[as_mode(mode) for mode in opening.mode_list],
            )
            for opening in openings
        ],
        absences=[
            AbsenceOut(
                id=absence.id,
                starts_at=paris(absence.starts_at),
                ends_at=paris(absence.ends_at),
                reason=absence.reason,
            )
            for absence in sorted(mediator.absences, key=lambda a: a.starts_at)
        ],
        appointments_to_review=[a.reference for a in upcoming if not _covered(a, mediator)],
    )


@router.get(
    "/mediators/{mediator_id}/availability",
    response_model=AvailabilityOut,
    tags=["agenda"],
    summary="Calendrier d'un médiateur",
    description=(
        "Les plages de la semaine (heure de Paris), découpées en créneaux de `slot_minutes`, "
        "avec leurs modes, et les absences. `appointments_to_review` : rendez-vous à venir "
        "hors calendrier."
    ),
    responses={**READ_ERRORS, **NOT_FOUND},
)
def get_availability(
    mediator_id: int, _principal: Annotated[Principal, Depends(current_principal)]
) -> AvailabilityOut:
    with session_scope() as session:
        return availability_out(session, load_mediator(session, mediator_id))


@router.put(
    "/mediators/{mediator_id}/availability",
    response_model=AvailabilityOut,
    tags=["agenda"],
    summary="Remplacer le calendrier d'un médiateur",
    description=(
        "Remplace toutes les plages de la semaine (et les absences si `absences` est donné). "
        "Refusé : jour hors 0–6, fin avant début, plage plus courte qu'un créneau, plages qui "
        "se chevauchent le même jour, mode que le médiateur ne propose pas. Les rendez-vous "
        "déjà pris restent : ceux qui ne tombent plus dans le calendrier sont listés dans "
        "`appointments_to_review`. Réservé aux rôles superviseur et administrateur."
    ),
    responses={**WRITE_ERRORS, **NOT_FOUND},
)
def put_availability(
    mediator_id: int,
    body: AvailabilityIn,
    principal: Annotated[Principal, Depends(require_write)],
) -> AvailabilityOut:
    with session_scope() as session:
        mediator = load_mediator(session, mediator_id)
        offered = set(mediator.mode_list)
        for position, weekly in enumerate(body.weekly):
            refused = [mode for mode in weekly.modes if mode not in offered]
            if refused:
                raise ApiError.invalid(
                    f"weekly[{position}].modes",
                    f"{weekly.describe()} : mode {MODE_LABELS[refused[0]]} non proposé par ce "
                    f"médiateur (modes : {', '.join(MODE_LABELS[m] for m in sorted(offered))})",
                )
        mediator.availabilities = [
            MediatorAvailability(
                weekday=weekly.weekday,
                start_time=weekly.start,
                end_time=weekly.end,
                slot_minutes=weekly.slot_minutes,
                modes=",".join(weekly.modes),
            )
            for weekly in body.weekly
        ]
        if body.absences is not None:
            mediator.absences = [
                MediatorAbsence(
                    starts_at=absence.starts_at, ends_at=absence.ends_at, reason=absence.reason
                )
                for absence in body.absences
            ]
        session.flush()
        session.expire(mediator)
        out = availability_out(session, load_mediator(session, mediator_id))
    logger.info("api: calendar of mediator %d replaced by %s", mediator_id, principal.actor)
    return out
