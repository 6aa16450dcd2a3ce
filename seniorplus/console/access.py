"""Which cases an agent may open in the console.

Supervisors and administrators: every case. An agent: the cases of the people
whose conversations they may open (waiting in the queue, or given to them), as
`seniorplus.cases.can_see` decides for that person. Anything else is "introuvable",
exactly like a reference that does not exist.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from seniorplus.cases import can_see, parse_case_reference
from seniorplus.cases.models import Appointment, Case, Contact
from seniorplus.console.deps import PageNotFound
from seniorplus.console.person import contact_of
from seniorplus.console.sessions import SignedIn
from seniorplus.handoff.models import Handoff

CASE_NOT_FOUND = "Dossier introuvable, ou lié à une conversation qui ne vous est pas confiée."
APPOINTMENT_NOT_FOUND = "Rendez-vous introuvable, ou lié à un dossier qui ne vous est pas confié."
MAX_HANDOFFS_LOOKED_AT = 500


def people_of(session: Session, me: SignedIn) -> list[Contact]:
    """The people of the conversations ``me`` may open (not for supervisors: they see all)."""
    handoffs = session.scalars(
        select(Handoff)
        .where(or_(Handoff.status == "en_attente", Handoff.assigned_agent_id == me.agent_id))
        .order_by(Handoff.id.desc())
        .limit(MAX_HANDOFFS_LOOKED_AT)
    )
    people: dict[int, Contact] = {}
    for handoff in handoffs:
        contact = contact_of(session, handoff)
        if contact is not None:
            people[contact.id] = contact
    return list(people.values())


def may_open_case(session: Session, me: SignedIn, case: Case) -> bool:
    if me.is_supervising:
        return True
    return any(can_see(session, case, person) for person in people_of(session, me))


def case_for(session: Session, me: SignedIn, reference: str) -> Case:
    """The case ``reference`` if ``me`` may open it; a French 404 otherwise (the same)."""
    canonical = parse_case_reference(reference)
    case = session.scalar(select(Case).where(Case.reference == canonical)) if canonical else None
    if case is None or not may_open_case(session, me, case):
        raise PageNotFound(CASE_NOT_FOUND)
    return case


def appointment_for(session: Session, me: SignedIn, reference: str) -> Appointment:
    """An appointment of a case ``me`` may open (supervisors: any); a French 404 otherwise."""
    appointment = session.scalar(
        select(Appointment).where(Appointment.reference == reference.strip().upper())
    )
    if appointment is None:
        raise PageNotFound(APPOINTMENT_NOT_FOUND)
    if me.is_supervising:
        return appointment
    case = session.get(Case, appointment.case_id) if appointment.case_id is not None else None
    if case is None or not may_open_case(session, me, case):
        raise PageNotFound(APPOINTMENT_NOT_FOUND)
    return appointment
