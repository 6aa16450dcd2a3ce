"""Supervisors step into a conversation the assistant is having ("Prendre la main")."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from observability.mask import mask_identifier
from seniorplus.console import labels
from seniorplus.console.deps import Form, Supervisor
from seniorplus.console.recent import recent_conversations, recent_from_activity
from seniorplus.console.render import BASE, page
from seniorplus.console.routes.conversation import conversation_page
from seniorplus.console.sessions import SignedIn
from seniorplus.db import session_scope
from seniorplus.events.settings import broker_enabled
from seniorplus.handoff import operations, service
from seniorplus.handoff.models import Handoff
from seniorplus.handoff.rasa_api import RasaUnavailable

logger = logging.getLogger(__name__)
router = APIRouter()

NO_STORE = (
    "L'historique des conversations n'est pas configuré (TRACKER_STORE_URL) : rien à afficher."
)
STORE_DOWN = "L'historique des conversations n'a pas pu être lu. Réessayez dans un instant."


@dataclass(frozen=True)
class RecentRow:
    conversation_id: str
    shown_id: str
    channel: str
    last_at: datetime
    last_text: str
    messages: int
    handoff_url: str | None
    handoff_state: str | None
    can_take: bool


def _row(
    conversation_id: str,
    channel: str | None,
    last_at: datetime,
    text: str,
    count: int,
    handoff: Handoff | None,
) -> RecentRow:
    state = None
    if handoff is not None:
        state = labels.label(labels.STATUS_LABELS, handoff.status)
        if handoff.assigned_agent is not None:
            state += f" par {handoff.assigned_agent.display_name}"
    return RecentRow(
        conversation_id=conversation_id,
        shown_id=mask_identifier(conversation_id),
        channel=labels.label(labels.CHANNEL_LABELS, channel) if channel else "—",
        last_at=last_at,
        last_text=text,
        messages=count,
        handoff_url=f"{BASE}/conversations/{handoff.id}" if handoff is not None else None,
        handoff_state=state,
        can_take=handoff is None or handoff.status == "en_attente",
    )


def intervene_page(
    me: SignedIn, *, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    store = operations.store_factory()
    rows: list[RecentRow] = []
    problem = error
    if store is None:
        problem = problem or NO_STORE
    else:
        with session_scope() as session:
            try:
                recent = (
                    recent_from_activity(session, store)
                    if broker_enabled()
                    else recent_conversations(store)
                )
            except SQLAlchemyError as failure:
                logger.warning("console: tracker store unreadable (%s)", type(failure).__name__)
                recent, problem = [], problem or STORE_DOWN
            for item in recent:
                handoff = service.open_handoff_of(session, item.conversation_id)
                rows.append(
                    _row(
                        item.conversation_id,
                        item.channel,
                        item.last_at,
                        item.last_text,
                        item.messages,
                        handoff,
                    )
                )
    return page(
        "intervene.html",
        me,
        status_code=status_code,
        title="Intervenir dans une conversation",
        nav="intervenir",
        error=problem,
        rows=rows,
    )


@router.get("/intervenir", response_class=HTMLResponse)
def recent(me: Supervisor) -> HTMLResponse:
    return intervene_page(me)


@router.post("/intervenir")
async def take_over(me: Supervisor, form: Form) -> Response:
    conversation_id = form.get("conversation", "").strip()
    try:
        handoff = await operations.take_over(me.agent_id, conversation_id)
    except RasaUnavailable as error:
        if isinstance(error.result, Handoff):
            return await run_in_threadpool(
                conversation_page, me, error.result.id, error=error.message_fr, status_code=503
            )
        return await run_in_threadpool(intervene_page, me, error=error.message_fr, status_code=503)
    except service.HandoffError as error:
        return await run_in_threadpool(intervene_page, me, error=error.message_fr, status_code=409)
    return RedirectResponse(f"{BASE}/conversations/{handoff.id}?fait=prise", status_code=303)
