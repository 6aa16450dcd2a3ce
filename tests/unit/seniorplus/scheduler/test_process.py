"""Where the scheduler runs: settings, the web app's lifespan, the loop that never dies,
and ``python -m seniorplus.scheduler --once``."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from seniorplus.booking.jobs import schedule_booked
from seniorplus.booking.models import Appointment
from seniorplus.booking.service import book
from seniorplus.cases.models import Contact
from seniorplus.db import session_scope
from seniorplus.errors import ConfigurationError
from seniorplus.models import utcnow
from seniorplus.scheduler.__main__ import main
from seniorplus.scheduler.runner import Scheduler, run_forever
from seniorplus.settings import REPO_ROOT, Settings, get_settings
from seniorplus.web.app import create_app
from tests.unit.scheduler_helpers import ALICE, NOW, WEDNESDAY, Clock, FakeSender, build_world, slot

# Settings.


@pytest.mark.parametrize(
    ("environ", "enabled", "interval"),
    [
        ({"APP_ENV": "dev"}, True, 30.0),
        ({"APP_ENV": "test"}, False, 30.0),
        ({"APP_ENV": "test", "SCHEDULER_ENABLED": "true"}, True, 30.0),
        ({"APP_ENV": "dev", "SCHEDULER_ENABLED": "0", "SCHEDULER_INTERVAL_S": "5"}, False, 5.0),
        ({"APP_ENV": "dev", "SCHEDULER_ENABLED": " ", "SCHEDULER_INTERVAL_S": "0.5"}, True, 0.5),
    ],
)
def test_scheduler_settings(environ: dict[str, str], enabled: bool, interval: float) -> None:
    settings = Settings.from_env(environ)
    assert (settings.scheduler.enabled, settings.scheduler.interval_s) == (enabled, interval)


@pytest.mark.parametrize(
    "environ",
    [
        {"APP_ENV": "dev", "SCHEDULER_ENABLED": "peut-être"},
        {"APP_ENV": "dev", "SCHEDULER_INTERVAL_S": "0"},
        {"APP_ENV": "dev", "SCHEDULER_INTERVAL_S": "-3"},
        {"APP_ENV": "dev", "SCHEDULER_INTERVAL_S": "trente"},
    ],
)
def test_bad_scheduler_settings_fail_loudly(environ: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError, match="SCHEDULER_"):
        Settings.from_env(environ)


# The loop.


class FlakyDatabase:
    """Session scopes that fail ``failures`` times (the database restarting), then work."""

    def __init__(self, failures: int) -> None:
        self.failures = failures

    def __call__(self) -> AbstractContextManager[Session]:
        if self.failures > 0:
            self.failures -= 1
            raise OperationalError("SELECT", {}, ConnectionError("server closed the connection"))
        return session_scope()


def _book_for_alice() -> None:
    with session_scope() as session:
        world = build_world(session)
        alice = session.get(Contact, world.alice)
        assert alice is not None
        book(session, alice, slot(world, WEDNESDAY, 9), now=NOW)


async def test_the_loop_survives_a_database_outage_and_stops_cleanly(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    _book_for_alice()
    sender = FakeSender(Clock(NOW))
    scheduler = Scheduler(FlakyDatabase(failures=2), sender, clock=Clock(NOW))
    stop = asyncio.Event()
    with caplog.at_level(logging.INFO, logger="seniorplus.scheduler"):
        task = asyncio.create_task(run_forever(scheduler, 0.01, stop))
        for _ in range(500):
            if sender.sent:
                break
            await asyncio.sleep(0.01)
        stop.set()
        await asyncio.wait_for(task, 5)
    assert len(sender.sent) == 1
    failures = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert failures == ["Scheduler tick failed: OperationalError"] * 2
    assert caplog.records[-1].getMessage() == "Scheduler stopped"
    assert not any(ALICE in r.getMessage() or "Claire" in r.getMessage() for r in caplog.records)


async def test_the_loop_waits_its_interval_and_a_stop_wakes_it(database_url: str) -> None:
    sender = FakeSender(Clock(NOW))
    scheduler = Scheduler(senders=sender, clock=Clock(NOW))
    stop = asyncio.Event()
    task = asyncio.create_task(run_forever(scheduler, 3600, stop))
    await asyncio.sleep(0.2)
    assert scheduler.last_report is not None  # ticked once, then sleeps for an hour...
    started = time.perf_counter()
    stop.set()
    await asyncio.wait_for(task, 5)
    assert time.perf_counter() - started < 1  # ...but stops at once


# The web app.


@pytest.fixture
def scheduler_on(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SCHEDULER_ENABLED", "1")
    monkeypatch.setenv("SCHEDULER_INTERVAL_S", "0.05")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_web_app_runs_the_scheduler_while_it_serves(
    scheduler_on: None, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app()
    with caplog.at_level(logging.INFO, logger="seniorplus.scheduler"):
        with TestClient(app):
            scheduler = app.state.scheduler
            assert isinstance(scheduler, Scheduler)
            deadline = time.monotonic() + 10
            while scheduler.last_report is None and time.monotonic() < deadline:
                time.sleep(0.02)
            assert scheduler.last_report is not None
        messages = [record.getMessage() for record in caplog.records]
    assert messages[0] == "Scheduler started (every 0.05 s)"
    assert messages[-1] == "Scheduler stopped"


def test_the_web_app_without_the_scheduler_in_tests(database_url: str) -> None:
    app = create_app()
    with TestClient(app):
        assert not hasattr(app.state, "scheduler")


# The command line.


def test_once_sends_what_is_due_and_says_so(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real clock: an appointment in three days, booked now by someone who cannot be
    written to outside the conversation (a REST test conversation)."""
    now = utcnow()
    with session_scope() as session:
        world = build_world(session)
        rest = Contact(conversation_id="rest-essai", preferred_channel="rest")
        session.add(rest)
        session.flush()
        starts = now + timedelta(days=3)
        appointment = Appointment(
            reference="RDV-CLI234", mediator_id=world.mediator_id, contact_id=rest.id,
            starts_at=starts, ends_at=starts + timedelta(minutes=45), mode="sur_place",
            booked_by=f"contact:{rest.id}",
        )  # fmt: skip
        session.add(appointment)
        session.flush()
        schedule_booked(session, appointment, now)
    assert main(["--once"]) == 0
    assert capsys.readouterr().out == (
        "Planificateur : 1 tâche(s) traitée(s) : 1 echec, 0 repris, 0 pris par un autre, "
        "0 tâche(s) de données.\n"
    )


def test_once_without_a_database_fails_in_french(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    assert main(["--once"]) == 1
    assert capsys.readouterr().err == "Planificateur : passage impossible (OperationalError).\n"


def test_the_module_runs_as_a_command(sqlite_url: str) -> None:
    from alembic import command

    from tests.unit.conftest import alembic_config

    command.upgrade(alembic_config(sqlite_url), "head")
    env = {**os.environ, "APP_ENV": "test", "DATABASE_URL": sqlite_url}
    result = subprocess.run(
        [sys.executable, "-m", "seniorplus.scheduler", "--once"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Planificateur : 0 tâche(s) traitée(s) : 0 repris, 0 pris par un autre, "
        "0 tâche(s) de données.\n"
    )
