"""The tracker store fails loudly: no start without its database, no turn in memory.

Rasa 3.6 retries a missing SQL database forever at start and, during a turn, goes on in
memory (RasaHQ/rasa#3243). A real PostgreSQL database is created, then dropped under the
store's feet; the REST channel's safety net still answers the person.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.core.tracker_store import InMemoryTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from bot.rasa_patches import apply
from bot.stores.tracker_store import StrictSQLTrackerStore
from safety.lines import NOT_STORED
from tests.bot.twilio_payloads import FakeAssistant

ROOT = Path(__file__).resolve().parents[3]
STRICT = "bot.stores.tracker_store.StrictSQLTrackerStore"
UNREACHABLE = "postgresql://senior_plus@127.0.0.1:1/nowhere"
PHONE = "+33612345678"


def drop(url: str) -> None:
    """The database goes away, with its open connections."""
    server, name = url.rsplit("/", 1)
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_an_unreachable_database_stops_the_start_with_a_clear_message() -> None:
    apply()
    config = EndpointConfig(url=UNREACHABLE, type=STRICT, connect_timeout_s="1")
    started = time.monotonic()
    with pytest.raises(Exception, match="Historique des conversations injoignable") as raised:
        TrackerStore.create(config, Domain.empty())
    assert time.monotonic() - started < 10
    assert "Tracker store unreachable" in str(raised.value)


def test_an_unknown_store_type_stops_the_start_instead_of_memory() -> None:
    apply()
    config = EndpointConfig(url=UNREACHABLE, type="bot.stores.nothing.Here")
    with pytest.raises(Exception, match="Unknown tracker store type"):
        TrackerStore.create(config, Domain.empty())


def test_rasa_stops_at_start_and_says_why(tmp_path: Path) -> None:
    """The real server (`python -m bot.server run`), endpoints.yml as in production."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TRACKER_STORE_URL": UNREACHABLE,
        "TRACKER_STORE_CONNECT_TIMEOUT_S": "1",
        "LOCK_STORE_TYPE": "in_memory",
        "LOCK_STORE_HOST": "127.0.0.1",
        "LOCK_STORE_PORT": "6379",
        "ACTION_SERVER_URL": "http://127.0.0.1:1/webhook",
        "ACTION_SERVER_TOKEN": "x" * 32,
        "RASA_TELEMETRY_ENABLED": "false",
        "HOME": str(tmp_path),
    }
    for name, value in {  # every ${VARIABLE} of bot/endpoints.yml must exist
        "EVENT_BROKER_TYPE": "bot.event_broker.Off",
        "EVENT_BROKER_URL": "127.0.0.1",
        "EVENT_BROKER_PORT": "5672",
        "EVENT_BROKER_USERNAME": "guest",
        "EVENT_BROKER_PASSWORD": "guest",
        "EVENT_BROKER_EXCHANGE": "rasa-exchange",
        "EVENT_BROKER_QUEUE": "seniorplus_events",
    }.items():
        env.setdefault(name, value)
    model = tmp_path / "model.tar.gz"  # never read: the tracker store comes first
    model.write_bytes(b"x")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = str(free.getsockname()[1])
    command = [sys.executable, "-m", "bot.server", "run", "--model", str(model), "--port", port,
               "--endpoints", "bot/endpoints.yml", "--interface", "127.0.0.1"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=240)
    output = (done.stdout + done.stderr).decode(errors="replace")
    assert done.returncode != 0, output[-2000:]
    assert "Historique des conversations injoignable" in output, output[-2000:]


def test_a_turn_fails_when_the_database_goes_away(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    apply()
    store = TrackerStore.create(EndpointConfig(url=postgres_url, type=STRICT), Domain.empty())
    wrapped = Agent._create_tracker_store(store, Domain.empty())

    async def turn() -> None:
        tracker = await wrapped.get_or_create_tracker(PHONE)
        await wrapped.save(tracker)

    asyncio.run(turn())
    assert asyncio.run(wrapped.retrieve(PHONE)) is not None  # stored in PostgreSQL
    drop(postgres_url)
    with caplog.at_level(logging.ERROR), pytest.raises(SQLAlchemyError):
        asyncio.run(wrapped.retrieve(PHONE))
    with pytest.raises(SQLAlchemyError):
        asyncio.run(wrapped.save(DialogueStateTracker(PHONE, [])))
    fallback = wrapped._fallback_tracker_store  # type: ignore[attr-defined]
    assert fallback is None or not isinstance(fallback, InMemoryTrackerStore)
    assert "Historique des conversations injoignable" in caplog.text
    assert PHONE not in caplog.text


def test_the_safety_net_answers_a_turn_whose_database_went_away(
    postgres_url: str, tmp_path: Path
) -> None:
    from tests.bot.channels.test_safety_net import (
        rest_post,
    )  # the REST channel, as those tests post

    apply()
    store = StrictSQLTrackerStore(Domain.empty(), host=postgres_url)
    wrapped = Agent._create_tracker_store(store, Domain.empty())

    class TrackerBackedAssistant(FakeAssistant):
        async def __call__(self, message: object) -> None:
            await wrapped.get_or_create_tracker(message.sender_id)  # type: ignore[attr-defined]
            await super().__call__(message)

    assistant = TrackerBackedAssistant()
    assert rest_post(assistant, "bonjour", tmp_path)[0]["text"] != NOT_STORED
    drop(postgres_url)
    assert [m["text"] for m in rest_post(assistant, "bonjour", tmp_path)] == [NOT_STORED]


def test_a_failed_write_names_no_word_of_the_person(postgres_url: str) -> None:
    """A statement that fails (not the connection): the error carries no SQL parameters."""
    apply()
    store = TrackerStore.create(EndpointConfig(url=postgres_url, type=STRICT), Domain.empty())
    wrapped = Agent._create_tracker_store(store, Domain.empty())
    words = "je suis tombée dans la salle de bain"
    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("ALTER TABLE events RENAME COLUMN data TO gone"))
    engine.dispose()
    tracker = DialogueStateTracker(PHONE, [])
    tracker.update(UserUttered(words))
    with pytest.raises(SQLAlchemyError) as raised:
        asyncio.run(wrapped.save(tracker))
    assert words not in str(raised.value) and PHONE not in str(raised.value)
