"""Agents' replies held back by quiet hours (SMS 20 h - 8 h), sent when they end.

`seniorplus.handoff.operations` records a deferred reply and calls
`seniorplus.handoff.deferred.schedule_deferred_reply`; each scheduler tick sends the due ones on the
person's channel and writes the new outcome on the reply, so the console shows
"Envoyé" (or why not) once it has gone. Claimed by a conditional UPDATE like
the notices; the job's states follow `seniorplus.scheduler.outcome`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime

from sqlalchemy.orm import Session

from seniorplus.db import session_scope
from seniorplus.handoff.deferred import KIND
from seniorplus.handoff.models import Handoff, HandoffReply
from seniorplus.jobs.models import ScheduledJob
from seniorplus.outbound import Delivery, Sender, sender_for
from seniorplus.scheduler.claim import claim, due_job_ids, finish, recover_stale
from seniorplus.scheduler.outcome import JobUpdate, after_delivery

logger = logging.getLogger(__name__)

BATCH = 50
SessionFactory = Callable[[], AbstractContextManager[Session]]
SenderFactory = Callable[[str, str | None], Sender]
REASON_BROKE = "Erreur pendant l'envoi, nouvel essai plus tard."
REASON_GONE = "Conversation effacée ou introuvable : la réponse n'est pas envoyée."


class DeferredReplies:
    """Sends the agents' replies whose quiet hours are over."""

    def __init__(
        self, sessions: SessionFactory = session_scope, senders: SenderFactory = sender_for
    ) -> None:
        self._sessions = sessions
        self._senders = senders

    def _due(self, now: datetime) -> list[int]:
        with self._sessions() as session:
            recover_stale(session, now, kinds=(KIND,))  # a worker that died mid-send
            return due_job_ids(session, now, BATCH, kinds=(KIND,))

    def _claim(self, job_id: int, now: datetime) -> tuple[int, int, str, str, str] | None:
        """(attempts, reply id, address, channel, text), or None if taken or gone."""
        with self._sessions() as session:
            attempts = claim(session, job_id, now, kinds=(KIND,))
            if attempts is None:
                return None
            job = session.get(ScheduledJob, job_id)
            assert job is not None
            reply = session.get(HandoffReply, int(job.payload_data.get("reply_id", 0)))
            handoff = session.get(Handoff, reply.handoff_id) if reply is not None else None
            if reply is None or handoff is None:
                finish(session, job_id, job.attempts, JobUpdate("annule", last_error=REASON_GONE))
                return None
            return job.attempts, reply.id, handoff.conversation_id, handoff.channel, reply.text

    def _write(
        self, job_id: int, attempts: int, reply_id: int, delivery: Delivery, now: datetime
    ) -> None:
        with self._sessions() as session:
            if finish(session, job_id, attempts, after_delivery(delivery, attempts, now)):
                reply = session.get(HandoffReply, reply_id)
                if reply is not None:
                    reply.delivery = delivery.status
                    reply.reason_fr = delivery.reason_fr
                    reply.vendor_id = delivery.vendor_id

    async def tick(self, now: datetime) -> int:
        """Send the due replies; the number sent."""
        sent = 0
        for job_id in await asyncio.to_thread(self._due, now):
            claimed = await asyncio.to_thread(self._claim, job_id, now)
            if claimed is None:
                continue
            attempts, reply_id, address, channel, text = claimed
            try:
                delivery = await self._senders(address, channel).send(address, text, kind="reply")
            except Exception as exc:  # a broken sender must not leave the job en_cours
                logger.error("Deferred reply %d: %s", reply_id, type(exc).__name__)
                delivery = Delivery("failed", channel, reason_fr=REASON_BROKE, retryable=True)
            await asyncio.to_thread(self._write, job_id, attempts, reply_id, delivery, now)
            sent += delivery.status == "sent"
        return sent
