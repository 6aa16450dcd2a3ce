"""Free slots, from the booking service (``seniorplus.booking.service.propose_slots``), the
same that proposes them in a conversation; also how a proposed slot is shown (alternatives
of a refused booking included)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from seniorplus.booking.models import Mediator
from seniorplus.booking.service import ProposedSlot, propose_slots
from seniorplus.cases.cases import journeys
from seniorplus.db import session_scope
from seniorplus.web.api.auth import Principal, current_principal
from seniorplus.web.api.cases import READ_ERRORS
from seniorplus.web.api.common import MODE_LABELS, ApiError, assume_paris, paris
from seniorplus.web.api.schemas import (
    MediatorBrief,
    Mode,
    PlaceOut,
    SiteBrief,
    SlotList,
    SlotOut,
    as_mode,
)

MAX_SLOTS = 10

router = APIRouter()


def slots_out(session: Session, choices: Sequence[ProposedSlot]) -> list[SlotOut]:
    """Proposed slots as the API shows them, with their mediator's name."""
    ids = {choice.slot.mediator_id for choice in choices}
    names: dict[int, str] = (
        {
            row.id: row.name
            for row in session.execute(
                select(Mediator.id, Mediator.name).where(Mediator.id.in_(ids))
            )
        }
        if ids
        else {}
    )
    return [
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
        for choice in choices
    ]


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
        slots = slots_out(session, proposal.choices)
    place = proposal.place
    return SlotList(
        journey=journey,
        reason=proposal.reason,
        matched=proposal.matched,
        message=proposal.message,
        place=PlaceOut(name=place.name, postcode=place.postcode) if place is not None else None,
        slots=slots,
    )
