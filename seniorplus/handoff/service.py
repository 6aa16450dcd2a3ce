"""Handoffs: request, queue, claim, reassign, reply record, hand back, close.

Functions take a session; the caller owns the transaction. The rules that must
hold under concurrency are in the database: one open handoff per conversation
(partial unique index) and a claim that is a conditional UPDATE (two agents
claiming at once: one wins, the other gets :class:`AlreadyClaimed`).

Who may see what (:func:`can_open`): an agent sees the waiting queue and the
handoffs assigned to them; a supervisor and an admin see all and reassign.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seniorplus.errors import SeniorPlusError
from seniorplus.handoff.access import may_open_handoff
from seniorplus.handoff.models import HANDOFF_REASONS, OPEN_STATUSES, Handoff, HandoffReply
from seniorplus.models import utcnow
from seniorplus.staff.audit import audit
from seniorplus.staff.models import Agent
from seniorplus.staff.viewer import Viewer

SUPERVISING_ROLES = ("supervisor", "admin")
SUMMARY_MAX_CHARS = 4000


class HandoffError(SeniorPlusError):
    """A refused handoff operation; ``message_fr`` can be shown to the agent."""

    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr


class HandoffNotFound(HandoffError):
    """Unknown, or not visible to this agent (the same answer: never reveal it exists)."""


class AlreadyClaimed(HandoffError):
    """Another agent took it first."""


def open_handoff_of(session: Session, conversation_id: str) -> Handoff | None:
    """The open (waiting or claimed) handoff of this conversation, if any."""
    return session.scalar(
        select(Handoff).where(
            Handoff.conversation_id == conversation_id, Handoff.status.in_(OPEN_STATUSES)
        )
    )


def request_handoff(
    session: Session,
    conversation_id: str,
    channel: str,
    reason: str,
    summary: str,
    *,
    contact_id: int | None = None,
    now: datetime | None = None,
) -> tuple[Handoff, bool]:
    """Open a handoff for the conversation, or return the one already open (summary refreshed).

    Returns:
        The handoff and whether this call created it.

    Raises:
        HandoffError: unknown reason or empty conversation id.
    """
    if reason not in HANDOFF_REASONS:
        raise HandoffError("Motif de mise en relation inconnu.")
    if not conversation_id or len(conversation_id) > 128:
        raise HandoffError("Conversation inconnue.")
    now = now or utcnow()
    summary = summary[:SUMMARY_MAX_CHARS]
    existing = open_handoff_of(session, conversation_id)
    if existing is not None:
        existing.summary = summary or existing.summary
        existing.updated_at = now
        session.flush()
        return existing, False
    handoff = Handoff(
        conversation_id=conversation_id,
        channel=channel[:16],
        contact_id=contact_id,
        reason=reason,
        summary=summary,
        status="en_attente",
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(handoff)
    except IntegrityError:  # the same person asked twice at the same moment
        winner = open_handoff_of(session, conversation_id)
        if winner is None:
            raise
        return winner, False
    return handoff, True


def is_supervising(agent: Agent) -> bool:
    return agent.role in SUPERVISING_ROLES


def can_open(agent: Agent, handoff: Handoff) -> bool:
    """Supervisors see all; an agent sees the waiting queue and what is assigned to them.

    The rule itself lives in `seniorplus.handoff.access` (console and /api alike).
    """
    return may_open_handoff(Viewer.of(agent), handoff)


def get_for(session: Session, agent: Agent, handoff_id: int) -> Handoff:
    """The handoff if ``agent`` may open it.

    Raises:
        HandoffNotFound: unknown or not theirs (same message).
    """
    handoff = session.get(Handoff, handoff_id)
    if handoff is None or not can_open(agent, handoff):
        raise HandoffNotFound("Conversation introuvable, ou confiée à un autre conseiller.")
    return handoff


def queue(session: Session, agent: Agent) -> list[Handoff]:
    """Open handoffs this agent may see: waiting urgent ones first, then the other waiting
    ones, then claimed ones; oldest first within each."""
    query = select(Handoff).where(Handoff.status.in_(OPEN_STATUSES))
    if not is_supervising(agent):
        query = query.where(
            (Handoff.status == "en_attente") | (Handoff.assigned_agent_id == agent.id)
        )
    handoffs = list(session.scalars(query.order_by(Handoff.created_at, Handoff.id)))
    return sorted(handoffs, key=lambda h: (h.status != "en_attente", h.reason != "urgence"))


def claim(session: Session, agent: Agent, handoff_id: int, now: datetime | None = None) -> Handoff:
    """Take a waiting handoff; the conditional UPDATE makes two claims at once give one winner.

    Raises:
        HandoffNotFound: unknown or not visible.
        AlreadyClaimed: someone else holds it (or it is closed).
    """
    now = now or utcnow()
    handoff = get_for(session, agent, handoff_id)
    if handoff.status == "prise" and handoff.assigned_agent_id == agent.id:
        return handoff  # a double click
    result = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.status == "en_attente")
        .values(status="prise", assigned_agent_id=agent.id, claimed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        session.refresh(handoff)
        holder = handoff.assigned_agent.display_name if handoff.assigned_agent else None
        raise AlreadyClaimed(
            f"Déjà prise par {holder}." if holder else "Cette conversation n'attend plus."
        )
    session.refresh(handoff)
    audit(session, agent, "prise", f"handoff:{handoff.id}", at=now)
    return handoff


def reassign(
    session: Session, supervisor: Agent, handoff_id: int, to: Agent, now: datetime | None = None
) -> Handoff:
    """A supervisor gives an open handoff to another agent.

    Raises:
        HandoffError: not a supervisor, handoff closed, or target inactive.
    """
    if not is_supervising(supervisor):
        raise HandoffError("Seul un superviseur peut réattribuer une conversation.")
    if not to.active:
        raise HandoffError("Ce compte est désactivé.")
    now = now or utcnow()
    handoff = get_for(session, supervisor, handoff_id)
    if not handoff.is_open:
        raise HandoffError("Cette conversation est terminée.")
    handoff.status = "prise"
    handoff.assigned_agent_id = to.id
    handoff.claimed_at = handoff.claimed_at or now
    handoff.updated_at = now
    session.flush()
    audit(session, supervisor, "reattribution", f"handoff:{handoff.id}", {"a": to.login}, now)
    return handoff


def _holder_only(agent: Agent, handoff: Handoff) -> None:
    if not handoff.is_open:
        raise HandoffError("Cette conversation est terminée.")
    if handoff.assigned_agent_id != agent.id and not is_supervising(agent):
        raise HandoffError("Prenez d'abord la conversation.")


def record_reply(
    session: Session,
    agent: Agent,
    handoff: Handoff,
    text: str,
    delivery: str,
    reason_fr: str | None = None,
    vendor_id: str | None = None,
    now: datetime | None = None,
) -> HandoffReply:
    """Record a reply and its delivery outcome (``sent``, ``refused``, ``failed``…)."""
    _holder_only(agent, handoff)
    now = now or utcnow()
    reply = HandoffReply(
        handoff_id=handoff.id,
        agent_id=agent.id,
        at=now,
        text=text,
        delivery=delivery,
        reason_fr=reason_fr,
        vendor_id=vendor_id,
    )
    session.add(reply)
    handoff.updated_at = now
    session.flush()
    audit(session, agent, "reponse", f"handoff:{handoff.id}", {"envoi": delivery}, now)
    return reply


def check_can_reply(agent: Agent, handoff: Handoff) -> None:
    """Raises HandoffError unless ``agent`` holds this open handoff (or supervises)."""
    _holder_only(agent, handoff)


def finish(
    session: Session, agent: Agent, handoff: Handoff, status: str, now: datetime | None = None
) -> Handoff:
    """Hand back to the assistant (``rendue``) or close (``close``); twice changes nothing.

    Raises:
        HandoffError: not the holder, or an unknown status.
    """
    if status not in ("rendue", "close"):
        raise HandoffError("Fin de conversation inconnue.")
    if handoff.status == status:
        return handoff
    _holder_only(agent, handoff)
    now = now or utcnow()
    handoff.status = status
    handoff.closed_at = now
    handoff.updated_at = now
    session.flush()
    action = "rendue_assistant" if status == "rendue" else "cloture"
    audit(session, agent, action, f"handoff:{handoff.id}", at=now)
    return handoff


def replies_of(session: Session, handoff: Handoff) -> list[HandoffReply]:
    """The agents' replies in this handoff, oldest first."""
    query = select(HandoffReply).where(HandoffReply.handoff_id == handoff.id)
    return list(session.scalars(query.order_by(HandoffReply.at, HandoffReply.id)))
