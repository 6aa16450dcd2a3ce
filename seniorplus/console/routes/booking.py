"""Booking for the person from their case: free slots, book, move, cancel.

The booking service decides (free slot, no double booking, notices scheduled), with
the booking rule (``seniorplus.booking.rules``: who may book, cancel or move); the
agent acts as "agent:<login>" and every change is also in the audit log.
An appointment is booked for the person who opened the case (they have the
channel the confirmation and reminder go to), about the case.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from seniorplus.booking.models import MODES
from seniorplus.booking.rules import may_book
from seniorplus.booking.service import SlotUnavailable, book, cancel, propose_slots, reschedule
from seniorplus.cases import CaseError
from seniorplus.cases.models import Case, Contact
from seniorplus.console.access import appointment_for, case_for
from seniorplus.console.case_view import MODE_LABELS
from seniorplus.console.deps import Form, Me
from seniorplus.console.render import BASE, page
from seniorplus.console.routes.cases import case_page
from seniorplus.console.routes.queue import queue_page
from seniorplus.console.sessions import SignedIn
from seniorplus.db import session_scope
from seniorplus.staff.audit import audit
from seniorplus.staff.models import Agent

router = APIRouter()

CHOICES = 6
ERASED = "Cette personne a fait effacer ses données : le rendez-vous doit être pris autrement."


def _booking_contact(session: Session, case: Case) -> Contact:
    contact = session.get(Contact, case.opened_by_id)
    if contact is None or not may_book(contact):  # erased at their request
        raise CaseError(ERASED)
    return contact


def slots_page(
    me: SignedIn,
    reference: str,
    *,
    commune: str = "",
    mode: str = "sur_place",
    moving: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    mode = mode if mode in MODES else "sur_place"
    with session_scope() as session:
        case = case_for(session, me, reference)
        if moving:
            appointment_for(session, me, moving)
        proposal = propose_slots(
            session, case.journey, commune.strip()[:80] or None, n=CHOICES, mode=mode
        )
        action = (
            f"{BASE}/rendez-vous/{moving}/deplacer"
            if moving
            else f"{BASE}/cases/{case.reference}/rdv"
        )
        return page(
            "slots.html",
            me,
            status_code=status_code,
            title=f"Déplacer le rendez-vous {moving}" if moving else "Prendre rendez-vous",
            nav="file",
            error=error,
            case=case,
            commune=commune,
            mode=mode,
            modes=list(MODE_LABELS.items()),
            moving=moving,
            intro=proposal.message,
            choices=proposal.choices,
            action=action,
        )


@router.get("/cases/{reference}/creneaux", response_class=HTMLResponse)
def slots(
    reference: str, me: Me, commune: str = "", mode: str = "sur_place", deplacer: str | None = None
) -> HTMLResponse:
    return slots_page(me, reference, commune=commune, mode=mode, moving=deplacer)


def _unavailable(error: SlotUnavailable) -> str:
    others = "; ".join(choice.label for choice in error.alternatives)
    return f"{error.message_fr} Autres créneaux libres : {others}." if others else error.message_fr


@router.post("/cases/{reference}/rdv")
def book_for_case(reference: str, me: Me, form: Form) -> Response:
    key, mode = form.get("creneau", ""), form.get("mode") or None
    try:
        with session_scope() as session:
            case = case_for(session, me, reference)
            appointment = book(
                session,
                _booking_contact(session, case),
                key,
                mode,
                case,
                me.actor,
                journey=case.journey,
            )
            audit(
                session,
                session.get(Agent, me.agent_id),
                "rdv_pris",
                f"case:{case.reference}",
                {"rdv": appointment.reference},
            )
            reference = case.reference
    except SlotUnavailable as error:
        return slots_page(me, reference, error=_unavailable(error), status_code=409)
    except CaseError as error:
        return case_page(me, reference, error=error.message_fr, status_code=409)
    return RedirectResponse(f"{BASE}/cases/{reference}?fait=rdv", status_code=303)


def _case_reference(session: Session, case_id: int | None) -> str | None:
    case = session.get(Case, case_id) if case_id is not None else None
    return case.reference if case is not None else None


@router.post("/rendez-vous/{appointment_reference}/deplacer")
def move(appointment_reference: str, me: Me, form: Form) -> Response:
    key, mode = form.get("creneau", ""), form.get("mode") or None
    with session_scope() as session:
        appointment = appointment_for(session, me, appointment_reference)
        case_reference = _case_reference(session, appointment.case_id)
    try:
        with session_scope() as session:
            appointment = appointment_for(session, me, appointment_reference)
            new = reschedule(
                session, appointment.contact, appointment.reference, key, mode, actor=me.actor
            )
            audit(
                session,
                session.get(Agent, me.agent_id),
                "rdv_deplace",
                f"rdv:{appointment.reference}",
                {"nouveau": new.reference},
            )
    except SlotUnavailable as error:
        if case_reference is None:
            return queue_page(me, error=_unavailable(error), status_code=409)
        return slots_page(
            me,
            case_reference,
            moving=appointment_reference,
            error=_unavailable(error),
            status_code=409,
        )
    except CaseError as error:
        if case_reference is None:
            return queue_page(me, error=error.message_fr, status_code=409)
        return case_page(me, case_reference, error=error.message_fr, status_code=409)
    target = (
        f"{BASE}/cases/{case_reference}?fait=deplace" if case_reference else f"{BASE}/?fait=deplace"
    )
    return RedirectResponse(target, status_code=303)


@router.post("/rendez-vous/{appointment_reference}/annuler")
def cancel_appointment(appointment_reference: str, me: Me, form: Form) -> Response:
    reason = " ".join(form.get("motif", "").split())[:200] or None
    with session_scope() as session:
        appointment = appointment_for(session, me, appointment_reference)
        case_reference = _case_reference(session, appointment.case_id)
    try:
        with session_scope() as session:
            appointment = appointment_for(session, me, appointment_reference)
            cancel(
                session, appointment.contact, appointment.reference, actor=me.actor, reason=reason
            )
            audit(
                session,
                session.get(Agent, me.agent_id),
                "rdv_annule",
                f"rdv:{appointment.reference}",
            )
    except CaseError as error:
        if case_reference is None:
            return queue_page(me, error=error.message_fr, status_code=409)
        return case_page(me, case_reference, error=error.message_fr, status_code=409)
    target = (
        f"{BASE}/cases/{case_reference}?fait=annule" if case_reference else f"{BASE}/?fait=annule"
    )
    return RedirectResponse(target, status_code=303)
