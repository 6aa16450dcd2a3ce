"""No double booking, proven on SQLite (file, BEGIN IMMEDIATE) and PostgreSQL.

Each round, 16 threads (one session, one connection and one person each) are
released together by a barrier to book the same last free slot of a day: exactly
one gets it, the 15 others get `SlotTaken` with another slot, and the table holds
one reserved appointment for that slot. 20 rounds; the figures are printed with
``-s``::

    .venv-app/bin/python -m pytest -s -q tests/unit/seniorplus/booking/test_concurrency.py
"""

from __future__ import annotations

import threading
import time as clock
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from seniorplus.booking.holidays import holiday_name
from seniorplus.booking.models import Appointment
from seniorplus.booking.service import SlotTaken, book
from seniorplus.booking.slots import Slot
from seniorplus.cases.models import Contact
from seniorplus.db import make_engine
from seniorplus.jobs.models import ScheduledJob
from tests.unit.agenda_builders import WEEKDAYS, add_clisson_site, add_mediator, add_openings

PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)  # a Monday
THREADS = 16
ROUNDS = 20
SLOTS_PER_DAY = ((9, 0), (9, 45), (10, 30), (11, 15))  # 9:00-12:00, 45 minutes
T = TypeVar("T")


class Refusals:
    """Inserts the database refused (IntegrityError), counted across threads."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        with self._lock:
            self.count += 1


@pytest.fixture
def refusals() -> Refusals:
    return Refusals()


@pytest.fixture
def engine(database_url: str, refusals: Refusals) -> Iterator[Engine]:
    """An engine without a pool: every session has its own connection, as in production
    workers; counts the inserts the database refused."""
    built = make_engine(database_url, pooled=False)

    @event.listens_for(built, "handle_error")
    def _count(context: Any) -> None:
        if isinstance(context.sqlalchemy_exception, IntegrityError):
            refusals.add()

    yield built
    built.dispose()


def _working_days(first: date, count: int) -> list[date]:
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5 and holiday_name(day) is None:
            days.append(day)
        day += timedelta(days=1)
    return days


def _setup(factory: sessionmaker[Session], people: int) -> tuple[int, int, list[int], int]:
    """A site, a mediator (weekdays 9:00-12:00), ``people`` contacts and a filler contact."""
    with factory.begin() as session:
        site = add_clisson_site(session, "Site du test")
        mediator = add_mediator(session, site, "Médiatrice du test", journeys=["apa_domicile"])
        add_openings(session, mediator, WEEKDAYS, time(9, 0), time(12, 0))
        contacts = [
            Contact(phone=f"+3361000{i:04d}", preferred_channel="sms") for i in range(people)
        ]
        filler = Contact(phone="+33619999999", preferred_channel="sms")
        session.add_all([*contacts, filler])
        session.flush()
        return site.id, mediator.id, [c.id for c in contacts], filler.id


def _slot(site_id: int, mediator_id: int, day: date, hour: int, minute: int) -> Slot:
    start = datetime.combine(day, time(hour, minute), tzinfo=PARIS).astimezone(UTC)
    return Slot(start, start + timedelta(minutes=45), mediator_id, site_id, "sur_place")


def _race(count: int, work: Callable[[int], T]) -> list[T]:
    """``work(i)`` in ``count`` threads released together by a barrier."""
    barrier = threading.Barrier(count)
    results: list[T | None] = [None] * count
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[index] = work(index)
        except BaseException as exc:  # reported below, in the main thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    return [r for r in results if r is not None]


def _attempt(factory: sessionmaker[Session], contact_id: int, slot: Slot) -> tuple[str, Any]:
    """One person's confirmation: ("won", appointment id) or ("taken", the alternative)."""
    with factory() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None
        try:
            appointment = book(session, contact, slot, journey="apa_domicile", now=NOW)
            session.commit()
            return "won", appointment.id
        except SlotTaken as taken:
            session.rollback()
            return "taken", taken.alternative


def _reserved_at(session: Session, slot: Slot) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Appointment)
            .where(
                Appointment.mediator_id == slot.mediator_id,
                Appointment.starts_at == slot.starts_at,
                Appointment.status == "reserve",
            )
        )
        or 0
    )


def _duplicates(session: Session) -> int:
    groups = (
        select(Appointment.mediator_id, Appointment.starts_at)
        .where(Appointment.status == "reserve")
        .group_by(Appointment.mediator_id, Appointment.starts_at)
        .having(func.count() > 1)
    )
    return len(session.execute(groups).all())


def test_last_slot_many_people_at_once_one_winner(engine: Engine, refusals: Refusals) -> None:
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    site_id, mediator_id, people, filler_id = _setup(factory, THREADS)
    backend = engine.dialect.name
    days = _working_days(date(2026, 12, 1), ROUNDS)
    winners = taken = 0
    started = clock.perf_counter()
    for day in days:
        # Three of the day's four slots are already booked: 11:15 is the last one.
        with factory.begin() as session:
            filler = session.get(Contact, filler_id)
            assert filler is not None
            for hour, minute in SLOTS_PER_DAY[:-1]:
                book(session, filler, _slot(site_id, mediator_id, day, hour, minute), now=NOW)
        refused_before = refusals.count
        last = _slot(site_id, mediator_id, day, *SLOTS_PER_DAY[-1])
        results = _race(THREADS, lambda i, last=last: _attempt(factory, people[i], last))  # type: ignore[misc]
        won = [value for outcome, value in results if outcome == "won"]
        lost = [value for outcome, value in results if outcome == "taken"]
        assert len(results) == THREADS
        assert len(won) == 1, f"{backend} {day}: {len(won)} winners"
        assert len(lost) == THREADS - 1
        for alternative in lost:
            assert alternative is not None  # every loser is offered another slot
            assert alternative.slot.starts_at != last.starts_at
            assert alternative.slot.starts_at > last.starts_at  # the day is now full
        # Every loser was refused by the unique index itself, not by a prior read.
        assert refusals.count - refused_before == THREADS - 1
        with factory() as session:
            assert _reserved_at(session, last) == 1
        winners += len(won)
        taken += len(lost)
    elapsed = clock.perf_counter() - started
    with factory() as session:
        duplicates = _duplicates(session)
        reserved = session.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.status == "reserve")
        )
        confirmations = session.scalar(
            select(func.count())
            .select_from(ScheduledJob)
            .where(ScheduledJob.kind == "confirmation")
        )
    attempts = ROUNDS * THREADS
    print(
        f"\nbooking race [{backend}]: {ROUNDS} rounds x {THREADS} threads = {attempts} "
        f"attempts, {winners} winners, {taken} SlotTaken with an alternative, "
        f"{refusals.count} inserts refused by the unique index, "
        f"{duplicates} duplicates ({elapsed:.1f} s)"
    )
    assert winners == ROUNDS
    assert taken == attempts - ROUNDS
    assert duplicates == 0
    assert reserved == ROUNDS * len(SLOTS_PER_DAY)
    assert confirmations == reserved  # one confirmation job per appointment, no more


def test_same_person_tapping_many_times_at_once_gets_one_appointment(engine: Engine) -> None:
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    site_id, mediator_id, people, _ = _setup(factory, 1)
    slot = _slot(site_id, mediator_id, date(2026, 12, 2), 9, 0)
    results = _race(8, lambda _: _attempt(factory, people[0], slot))
    assert {outcome for outcome, _ in results} == {"won"}
    assert len({appointment_id for _, appointment_id in results}) == 1
    with factory() as session:
        assert _reserved_at(session, slot) == 1
        assert session.scalar(select(func.count()).select_from(Appointment)) == 1
        assert session.scalar(select(func.count()).select_from(ScheduledJob)) == 2
