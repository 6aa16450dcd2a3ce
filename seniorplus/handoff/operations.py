"""What an agent does with a conversation: read it, reply, step in, hand back, close.

The console calls these; each opens its own :func:`seniorplus.db.session_scope`
in a worker thread and raises :class:`HandoffError` (``message_fr``) for a refusal:
:class:`HandoffNotFound` for another agent's conversation, :class:`AlreadyClaimed`
when someone else holds it.

Rasa (pause/resume, :mod:`.rasa_api`) out of reach — :class:`RasaUnavailable`:

- ``take_over``: the handoff is claimed and committed, then the pause fails:
  ``RasaUnavailable`` is raised AFTER the commit with ``result`` = the handoff
  (the console shows the warning: the assistant may still answer).
- ``hand_back`` and ``close``: Rasa is resumed FIRST; if that fails nothing
  changes (the conversation stays with the agent, who tries again): a handoff
  marked finished over a conversation still paused would leave the person
  writing to nobody.

A reply that cannot be delivered (STOP, vendor error) is recorded with its
outcome and French reason, never raised. The person's channel is the one of the
handoff (``sender_for(conversation_id, handoff.channel)``): SMS or Telegram, and
for a caller an SMS (a callback request for a landline).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from observability.mask import mask_identifier
from seniorplus.db import session_scope
from seniorplus.errors import ConfigurationError
from seniorplus.handoff import service
from seniorplus.handoff.deferred import schedule_deferred_reply
from seniorplus.handoff.lines import Line, conversation_lines
from seniorplus.handoff.messages import hand_back_notice
from seniorplus.handoff.models import Handoff, HandoffReply
from seniorplus.handoff.rasa_api import RasaClient, RasaUnavailable
from seniorplus.handoff.service import AlreadyClaimed, HandoffError, HandoffNotFound
from seniorplus.handoff.summary import facts, format_summary
from seniorplus.history.transcripts import TranscriptStore, default_store
from seniorplus.outbound import Delivery, Sender, sender_for
from seniorplus.outbound.sms import is_phone_number
from seniorplus.outbound.telegram import chat_of
from seniorplus.staff.audit import audit
from seniorplus.staff.models import Agent

logger = logging.getLogger(__name__)

MAX_REPLY_CHARS = 1600  # what one long SMS can carry
REASON_NOT_CONFIGURED = "Canal d'envoi mal configuré : prévenez l'équipe technique."
REASON_SEND_BROKE = (
    "Envoi impossible (erreur inattendue) : réessayez ou prévenez l'équipe technique."
)
PAUSE_FAILED = (
    "La conversation vous est confiée, mais l'assistant n'a pas pu être mis en pause : il peut "
    "encore répondre à la personne. Réessayez dans un instant."
)
TAKEN_BY_ANOTHER = "Un autre conseiller s'occupe déjà de cette conversation."
RESUME_FAILED = (
    "L'assistant ne répond pas pour le moment : la conversation reste à vous. "
    "Réessayez dans un instant."
)

# Hooks replaced by tests (and usable by the console): how to reach the person, Rasa, history.
sender_factory: Callable[[str, str | None], Sender] = sender_for
rasa_factory: Callable[[], RasaClient] = RasaClient
store_factory: Callable[[], TranscriptStore | None] = default_store

__all__ = [
    "AlreadyClaimed",
    "HandoffError",
    "HandoffNotFound",
    "Line",
    "RasaUnavailable",
    "claim",
    "close",
    "conversation_lines",
    "hand_back",
    "send_reply",
    "take_over",
]


def _agent(session: Session, agent_id: int) -> Agent:
    agent = session.get(Agent, agent_id)
    if agent is None or not agent.active:
        raise HandoffError("Compte inconnu ou désactivé.")
    return agent


def _holder_of(session: Session, agent_id: int, handoff_id: int) -> tuple[Agent, Handoff]:
    """The agent and the open handoff they hold (HandoffError / HandoffNotFound otherwise)."""
    agent = _agent(session, agent_id)
    handoff = service.get_for(session, agent, handoff_id)
    service.check_can_reply(agent, handoff)
    return agent, handoff


def _checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise HandoffError("Votre réponse est vide.")
    if len(text) > MAX_REPLY_CHARS:
        raise HandoffError(
            f"Votre réponse est trop longue ({len(text)} caractères) : {MAX_REPLY_CHARS} au plus."
        )
    return text


async def _deliver(conversation_id: str, channel: str, text: str) -> Delivery:
    """Send through the person's channel; never raises (the outcome says what happened)."""
    try:
        sender = sender_factory(conversation_id, channel)
    except ConfigurationError:
        logger.exception("No sender configured for channel %s", channel)
        return Delivery("failed", channel, reason_fr=REASON_NOT_CONFIGURED)
    try:
        return await sender.send(conversation_id, text, (), kind="reply")
    except Exception:  # a sender is meant never to raise; the agent still gets an outcome
        logger.exception("Reply to %s broke", mask_identifier(conversation_id))
        return Delivery("failed", sender.channel, reason_fr=REASON_SEND_BROKE, retryable=True)


def _record(agent_id: int, handoff_id: int, text: str, delivery: Delivery) -> HandoffReply:
    """Record the reply; one held back by quiet hours goes when they end (the scheduler)."""
    with session_scope() as session:
        agent, handoff = _holder_of(session, agent_id, handoff_id)
        reply = service.record_reply(
            session,
            agent,
            handoff,
            text,
            delivery.status,
            delivery.reason_fr,
            delivery.vendor_id,
        )
        if delivery.status == "deferred" and delivery.not_before is not None:
            schedule_deferred_reply(session, reply, delivery.not_before)
        return reply


async def send_reply(agent_id: int, handoff_id: int, text: str) -> HandoffReply:
    """Send the agent's reply through the person's channel and record what became of it.

    Raises:
        HandoffError: not the holder, conversation finished, empty or too long a text.
        HandoffNotFound: unknown, or another agent's.
    """
    text = _checked_text(text)

    def target() -> tuple[str, str]:
        with session_scope() as session:
            _, handoff = _holder_of(session, agent_id, handoff_id)
            return handoff.conversation_id, handoff.channel

    conversation_id, channel = await asyncio.to_thread(target)
    delivery = await _deliver(conversation_id, channel, text)
    return await asyncio.to_thread(_record, agent_id, handoff_id, text, delivery)


def _channel_guess(conversation_id: str, store: TranscriptStore | None) -> str:
    """The channel the person last wrote from, else what the conversation id says."""
    if store is not None:
        try:
            for line in reversed(store.read([conversation_id])):
                if line.speaker == "personne" and line.channel:
                    return line.channel[:16]
        except Exception:  # the history is a nicety here
            logger.exception("History of %s unreadable", mask_identifier(conversation_id))
    if chat_of(conversation_id) is not None:
        return "telegram"
    return "sms" if is_phone_number(conversation_id) else "rest"


def _agent_summary(conversation_id: str, channel: str, store: TranscriptStore | None) -> str:
    messages: list[tuple[str, str]] = []
    if store is not None:
        try:
            lines = store.read([conversation_id])[-6:]
            messages = [("Personne" if t.speaker == "personne" else "Assistant", t.text)
                        for t in lines]  # fmt: skip
        except Exception:
            logger.exception("History of %s unreadable", mask_identifier(conversation_id))
    return format_summary(facts({}, reason="agent", channel=channel, catalogue={}), messages)


# Handoffs opened without pausing the assistant: it goes on answering until an agent takes them.
OPENED_UNPAUSED = frozenset({"urgence", "incident"})


async def claim(agent_id: int, handoff_id: int) -> Handoff:
    """The agent takes a waiting handoff; an urgent one (the assistant still answers) is paused.

    Raises:
        HandoffNotFound, AlreadyClaimed: as ``service.claim``.
        RasaUnavailable: AFTER the claim was committed, the pause failed (``result``: the handoff).
    """

    def take() -> Handoff:
        with session_scope() as session:
            return service.claim(session, _agent(session, agent_id), handoff_id)

    handoff = await asyncio.to_thread(take)
    if handoff.reason in OPENED_UNPAUSED:
        try:
            await rasa_factory().pause(handoff.conversation_id)
        except RasaUnavailable as error:
            raise RasaUnavailable(PAUSE_FAILED, result=handoff) from error
    return handoff


async def take_over(agent_id: int, conversation_id: str) -> Handoff:
    """The agent steps in: the conversation's handoff (opened with reason "agent" if none) is
    theirs, and the assistant is paused.

    Raises:
        AlreadyClaimed: another agent holds it (an agent is not told who; a supervisor is,
            and reassigns it with ``service.reassign`` instead).
        HandoffError: unknown conversation id, inactive account.
        RasaUnavailable: AFTER the claim was committed, the pause failed (``result``: the handoff).
    """
    store = store_factory()

    def claim() -> Handoff:
        with session_scope() as session:
            agent = _agent(session, agent_id)
            handoff = service.open_handoff_of(session, conversation_id)
            if handoff is None:
                channel = _channel_guess(conversation_id, store)
                summary = _agent_summary(conversation_id, channel, store)
                handoff, created = service.request_handoff(
                    session, conversation_id, channel, "agent", summary
                )  # not created: another agent stepped in at the same moment
                if created:
                    audit(session, agent, "intervention", f"handoff:{handoff.id}")
            if handoff.assigned_agent_id not in (None, agent.id) and not (
                service.is_supervising(agent)
            ):
                raise AlreadyClaimed(TAKEN_BY_ANOTHER)  # no name: it is not theirs to see
            return service.claim(session, agent, handoff.id)

    handoff = await asyncio.to_thread(claim)
    try:
        await rasa_factory().pause(conversation_id)
    except RasaUnavailable as error:
        raise RasaUnavailable(PAUSE_FAILED, result=handoff) from error
    return handoff


async def _resume_first(agent_id: int, handoff_id: int) -> tuple[str, str]:
    """Check the agent holds it, then resume Rasa; RasaUnavailable leaves everything as it was."""

    def target() -> tuple[str, str]:
        with session_scope() as session:
            _, handoff = _holder_of(session, agent_id, handoff_id)
            return handoff.conversation_id, handoff.channel

    conversation_id, channel = await asyncio.to_thread(target)
    try:
        await rasa_factory().resume(conversation_id)
    except RasaUnavailable as error:
        raise RasaUnavailable(RESUME_FAILED) from error
    return conversation_id, channel


async def hand_back(agent_id: int, handoff_id: int) -> HandoffReply | None:
    """The assistant answers again, and the person is told so on their channel.

    Returns:
        The recorded notice (with its delivery outcome), or None if it was already handed back.

    Raises:
        HandoffError / HandoffNotFound: not the holder, or unknown.
        RasaUnavailable: Rasa could not resume: nothing changed.
    """
    if await asyncio.to_thread(_already_finished, agent_id, handoff_id, "rendue"):
        return None
    conversation_id, channel = await _resume_first(agent_id, handoff_id)
    text = hand_back_notice()
    delivery = await _deliver(conversation_id, channel, text)

    def finish() -> HandoffReply:
        with session_scope() as session:
            agent, handoff = _holder_of(session, agent_id, handoff_id)
            reply = service.record_reply(
                session, agent, handoff, text, delivery.status, delivery.reason_fr,
                delivery.vendor_id,
            )  # fmt: skip
            if delivery.status == "deferred" and delivery.not_before is not None:
                schedule_deferred_reply(session, reply, delivery.not_before)
            service.finish(session, agent, handoff, "rendue")
            return reply

    return await asyncio.to_thread(finish)


async def close(agent_id: int, handoff_id: int) -> None:
    """Close the handoff; the assistant answers again, without a message to the person.

    Raises:
        HandoffError / HandoffNotFound: not the holder, or unknown.
        RasaUnavailable: Rasa could not resume: nothing changed.
    """
    if await asyncio.to_thread(_already_finished, agent_id, handoff_id, "close"):
        return
    await _resume_first(agent_id, handoff_id)

    def finish() -> None:
        with session_scope() as session:
            agent, handoff = _holder_of(session, agent_id, handoff_id)
            service.finish(session, agent, handoff, "close")

    await asyncio.to_thread(finish)


def _already_finished(agent_id: int, handoff_id: int, status: str) -> bool:
    """A second click on "rendre" or "clore" changes nothing (finish() is idempotent too)."""
    with session_scope() as session:
        agent = _agent(session, agent_id)
        return service.get_for(session, agent, handoff_id).status == status
