"""The data-rights jobs in the scheduler: the daily retention purge and deferred history erasures.

Each tick writes today's purge job if it is not there yet (one per day, by its
unique key), then runs the due ``purge`` and ``effacement_historique`` jobs
(`seniorplus.data_rights.jobs`). Claimed like the notices, by a conditional
UPDATE, so two schedulers never run the same job; both jobs can safely run
again after a crash (deleting what is already deleted changes nothing).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from seniorplus.data_rights.jobs import (
    DATA_JOB_KINDS,
    JobResult,
    apply_result,
    ensure_daily_purge,
    run_data_job,
)
from seniorplus.db import session_scope
from seniorplus.history.transcripts import TranscriptStore, default_store
from seniorplus.jobs.models import ScheduledJob
from seniorplus.scheduler.claim import claim, due_job_ids, recover_stale
from seniorplus.scheduler.outcome import MAX_ATTEMPTS
from seniorplus.settings import DataRightsSettings, get_settings

logger = logging.getLogger(__name__)

SessionFactory = Callable[[], AbstractContextManager[Session]]
RETRY_AFTER = timedelta(minutes=15)
KINDS = tuple(sorted(DATA_JOB_KINDS))
BATCH = 50


class DataJobs:
    """Runs the due data-rights jobs; synchronous (the scheduler calls it in a thread)."""

    def __init__(
        self,
        sessions: SessionFactory = session_scope,
        settings: DataRightsSettings | None = None,
        store: TranscriptStore | Callable[[], TranscriptStore | None] | None = default_store,
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._store = store

    def _transcripts(self) -> TranscriptStore | None:
        return self._store() if callable(self._store) else self._store

    def tick(self, now: datetime) -> int:
        """Write today's purge, run what is due; the number of jobs run."""
        settings = self._settings or get_settings().data_rights
        with self._sessions() as session:
            ensure_daily_purge(session, now)
            recover_stale(session, now, kinds=KINDS)  # a worker that died mid-job
            due = due_job_ids(session, now, BATCH, kinds=KINDS)
        return sum(1 for job_id in due if self._run(job_id, now, settings))

    def _run(self, job_id: int, now: datetime, settings: DataRightsSettings) -> bool:
        with self._sessions() as session:
            if claim(session, job_id, now, kinds=KINDS) is None:
                return False  # another scheduler took it
        try:
            with self._sessions() as session:
                job = session.get(ScheduledJob, job_id)
                assert job is not None
                kind = job.kind
                result = run_data_job(session, job, now, settings, self._transcripts())
                apply_result(job, result, now)
            logger.info("Data job %s: %s", kind, "fait" if result.done else "reporté")
            return True
        except Exception as exc:  # the job must not stay en_cours
            logger.error("Data job %d failed: %s", job_id, type(exc).__name__)
            with self._sessions() as session:
                job = session.get(ScheduledJob, job_id)
                if job is not None:
                    gave_up = job.attempts >= MAX_ATTEMPTS
                    apply_result(job, JobResult(False, retry_at=now + RETRY_AFTER), now)
                    job.status = "echec" if gave_up else "en_attente"
                    job.last_error = type(exc).__name__
            return False
