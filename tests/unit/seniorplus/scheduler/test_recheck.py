"""Re-read before sending, on SQLite and PostgreSQL: a cancelled, moved, changed or past
appointment, an erased person or one nobody can write to; other kinds of jobs left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from seniorplus.booking.models import Appointment
from seniorplus.booking.service import cancel, reschedule
from seniorplus.cases.models import Contact
from seniorplus.db import session_scope
from seniorplus.jobs.models import ScheduledJob
from seniorplus.jobs.queue import schedule_job
from seniorplus.scheduler.outgoing import (
    REASON_ERASED,
    REASON_NOT_RESERVED,
    REASON_PAST,
    REASON_REMINDER_MOVED,
)
from seniorplus.scheduler.runner import Scheduler
from tests.unit.scheduler_helpers import (
    NOW,
    WEDNESDAY,
    Clock,
    FakeSender,
    World,
    book_for,
    build_world,
    job,
    paris,
    slot,
)

TUESDAY_10 = paris(WEDNESDAY - timedelta(days=1), 10)  # the reminder of a Wednesday meeting
CONFIRMATION, REMINDER = "confirmation:appointment:{}", "rappel:appointment:{}"


@pytest.fixture
def world(database_url: str) -> World:
    with session_scope() as session:
        return build_world(session)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def sender(clock: Clock) -> FakeSender:
    return FakeSender(clock)


@pytest.fixture
def scheduler(clock: Clock, sender: FakeSender) -> Scheduler:
    return Scheduler(senders=sender, clock=clock)


async def test_a_cancelled_appointment_gets_only_its_cancellation_notice(
    world: World, scheduler: Scheduler, sender: FakeSender
) -> None:
    appointment = book_for(world.alice, world)
    with session_scope() as session:
        alice = session.get(Contact, world.alice)
        booked = session.get(Appointment, appointment)
        assert alice is not None and booked is not None
        cancel(session, alice, booked.reference, now=NOW)
    await scheduler.tick()
    (call,) = sender.calls
    assert call.text.startswith("Senior Plus : votre rendez-vous du mercredi 2 décembre à 9 h")
    assert "est annulé" in call.text
    assert job(f"annulation:appointment:{appointment}").status == "fait"
    assert job(CONFIRMATION.format(appointment)).status == "annule"


async def test_a_cancellation_the_jobs_missed_is_seen_before_sending(
    world: World, scheduler: Scheduler, sender: FakeSender
) -> None:
    """E.g. cancelled while the job was being sent by a worker that then died."""
    appointment = book_for(world.alice, world)
    with session_scope() as session:
        session.execute(
            update(Appointment).where(Appointment.id == appointment).values(status="annule")
        )
    report = await scheduler.tick()
    assert sender.calls == []
    skipped = job(CONFIRMATION.format(appointment))
    assert (skipped.status, skipped.last_error) == ("annule", REASON_NOT_RESERVED)
    assert report.count("annule") == 1


async def test_a_moved_appointment_is_confirmed_at_its_new_time_only(
    world: World, scheduler: Scheduler, sender: FakeSender, clock: Clock
) -> None:
    old = book_for(world.alice, world, hour=9)
    with session_scope() as session:
        alice = session.get(Contact, world.alice)
        booked = session.get(Appointment, old)
        assert alice is not None and booked is not None
        old_reference = booked.reference
        new = reschedule(session, alice, old_reference, slot(world, WEDNESDAY, 10, 30), now=NOW).id
    await scheduler.tick()
    (call,) = sender.calls
    assert call.text.startswith(
        f"Senior Plus : votre rendez-vous {old_reference} est déplacé. Nouveau rendez-vous le "
        "mercredi 2 décembre à 10 h 30"
    )
    assert job(CONFIRMATION.format(old)).status == "annule"
    clock.now = TUESDAY_10
    await scheduler.tick()
    assert "demain mercredi 2 décembre à 10 h 30" in sender.calls[-1].text
    assert (job(REMINDER.format(old)).status, job(REMINDER.format(new)).status) == (
        "annule",
        "fait",
    )


async def test_the_time_said_is_the_rows_not_the_payloads(
    world: World, scheduler: Scheduler, sender: FakeSender, clock: Clock
) -> None:
    """An agent changed the start in the database: the reminder follows the new time."""
    appointment = book_for(world.alice, world)
    await scheduler.tick()
    thursday_9 = paris(WEDNESDAY + timedelta(days=1), 9)
    with session_scope() as session:
        session.execute(
            update(Appointment)
            .where(Appointment.id == appointment)
            .values(starts_at=thursday_9, ends_at=thursday_9 + timedelta(minutes=45))
        )
    clock.now = TUESDAY_10
    await scheduler.tick()
    assert len(sender.calls) == 1  # not the day before any more: waits
    moved = job(REMINDER.format(appointment))
    assert (moved.status, moved.attempts, moved.last_error) == (
        "en_attente",
        0,
        REASON_REMINDER_MOVED,
    )
    assert moved.run_at == paris(WEDNESDAY, 10)
    clock.now = paris(WEDNESDAY, 10)
    await scheduler.tick()
    assert "demain jeudi 3 décembre à 9 h" in sender.calls[-1].text


async def test_an_erased_person_gets_nothing(
    world: World, scheduler: Scheduler, sender: FakeSender
) -> None:
    appointment = book_for(world.alice, world)
    with session_scope() as session:
        session.execute(update(Contact).where(Contact.id == world.alice).values(erased_at=NOW))
    await scheduler.tick()
    assert sender.calls == []
    assert (job(CONFIRMATION.format(appointment)).status,) == ("annule",)
    assert job(CONFIRMATION.format(appointment)).last_error == REASON_ERASED


async def test_a_past_appointment_gets_nothing(
    world: World, scheduler: Scheduler, sender: FakeSender, clock: Clock
) -> None:
    appointment = book_for(world.alice, world)
    clock.now = paris(WEDNESDAY, 12)  # the scheduler was down for two days
    await scheduler.tick()
    assert sender.calls == []
    for key in (CONFIRMATION, REMINDER):
        assert (job(key.format(appointment)).status, job(key.format(appointment)).last_error) == (
            "annule",
            REASON_PAST,
        )


async def test_nobody_to_write_to_fails_without_sending(
    world: World, scheduler: Scheduler, sender: FakeSender
) -> None:
    with session_scope() as session:
        rest = Contact(conversation_id="rest-test-1", preferred_channel="rest")
        session.add(rest)
        session.flush()
        rest_id = rest.id
    appointment = book_for(rest_id, world)
    await scheduler.tick()
    assert sender.calls == []
    assert job(CONFIRMATION.format(appointment)).status == "echec"


async def test_data_rights_jobs_go_to_their_runner_never_to_a_sender(
    world: World, scheduler: Scheduler, sender: FakeSender, clock: Clock
) -> None:
    """A purge due now, and one whose worker vanished, are run as data jobs: nothing is sent."""
    with session_scope() as session:
        schedule_job(session, "purge", "purge:2026-11-30", NOW, {})
        schedule_job(session, "purge", "purge:2026-11-29", NOW, {})
        session.execute(
            update(ScheduledJob)
            .where(ScheduledJob.key == "purge:2026-11-29")
            .values(status="en_cours", locked_at=NOW - timedelta(days=1))
        )
    report = await scheduler.tick()
    assert (report.claimed, report.recovered, sender.calls) == (0, 0, [])
    assert report.data_jobs == 2
    assert job("purge:2026-11-30").status == job("purge:2026-11-29").status == "fait"
