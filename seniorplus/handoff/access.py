"""THE access rule: which conversations, people, cases and appointments a role may see.

Used by the console pages and by every ``/api`` route, so both say the same:

- supervisors, administrators and machine tokens (role admin): everything;
- an agent: the conversations waiting in the queue and those given to them; the
  people of those conversations; the cases of those people (opened by them, for
  them, or for a senior they are a caregiver of, as `seniorplus.cases.can_see`
  decides); the appointments of those cases or of those people. Full phone numbers
  in ``/api`` answers are for supervisors and administrators; an agent gets them
  masked.

Anything else is "introuvable", exactly like a reference that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from seniorplus.booking.models import Appointment
from seniorplus.cases import can_see
from seniorplus.cases.contacts import find_contact
from seniorplus.cases.models import CaregiverLink, Case, Contact
from seniorplus.handoff.models import Handoff
from seniorplus.staff.viewer import SignedInAgent, Viewer

MAX_HANDOFFS_LOOKED_AT = 500


def may_open_handoff(viewer: Viewer, handoff: Handoff) -> bool:
    """Supervisors see all; an agent sees the waiting queue and what is given to them."""
    if viewer.sees_everything:
        return True
    if handoff.status == "en_attente":
        return True
    return viewer.agent_id is not None and handoff.assigned_agent_id == viewer.agent_id


def contact_of(session: Session, handoff: Handoff) -> Contact | None:
    """The person of a handoff (by its contact, else by the conversation)."""
    if handoff.contact_id is not None:
        contact = session.get(Contact, handoff.contact_id)
        if contact is not None:
            return contact
    return find_contact(session, handoff.conversation_id)


def people_of(session: Session, viewer: Viewer | SignedInAgent) -> list[Contact]:
    """The people of the conversations an agent may open (supervisors: use `sees_everything`)."""
    viewer = viewer if isinstance(viewer, Viewer) else Viewer.of(viewer)
    if viewer.agent_id is None and not viewer.sees_everything:
        return []
    mine = Handoff.assigned_agent_id == viewer.agent_id
    handoffs = session.scalars(
        select(Handoff)
        .where(or_(Handoff.status == "en_attente", mine))
        .order_by(Handoff.id.desc())
        .limit(MAX_HANDOFFS_LOOKED_AT)
    )
    people: dict[int, Contact] = {}
    for handoff in handoffs:
        contact = contact_of(session, handoff)
        if contact is not None:
            people[contact.id] = contact
    return list(people.values())


def _ids(people: Iterable[Contact]) -> list[int]:
    return [person.id for person in people]


def may_see_person(session: Session, viewer: Viewer, contact: Contact) -> bool:
    if viewer.sees_everything:
        return True
    return contact.id in _ids(people_of(session, viewer))


def may_open_case(session: Session, viewer: Viewer | SignedInAgent, case: Case) -> bool:
    viewer = viewer if isinstance(viewer, Viewer) else Viewer.of(viewer)
    if viewer.sees_everything:
        return True
    return any(can_see(session, case, person) for person in people_of(session, viewer))


def may_see_appointment(session: Session, viewer: Viewer, appointment: Appointment) -> bool:
    if viewer.sees_everything:
        return True
    if appointment.case_id is not None:
        case = session.get(Case, appointment.case_id)
        return case is not None and may_open_case(session, viewer, case)
    return appointment.contact_id in _ids(people_of(session, viewer))


def visible_cases(session: Session, viewer: Viewer) -> ColumnElement[bool]:
    """A WHERE clause on `Case`: the cases ``viewer`` may open (the rule of `may_open_case`)."""
    if viewer.sees_everything:
        return true()
    ids = _ids(people_of(session, viewer))
    if not ids:
        return false()
    seniors = select(CaregiverLink.senior_id).where(CaregiverLink.caregiver_id.in_(ids))
    return or_(Case.opened_by_id.in_(ids), Case.for_id.in_(ids), Case.for_id.in_(seniors))


def visible_appointments(session: Session, viewer: Viewer) -> ColumnElement[bool]:
    """A WHERE clause on `Appointment`: those ``viewer`` may see."""
    if viewer.sees_everything:
        return true()
    ids = _ids(people_of(session, viewer))
    if not ids:
        return false()
    cases = select(Case.id).where(visible_cases(session, viewer))
    return or_(
        Appointment.case_id.in_(cases),
        (Appointment.case_id.is_(None)) & Appointment.contact_id.in_(ids),
    )
