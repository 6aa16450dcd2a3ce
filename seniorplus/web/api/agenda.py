"""Agenda: sites, and mediators (list, create, change).

A mediator's weekly calendar is in ``availability.py``, free slots in ``free_slots.py``,
appointments in ``appointments.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from seniorplus.booking.models import Mediator, MediatorSkill, Site
from seniorplus.cases.cases import journeys
from seniorplus.db import session_scope
from seniorplus.web.api.auth import Principal, current_principal, require_write
from seniorplus.web.api.cases import READ_ERRORS
from seniorplus.web.api.common import ApiError, ErrorBody
from seniorplus.web.api.schemas import (
    MediatorCreate,
    MediatorOut,
    MediatorUpdate,
    SiteBrief,
    SiteOut,
    as_mode,
)

logger = logging.getLogger(__name__)

MEDIATOR_NOT_FOUND = "Médiateur introuvable."

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


def load_mediator(session: Session, mediator_id: int) -> Mediator:
    """The mediator with site, skills, calendar and absences loaded, or a French 404."""
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
        out = mediator_out(load_mediator(session, mediator.id))
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
        return mediator_out(load_mediator(session, mediator_id))


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
        mediator = load_mediator(session, mediator_id)
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
        out = mediator_out(load_mediator(session, mediator_id))
    logger.info("api: mediator %d changed by %s", mediator_id, principal.actor)
    return out
