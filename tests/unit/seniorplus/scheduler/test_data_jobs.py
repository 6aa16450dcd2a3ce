"""The scheduler runs the data-rights jobs: daily purge written once, history erased once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from seniorplus.cases import contact_for_conversation
from seniorplus.data_rights import DataRightsSettings, erase_person
from seniorplus.db import session_scope
from seniorplus.jobs.models import ScheduledJob
from seniorplus.scheduler.data_jobs import DataJobs
from seniorplus.scheduler.runner import Scheduler
from tests.unit.data_rights_helpers import say, tracker_store

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=timezone.utc)  # 15:00 in Paris
PERSON = "+33655443322"


@pytest.fixture
def tracker_url(database_url: str) -> str:
    if database_url.startswith("sqlite:///"):
        return database_url.replace("app.db", "tracker.db")
    return database_url


def jobs(kind: str) -> list[ScheduledJob]:
    with session_scope() as session:
        found = list(session.scalars(select(ScheduledJob).where(ScheduledJob.kind == kind)))
        session.expunge_all()
        return found


def test_a_tick_writes_tomorrows_purge_and_erases_a_quiet_history(tracker_url: str) -> None:
    with tracker_store(tracker_url) as store:
        say(store, PERSON, NOW - timedelta(minutes=10), "effacez tout", "Vraiment ?")
        with session_scope() as session:
            me = contact_for_conversation(session, PERSON, "sms")
            erase_person(session, me, actor=me.actor, now=NOW, history_delay_s=120)
        runner = DataJobs(settings=DataRightsSettings(), store=store)
        assert runner.tick(NOW) == 0  # the erasure waits its delay
        assert runner.tick(NOW + timedelta(minutes=3)) == 1
        assert store.read([PERSON]) == []
        (history,) = jobs("effacement_historique")
        assert history.status == "fait" and PERSON not in history.payload
        (purge,) = jobs("purge")  # 15:00 Paris: today's 03:30 has passed
        assert purge.key == "purge:2026-12-01" and purge.status == "en_attente"
        assert runner.tick(datetime(2026, 12, 1, 2, 31, tzinfo=timezone.utc)) == 1
        purges = sorted((j.key, j.status) for j in jobs("purge"))
        assert purges == [("purge:2026-12-01", "fait"), ("purge:2026-12-02", "en_attente")]


def test_two_schedulers_at_once_run_each_job_once(tracker_url: str) -> None:
    with tracker_store(tracker_url) as store:
        with session_scope() as session:
            for n in range(6):
                me = contact_for_conversation(session, f"+3365544330{n}", "sms")
                erase_person(session, me, actor=me.actor, now=NOW, history_delay_s=60)
        runners = [DataJobs(settings=DataRightsSettings(), store=store) for _ in range(4)]
        done: list[int] = []
        barrier = threading.Barrier(len(runners))

        def work(runner: DataJobs) -> None:
            barrier.wait()
            done.append(runner.tick(NOW + timedelta(minutes=5)))

        threads = [threading.Thread(target=work, args=(r,)) for r in runners]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = [j.status for j in jobs("effacement_historique")]
        assert sum(done) == 6 and statuses == ["fait"] * 6


async def test_the_scheduler_tick_runs_them_too(tracker_url: str) -> None:
    with tracker_store(tracker_url) as store:
        scheduler = Scheduler(
            clock=lambda: NOW, data_jobs=DataJobs(settings=DataRightsSettings(), store=store)
        )
        report = await scheduler.tick()
        assert report.data_jobs == 0 and "0 tâche(s) de données" in report.summary()
        assert [j.key for j in jobs("purge")] == ["purge:2026-12-01"]
