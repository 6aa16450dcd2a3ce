"""Cases: list and filter, one case with checklist, history and appointments, change it.

Thin: queries and the cases services (``seniorplus.cases``) do the work; a
change is audited by the service under the caller's actor ("agent:<name>").
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, status
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload

from seniorplus.booking.models import Appointment, Mediator
from seniorplus.cases import (
    STATUS_LABELS,
    CaseError,
    case_history,
    case_summary,
    contacts_by_phone,
    mark_document,
    parse_case_reference,
    set_status,
)
from seniorplus.cases.documents import DOCUMENT_STATUS_LABELS
from seniorplus.cases.models import CaregiverLink, Case, Contact
from seniorplus.db import session_scope
from seniorplus.handoff.access import may_open_case, visible_cases
from seniorplus.staff.read_audit import record_read
from seniorplus.web.api.auth import Principal, current_principal, require_write
from seniorplus.web.api.common import (
    APPOINTMENT_STATUS_LABELS,
    MODE_LABELS,
    ApiError,
    ErrorBody,
    masked_phone,
    normalise_phone,
    paris,
    paris_or_none,
)
from seniorplus.web.api.schemas import (
    AppointmentOut,
    CaseDetail,
    CaseItem,
    CaseList,
    CaseStatus,
    CaseUpdate,
    DocumentOut,
    EventOut,
    MediatorBrief,
    Person,
    PersonBrief,
    SiteBrief,
    StepRef,
    as_appointment_status,
    as_case_status,
    as_document_status,
    as_mode,
)
from seniorplus.web.api.scope import viewer_of

logger = logging.getLogger(__name__)

CASE_NOT_FOUND = "Dossier introuvable : vérifiez la référence (par exemple SP-2026-000123)."
MAX_LIMIT = 200

router = APIRouter(tags=["dossiers"])

READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Jeton absent ou invalide."},
    422: {"model": ErrorBody, "description": "Paramètre invalide."},
}


# --- ORM → response -------------------------------------------------------------------


def person_brief(contact: Contact) -> PersonBrief:
    return PersonBrief(
        contact_id=contact.id,
        display_name=contact.display_name,
        phone_masked=masked_phone(contact.phone),
    )


def person(contact: Contact, *, full_phone: bool = True) -> Person:
    """``full_phone`` False (an agent, `Viewer.sees_full_phones`): the number masked only."""
    return Person(
        contact_id=contact.id,
        display_name=contact.display_name,
        phone_masked=masked_phone(contact.phone),
        phone=contact.phone if full_phone else None,
        preferred_channel=contact.preferred_channel,
        erased=contact.erased_at is not None,
    )


def appointment_out(
    appointment: Appointment, case_reference: str | None, *, full_phone: bool = True
) -> AppointmentOut:
    """An appointment with its mediator, site and person loaded."""
    mediator = appointment.mediator
    site = mediator.site
    return AppointmentOut(
        reference=appointment.reference,
        starts_at=paris(appointment.starts_at),
        ends_at=paris(appointment.ends_at),
        mode=as_mode(appointment.mode),
        mode_label=MODE_LABELS.get(appointment.mode, appointment.mode),
        status=as_appointment_status(appointment.status),
        status_label=APPOINTMENT_STATUS_LABELS.get(appointment.status, appointment.status),
        mediator=MediatorBrief(id=mediator.id, name=mediator.name),
        site=SiteBrief(id=site.id, name=site.name, commune=site.commune),
        person=person(appointment.contact, full_phone=full_phone),
        case_reference=case_reference,
        booked_by=appointment.booked_by,
        created_at=paris(appointment.created_at),
        cancelled_at=paris_or_none(appointment.cancelled_at),
    )


def appointments_query() -> Select[tuple[Appointment]]:
    """Appointments with what `appointment_out` reads, loaded in the same query."""
    return select(Appointment).options(
        joinedload(Appointment.mediator).joinedload(Mediator.site),
        joinedload(Appointment.contact),
        joinedload(Appointment.case),
    )


def case_item(case: Case, for_contact: Contact) -> CaseItem:
    return CaseItem(
        reference=case.reference,
        journey=case.journey,
        journey_title=case_summary(case)["journey_title"],
        status=as_case_status(case.status),
        status_label=STATUS_LABELS[case.status],
        opened_at=paris(case.opened_at),
        updated_at=paris(case.updated_at),
        closed_at=paris_or_none(case.closed_at),
        person=person_brief(for_contact),
        missing_documents=sum(1 for d in case.documents if d.status == "a_fournir"),
    )


def case_detail(session: Session, case: Case, *, full_phone: bool = True) -> CaseDetail:
    contacts = _contacts(session, (case.for_id, case.opened_by_id))
    summary = case_summary(case)
    step = summary["next_step"]
    appointments = session.scalars(
        appointments_query()
        .where(Appointment.case_id == case.id)
        .order_by(Appointment.starts_at, Appointment.id)
    ).unique()
    return CaseDetail(
        reference=case.reference,
        journey=case.journey,
        journey_title=summary["journey_title"],
        status=as_case_status(case.status),
        status_label=STATUS_LABELS[case.status],
        opened_at=paris(case.opened_at),
        updated_at=paris(case.updated_at),
        closed_at=paris_or_none(case.closed_at),
        person=person(contacts[case.for_id], full_phone=full_phone),
        opened_by=person(contacts[case.opened_by_id], full_phone=full_phone),
        next_step=StepRef(**step) if step else None,
        documents=[
            DocumentOut(
                id=document.document_id,
                label=document.label,
                status=as_document_status(document.status),
                status_label=DOCUMENT_STATUS_LABELS.get(document.status, document.status),
                updated_at=paris(document.updated_at),
            )
            for document in case.documents
        ],
        history=[
            EventOut(
                at=paris(event.at), actor=event.actor, action=event.action, detail=event.details
            )
            for event in case_history(session, case)
        ],
        appointments=[
            appointment_out(a, case.reference, full_phone=full_phone) for a in appointments
        ],
    )


def _contacts(session: Session, ids: Iterable[int]) -> dict[int, Contact]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {c.id: c for c in session.scalars(select(Contact).where(Contact.id.in_(wanted)))}


def _find_case(session: Session, reference: str, *, for_update: bool = False) -> Case:
    canonical = parse_case_reference(reference)
    if canonical is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, CASE_NOT_FOUND)
    query = select(Case).where(Case.reference == canonical)
    if for_update:
        query = query.with_for_update()  # PostgreSQL: concurrent changes wait (SQLite: no-op)
    case = session.scalar(query)
    if case is None:
        raise ApiError(status.HTTP_404_NOT_FOUND, CASE_NOT_FOUND)
    return case


# --- routes ---------------------------------------------------------------------------


@router.get(
    "/cases",
    response_model=CaseList,
    summary="Lister et filtrer les dossiers",
    description=(
        "Les dossiers, du plus récent au plus ancien. Filtres combinables : téléphone de la "
        "personne (dossiers ouverts par elle, pour elle ou pour un proche dont elle est "
        "l'aidante), statut, démarche. Le téléphone est masqué dans la liste."
    ),
    responses=READ_ERRORS,
)
def list_cases(
    principal: Annotated[Principal, Depends(current_principal)],
    phone: Annotated[
        str | None,
        Query(
            max_length=32,
            description=(
                "Téléphone, en E.164 (`+33612345678`, « + » encodé `%2B` dans une URL) ou en "
                "national (`06 12 34 56 78`)."
            ),
        ),
    ] = None,
    case_status: Annotated[
        CaseStatus | None, Query(alias="status", description="Statut du dossier.")
    ] = None,
    journey: Annotated[
        str | None, Query(max_length=64, description="Démarche, par exemple `apa_domicile`.")
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Nombre de dossiers par page.")
    ] = 50,
    offset: Annotated[int, Query(ge=0, description="Dossiers à sauter (pagination).")] = 0,
) -> CaseList:
    query = select(Case)
    if case_status is not None:
        query = query.where(Case.status == case_status)
    if journey:
        query = query.where(Case.journey == journey)
    with session_scope() as session:
        viewer = viewer_of(session, principal)
        query = query.where(visible_cases(session, viewer))
        if phone is not None:
            e164 = normalise_phone(phone)
            if e164 is None:
                raise ApiError.invalid("phone", "numéro de téléphone non reconnu")
            ids = [contact.id for contact in contacts_by_phone(session, e164)]
            seniors = select(CaregiverLink.senior_id).where(CaregiverLink.caregiver_id.in_(ids))
            query = query.where(
                or_(
                    Case.opened_by_id.in_(ids),
                    Case.for_id.in_(ids),
                    Case.for_id.in_(seniors),
                )
            )
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        cases: Sequence[Case] = session.scalars(
            query.order_by(Case.opened_at.desc(), Case.id.desc()).limit(limit).offset(offset)
        ).all()
        contacts = _contacts(session, (case.for_id for case in cases))
        items = [case_item(case, contacts[case.for_id]) for case in cases]
        record_read(
            session,
            viewer,
            principal.actor,
            "lecture_dossiers",
            "",
            via="api",
            people=[id_ for case in cases for id_ in (case.for_id, case.opened_by_id)],
            detail={"filtre_telephone": phone is not None},
        )
    logger.info("api: %d case(s) listed (phone filter: %s)", len(items), phone is not None)
    return CaseList(total=total, limit=limit, offset=offset, items=items)


@router.get(
    "/cases/{reference}",
    response_model=CaseDetail,
    summary="Un dossier",
    description=(
        "Le dossier avec sa liste de pièces (et leur statut), son historique complet et ses "
        "rendez-vous. La référence est acceptée telle qu'on la tape : `sp 2026 123`, "
        "`SP2026000123`, `SP-2026-000123`."
    ),
    responses={**READ_ERRORS, 404: {"model": ErrorBody, "description": "Dossier introuvable."}},
)
def get_case(
    reference: str, principal: Annotated[Principal, Depends(current_principal)]
) -> CaseDetail:
    with session_scope() as session:
        viewer = viewer_of(session, principal)
        case = _find_case(session, reference)
        if not may_open_case(session, viewer, case):  # the same 404 as an unknown reference
            raise ApiError(status.HTTP_404_NOT_FOUND, CASE_NOT_FOUND)
        record_read(
            session,
            viewer,
            principal.actor,
            "lecture_dossier",
            f"case:{case.reference}",
            via="api",
            people={case.for_id, case.opened_by_id},
        )
        return case_detail(session, case, full_phone=viewer.sees_full_phones)


@router.patch(
    "/cases/{reference}",
    response_model=CaseDetail,
    summary="Changer le statut d'un dossier ou de ses pièces",
    description=(
        "Change le statut du dossier (selon le circuit ouvert → en_cours/en_attente → complet → "
        "clos) et/ou le statut de pièces (`a_fournir`, `recu`, `non_concerne`), en une seule "
        "transaction : tout ou rien. Les pièces sont changées avant le statut (un dossier clos "
        "ne change plus). Chaque changement est inscrit à l'historique au nom de l'appelant "
        "(`agent:<nom du jeton>`). Réservé aux rôles superviseur et administrateur."
    ),
    responses={
        **READ_ERRORS,
        403: {"model": ErrorBody, "description": "Rôle insuffisant."},
        404: {"model": ErrorBody, "description": "Dossier introuvable."},
        409: {"model": ErrorBody, "description": "Changement refusé par le circuit du dossier."},
    },
)
def update_case(
    reference: str,
    changes: CaseUpdate,
    principal: Annotated[Principal, Depends(require_write)],
) -> CaseDetail:
    with session_scope() as session:
        case = _find_case(session, reference, for_update=True)
        known = {document.document_id for document in case.documents}
        for position, document in enumerate(changes.documents or ()):
            if document.id not in known:
                raise ApiError.invalid(
                    f"documents[{position}].id", f"pièce « {document.id} » absente de ce dossier"
                )
        try:
            for document in changes.documents or ():
                mark_document(session, case, document.id, document.status, principal.actor)
            if changes.status is not None:
                set_status(session, case, changes.status, principal.actor)
        except CaseError as error:
            raise ApiError(status.HTTP_409_CONFLICT, error.message_fr) from None
        session.flush()
        detail = case_detail(session, case)
        case_id = case.id
    logger.info("api: case %d changed by %s", case_id, principal.actor)
    return detail
