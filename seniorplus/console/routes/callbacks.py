"""Callback requests: callers to phone back, with the summary of their latest call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from policies.phones import display_phone
from seniorplus.console import labels
from seniorplus.console.deps import Form, Me, PageNotFound
from seniorplus.console.render import BASE, notice_of, page
from seniorplus.db import session_scope
from seniorplus.handoff import service
from seniorplus.handoff.models import Handoff
from seniorplus.models import CallbackRequest, utcnow
from seniorplus.staff.audit import audit
from seniorplus.staff.models import Agent

router = APIRouter()


@dataclass(frozen=True)
class CallbackRow:
    id: int
    phone: str
    reason: str
    requested_at: datetime
    summary: str | None
    conversation_url: str | None


def latest_call_handoff(session: Session, phone: str) -> Handoff | None:
    """The most recent handoff of a phone call from this number."""
    return session.scalar(
        select(Handoff)
        .where(Handoff.conversation_id == phone, Handoff.reason == "appel")
        .order_by(Handoff.created_at.desc(), Handoff.id.desc())
        .limit(1)
    )


@router.get("/rappels", response_class=HTMLResponse)
def callbacks(me: Me, fait: str | None = None) -> HTMLResponse:
    with session_scope() as session:
        agent = session.get(Agent, me.agent_id)
        assert agent is not None
        rows = []
        waiting = session.scalars(
            select(CallbackRequest)
            .where(CallbackRequest.status == "waiting")
            .order_by(CallbackRequest.requested_at, CallbackRequest.id)
        )
        for request in waiting:
            handoff = latest_call_handoff(session, request.phone)
            visible = handoff is not None and service.can_open(agent, handoff)
            rows.append(
                CallbackRow(
                    id=request.id,
                    phone=display_phone(request.phone),  # "06 12 34 56 78"
                    reason=labels.label(labels.CALLBACK_REASONS, request.reason),
                    requested_at=request.requested_at,
                    summary=handoff.summary if handoff is not None else None,
                    conversation_url=f"{BASE}/conversations/{handoff.id}"
                    if handoff is not None and visible
                    else None,
                )
            )
        return page(
            "callbacks.html",
            me,
            title="Rappels à faire",
            nav="rappels",
            notice=notice_of(fait),
            rows=rows,
        )


@router.post("/rappels/{request_id}/fait")
def called_back(request_id: int, me: Me, _form: Form) -> Response:
    now = utcnow()
    with session_scope() as session:
        request = session.get(CallbackRequest, request_id)
        if request is None:
            raise PageNotFound("Cette demande de rappel n'existe pas.")
        if request.status != "done":
            request.status = "done"
            request.handled_at = now
            session.flush()
            audit(
                session, session.get(Agent, me.agent_id), "rappel", f"rappel:{request.id}", at=now
            )
    return RedirectResponse(f"{BASE}/rappels?fait=rappele", status_code=303)
