"""Cases: open one per person and journey, find it by reference, move its status.

Functions take a session; the caller owns the transaction (``session_scope``).
Every change writes its audit event in the same transaction.

Concurrency: the reference comes from ``case_counters``, whose row is updated
(so locked) in the opening transaction: PostgreSQL serialises the openings of a
year on that row lock, SQLite on its write lock (``BEGIN IMMEDIATE``), and a
rolled-back opening gives its number back. At most one non-closed case per
person and journey is the partial unique index ``uq_cases_open_per_journey``:
the loser of a race gets an IntegrityError, rolls back its SAVEPOINT and
returns the winner's case.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seniorplus.cases.audit import check_actor, record_event
from seniorplus.cases.errors import CaseError
from seniorplus.cases.models import (
    CASE_STATUSES,
    CaregiverLink,
    Case,
    CaseCounter,
    CaseDocument,
    Contact,
)
from seniorplus.cases.references import format_case_reference, parse_case_reference
from seniorplus.journeys import Journey, load_all
from seniorplus.models import utcnow

PARIS = ZoneInfo("Europe/Paris")
CLOSED = "clos"

# Allowed moves. "clos" is final: a closed journey starts again as a new case.
TRANSITIONS: Mapping[str, frozenset[str]] = {
    "ouvert": frozenset({"en_cours", "en_attente", "clos"}),
    "en_cours": frozenset({"en_attente", "complet", "clos"}),
    "en_attente": frozenset({"en_cours", "complet", "clos"}),
    "complet": frozenset({"en_cours", "clos"}),
    "clos": frozenset(),
}
STATUS_LABELS: Mapping[str, str] = {
    "ouvert": "ouvert",
    "en_cours": "en cours de traitement",
    "en_attente": "en attente d'une réponse",
    "complet": "complet",
    "clos": "clos",
}


@functools.lru_cache(maxsize=1)
def journeys() -> Mapping[str, Journey]:
    """The journeys of data/journeys, read once per process."""
    return load_all()


def _journey(journey_id: str, catalogue: Mapping[str, Journey] | None) -> Journey:
    journey = (catalogue if catalogue is not None else journeys()).get(journey_id)
    if journey is None:
        raise CaseError("Je ne connais pas cette démarche.")
    return journey


def _open_case_of(session: Session, for_id: int, journey_id: str) -> Case | None:
    return session.scalar(
        select(Case).where(Case.for_id == for_id, Case.journey == journey_id, Case.status != CLOSED)
    )


def _next_reference(session: Session, at: datetime) -> str:
    """Increment this year's counter (locking its row until commit) and format the number."""
    year = at.astimezone(PARIS).year
    bump = update(CaseCounter).where(CaseCounter.year == year).values(last=CaseCounter.last + 1)
    if session.execute(bump).rowcount == 0:  # type: ignore[attr-defined]
        try:
            with session.begin_nested():
                session.add(CaseCounter(year=year, last=1))
        except IntegrityError:  # another transaction created the year's row first
            session.execute(bump)
    last = session.scalar(select(CaseCounter.last).where(CaseCounter.year == year))
    assert last is not None
    return format_case_reference(year, last)


def open_case(
    session: Session,
    opened_by: Contact,
    for_contact: Contact,
    journey_id: str,
    actor: str,
    *,
    catalogue: Mapping[str, Journey] | None = None,
) -> tuple[Case, bool]:
    """Open a case of ``journey_id`` for ``for_contact``, or return the one already open.

    The checklist is the journey's documents, all "a_fournir". ``catalogue``
    replaces data/journeys (tests).

    Returns:
        The case and whether this call created it.

    Raises:
        CaseError: unknown journey, or a caregiver acting for someone not linked to them.
    """
    check_actor(actor)
    journey = _journey(journey_id, catalogue)
    if opened_by.id != for_contact.id and not session.scalar(
        select(
            exists().where(
                CaregiverLink.caregiver_id == opened_by.id,
                CaregiverLink.senior_id == for_contact.id,
            )
        )
    ):
        raise CaseError("Je ne peux pas ouvrir ce dossier : cette personne ne vous est pas liée.")
    existing = _open_case_of(session, for_contact.id, journey.id)
    if existing is not None:
        return existing, False
    now = utcnow()
    try:
        with session.begin_nested():
            case = Case(
                reference=_next_reference(session, now),
                journey=journey.id,
                status="ouvert",
                opened_by_id=opened_by.id,
                for_id=for_contact.id,
                opened_at=now,
                updated_at=now,
            )
            session.add(case)
            session.flush()
            for position, document in enumerate(journey.documents):
                session.add(
                    CaseDocument(
                        case_id=case.id,
                        document_id=document.id,
                        label=document.label,
                        position=position,
                        status="a_fournir",
                        updated_at=now,
                    )
                )
            detail = {"journey": journey.id, "reference": case.reference}
            record_event(session, case, actor, "ouverture", detail, at=now)
    except IntegrityError:
        winner = _open_case_of(session, for_contact.id, journey.id)
        if winner is None:
            raise
        return winner, False
    session.refresh(case, ["documents"])
    return case, True


def can_see(session: Session, case: Case, contact: Contact) -> bool:
    """Opened by them, for them, or for a senior they are a caregiver of."""
    if contact.id in (case.opened_by_id, case.for_id):
        return True
    return bool(
        session.scalar(
            select(
                exists().where(
                    CaregiverLink.caregiver_id == contact.id,
                    CaregiverLink.senior_id == case.for_id,
                )
            )
        )
    )


def case_by_reference(
    session: Session, reference_text: str, asking_contact: Contact
) -> Case | None:
    """The case with this reference if ``asking_contact`` may see it, else None.

    Tolerant of the way the reference is typed ("sp 2026 123"). An unknown
    reference and someone else's case give the same None: never reveal that it exists.
    """
    reference = parse_case_reference(reference_text)
    if reference is None:
        return None
    case = session.scalar(select(Case).where(Case.reference == reference))
    if case is None or not can_see(session, case, asking_contact):
        return None
    return case


def cases_of_contact(
    session: Session, contact: Contact, *, include_closed: bool = True
) -> list[Case]:
    """Cases opened by or for ``contact`` or for a senior they act for, newest first."""
    seniors = select(CaregiverLink.senior_id).where(CaregiverLink.caregiver_id == contact.id)
    query = select(Case).where(
        or_(
            Case.opened_by_id == contact.id,
            Case.for_id == contact.id,
            Case.for_id.in_(seniors),
        )
    )
    if not include_closed:
        query = query.where(Case.status != CLOSED)
    return list(session.scalars(query.order_by(Case.opened_at.desc(), Case.id.desc())))


def set_status(session: Session, case: Case, status: str, actor: str) -> bool:
    """Move ``case`` to ``status`` following :data:`TRANSITIONS`.

    Returns:
        True if the status changed, False if it already was ``status``.

    Raises:
        CaseError: unknown status, or a move the workflow does not allow.
    """
    check_actor(actor)
    if status not in CASE_STATUSES:
        raise CaseError("Ce statut de dossier n'existe pas.")
    previous = case.status
    if status == previous:
        return False
    if status not in TRANSITIONS[previous]:
        if previous == CLOSED:
            raise CaseError("Ce dossier est clos : son statut ne peut plus changer.")
        raise CaseError(
            f"Un dossier {STATUS_LABELS[previous]} ne peut pas passer à l'état "
            f"{STATUS_LABELS[status]}."
        )
    now = utcnow()
    case.status = status
    case.updated_at = now
    if status == CLOSED:
        case.closed_at = now
    session.flush()
    record_event(session, case, actor, "statut", {"from": previous, "to": status}, at=now)
    return True
