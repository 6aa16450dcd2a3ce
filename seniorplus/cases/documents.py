"""A case's document checklist: tick papers off from what people say, summarise the case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from seniorplus.cases.audit import check_actor, record_event
from seniorplus.cases.cases import CLOSED, STATUS_LABELS, journeys
from seniorplus.cases.errors import CaseError
from seniorplus.cases.matching import mentioned_documents
from seniorplus.cases.models import DOCUMENT_STATUSES, Case, CaseDocument
from seniorplus.journeys import Journey
from seniorplus.models import utcnow

DOCUMENT_STATUS_LABELS: Mapping[str, str] = {
    "a_fournir": "à fournir",
    "recu": "reçu",
    "non_concerne": "pas concerné",
}


@dataclass(frozen=True)
class MarkedDocument:
    """A paper a sentence named, its status now, and whether this call changed it."""

    document_id: str
    label: str
    status: str
    changed: bool


def mark_document(
    session: Session, case: Case, text_or_id: str, status: str, actor: str
) -> list[MarkedDocument]:
    """Set the status of the papers of ``case`` that ``text_or_id`` names.

    ``text_or_id`` is a document id of the case or what the person said ("j'ai
    l'avis d'imposition", "le rib et la carte d'identité c'est bon"). With status
    "recu", papers named in a negative clause ("mais pas le rib") are left alone.
    A paper already at ``status`` is returned with ``changed=False`` and no
    event: saying it twice changes nothing.

    Returns:
        The papers named, in checklist order; empty when none is recognised.

    Raises:
        CaseError: unknown status, a closed case, or only papers said to be missing.
    """
    check_actor(actor)
    if status not in DOCUMENT_STATUSES:
        raise CaseError("Ce statut de papier n'existe pas.")
    if case.status == CLOSED:
        raise CaseError("Ce dossier est clos : je ne peux plus le changer.")
    by_id = {document.document_id: document for document in case.documents}
    mentions = mentioned_documents(
        text_or_id, [(document.document_id, document.label) for document in case.documents]
    )
    named = mentions.received if status == "recu" else mentions.received + mentions.missing
    if not named and mentions.missing:
        raise CaseError("Je n'ai rien coché : vous me dites que ce papier manque encore.")
    now = utcnow()
    results: list[MarkedDocument] = []
    for document_id in sorted(named, key=lambda key: by_id[key].position):
        document = by_id[document_id]
        previous = document.status
        changed = previous != status
        if changed:
            document.status = status
            document.updated_at = now
            case.updated_at = now
            session.flush()
            detail = {"document": document_id, "from": previous, "to": status}
            record_event(session, case, actor, "piece", detail, at=now)
        results.append(MarkedDocument(document_id, document.label, status, changed))
    return results


def missing_documents(case: Case) -> list[CaseDocument]:
    """Papers still to provide, in the journey's order."""
    return [document for document in case.documents if document.status == "a_fournir"]


def _next_step(journey: Journey | None, case: Case) -> dict[str, str] | None:
    """The first journey step asking for a missing paper; with none missing, the
    step after the last one asking for papers. None for a closed case."""
    if journey is None or case.status == CLOSED:
        return None
    missing = {document.document_id for document in missing_documents(case)}
    steps = journey.steps
    if missing:
        for step in steps:
            if missing & set(step.documents):
                return {"id": step.id, "title": step.title}
    last_with_papers = max((i for i, step in enumerate(steps) if step.documents), default=-1)
    if last_with_papers + 1 < len(steps):
        step = steps[last_with_papers + 1]
        return {"id": step.id, "title": step.title}
    return None


def case_summary(case: Case, *, catalogue: Mapping[str, Journey] | None = None) -> dict[str, Any]:
    """Plain data about a case for an answer or the API (its documents must be loaded).

    Keys: reference, journey, journey_title, status, status_label (French),
    missing_documents and received_documents (``{"id", "label"}`` in journey
    order), next_step (``{"id", "title"}`` or None), opened_at, updated_at,
    closed_at (ISO 8601 or None).
    """
    journey = (catalogue if catalogue is not None else journeys()).get(case.journey)

    def paper(document: CaseDocument) -> dict[str, str]:
        return {"id": document.document_id, "label": document.label}

    return {
        "reference": case.reference,
        "journey": case.journey,
        "journey_title": journey.title if journey else case.journey,
        "status": case.status,
        "status_label": STATUS_LABELS[case.status],
        "missing_documents": [paper(document) for document in missing_documents(case)],
        "received_documents": [
            paper(document) for document in case.documents if document.status == "recu"
        ],
        "next_step": _next_step(journey, case),
        "opened_at": case.opened_at.isoformat(),
        "updated_at": case.updated_at.isoformat(),
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
    }
