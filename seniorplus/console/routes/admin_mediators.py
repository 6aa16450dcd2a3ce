"""Administration of the mediators' calendars: weekly ranges and absences."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from seniorplus.booking.models import Mediator
from seniorplus.console import mediators as calendar
from seniorplus.console.case_view import MODE_LABELS
from seniorplus.console.deps import Admin, Form
from seniorplus.console.labels import WEEKDAYS
from seniorplus.console.render import BASE, notice_of, page
from seniorplus.console.sessions import SignedIn
from seniorplus.db import session_scope
from seniorplus.models import utcnow
from seniorplus.staff.models import Agent

router = APIRouter(prefix="/admin")
PAGE = f"{BASE}/admin/mediateurs"


def mediators_page(
    me: SignedIn,
    chosen: int | None,
    *,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    now = utcnow()
    with session_scope() as session:
        people = list(
            session.scalars(
                select(Mediator)
                .options(selectinload(Mediator.site))
                .order_by(Mediator.active.desc(), Mediator.name)
            )
        )
        current = next((m for m in people if m.id == chosen), people[0] if people else None)
        slots = (
            sorted(current.availabilities, key=lambda a: (a.weekday, a.start_time))
            if current
            else []
        )
        absences = (
            sorted((a for a in current.absences if a.ends_at > now), key=lambda a: a.starts_at)
            if current
            else []
        )
        return page(
            "admin_mediators.html",
            me,
            status_code=status_code,
            title="Calendriers des médiateurs",
            nav="mediateurs",
            notice=notice,
            error=error,
            people=people,
            current=current,
            slots=slots,
            absences=absences,
            weekdays=list(enumerate(WEEKDAYS)),
            modes=list(MODE_LABELS.items()),
            mode_labels=MODE_LABELS,
        )


@router.get("/mediateurs", response_class=HTMLResponse)
def mediators(me: Admin, m: int | None = None, fait: str | None = None) -> HTMLResponse:
    return mediators_page(me, m, notice=notice_of(fait))


def _admin(session: Session, me: SignedIn) -> Agent:
    agent = session.get(Agent, me.agent_id)
    assert agent is not None
    return agent


def _number(text: str | None, default: int = -1) -> int:
    try:
        return int(text or "")
    except ValueError:
        return default


@router.post("/mediateurs/{mediator_id}/creneaux")
def add_slot(mediator_id: int, me: Admin, form: Form) -> Response:
    request_modes = [mode for mode in MODE_LABELS if form.get(f"mode_{mode}") == "oui"]
    try:
        with session_scope() as session:
            calendar.add_availability(
                session,
                _admin(session, me),
                mediator_id,
                _number(form.get("jour")),
                calendar.parse_clock(form.get("debut", "")),
                calendar.parse_clock(form.get("fin", "")),
                _number(form.get("duree"), 45),
                request_modes,
            )
    except calendar.CalendarError as error:
        return mediators_page(me, mediator_id, error=error.message_fr, status_code=400)
    return RedirectResponse(f"{PAGE}?m={mediator_id}&fait=creneau", status_code=303)


@router.post("/mediateurs/{mediator_id}/creneaux/{availability_id}/retirer")
def remove_slot(mediator_id: int, availability_id: int, me: Admin, _form: Form) -> Response:
    try:
        with session_scope() as session:
            calendar.remove_availability(session, _admin(session, me), mediator_id, availability_id)
    except calendar.CalendarError as error:
        return mediators_page(me, mediator_id, error=error.message_fr, status_code=400)
    return RedirectResponse(f"{PAGE}?m={mediator_id}&fait=creneau", status_code=303)


@router.post("/mediateurs/{mediator_id}/absences")
def add_absence(mediator_id: int, me: Admin, form: Form) -> Response:
    try:
        with session_scope() as session:
            calendar.add_absence(
                session,
                _admin(session, me),
                mediator_id,
                calendar.parse_local(form.get("du", "")),
                calendar.parse_local(form.get("au", "")),
                form.get("motif", ""),
            )
    except calendar.CalendarError as error:
        return mediators_page(me, mediator_id, error=error.message_fr, status_code=400)
    return RedirectResponse(f"{PAGE}?m={mediator_id}&fait=absence", status_code=303)


@router.post("/mediateurs/{mediator_id}/absences/{absence_id}/retirer")
def remove_absence(mediator_id: int, absence_id: int, me: Admin, _form: Form) -> Response:
    try:
        with session_scope() as session:
            calendar.remove_absence(session, _admin(session, me), mediator_id, absence_id)
    except calendar.CalendarError as error:
        return mediators_page(me, mediator_id, error=error.message_fr, status_code=400)
    return RedirectResponse(f"{PAGE}?m={mediator_id}&fait=absence", status_code=303)
