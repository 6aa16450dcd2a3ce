"""The scheduler jobs of data rights: the deferred history erasure and the daily purge.

| kind | key | run_at |
|---|---|---|
| ``effacement_historique`` | ``effacement:contact:<id>:<time>`` | + ``ERASURE_DELAY_S`` |
| ``purge`` | ``purge:<YYYY-MM-DD>`` | that day, 03:30 Paris |

The scheduler calls :func:`ensure_daily_purge` on each tick and hands these
kinds to :func:`run_data_job`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from policies.hours import PARIS
from seniorplus.data_rights.erasure import HISTORY_JOB
from seniorplus.data_rights.retention import purge_expired
from seniorplus.events.store import forget_conversations
from seniorplus.history.transcripts import TranscriptStore
from seniorplus.jobs.models import ScheduledJob
from seniorplus.jobs.queue import schedule_job
from seniorplus.settings import DataRightsSettings

PURGE_JOB = "purge"
DATA_JOB_KINDS = frozenset({HISTORY_JOB, PURGE_JOB})
PURGE_AT = time(3, 30)  # Paris: nobody is writing
QUIET_FOR = timedelta(seconds=60)  # a history is deleted once its conversation is this quiet


@dataclass(frozen=True)
class JobResult:
    """``done``, or try again at ``retry_at``; ``note`` replaces the payload once done."""

    done: bool
    retry_at: datetime | None = None
    note: dict[str, object] | None = None


def ensure_daily_purge(session: Session, now: datetime) -> ScheduledJob:
    """Today's purge job (or tomorrow's once today's hour has passed), written once."""
    local = now.astimezone(PARIS)
    day = local.date() if local.time() < PURGE_AT else local.date() + timedelta(days=1)
    run_at = datetime.combine(day, PURGE_AT, tzinfo=PARIS)
    return schedule_job(session, PURGE_JOB, f"purge:{day.isoformat()}", run_at, {})


def _erase_history(
    job: ScheduledJob,
    now: datetime,
    settings: DataRightsSettings,
    transcripts: TranscriptStore | None,
) -> JobResult:
    ids = [str(i) for i in job.payload_data.get("conversation_ids", [])]
    if transcripts is None:
        return JobResult(True, note={"conversations": len(ids), "historique": "non configuré"})
    if not transcripts.quiet_since(ids, now - QUIET_FOR):
        return JobResult(False, retry_at=now + timedelta(seconds=settings.erasure_delay_s))
    deleted = transcripts.delete(ids)
    return JobResult(True, note={"conversations": len(ids), "evenements_effaces": deleted})


def run_data_job(
    session: Session,
    job: ScheduledJob,
    now: datetime,
    settings: DataRightsSettings,
    transcripts: TranscriptStore | None,
) -> JobResult:
    """Run one data-rights job in the caller's transaction.

    Raises:
        ValueError: ``job.kind`` is not a data-rights job.
    """
    if job.kind == HISTORY_JOB:
        result = _erase_history(job, now, settings, transcripts)
        if result.done:  # what the event consumer wrote meanwhile goes too
            ids = [str(i) for i in job.payload_data.get("conversation_ids", [])]
            forget_conversations(session, ids)
        return result
    if job.kind == PURGE_JOB:
        report = purge_expired(session, transcripts, settings, now)
        return JobResult(True, note=dict(report.__dict__))
    raise ValueError(f"not a data-rights job: {job.kind}")


def apply_result(job: ScheduledJob, result: JobResult, now: datetime) -> None:
    """Write ``result`` on ``job``: done (the payload, which names people, replaced) or again."""
    if result.done:
        job.status = "fait"
        job.done_at = now
        job.payload = json.dumps(result.note or {}, ensure_ascii=False, sort_keys=True)
    else:
        job.status = "en_attente"
        job.run_at = result.retry_at or now
    job.locked_at = None
