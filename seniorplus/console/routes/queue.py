"""The queue: waiting handoffs, mine, and for supervisors the others' (with reassignment)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from seniorplus.console.deps import Form, Me, Supervisor
from seniorplus.console.render import BASE, notice_of, page
from seniorplus.console.routes.conversation import conversation_page
from seniorplus.console.sessions import SignedIn
from seniorplus.console.views import build_queue
from seniorplus.db import session_scope
from seniorplus.handoff import operations, service
from seniorplus.handoff.models import Handoff
from seniorplus.handoff.rasa_api import RasaUnavailable
from seniorplus.models import utcnow
from seniorplus.staff.models import Agent

router = APIRouter()


def _agent(session: Session, me: SignedIn) -> Agent:
    agent = session.get(Agent, me.agent_id)
    assert agent is not None  # the session was checked a moment ago
    return agent


def active_agents(session: Session) -> list[Agent]:
    return list(
        session.scalars(select(Agent).where(Agent.active.is_(True)).order_by(Agent.display_name))
    )


def queue_page(
    me: SignedIn, *, notice: str | None = None, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    now = utcnow()
    with session_scope() as session:
        queue = build_queue(service.queue(session, _agent(session, me)), me, now)
        agents = active_agents(session) if me.is_supervising else []
        return page(
            "queue.html",
            me,
            status_code=status_code,
            title="File d'attente",
            nav="file",
            notice=notice,
            error=error,
            queue=queue,
            agents=agents,
        )


@router.get("/", response_class=HTMLResponse)
def home(me: Me, fait: str | None = None) -> HTMLResponse:
    return queue_page(me, notice=notice_of(fait))


@router.get("/file.json")
def queue_json(me: Me) -> JSONResponse:
    now = utcnow()
    with session_scope() as session:
        queue = build_queue(service.queue(session, _agent(session, me)), me, now)
        agents = active_agents(session) if me.is_supervising else []
        return JSONResponse(queue.as_json(agents))


def taken_by(handoff_id: int) -> str | None:
    """ "Déjà prise par Sophie." when another agent holds this open handoff, else None.

    An agent may not open someone else's conversation (404), but the one who
    clicked "Prendre" on a line of the queue is told who was quicker.
    """
    with session_scope() as session:
        handoff = session.get(Handoff, handoff_id)
        if handoff is None or handoff.status != "prise" or handoff.assigned_agent is None:
            return None
        return f"Déjà prise par {handoff.assigned_agent.display_name}."


@router.post("/conversations/{handoff_id}/prendre")
async def claim(handoff_id: int, me: Me, _form: Form) -> Response:
    try:
        await operations.claim(me.agent_id, handoff_id)
    except RasaUnavailable as error:  # taken, but the assistant may still answer: say so
        return await run_in_threadpool(
            conversation_page, me, handoff_id, error=error.message_fr, status_code=503
        )
    except service.HandoffNotFound as error:
        taken = await run_in_threadpool(taken_by, handoff_id)
        if taken is not None:  # it left the queue since the page was shown
            return await run_in_threadpool(queue_page, me, error=taken, status_code=409)
        return await run_in_threadpool(queue_page, me, error=error.message_fr, status_code=404)
    except service.HandoffError as error:  # AlreadyClaimed: "Déjà prise par Sophie."
        return await run_in_threadpool(queue_page, me, error=error.message_fr, status_code=409)
    return RedirectResponse(f"{BASE}/conversations/{handoff_id}?fait=prise", status_code=303)


@router.post("/conversations/{handoff_id}/reattribuer")
def reassign(handoff_id: int, me: Supervisor, form: Form) -> Response:
    try:
        with session_scope() as session:
            target_id = int(form.get("agent_id", "0") or 0)
            target = session.get(Agent, target_id)
            if target is None:
                raise service.HandoffError("Choisissez un conseiller.")
            service.reassign(session, _agent(session, me), handoff_id, target)
    except (service.HandoffError, ValueError) as error:
        message = getattr(error, "message_fr", "Choisissez un conseiller.")
        return queue_page(me, error=message, status_code=409)
    return RedirectResponse(f"{BASE}/?fait=reattribuee", status_code=303)
