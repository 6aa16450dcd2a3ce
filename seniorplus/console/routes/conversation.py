"""One conversation: summary, live transcript, reply, hand back to the assistant, close.

The transcript is refreshed by static/conversation.js from ``…/lines?after=<iso>``
(JSON); every text is inserted with textContent, and the page itself relies on
Jinja's autoescaping: what a person writes is shown as text, never run.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from observability.mask import mask_identifier
from seniorplus.console import labels
from seniorplus.console.deps import Form, Me, PageNotFound
from seniorplus.console.person import person_panel
from seniorplus.console.render import BASE, notice_of, page
from seniorplus.console.sessions import SignedIn
from seniorplus.db import session_scope
from seniorplus.events.live import tracker_worth_reading
from seniorplus.handoff import operations, service
from seniorplus.handoff.models import Handoff, HandoffReply
from seniorplus.handoff.rasa_api import RasaUnavailable
from seniorplus.models import utcnow
from seniorplus.staff.models import Agent
from seniorplus.staff.read_audit import record_read
from seniorplus.staff.viewer import Viewer

logger = logging.getLogger(__name__)
router = APIRouter()

HISTORY_UNREADABLE = (
    "L'historique de l'assistant n'a pas pu être lu : seules vos réponses sont affichées."
)
GOOD_DELIVERIES = ("sent", "deferred", "callback")


def line_json(line: operations.Line) -> dict[str, Any]:
    """A transcript line for the page's script (texts are inserted with textContent)."""
    who = labels.label(labels.SPEAKER_LABELS, line.speaker)
    if line.speaker == "conseiller" and line.agent_name:
        who = f"{line.agent_name} (conseiller)"
    return {
        "at": line.at.isoformat(),
        "heure": labels.moment(line.at, utcnow()),
        "locuteur": line.speaker,
        "qui": who,
        "texte": line.text,
        "canal": labels.CHANNEL_LABELS.get(line.channel or "", None),
        "envoi": labels.label(labels.DELIVERY_LABELS, line.delivery) if line.delivery else None,
        "envoi_ok": line.delivery in GOOD_DELIVERIES if line.delivery else None,
        "motif": line.reason_fr,
    }


def visible_handoff(session: Session, me: SignedIn, handoff_id: int) -> Handoff:
    """The handoff if ``me`` may open it; a French 404 otherwise (someone else's: the same)."""
    agent = session.get(Agent, me.agent_id)
    assert agent is not None  # the session was checked a moment ago
    try:
        return service.get_for(session, agent, handoff_id)
    except service.HandoffNotFound as error:
        raise PageNotFound(error.message_fr) from None


def _lines(
    session: Session, conversation_id: str, since: datetime | None
) -> tuple[list[operations.Line], bool]:
    """The lines, and False when the tracker store could not be read (replies only then).

    A poll (``since`` set) reads the tracker store only if the event consumer saw a new
    message (broker on, `seniorplus.events.live`); the agents' replies are always read.
    """
    store = operations.store_factory()
    if store is not None and not tracker_worth_reading(session, conversation_id, since):
        return operations.conversation_lines(session, conversation_id, None, since), True
    try:
        return operations.conversation_lines(session, conversation_id, store, since), True
    except SQLAlchemyError as error:
        logger.warning(
            "console: history of %s unreadable (%s)",
            mask_identifier(conversation_id),
            type(error).__name__,
        )
        return operations.conversation_lines(session, conversation_id, None, since), False


def _reply_notice(
    session: Session, handoff: Handoff, reply_id: int | None
) -> tuple[str | None, str | None]:
    """(notice, error) telling what became of the reply just sent."""
    reply = session.get(HandoffReply, reply_id) if reply_id else None
    if reply is None or reply.handoff_id != handoff.id:
        return None, None
    said = labels.label(labels.DELIVERY_LABELS, reply.delivery)
    text = f"{said} : {reply.reason_fr}" if reply.reason_fr else f"{said}."
    return (text, None) if reply.delivery in GOOD_DELIVERIES else (None, text)


def conversation_page(
    me: SignedIn,
    handoff_id: int,
    *,
    notice: str | None = None,
    error: str | None = None,
    reply_id: int | None = None,
    draft: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    with session_scope() as session:
        handoff = visible_handoff(session, me, handoff_id)
        lines, complete = _lines(session, handoff.conversation_id, None)
        sent_notice, sent_error = _reply_notice(session, handoff, reply_id)
        person = person_panel(session, handoff, utcnow())
        record_read(
            session,
            Viewer.of(me),
            me.actor,
            "lecture_conversation",
            f"handoff:{handoff.id}",
            via="console",
            people=[handoff.contact_id] if handoff.contact_id is not None else [],
        )
        holder = handoff.assigned_agent
        return page(
            "conversation.html",
            me,
            status_code=status_code,
            title=f"Conversation n° {handoff.id}",
            nav="file",
            notice=notice or sent_notice,
            error=error or sent_error,
            warning=None if complete else HISTORY_UNREADABLE,
            handoff=handoff,
            holder=holder.display_name if holder is not None else None,
            mine=handoff.assigned_agent_id == me.agent_id,
            lines=[line_json(line) for line in lines],
            after=lines[-1].at.isoformat() if lines else "",
            person=person,
            draft=draft,
            max_reply=operations.MAX_REPLY_CHARS,
        )


@router.get("/conversations/{handoff_id}", response_class=HTMLResponse)
def show(
    handoff_id: int, me: Me, fait: str | None = None, reponse: int | None = None
) -> HTMLResponse:
    return conversation_page(me, handoff_id, notice=notice_of(fait), reply_id=reponse)


@router.get("/conversations/{handoff_id}/lines")
def new_lines(handoff_id: int, me: Me, after: str | None = None) -> JSONResponse:
    since: datetime | None = None
    if after:
        try:
            since = datetime.fromisoformat(after)
        except ValueError:
            return JSONResponse({"erreur": "Paramètre « after » invalide."}, status_code=400)
        if since.tzinfo is None:
            return JSONResponse({"erreur": "Paramètre « after » sans fuseau."}, status_code=400)
    with session_scope() as session:
        handoff = visible_handoff(session, me, handoff_id)
        lines, complete = _lines(session, handoff.conversation_id, since)
        holder = handoff.assigned_agent
        return JSONResponse(
            {
                "lignes": [line_json(line) for line in lines],
                "complet": complete,
                "statut": handoff.status,
                "statut_label": labels.label(labels.STATUS_LABELS, handoff.status),
                "titulaire": holder.display_name if holder is not None else None,
            }
        )


async def _refused(
    me: SignedIn, handoff_id: int, error: service.HandoffError, draft: str = ""
) -> Response:
    if isinstance(error, service.HandoffNotFound):
        raise PageNotFound(error.message_fr)
    status_code = 503 if isinstance(error, RasaUnavailable) else 409
    return await run_in_threadpool(
        conversation_page,
        me,
        handoff_id,
        error=error.message_fr,
        draft=draft,
        status_code=status_code,
    )


@router.post("/conversations/{handoff_id}/repondre")
async def reply(handoff_id: int, me: Me, form: Form) -> Response:
    text = form.get("texte", "")
    try:
        saved = await operations.send_reply(me.agent_id, handoff_id, text)
    except service.HandoffError as error:
        return await _refused(me, handoff_id, error, draft=text)
    return RedirectResponse(
        f"{BASE}/conversations/{handoff_id}?reponse={saved.id}#fil", status_code=303
    )


@router.post("/conversations/{handoff_id}/rendre")
async def hand_back(handoff_id: int, me: Me, _form: Form) -> Response:
    try:
        notice = await operations.hand_back(me.agent_id, handoff_id)
    except service.HandoffError as error:
        return await _refused(me, handoff_id, error)
    shown = f"&reponse={notice.id}" if notice is not None else ""
    return RedirectResponse(
        f"{BASE}/conversations/{handoff_id}?fait=rendue{shown}", status_code=303
    )


@router.post("/conversations/{handoff_id}/clore")
async def close(handoff_id: int, me: Me, _form: Form) -> Response:
    try:
        await operations.close(me.agent_id, handoff_id)
    except service.HandoffError as error:
        return await _refused(me, handoff_id, error)
    return RedirectResponse(f"{BASE}/?fait=close", status_code=303)
