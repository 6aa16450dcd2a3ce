"""No job sent twice, proven on SQLite (file, BEGIN IMMEDIATE) and PostgreSQL: racing claims,
schedulers ticking together, and a restart. Figures are printed with ``-s``::

    .venv-app/bin/python -m pytest -s -q tests/unit/seniorplus/scheduler/test_concurrency.py
"""

from __future__ import annotations

import asyncio
import re
import threading
import time as clock
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TypeVar

import pytest
from sqlalchemy import ColumnElement, Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from seniorplus.booking.jobs import schedule_booked
from seniorplus.booking.models import Appointment
from seniorplus.db import make_engine
from seniorplus.jobs.models import ScheduledJob
from seniorplus.scheduler.claim import claim
from seniorplus.scheduler.runner import Scheduler, TickReport
from tests.unit.scheduler_helpers import (
    NOW,
    WEDNESDAY,
    Clock,
    FakeSender,
    World,
    build_world,
    paris,
)

ROUNDS, WORKERS, JOBS = 5, 4, 40  # each round: JOBS due confirmations, WORKERS schedulers
CLAIM_JOBS, CLAIM_THREADS = 20, 16
REFERENCE = re.compile(r"Référence (RDV-\w+)\.")
T = TypeVar("T")


@pytest.fixture
def engines(database_url: str) -> Iterator[list[Engine]]:
    """One engine per worker, without a pool: each has its own connection, like processes."""
    built = [make_engine(database_url, pooled=False) for _ in range(max(WORKERS, CLAIM_THREADS))]
    yield built
    for engine in built:
        engine.dispose()


def _race(count: int, work: Callable[[int], T]) -> list[T]:
    """``work(i)`` in ``count`` threads released together by a barrier."""
    barrier = threading.Barrier(count)
    results: list[T | None] = [None] * count
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[index] = work(index)
        except BaseException as exc:  # reported in the main thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    return [r for r in results if r is not None]


def _appointments(session: Session, world: World, first: int, count: int) -> list[int]:
    """``count`` reserved appointments (hours apart from Wednesday on) and their jobs."""
    made = []
    for n in range(first, first + count):
        starts = paris(WEDNESDAY, 0) + timedelta(hours=n)
        appointment = Appointment(
            reference=f"RDV-T{n:04d}",
            mediator_id=world.mediator_id,
            contact_id=world.alice,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=45),
            mode="sur_place",
            status="reserve",
            booked_by=f"contact:{world.alice}",
        )
        session.add(appointment)
        session.flush()
        schedule_booked(session, appointment, NOW)
        made.append(appointment.id)
    return made


def _count(session: Session, *where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(ScheduledJob).where(*where)) or 0


def test_a_job_raced_by_many_claims_has_one_winner(engines: list[Engine]) -> None:
    factory = sessionmaker(bind=engines[0])
    with factory.begin() as session:
        world = build_world(session)
        ids = [
            job_id
            for appointment in _appointments(session, world, 0, CLAIM_JOBS)
            for job_id in session.scalars(
                select(ScheduledJob.id).where(
                    ScheduledJob.key == f"confirmation:appointment:{appointment}"
                )
            )
        ]
    backend = engines[0].dialect.name
    factories = [sessionmaker(bind=engine) for engine in engines[:CLAIM_THREADS]]
    winners = []
    for job_id in ids:

        def attempt(index: int, job_id: int = job_id) -> bool:
            with factories[index].begin() as session:
                return claim(session, job_id, NOW) is not None

        winners.append(sum(_race(CLAIM_THREADS, attempt)))
    print(
        f"\nclaim race [{backend}]: {len(ids)} jobs x {CLAIM_THREADS} threads, "
        f"winners per job {sorted(set(winners))}"
    )
    assert winners == [1] * CLAIM_JOBS
    with factory() as session:
        assert _count(session, ScheduledJob.status == "en_cours") == CLAIM_JOBS
        assert _count(session, ScheduledJob.attempts > 1) == 0


def test_schedulers_ticking_together_send_each_job_once(engines: list[Engine]) -> None:
    setup = sessionmaker(bind=engines[0])
    with setup.begin() as session:
        world = build_world(session)
    backend = engines[0].dialect.name
    sender = FakeSender(Clock(NOW), pause_s=0.005)  # a few ms "on the network"
    workers = [
        Scheduler(sessions=sessionmaker(bind=engine).begin, senders=sender, clock=Clock(NOW))
        for engine in engines[:WORKERS]
    ]
    reports: list[TickReport] = []
    started = clock.perf_counter()
    for round_ in range(ROUNDS):
        with setup.begin() as session:
            _appointments(session, world, round_ * JOBS, JOBS)
        round_reports = _race(WORKERS, lambda i: asyncio.run(workers[i].tick()))
        assert sum(r.claimed for r in round_reports) == JOBS
        reports += round_reports
    elapsed = clock.perf_counter() - started

    references = Counter(m.group(1) for call in sender.sent if (m := REFERENCE.search(call.text)))
    duplicates = sum(n - 1 for n in references.values())
    per_worker = [sum(r.claimed for r in reports[i::WORKERS]) for i in range(WORKERS)]
    lost = sum(r.lost for r in reports)
    print(
        f"\nscheduler race [{backend}]: {ROUNDS} rounds x {JOBS} jobs = {ROUNDS * JOBS} jobs, "
        f"{WORKERS} workers ticking together, {len(sender.sent)} sends, "
        f"{len(references)} distinct, {duplicates} duplicates, {lost} claims lost to another "
        f"worker, jobs per worker {per_worker} ({elapsed:.1f} s)"
    )
    assert len(sender.calls) == len(sender.sent) == ROUNDS * JOBS
    assert len(references) == ROUNDS * JOBS and duplicates == 0
    assert lost > 0, "the workers never competed: the test proved nothing"
    with setup() as session:
        confirmations = ScheduledJob.kind == "confirmation"
        assert _count(session, confirmations, ScheduledJob.status == "fait") == ROUNDS * JOBS
        assert _count(session, confirmations, ScheduledJob.attempts != 1) == 0


async def test_a_restart_loses_no_job_and_sends_none_twice(database_url: str) -> None:
    first_process = make_engine(database_url, pooled=False)
    factory = sessionmaker(bind=first_process)
    with factory.begin() as session:
        world = build_world(session)
        interrupted, waiting = _appointments(session, world, 0, 2)
    with factory.begin() as session:  # the first process claims one job, then dies
        job_id = session.scalar(
            select(ScheduledJob.id).where(
                ScheduledJob.key == f"confirmation:appointment:{interrupted}"
            )
        )
        assert job_id is not None and claim(session, job_id, NOW) == 1
    first_process.dispose()

    second_process = make_engine(database_url, pooled=False)
    try:
        later = Clock(NOW + timedelta(minutes=11))  # past the lease of the dead worker
        sender = FakeSender(later)
        restarted = Scheduler(
            sessions=sessionmaker(bind=second_process).begin, senders=sender, clock=later
        )
        report = await restarted.tick()
        again = await restarted.tick()
        with sessionmaker(bind=second_process)() as session:
            rows = session.execute(
                select(ScheduledJob.key, ScheduledJob.status).where(
                    ScheduledJob.kind == "confirmation"
                )
            )
            statuses = {key: status for key, status in rows}
    finally:
        second_process.dispose()
    sent = sorted(m.group(1) for call in sender.sent if (m := REFERENCE.search(call.text)))
    assert sent == ["RDV-T0000", "RDV-T0001"]
    assert (report.recovered, report.count("fait"), again.claimed) == (1, 2, 0)
    assert statuses == {
        f"confirmation:appointment:{interrupted}": "fait",
        f"confirmation:appointment:{waiting}": "fait",
    }
