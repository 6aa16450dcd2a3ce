"""The scheduler over a migrated database (SQLite, then PostgreSQL), with a fake sender that
applies the real STOP and quiet-hours policy: what is sent, when, and what each job becomes
(re-reading before sending: test_scheduler_recheck.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from seniorplus.db import session_scope
from seniorplus.jobs.models import ScheduledJob
from seniorplus.outbound.base import REASON_INVALID_NUMBER, REASON_QUIET, REASON_STOP, Delivery
from seniorplus.scheduler.outcome import MAX_ATTEMPTS
from seniorplus.scheduler.runner import Scheduler
from tests.unit.scheduler_helpers import (
    ALICE,
    BOB_CHAT,
    NOW,
    PARIS,
    WEDNESDAY,
    Clock,
    FakeSender,
    World,
    book_for,
    build_world,
    job,
    paris,
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


async def test_a_due_confirmation_is_sent_once_and_done(
    world: World, scheduler: Scheduler, sender: FakeSender
) -> None:
    appointment = book_for(world.alice, world)

    report = await scheduler.tick()

    (call,) = sender.sent
    assert (call.address, call.preferred, call.kind) == (ALICE, "sms", "reminder")
    assert call.text.startswith(
        "Senior Plus : votre rendez-vous est confirmé le mercredi 2 décembre à 9 h, avec Claire "
        "Test. Lieu : France Services Clisson (test), 1 rue de test, 44190 Clisson. Référence RDV-"
    )
    done = job(CONFIRMATION.format(appointment))
    assert (done.status, done.attempts, done.done_at, done.locked_at) == ("fait", 1, NOW, None)
    assert (report.claimed, report.count("fait"), report.lost) == (1, 1, 0)
    # The next ticks send nothing more; the reminder is not due yet.
    await scheduler.tick()
    assert len(sender.calls) == 1
    waiting = job(REMINDER.format(appointment))
    assert (waiting.status, waiting.attempts, waiting.locked_at) == ("en_attente", 0, None)


async def test_the_reminder_goes_the_day_before_at_ten(
    world: World, scheduler: Scheduler, sender: FakeSender, clock: Clock
) -> None:
    appointment = book_for(world.alice, world, hour=10, minute=30)
    await scheduler.tick()
    clock.now = TUESDAY_10 - timedelta(minutes=1)
    await scheduler.tick()
    assert len(sender.calls) == 1  # the confirmation only
    clock.now = TUESDAY_10
    await scheduler.tick()
    reminder = sender.calls[-1]
    assert reminder.text.startswith(
        "Rappel Senior Plus : vous avez un rendez-vous demain mercredi 2 décembre à 10 h 30, "
        "avec Claire Test."
    )
    assert job(REMINDER.format(appointment)).status == "fait"


async def test_telegram_people_get_it_on_their_chat(
    world: World, scheduler: Scheduler, sender: FakeSender
) -> None:
    book_for(world.bob, world, hour=14, mode="telephone")
    await scheduler.tick()
    (call,) = sender.sent
    assert (call.address, call.preferred, call.channel) == (BOB_CHAT, "telegram", "telegram")
    assert "rendez-vous téléphonique est confirmé le mercredi 2 décembre à 14 h : Claire Test " \
        "vous appellera." in call.text  # fmt: skip


async def test_stop_cancels_the_job_and_nothing_is_sent(
    world: World, scheduler: Scheduler, sender: FakeSender
) -> None:
    sender.stopped.add(ALICE)
    appointment = book_for(world.alice, world)
    await scheduler.tick()
    assert sender.sent == []
    stopped = job(CONFIRMATION.format(appointment))
    assert (stopped.status, stopped.last_error) == ("annule", REASON_STOP)
    await scheduler.tick()
    assert len(sender.calls) == 1  # never tried again


async def test_quiet_hours_defer_to_eight_paris_time(
    world: World, scheduler: Scheduler, sender: FakeSender, clock: Clock
) -> None:
    appointment = book_for(world.alice, world)
    clock.now = paris(NOW.date(), 21, 15)
    await scheduler.tick()
    assert sender.sent == []
    deferred = job(CONFIRMATION.format(appointment))
    eight = paris(NOW.date() + timedelta(days=1), 8)
    assert (deferred.status, deferred.run_at, deferred.attempts, deferred.last_error) == (
        "en_attente",
        eight,
        0,
        REASON_QUIET,
    )
    assert deferred.run_at.astimezone(PARIS).hour == 8
    clock.now = eight - timedelta(seconds=1)
    await scheduler.tick()
    assert sender.sent == []
    clock.now = eight
    await scheduler.tick()
    assert len(sender.sent) == 1
    assert job(CONFIRMATION.format(appointment)).status == "fait"


async def test_a_vendor_outage_is_retried_later_then_given_up(
    world: World, scheduler: Scheduler, sender: FakeSender, clock: Clock
) -> None:
    down = Delivery("failed", "sms", reason_fr="Service SMS indisponible.", retryable=True)
    sender.script = [down] * MAX_ATTEMPTS
    appointment = book_for(world.alice, world)
    key = CONFIRMATION.format(appointment)
    await scheduler.tick()
    first = job(key)
    assert (first.status, first.attempts, first.run_at) == (
        "en_attente",
        1,
        NOW + timedelta(minutes=5),
    )
    clock.now = NOW + timedelta(minutes=4)
    await scheduler.tick()
    assert len(sender.calls) == 1  # not before its time
    for _ in range(MAX_ATTEMPTS - 1):
        clock.now = job(key).run_at
        await scheduler.tick()
    failed = job(key)
    assert (failed.status, failed.attempts) == ("echec", MAX_ATTEMPTS)
    assert failed.last_error == f"Service SMS indisponible. ({MAX_ATTEMPTS} essais)"
    assert len(sender.calls) == MAX_ATTEMPTS and sender.sent == []
    clock.now += timedelta(hours=6)
    await scheduler.tick()
    assert len(sender.calls) == MAX_ATTEMPTS  # given up: never tried again


async def test_a_retry_that_succeeds_is_done(
    world: World, scheduler: Scheduler, sender: FakeSender, clock: Clock
) -> None:
    sender.script = [Delivery("failed", "sms", reason_fr="Service SMS indisponible.",
                              retryable=True)]  # fmt: skip
    appointment = book_for(world.alice, world)
    await scheduler.tick()
    clock.now = NOW + timedelta(minutes=5)
    await scheduler.tick()
    done = job(CONFIRMATION.format(appointment))
    assert (done.status, done.attempts, done.last_error) == ("fait", 2, None)
    assert len(sender.sent) == 1


async def test_a_final_failure_fails_at_once(
    world: World, scheduler: Scheduler, sender: FakeSender
) -> None:
    sender.script = [Delivery("failed", "sms", reason_fr=REASON_INVALID_NUMBER)]
    appointment = book_for(world.alice, world)
    await scheduler.tick()
    failed = job(CONFIRMATION.format(appointment))
    assert (failed.status, failed.last_error) == ("echec", REASON_INVALID_NUMBER)


async def test_a_worker_that_died_mid_send_is_replaced_after_the_lease(
    world: World, scheduler: Scheduler, sender: FakeSender, clock: Clock
) -> None:
    appointment = book_for(world.alice, world)
    key = CONFIRMATION.format(appointment)
    with session_scope() as session:  # claimed at 10:00 by a worker that never came back
        session.execute(
            update(ScheduledJob)
            .where(ScheduledJob.key == key)
            .values(status="en_cours", locked_at=NOW, attempts=1)
        )
    clock.now = NOW + timedelta(minutes=9)
    report = await scheduler.tick()
    assert sender.calls == [] and report.recovered == 0
    assert job(key).status == "en_cours"  # maybe still sending: left alone
    clock.now = NOW + timedelta(minutes=10, seconds=1)
    report = await scheduler.tick()
    assert report.recovered == 1
    assert len(sender.sent) == 1
    recovered = job(key)
    assert (recovered.status, recovered.attempts) == ("fait", 2)


async def test_a_job_interrupted_too_often_is_given_up(
    world: World, scheduler: Scheduler, sender: FakeSender, clock: Clock
) -> None:
    appointment = book_for(world.alice, world)
    key = CONFIRMATION.format(appointment)
    with session_scope() as session:
        session.execute(
            update(ScheduledJob)
            .where(ScheduledJob.key == key)
            .values(status="en_cours", locked_at=NOW, attempts=MAX_ATTEMPTS)
        )
    clock.now = NOW + timedelta(hours=1)
    await scheduler.tick()
    assert sender.calls == []
    assert job(key).status == "echec"


async def test_a_missing_sender_configuration_is_retried_not_fatal(
    world: World, clock: Clock
) -> None:
    from seniorplus.errors import ConfigurationError

    def unconfigured(address: str, channel: str | None) -> FakeSender:
        raise ConfigurationError("Outbound sending needs TWILIO_AUTH_TOKEN.")

    appointment = book_for(world.alice, world)
    report = await Scheduler(senders=unconfigured, clock=clock).tick()  # type: ignore[arg-type]
    waiting = job(CONFIRMATION.format(appointment))
    assert (waiting.status, waiting.attempts) == ("en_attente", 1)
    assert waiting.last_error is not None and "non configuré" in waiting.last_error
    assert report.count("en_attente") == 1


def test_no_naive_datetime_reaches_the_jobs(world: World) -> None:
    """Jobs keep timezone-aware UTC on both databases (the claim compares run_at)."""
    appointment = book_for(world.alice, world)
    stored = job(CONFIRMATION.format(appointment)).run_at
    assert stored.tzinfo is not None and stored == NOW
    assert isinstance(stored, datetime)
