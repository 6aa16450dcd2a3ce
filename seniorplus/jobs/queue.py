"""Writing to the job queue: a job is scheduled once, under its unique key.

Each feature writes its own kinds through `schedule_job` (booking notices, deferred replies,
data-rights purges); the scheduler claims and runs them (`seniorplus.scheduler`).
The caller owns the transaction.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seniorplus.jobs.models import ScheduledJob


def schedule_job(
    session: Session, kind: str, key: str, run_at: datetime, data: dict[str, Any]
) -> ScheduledJob:
    """The job with ``key``, inserted once (a concurrent twin loses on the unique key)."""
    existing = session.scalar(select(ScheduledJob).where(ScheduledJob.key == key))
    if existing is not None:
        return existing
    job = ScheduledJob(
        kind=kind,
        key=key,
        run_at=run_at,
        payload=json.dumps(data, ensure_ascii=False, sort_keys=True),
        status="en_attente",
    )
    try:
        with session.begin_nested():
            session.add(job)
    except IntegrityError:
        winner = session.scalar(select(ScheduledJob).where(ScheduledJob.key == key))
        if winner is None:
            raise
        return winner
    return job
