"""Two scheduler *processes* ticking against one PostgreSQL database: every job sent once.

The thread races (test_scheduler_concurrency.py) share one interpreter; here each
replica is its own process with its own connections, as two web pods would be. Jobs are
added while they run. Figures with ``-s``.
"""

from __future__ import annotations

import multiprocessing
import re
from collections import Counter
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from seniorplus.booking.jobs import schedule_booked
from seniorplus.booking.models import Appointment
from seniorplus.db import make_engine
from seniorplus.jobs.models import ScheduledJob
from tests.unit.conftest import alembic_config
from tests.unit.scheduler_helpers import NOW, WEDNESDAY, World, build_world, paris
from tests.unit.scheduler_replica import run_replica

pytestmark = pytest.mark.postgres

REPLICAS, FIRST_BATCH, SECOND_BATCH = 2, 120, 80
REFERENCE = re.compile(r"Référence (RDV-\w+)\.")
spawn = multiprocessing.get_context("spawn")


def add_appointments(url: str, world: World | None, first: int, count: int) -> World:
    engine = make_engine(url, pooled=False)
    try:
        with sessionmaker(bind=engine).begin() as session:
            world = world or build_world(session)
            for n in range(first, first + count):
                starts = paris(WEDNESDAY, 0) + timedelta(hours=n)
                appointment = Appointment(
                    reference=f"RDV-R{n:04d}",
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
            return world
    finally:
        engine.dispose()


def test_two_scheduler_processes_send_every_job_exactly_once(postgres_url: str) -> None:
    command.upgrade(alembic_config(postgres_url), "head")
    world = add_appointments(postgres_url, None, 0, FIRST_BATCH)
    start, results = spawn.Event(), spawn.Queue()
    replicas = [
        spawn.Process(target=run_replica, args=(postgres_url, start, results, f"r{i}"))
        for i in range(REPLICAS)
    ]
    for replica in replicas:
        replica.start()
    start.set()
    add_appointments(postgres_url, world, FIRST_BATCH, SECOND_BATCH)  # while they tick
    reports = [results.get(timeout=240) for _ in replicas]
    for replica in replicas:
        replica.join(timeout=30)
        assert replica.exitcode == 0

    total = FIRST_BATCH + SECOND_BATCH
    references = Counter(
        m.group(1) for _, texts, _, _ in reports for text in texts if (m := REFERENCE.search(text))
    )
    per_replica = {name: len(texts) for name, texts, _, _ in reports}
    lost = sum(report[3] for report in reports)
    print(
        f"\n{REPLICAS} scheduler processes, {total} jobs: {sum(references.values())} sends, "
        f"{len(references)} distinct, sends per process {per_replica}, "
        f"{lost} claims lost to the other process"
    )
    assert len(references) == total and set(references.values()) == {1}
    assert all(count > 0 for count in per_replica.values()), "one process did everything"
    engine = make_engine(postgres_url, pooled=False)
    with sessionmaker(bind=engine)() as session:
        confirmations = ScheduledJob.kind == "confirmation"
        done = session.scalar(
            select(func.count())
            .select_from(ScheduledJob)
            .where(confirmations, ScheduledJob.status == "fait", ScheduledJob.attempts == 1)
        )
    engine.dispose()
    assert done == total
