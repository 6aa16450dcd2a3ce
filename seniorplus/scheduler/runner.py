"""One tick of the scheduler, and the loop that ticks until told to stop.

A tick: put back the jobs of a vanished worker (`claim.recover_stale`), list
the due jobs, then for each one: claim it and decide what to send from the
database as it is now (one short transaction, committed), send it on the
person's own channel (no transaction open), write the outcome (another short
transaction). Database work runs in worker threads, never on the event loop.

Several schedulers may tick at once (one per web worker, a cron ``--once``):
the claim makes each job one worker's. Residual risk: a worker that stops
between the vendor's acceptance and writing ``fait`` leaves the job
``en_cours``; after the lease it is sent again (at most one duplicate).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from seniorplus.db import session_scope
from seniorplus.errors import ConfigurationError
from seniorplus.jobs.models import ScheduledJob
from seniorplus.models import utcnow
from seniorplus.outbound import Delivery, Sender, sender_for
from seniorplus.scheduler.claim import LEASE, claim, due_job_ids, finish, recover_stale
from seniorplus.scheduler.data_jobs import DataJobs
from seniorplus.scheduler.deferred_replies import DeferredReplies
from seniorplus.scheduler.outcome import JobUpdate, after_delivery
from seniorplus.scheduler.outgoing import REASON_UNREADABLE, Outgoing, Skip, plan

logger = logging.getLogger(__name__)

SessionFactory = Callable[[], AbstractContextManager[Session]]
SenderFactory = Callable[[str, str | None], Sender]
Clock = Callable[[], datetime]
BATCH = 50  # jobs looked at per tick
FINISH_RETRY_PAUSES_S = (0.5, 2.0)  # the database hiccups: try again before the lease does
REASON_NOT_CONFIGURED = "Service d'envoi non configuré : prévenez l'équipe technique."
REASON_SENDER_CRASHED = "Erreur pendant l'envoi, nouvel essai plus tard."


@dataclass
class TickReport:
    """What one tick did (counts of jobs)."""

    started_at: datetime
    recovered: int = 0  # put back after a vanished worker's lease
    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # new status → jobs
    lost: int = 0  # taken by another worker first, or lease lost before the result
    data_jobs: int = 0  # retention purge and history erasures run
    replies: int = 0  # agents' replies sent once quiet hours were over

    def count(self, status: str) -> int:
        return self.outcomes.get(status, 0)

    def add(self, status: str) -> None:
        self.outcomes[status] = self.count(status) + 1

    def summary(self) -> str:
        """ "2 fait, 1 en_attente, 0 pris par un autre" (for logs and the CLI)."""
        parts = [f"{n} {status}" for status, n in sorted(self.outcomes.items())]
        parts += [f"{self.recovered} repris", f"{self.lost} pris par un autre"]
        parts += [f"{self.data_jobs} tâche(s) de données"]
        return ", ".join(parts)


@dataclass(frozen=True)
class _Claimed:
    job_id: int
    attempts: int
    key: str
    decision: Outgoing | Skip


def default_sender(address: str, channel: str | None) -> Sender:
    """The sender of the person's channel, with this process's vendor settings."""
    return sender_for(address, channel)


def skip_update(skip: Skip, attempts: int) -> JobUpdate:
    """Nothing was sent: a job that waits again gets its attempt back."""
    if skip.status == "en_attente":
        back = max(attempts - 1, 0)
        return JobUpdate("en_attente", run_at=skip.run_at, last_error=skip.reason, attempts=back)
    return JobUpdate(skip.status, last_error=skip.reason)


class Scheduler:
    """Sends the due jobs of ``scheduled_jobs``; safe to run in several processes at once."""

    def __init__(
        self,
        sessions: SessionFactory = session_scope,
        senders: SenderFactory = default_sender,
        *,
        clock: Clock = utcnow,
        lease: timedelta = LEASE,
        batch: int = BATCH,
        data_jobs: DataJobs | None = None,
        replies: DeferredReplies | None = None,
    ) -> None:
        self._sessions = sessions
        self._data_jobs = data_jobs if data_jobs is not None else DataJobs(sessions)
        self._replies = replies if replies is not None else DeferredReplies(sessions, senders)
        self._senders = senders
        self._clock = clock
        self._lease = lease
        self._batch = batch
        self.last_report: TickReport | None = None

    async def tick(self) -> TickReport:
        """Send what is due now. Raises only when the database cannot be reached at all."""
        report = TickReport(self._clock())
        report.recovered, due = await asyncio.to_thread(self._due, report.started_at)
        for job_id in due:
            await self._run(job_id, report)
        report.data_jobs = await asyncio.to_thread(self._data_jobs.tick, report.started_at)
        report.replies = await self._replies.tick(report.started_at)
        self.last_report = report
        return report

    def _due(self, now: datetime) -> tuple[int, list[int]]:
        with self._sessions() as session:
            recovered = recover_stale(session, now, self._lease)
            return recovered, due_job_ids(session, now, self._batch)

    async def _run(self, job_id: int, report: TickReport) -> None:
        claimed = await asyncio.to_thread(self._claim, job_id, self._clock())
        if claimed is None:
            report.lost += 1
            return
        report.claimed += 1
        if isinstance(claimed.decision, Skip):
            logger.info("Job %s: %s, nothing sent", claimed.key, claimed.decision.status)
            report.add(claimed.decision.status)
            return
        delivery = await self._send(claimed.decision)
        change = after_delivery(delivery, claimed.attempts, self._clock())
        if await self._finish(claimed, change):
            logger.info("Job %s: %s -> %s", claimed.key, delivery.status, change.status)
            report.add(change.status)
        else:
            report.lost += 1

    def _claim(self, job_id: int, now: datetime) -> _Claimed | None:
        with self._sessions() as session:
            attempts = claim(session, job_id, now)
            if attempts is None:
                return None
            job = session.get(ScheduledJob, job_id)
            assert job is not None
            try:
                decision: Outgoing | Skip = plan(session, job, now)
            except SQLAlchemyError:
                raise  # rolled back with the claim: the job waits for the next tick
            except Exception as exc:  # a job that cannot be written must not come back forever
                logger.error("Job %s cannot be prepared: %s", job.key, type(exc).__name__)
                decision = Skip("echec", REASON_UNREADABLE)
            if isinstance(decision, Skip):
                finish(session, job_id, attempts, skip_update(decision, attempts))
            return _Claimed(job_id, attempts, job.key, decision)

    async def _send(self, outgoing: Outgoing) -> Delivery:
        channel = outgoing.channel or "none"
        try:
            sender = self._senders(outgoing.address, outgoing.channel)
        except ConfigurationError as exc:
            logger.error("Scheduler cannot send: %s", exc)
            return Delivery("failed", channel, reason_fr=REASON_NOT_CONFIGURED, retryable=True)
        try:
            return await sender.send(outgoing.address, outgoing.text, (), kind="reminder")
        except Exception as exc:  # senders return failures; this is a bug, not an outage
            logger.error("Sender %s raised %s", sender.channel, type(exc).__name__)
            return Delivery("failed", channel, reason_fr=REASON_SENDER_CRASHED, retryable=True)

    def _write(self, claimed: _Claimed, change: JobUpdate) -> bool:
        with self._sessions() as session:
            return finish(session, claimed.job_id, claimed.attempts, change)

    async def _finish(self, claimed: _Claimed, change: JobUpdate) -> bool:
        for pause in (0.0, *FINISH_RETRY_PAUSES_S):
            await asyncio.sleep(pause)
            try:
                kept = await asyncio.to_thread(self._write, claimed, change)
            except SQLAlchemyError as exc:
                logger.error("Job %s: result not written (%s)", claimed.key, type(exc).__name__)
                continue
            if not kept:
                logger.warning("Job %s: lease lost before the result was written", claimed.key)
            return kept
        return False  # left en_cours: the lease puts it back


async def run_forever(scheduler: Scheduler, interval_s: float, stop: asyncio.Event) -> None:
    """Tick every ``interval_s`` seconds until ``stop`` is set; no error ends the loop."""
    logger.info("Scheduler started (every %s s)", interval_s)
    while not stop.is_set():
        try:
            report = await scheduler.tick()
            if report.claimed or report.recovered:
                logger.info("Scheduler tick: %s", report.summary())
        except Exception as exc:  # database away for a moment, anything else: next tick
            logger.error("Scheduler tick failed: %s", type(exc).__name__)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)
    logger.info("Scheduler stopped")
