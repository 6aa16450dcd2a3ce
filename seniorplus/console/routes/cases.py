"""A person's case: checklist (editable), status (following the workflow), history,
appointments. Changes go through the cases service under the agent's name
("agent:<login>") and are also written to the console's audit log."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from seniorplus.booking.models import Appointment
from seniorplus.cases import CaseError, case_history, case_summary, mark_document, set_status
from seniorplus.cases.documents import DOCUMENT_STATUS_LABELS
from seniorplus.cases.models import DOCUMENT_STATUSES, Contact
from seniorplus.console import case_view
from seniorplus.console.access import case_for
from seniorplus.console.deps import Form, Me
from seniorplus.console.render import BASE, notice_of, page
from seniorplus.console.sessions import SignedIn
from seniorplus.db import session_scope
from seniorplus.models import utcnow
from seniorplus.staff.audit import audit
from seniorplus.staff.models import Agent
from seniorplus.staff.read_audit import record_read
from seniorplus.staff.viewer import Viewer

router = APIRouter()


def case_page(
    me: SignedIn,
    reference: str,
    *,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    now = utcnow()
    with session_scope() as session:
        case = case_for(session, me, reference)
        record_read(
            session,
            Viewer.of(me),
            me.actor,
            "lecture_dossier",
            f"case:{case.reference}",
            via="console",
            people={case.for_id, case.opened_by_id},
        )
        summary = case_summary(case)
        for_contact = session.get(Contact, case.for_id)
        opened_by = session.get(Contact, case.opened_by_id)
        appointments = session.scalars(
            select(Appointment)
            .where(Appointment.case_id == case.id)
            .order_by(Appointment.starts_at.desc())
        )
        return page(
            "case.html",
            me,
            status_code=status_code,
            title=f"Dossier {case.reference}",
            nav="file",
            notice=notice,
            error=error,
            case=case,
            summary=summary,
            person=for_contact.display_name
            if for_contact and for_contact.display_name
            else "Nom non renseigné",
            opened_by=(opened_by.display_name or "un proche")
            if opened_by is not None and opened_by.id != case.for_id
            else None,
            documents=case.documents,
            document_choices=case_view.DOCUMENT_CHOICES,
            document_labels=DOCUMENT_STATUS_LABELS,
            next_statuses=case_view.next_statuses(case),
            history=case_view.history(case, case_history(session, case)),
            appointments=[case_view.appointment_row(a, now) for a in appointments],
        )


@router.get("/cases/{reference}", response_class=HTMLResponse)
def show(reference: str, me: Me, fait: str | None = None) -> HTMLResponse:
    return case_page(me, reference, notice=notice_of(fait))


@router.post("/cases/{reference}/pieces")
def mark(reference: str, me: Me, form: Form) -> Response:
    document_id, status = form.get("document", ""), form.get("statut", "")
    try:
        with session_scope() as session:
            case = case_for(session, me, reference)
            if document_id not in {d.document_id for d in case.documents}:
                raise CaseError("Cette pièce ne fait pas partie du dossier.")
            if status not in DOCUMENT_STATUSES:
                raise CaseError("Ce statut de pièce n'existe pas.")
            changed = mark_document(session, case, document_id, status, me.actor)
            if any(m.changed for m in changed):
                detail = {"piece": document_id, "statut": status}
                audit(
                    session,
                    session.get(Agent, me.agent_id),
                    "piece",
                    f"case:{case.reference}",
                    detail,
                )
            reference = case.reference
    except CaseError as error:
        return case_page(me, reference, error=error.message_fr, status_code=409)
    return RedirectResponse(f"{BASE}/cases/{reference}?fait=piece", status_code=303)


@router.post("/cases/{reference}/statut")
def change_status(reference: str, me: Me, form: Form) -> Response:
    status = form.get("statut", "")
    try:
        with session_scope() as session:
            case = case_for(session, me, reference)
            previous = case.status
            if set_status(session, case, status, me.actor):
                detail = {"de": previous, "a": status}
                audit(
                    session,
                    session.get(Agent, me.agent_id),
                    "statut_dossier",
                    f"case:{case.reference}",
                    detail,
                )
            reference = case.reference
    except CaseError as error:
        return case_page(me, reference, error=error.message_fr, status_code=409)
    return RedirectResponse(f"{BASE}/cases/{reference}?fait=statut", status_code=303)
