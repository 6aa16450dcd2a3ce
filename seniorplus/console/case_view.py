"""A case as the case page shows it: checklist, allowed moves, history in French (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from seniorplus.booking.models import Appointment
from seniorplus.booking.rules import may_change
from seniorplus.cases import STATUS_LABELS, TRANSITIONS
from seniorplus.cases.documents import DOCUMENT_STATUS_LABELS
from seniorplus.cases.models import DOCUMENT_STATUSES, Case, CaseEvent
from seniorplus.console import labels

APPOINTMENT_STATUS_LABELS = {"reserve": "réservé", "annule": "annulé", "effectue": "effectué"}
MODE_LABELS = {"sur_place": "sur place", "telephone": "par téléphone", "domicile": "à domicile"}
DOCUMENT_CHOICES = [(status, DOCUMENT_STATUS_LABELS[status]) for status in DOCUMENT_STATUSES]


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    who: str
    what: str


def actor_label(actor: str) -> str:
    """ "agent:sophie" → "sophie (conseiller)"; "contact:12" → "la personne ou un proche"."""
    kind, _, name = actor.partition(":")
    if kind == "agent":
        return f"{name} (conseiller)"
    if kind == "contact":
        return "la personne ou un proche"
    return "le système"


def event_text(event: CaseEvent, document_labels: dict[str, str]) -> str:
    """One history event in French."""
    detail: dict[str, Any] = event.details
    if event.action == "ouverture":
        return "Dossier ouvert"
    if event.action == "statut":
        before = STATUS_LABELS.get(str(detail.get("from")), str(detail.get("from")))
        after = STATUS_LABELS.get(str(detail.get("to")), str(detail.get("to")))
        return f"Statut : {before} → {after}"
    if event.action == "piece":
        document = str(detail.get("document", ""))
        name = document_labels.get(document, document)
        before = DOCUMENT_STATUS_LABELS.get(str(detail.get("from")), str(detail.get("from")))
        after = DOCUMENT_STATUS_LABELS.get(str(detail.get("to")), str(detail.get("to")))
        return f"Pièce « {name} » : {before} → {after}"
    if event.action == "rdv":
        state = APPOINTMENT_STATUS_LABELS.get(str(detail.get("etat")), str(detail.get("etat")))
        text = f"Rendez-vous {detail.get('reference', '')} {state}"
        return f"{text} (motif : {detail['motif']})" if detail.get("motif") else text
    return event.action


def history(case: Case, events: list[CaseEvent]) -> list[HistoryLine]:
    """Newest first."""
    names = {document.document_id: document.label for document in case.documents}
    lines = [HistoryLine(e.at, actor_label(e.actor), event_text(e, names)) for e in events]
    return list(reversed(lines))


def next_statuses(case: Case) -> list[tuple[str, str]]:
    """The statuses the workflow allows from here, with their French labels."""
    return [(s, STATUS_LABELS[s]) for s in sorted(TRANSITIONS[case.status])]


@dataclass(frozen=True)
class AppointmentRow:
    reference: str
    when: str
    mode: str
    status: str
    mediator: str
    can_change: bool


def appointment_row(appointment: Appointment, now: datetime) -> AppointmentRow:
    mediator = appointment.mediator
    return AppointmentRow(
        reference=appointment.reference,
        when=labels.moment(appointment.starts_at, now),
        mode=MODE_LABELS.get(appointment.mode, appointment.mode),
        status=APPOINTMENT_STATUS_LABELS.get(appointment.status, appointment.status),
        mediator=f"{mediator.name}, {mediator.site.name}",
        can_change=may_change(appointment, now),
    )
