"""Agenda: sites, mediators and their weekly calendar, appointments of a day, free slots.

Free slots come from the booking service (``seniorplus.booking.service.propose_slots``),
the same that proposes them in a conversation.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from seniorplus.booking.service import propose_slots
from seniorplus.cases.cases import journeys
from seniorplus.cases.models import (
    Appointment,
    Mediator,
    MediatorAbsence,
    MediatorAvailability,
    MediatorSkill,
    Site,
)
from seniorplus.db import session_scope
from seniorplus.models import utcnow
from seniorplus.web.api.auth import Principal, current_principal, require_write
from seniorplus.web.api.cases import READ_ERRORS, appointment_out, appointments_query
from seniorplus.web.api.common import (
    MODE_LABELS,
    WEEKDAYS_FR,
    ApiError,
    ErrorBody,
    assume_paris,
    paris,
    paris_day,
)
from seniorplus.web.api.schemas import (
    AbsenceOut,
    AppointmentList,
    AppointmentStatus,
    AvailabilityIn,
    AvailabilityOut,
    MediatorBrief,
    MediatorCreate,
    MediatorOut,
    MediatorUpdate,
    Mode,
    PlaceOut,
    SiteBrief,
    SiteOut,
    SlotList,
    SlotOut,
    WeeklyRangeOut,
    as_mode,
)

logger = logging.getLogger(__name__)

MEDIATOR_NOT_FOUND = "Médiateur introuvable."
MAX_SLOTS = 10

router = APIRouter()

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Médiateur introuvable."}
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    403: {"model": ErrorBody, "description": "Rôle insuffisant."},
}


# --- ORM → response -------------------------------------------------------------------


def mediator_out(mediator: Mediator) -> MediatorOut:
    site = mediator.site
    return MediatorOut(
        id=mediator.id,
        name=mediator.name,
        site=SiteBrief(id=site.id, name=site.name, commune=site.commune),
        phone=mediator.phone,
        modes=[as_mode(mode) for mode in mediator.mode_list],
        journeys=sorted(skill.journey for skill in mediator.skills),
        active=mediator.active,
    )


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


def _mediator(session: Session, mediator_id: int) -> Mediator:
    mediator = session.scalar(
        select(Mediator)
        .where(Mediator.id == mediator_id)
        .options(
            selectinload(Mediator.site),
            selectinload(Mediator.skills),
            selectinload(Mediator.availabilities),
            selectinload(Mediator.absences),
        )
    )
    if mediator is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, MEDIATOR_NOT_FOUND)
    return mediator


def _check_site(session: Session, site_id: int) -> None:
    if session.get(Site, site_id) is None:
        raise ApiError.invalid("site_id", f"site {site_id} inconnu (voir GET /api/sites)")


def _check_journeys(values: Iterable[str]) -> None:
    known = journeys()
    for position, journey in enumerate(values):
        if journey not in known:
            raise ApiError.invalid(f"journeys[{position}]", f"démarche « {journey} » inconnue")


def _set_skills(mediator: Mediator, wanted: list[str]) -> None:
    """Keep the skills still wanted, drop the others, add the new ones (no unique clash)."""
    keep = [skill for skill in mediator.skills if skill.journey in wanted]
    have = {skill.journey for skill in keep}
    mediator.skills = keep + [MediatorSkill(journey=j) for j in wanted if j not in have]


# --- sites and mediators --------------------------------------------------------------


@router.get(
    "/sites",
    response_model=list[SiteOut],
    tags=["agenda"],
    summary="Lister les sites d'accueil",
    description="Les lieux où reçoivent les médiateurs (France Services, CLIC…).",
    responses=READ_ERRORS,
)
def list_sites(_principal: Annotated[Principal, Depends(current_principal)]) -> list[SiteOut]:
    with session_scope() as session:
        sites = session.scalars(select(Site).order_by(Site.commune, Site.name, Site.id))
        return [SiteOut.model_validate(site) for site in sites]


@router.get(
    "/mediators",
    response_model=list[MediatorOut],
    tags=["agenda"],
    summary="Lister les médiateurs",
    description="Filtres combinables : site, démarche accompagnée, actif ou non.",
    responses=READ_ERRORS,
)
def list_mediators(
    _principal: Annotated[Principal, Depends(current_principal)],
    site_id: Annotated[int | None, Query(ge=1, description="Site d'accueil.")] = None,
    journey: Annotated[
        str | None, Query(max_length=64, description="Démarche accompagnée.")
    ] = None,
    active: Annotated[bool | None, Query(description="Actifs (true) ou non (false).")] = None,
) -> list[MediatorOut]:
    query = (
        select(Mediator)
        .options(selectinload(Mediator.site), selectinload(Mediator.skills))
        .order_by(Mediator.name, Mediator.id)
    )
    if site_id is not None:
        query = query.where(Mediator.site_id == site_id)
    if journey:
        query = query.where(Mediator.skills.any(MediatorSkill.journey == journey))
    if active is not None:
        query = query.where(Mediator.active.is_(active))
    with session_scope() as session:
        return [mediator_out(m) for m in session.scalars(query)]


@router.post(
    "/mediators",
    response_model=MediatorOut,
    status_code=status.HTTP_201_CREATED,
    tags=["agenda"],
    summary="Créer un médiateur",
    description=(
        "Crée un médiateur sur un site, avec ses modes de rendez-vous et ses démarches. Son "
        "calendrier se règle ensuite avec `PUT /mediators/{id}/availability`. Réservé aux rôles "
        "superviseur et administrateur."
    ),
    responses=WRITE_ERRORS,
)
def create_mediator(
    body: MediatorCreate,
    request: Request,
    response: Response,
    principal: Annotated[Principal, Depends(require_write)],
) -> MediatorOut:
    _check_journeys(body.journeys)
    with session_scope() as session:
        _check_site(session, body.site_id)
        mediator = Mediator(
            name=body.name,
            site_id=body.site_id,
            phone=body.phone,
            modes=",".join(body.modes),
            active=body.active,
            skills=[MediatorSkill(journey=journey) for journey in body.journeys],
        )
        session.add(mediator)
        session.flush()
        out = mediator_out(_mediator(session, mediator.id))
    response.headers["Location"] = request.url_for("get_mediator", mediator_id=out.id).path
    logger.info("api: mediator %d created by %s", out.id, principal.actor)
    return out


@router.get(
    "/mediators/{mediator_id}",
    response_model=MediatorOut,
    tags=["agenda"],
    summary="Un médiateur",
    responses={**READ_ERRORS, **NOT_FOUND},
)
def get_mediator(
    mediator_id: int, _principal: Annotated[Principal, Depends(current_principal)]
) -> MediatorOut:
    with session_scope() as session:
        return mediator_out(_mediator(session, mediator_id))


@router.patch(
    "/mediators/{mediator_id}",
    response_model=MediatorOut,
    tags=["agenda"],
    summary="Modifier un médiateur",
    description=(
        "Seuls les champs donnés changent ; `journeys` remplace la liste des démarches ; "
        "`phone: null` efface le téléphone ; `active: false` retire le médiateur des créneaux "
        "proposés (ses rendez-vous restent). Réservé aux rôles superviseur et administrateur."
    ),
    responses={**WRITE_ERRORS, **NOT_FOUND},
)
def update_mediator(
    mediator_id: int,
    body: MediatorUpdate,
    principal: Annotated[Principal, Depends(require_write)],
) -> MediatorOut:
    given = body.model_fields_set
    if body.journeys is not None:
        _check_journeys(body.journeys)
    with session_scope() as session:
        mediator = _mediator(session, mediator_id)
        if body.site_id is not None:
            _check_site(session, body.site_id)
            mediator.site_id = body.site_id
        if body.name is not None:
            mediator.name = body.name
        if "phone" in given:
            mediator.phone = body.phone
        if body.modes is not None:
            mediator.modes = ",".join(body.modes)
        if body.journeys is not None:
            _set_skills(mediator, body.journeys)
        if body.active is not None:
            mediator.active = body.active
        session.flush()
        session.expire(mediator)
        out = mediator_out(_mediator(session, mediator_id))
    logger.info("api: mediator %d changed by %s", mediator_id, principal.actor)
    return out


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
        return availability_out(session, _mediator(session, mediator_id))


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
        mediator = _mediator(session, mediator_id)
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
        out = availability_out(session, _mediator(session, mediator_id))
    logger.info("api: calendar of mediator %d replaced by %s", mediator_id, principal.actor)
    return out


# --- appointments ---------------------------------------------------------------------


@router.get(
    "/appointments",
    response_model=AppointmentList,
    tags=["agenda"],
    summary="Rendez-vous d'un jour",
    description=(
        "Les rendez-vous qui commencent ce jour-là (journée de Paris), pour un médiateur ou "
        "pour tous, dans l'ordre de l'heure ; annulés compris sauf filtre `status`."
    ),
    responses={**READ_ERRORS, **NOT_FOUND},
)
def list_appointments(
    _principal: Annotated[Principal, Depends(current_principal)],
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
        if mediator_id is not None:
            if session.get(Mediator, mediator_id) is None:
                raise ApiError(status.HTTP_404_NOT_FOUND, MEDIATOR_NOT_FOUND)
            query = query.where(Appointment.mediator_id == mediator_id)
        items = [
            appointment_out(a, a.case.reference if a.case is not None else None)
            for a in session.scalars(query).unique()
        ]
    return AppointmentList(day=day, mediator_id=mediator_id, items=items)


# --- free slots -----------------------------------------------------------------------


@router.get(
    "/slots",
    response_model=SlotList,
    tags=["agenda"],
    summary="Prochains créneaux libres",
    description=(
        "Les `n` prochains créneaux libres pour une démarche, au site le plus proche de la "
        "commune (ou par téléphone quand la commune est inconnue, trop loin de tout site ou "
        "quand ses sites sont complets), comme l'assistant les propose. Jamais le jour même, "
        "ni un jour férié. `key` identifie le créneau pour le réserver."
    ),
    responses=READ_ERRORS,
)
def list_slots(
    _principal: Annotated[Principal, Depends(current_principal)],
    journey: Annotated[str, Query(max_length=64, description="Démarche, ex. `apa_domicile`.")],
    commune: Annotated[
        str | None, Query(max_length=80, description="Commune ou code postal de la personne.")
    ] = None,
    after: Annotated[
        datetime | None,
        Query(description="Chercher à partir de ce moment (sans fuseau : heure de Paris)."),
    ] = None,
    n: Annotated[int, Query(ge=1, le=MAX_SLOTS, description="Nombre de créneaux.")] = 3,
    mode: Annotated[
        Mode | None, Query(description="sur_place (par défaut), telephone ou domicile.")
    ] = None,
) -> SlotList:
    if journey not in journeys():
        raise ApiError.invalid("journey", f"démarche « {journey} » inconnue")
    with session_scope() as session:
        proposal = propose_slots(
            session,
            journey,
            commune or None,
            assume_paris(after) if after is not None else None,
            n,
            mode=mode,
        )
        ids = {choice.slot.mediator_id for choice in proposal.choices}
        names: dict[int, str] = {
            row.id: row.name
            for row in session.execute(
                select(Mediator.id, Mediator.name).where(Mediator.id.in_(ids))
            )
        }
    slots = [
        SlotOut(
            key=choice.slot.key,
            starts_at=paris(choice.slot.starts_at),
            ends_at=paris(choice.slot.ends_at),
            mode=as_mode(choice.slot.mode),
            mode_label=MODE_LABELS.get(choice.slot.mode, choice.slot.mode),
            mediator=MediatorBrief(id=choice.slot.mediator_id, name=names[choice.slot.mediator_id]),
            site=SiteBrief(
                id=choice.slot.site_id, name=choice.site_name, commune=choice.site_commune
            ),
            site_address=choice.site_address,
            label=choice.label,
        )
        for choice in proposal.choices
    ]
    place = proposal.place
    return SlotList(
        journey=journey,
        reason=proposal.reason,
        matched=proposal.matched,
        message=proposal.message,
        place=PlaceOut(name=place.name, postcode=place.postcode) if place is not None else None,
        slots=slots,
    )
