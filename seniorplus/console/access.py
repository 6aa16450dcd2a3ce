"""The access rule on the console's pages: a French 404 when not allowed.

The rule itself is `seniorplus.handoff.access` (console pages and ``/api`` alike).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from seniorplus.booking.models import Appointment
from seniorplus.cases import parse_case_reference
from seniorplus.cases.models import Case
from seniorplus.console.deps import PageNotFound
from seniorplus.console.sessions import SignedIn
from seniorplus.handoff.access import may_open_case, may_see_appointment
from seniorplus.staff.viewer import Viewer

CASE_NOT_FOUND = "Dossier introuvable, ou lié à une conversation qui ne vous est pas confiée."
APPOINTMENT_NOT_FOUND = "Rendez-vous introuvable, ou lié à un dossier qui ne vous est pas confié."


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
    if appointment is None or not may_see_appointment(session, Viewer.of(me), appointment):
        raise PageNotFound(APPOINTMENT_NOT_FOUND)
    return appointment
