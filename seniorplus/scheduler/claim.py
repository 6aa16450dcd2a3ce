"""Claiming persisted jobs so that each is sent by one worker only, on SQLite and PostgreSQL.

A job is claimed by one conditional UPDATE (``en_attente`` → ``en_cours``,
``locked_at`` = now, ``attempts`` + 1) whose WHERE repeats the condition:
the worker whose UPDATE changed the row (rowcount 1) owns it; any other one
changed nothing. PostgreSQL (READ COMMITTED) makes a concurrent UPDATE wait for
the first transaction, then re-checks the WHERE on the new row: 0 rows.
SQLite serialises writers (``BEGIN IMMEDIATE``, `seniorplus.db`).

The claim is committed before anything is sent; the result is written by
`finish`, only while the job is still this worker's (``en_cours`` with the same
``attempts``). A worker that died mid-send leaves its job ``en_cours``: after
`LEASE` it is put back to ``en_attente`` (or ``echec`` after `MAX_ATTEMPTS`).
Only the notice kinds (`NOTICE_KINDS`) are looked at: other jobs of the table
(data-rights purges) belong to whoever runs them.

Functions take a session; the caller owns the transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from seniorplus.jobs.models import ScheduledJob
from seniorplus.scheduler.outcome import MAX_ATTEMPTS, JobUpdate

LEASE = timedelta(minutes=10)  # far longer than a send (HTTP timeout: 10 s)
# The kinds the notice path sends; data-rights jobs and deferred replies have their own runners,
# which claim with the same functions and their own ``kinds``.
NOTICE_KINDS = ("confirmation", "rappel_veille")
REASON_INTERRUPTED = "Envoi interrompu (arrêt du planificateur) : nouvel essai."
REASON_GAVE_UP = "Envoi interrompu plusieurs fois : abandon."


def recover_stale(
    session: Session,
    now: datetime,
    lease: timedelta = LEASE,
    kinds: tuple[str, ...] = NOTICE_KINDS,
) -> int:
    """Put back the jobs whose worker vanished mid-send; the number of jobs put back."""
    stale = (
        ScheduledJob.kind.in_(kinds),
        ScheduledJob.status == "en_cours",
        ScheduledJob.locked_at < now - lease,
    )
    retried = session.connection().execute(
        update(ScheduledJob)
        .where(*stale, ScheduledJob.attempts < MAX_ATTEMPTS)
        .values(status="en_attente", locked_at=None, last_error=REASON_INTERRUPTED)
    )
    given_up = session.connection().execute(
        update(ScheduledJob)
        .where(*stale, ScheduledJob.attempts >= MAX_ATTEMPTS)
        .values(status="echec", locked_at=None, last_error=REASON_GAVE_UP)
    )
    return int(retried.rowcount) + int(given_up.rowcount)


def due_job_ids(
    session: Session, now: datetime, limit: int, kinds: tuple[str, ...] = NOTICE_KINDS
) -> list[int]:
    """Ids of the jobs of ``kinds`` waiting whose time has come, oldest first."""
    query = (
        select(ScheduledJob.id)
        .where(
            ScheduledJob.kind.in_(kinds),
            ScheduledJob.status == "en_attente",
            ScheduledJob.run_at <= now,
        )
        .order_by(ScheduledJob.run_at, ScheduledJob.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def claim(
    session: Session, job_id: int, now: datetime, kinds: tuple[str, ...] = NOTICE_KINDS
) -> int | None:
    """Take job ``job_id`` if it is still waiting and due: its attempt number, else None."""
    result = session.connection().execute(
        update(ScheduledJob)
        .where(
            ScheduledJob.id == job_id,
            ScheduledJob.kind.in_(kinds),
            ScheduledJob.status == "en_attente",
            ScheduledJob.run_at <= now,
        )
        .values(status="en_cours", locked_at=now, attempts=ScheduledJob.attempts + 1)
    )
    if result.rowcount != 1:
        return None
    attempts = session.scalar(select(ScheduledJob.attempts).where(ScheduledJob.id == job_id))
    assert attempts is not None
    return attempts


def finish(session: Session, job_id: int, attempts: int, change: JobUpdate) -> bool:
    """Write the outcome of a claimed job; False when the claim was lost (lease expired)."""
    values: dict[str, object] = {
        "status": change.status,
        "locked_at": None,
        "last_error": change.last_error,
    }
    if change.run_at is not None:
        values["run_at"] = change.run_at
    if change.done_at is not None:
        values["done_at"] = change.done_at
    if change.attempts is not None:
        values["attempts"] = change.attempts
    result = session.connection().execute(
        update(ScheduledJob)
        .where(
            ScheduledJob.id == job_id,
            ScheduledJob.status == "en_cours",
            ScheduledJob.attempts == attempts,
        )
        .values(**values)
    )
    return bool(result.rowcount == 1)
