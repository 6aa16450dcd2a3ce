"""A person's data rights from the agent side: export everything as JSON, erase on request.

For a request received by post or at a desk (the person can also do it in the
conversation: "mes données"). Thin: `seniorplus.data_rights` does the work.
Both are reserved to the supervisor and administrator roles, and logged.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from seniorplus.data_rights import collect, erase_person, export_person
from seniorplus.data_rights.erasure import find_contact
from seniorplus.db import session_scope
from seniorplus.history.transcripts import default_store
from seniorplus.models import utcnow
from seniorplus.settings import get_settings
from seniorplus.staff.read_audit import record_read
from seniorplus.web.api.auth import Principal, require_write
from seniorplus.web.api.common import ApiError, ErrorBody
from seniorplus.web.api.scope import viewer_of

logger = logging.getLogger(__name__)

router = APIRouter(tags=["données personnelles"])

CONTACT_NOT_FOUND = "Personne introuvable : vérifiez le numéro de contact."
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Jeton absent ou invalide."},
    403: {"model": ErrorBody, "description": "Rôle insuffisant."},
    404: {"model": ErrorBody, "description": "Personne introuvable."},
    422: {"model": ErrorBody, "description": "Paramètre invalide."},
}
ContactId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Numéro de la personne.")]


class ErasureOut(BaseModel):
    """What the erasure did."""

    contact_id: int
    deja_efface: bool
    dossiers_clos: list[str]
    rendez_vous_annules: list[str]
    proches_effaces: int
    conversations_a_effacer: int


@router.get(
    "/contacts/{contact_id}/export",
    summary="Exporter les données d'une personne (droit d'accès)",
    description=(
        "Tout ce que Senior Plus garde sur la personne : coordonnées, consentement, proches, "
        "dossiers avec leur historique, rendez-vous, demandes STOP, rappels, et l'historique "
        "de la conversation (`conversation` vaut `null` si le serveur n'y a pas accès)."
    ),
    responses=ERRORS,
)
def export(contact_id: ContactId, principal: Annotated[Principal, Depends(require_write)]) -> Any:
    store = default_store()
    with session_scope() as session:
        contact = find_contact(session, contact_id)
        if contact is None:
            raise ApiError(404, CONTACT_NOT_FOUND)
        data = collect(session, contact)
        transcript = store.read(data.conversation_ids) if store is not None else None
        body = export_person(session, data, transcript)
        record_read(
            session,
            viewer_of(session, principal),
            principal.actor,
            "export_donnees",
            f"contact:{contact_id}",
            via="api",
            people=[contact_id],
        )
    logger.info("api: data of contact %d exported by %s", contact_id, principal.actor)
    return body


@router.post(
    "/contacts/{contact_id}/erase",
    response_model=ErasureOut,
    summary="Effacer les données d'une personne (droit à l'effacement)",
    description=(
        "Efface les coordonnées, les proches nommés seulement par elle et l'historique de "
        "conversation (quelques minutes après) ; annule ses rendez-vous à venir ; clôt ses "
        "dossiers ouverts, gardés sans coordonnées. Une demande STOP reste appliquée. "
        "Effacer deux fois ne fait rien de plus. Voir docs/data-rights.md."
    ),
    responses=ERRORS,
)
def erase(
    contact_id: ContactId, principal: Annotated[Principal, Depends(require_write)]
) -> ErasureOut:
    settings = get_settings().data_rights
    with session_scope() as session:
        contact = find_contact(session, contact_id)
        if contact is None:
            raise ApiError(404, CONTACT_NOT_FOUND)
        report = erase_person(
            session,
            contact,
            actor=principal.actor,
            now=utcnow(),
            history_delay_s=settings.erasure_delay_s,
        )
        record_read(
            session,
            viewer_of(session, principal),
            principal.actor,
            "effacement",
            f"contact:{contact_id}",
            via="api",
            people=[contact_id],
            detail={"deja_efface": report.already_erased},
        )
    logger.info("api: contact %d erased by %s", contact_id, principal.actor)
    return ErasureOut(
        contact_id=report.contact_id,
        deja_efface=report.already_erased,
        dossiers_clos=report.cases_closed,
        rendez_vous_annules=report.appointments_cancelled,
        proches_effaces=report.relatives_erased,
        conversations_a_effacer=report.conversations,
    )
