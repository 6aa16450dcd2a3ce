"""Who a handoff is with: the person, their cases and coming appointments (for the pages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from policies.phones import display_phone
from seniorplus.booking.service import describe_appointment, upcoming_appointments
from seniorplus.cases import STATUS_LABELS, case_summary, cases_of_contact
from seniorplus.console import labels
from seniorplus.console.render import BASE
from seniorplus.handoff.access import contact_of
from seniorplus.handoff.models import Handoff


@dataclass(frozen=True)
class CaseLine:
    reference: str
    url: str
    journey_title: str
    status_label: str
    missing: int


@dataclass(frozen=True)
class AppointmentLine:
    reference: str
    label: str


@dataclass(frozen=True)
class PersonPanel:
    name: str
    phone: str | None
    channel: str
    cases: list[CaseLine] = field(default_factory=list)
    appointments: list[AppointmentLine] = field(default_factory=list)


def case_line(
    case_reference: str, summary: dict[str, object], status: str, missing: int
) -> CaseLine:
    return CaseLine(
        reference=case_reference,
        url=f"{BASE}/cases/{case_reference}",
        journey_title=str(summary["journey_title"]),
        status_label=STATUS_LABELS.get(status, status),
        missing=missing,
    )


def person_panel(session: Session, handoff: Handoff, now: datetime) -> PersonPanel | None:
    """The person's panel, or None when the conversation has no known person yet."""
    contact = contact_of(session, handoff)
    if contact is None:
        return None
    cases = [
        case_line(
            case.reference,
            case_summary(case),
            case.status,
            sum(1 for d in case.documents if d.status == "a_fournir"),
        )
        for case in cases_of_contact(session, contact)
    ]
    appointments = [
        AppointmentLine(a.reference, describe_appointment(session, a, now))
        for a in upcoming_appointments(session, contact, now)
    ]
    return PersonPanel(
        name=contact.display_name or "Nom non renseigné",
        phone=display_phone(contact.phone) if contact.phone else None,  # "06 12 34 56 78"
        channel=labels.label(labels.CHANNEL_LABELS, handoff.channel),
        cases=cases,
        appointments=appointments,
    )
