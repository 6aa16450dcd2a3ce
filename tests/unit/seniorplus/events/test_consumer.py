"""The consumer against a real RabbitMQ: Rasa-shaped messages in, rows out, each event once.

A fresh queue and exchange per test (``tests.support.unique_name``); skipped without
RabbitMQ, failed with REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from seniorplus.db import session_scope
from seniorplus.events.consumer import REASON_HEADER, Consumer, write_events
from seniorplus.events.models import ConversationActivity, JourneyProgress, SeenEvent
from seniorplus.events.parse import RasaEvent
from seniorplus.events.settings import ConsumerSettings
from tests.support import rabbitmq_url, unique_name
from tests.unit.events_helpers import (
    SMS,
    TELEGRAM,
    body,
    delete_all,
    drain_queue,
    publish_as_rasa,
    rasa_events,
)

IDLE_S = 1.0


@pytest.fixture
async def broker() -> AsyncIterator[ConsumerSettings]:
    settings = ConsumerSettings(
        url=rabbitmq_url(), exchange=unique_name("test-x"), queue=unique_name("test-q"), batch=8
    )
    yield settings
    await delete_all(settings)


def activity() -> dict[str, tuple[int, int]]:
    with session_scope() as session:
        rows = session.scalars(select(ConversationActivity))
        return {row.conversation_id: (row.user_messages, row.bot_messages) for row in rows}


def progress() -> dict[tuple[str, str], int]:
    with session_scope() as session:
        rows = session.scalars(select(JourneyProgress))
        return {(row.conversation_id, row.journey): row.furthest_step for row in rows}


def seen() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(SeenEvent)) or 0


EXPECTED_ACTIVITY = {SMS: (3, 3), TELEGRAM: (1, 1)}
EXPECTED_PROGRESS = {
    (SMS, "apa_domicile"): 1,
    (TELEGRAM, "apa_domicile"): -1,
    (TELEGRAM, "ehpad"): 0,
}


async def consume(settings: ConsumerSettings, consumer: Consumer | None = None) -> Consumer:
    consumer = consumer or Consumer(settings)
    await asyncio.wait_for(consumer.run(asyncio.Event(), idle_exit_s=IDLE_S), timeout=60)
    return consumer


async def test_rasa_events_become_rows_and_are_acknowledged(
    database_url: str, broker: ConsumerSettings
) -> None:
    await publish_as_rasa(broker, [body(event) for event in rasa_events()])
    consumer = await consume(broker)
    assert (consumer.counts.received, consumer.counts.applied) == (21, 21)
    assert activity() == EXPECTED_ACTIVITY
    assert progress() == EXPECTED_PROGRESS
    assert await drain_queue(broker, broker.queue) == []  # all acknowledged


async def test_a_message_published_twice_is_stored_once(
    database_url: str, broker: ConsumerSettings
) -> None:
    bodies = [body(event) for event in rasa_events()]
    await publish_as_rasa(broker, bodies + bodies[5:12])  # the broker kept and resent some
    consumer = await consume(broker)
    assert (consumer.counts.applied, consumer.counts.duplicates) == (21, 7)
    assert activity() == EXPECTED_ACTIVITY


class Crash(BaseException):
    """The process dies between the commit and the acknowledgements."""


async def test_a_crash_before_the_acknowledgement_means_a_redelivery_that_changes_nothing(
    database_url: str, broker: ConsumerSettings
) -> None:
    def write_then_die(events: Sequence[RasaEvent]) -> int:
        write_events(events)
        raise Crash

    await publish_as_rasa(broker, [body(event) for event in rasa_events()])
    with pytest.raises(Crash):
        await consume(broker, Consumer(broker, write=write_then_die))
    committed = seen()
    assert committed >= 1  # the first batch was committed, never acknowledged
    consumer = await consume(broker)
    assert consumer.counts.received == 21  # all delivered again (or for the first time)
    assert (consumer.counts.duplicates, consumer.counts.applied) == (committed, 21 - committed)
    assert activity() == EXPECTED_ACTIVITY
    assert progress() == EXPECTED_PROGRESS


async def test_malformed_messages_are_set_aside_and_the_queue_goes_on(
    database_url: str, broker: ConsumerSettings, caplog: pytest.LogCaptureFixture
) -> None:
    good = [body(event) for event in rasa_events()]
    secret = b'{"event": "user", "text": "mon numero est le 0612345678"}'
    bad = [b"not json", b"[]", secret]
    await publish_as_rasa(broker, good[:3] + bad + good[3:])
    with caplog.at_level(logging.INFO):
        consumer = await consume(broker)
    assert (consumer.counts.applied, consumer.counts.dead_lettered) == (21, 3)
    assert activity() == EXPECTED_ACTIVITY
    dead = await drain_queue(broker, broker.dead_letter_queue)
    assert [(m.body, (m.headers or {}).get(REASON_HEADER)) for m in dead] == [
        (b"not json", "json"),
        (b"[]", "not_object"),
        (secret, "sender_id"),
    ]
    assert await drain_queue(broker, broker.queue) == []
    logged = caplog.text
    assert "0612345678" not in logged and "mon numero" not in logged


async def test_while_the_database_is_away_the_batch_waits_and_nothing_is_lost(
    database_url: str, broker: ConsumerSettings
) -> None:
    failures = [OperationalError("SELECT 1", {}, Exception("connection refused"))]

    def flaky(events: Sequence[RasaEvent]) -> int:
        if failures:
            raise failures.pop()
        return write_events(events)

    await publish_as_rasa(broker, [body(event) for event in rasa_events()])
    consumer = await consume(broker, Consumer(broker, write=flaky))
    assert consumer.counts.store_retries == 1 and consumer.counts.applied == 21
    assert activity() == EXPECTED_ACTIVITY


async def test_an_event_the_database_refuses_is_set_aside_alone(
    database_url: str, broker: ConsumerSettings
) -> None:
    events = rasa_events()
    refused = events[9]  # "étape suivante"

    def picky(batch: Sequence[RasaEvent]) -> int:
        if any(e.at.timestamp() == refused["timestamp"] for e in batch):
            raise ValueError("refused")
        return write_events(batch)

    await publish_as_rasa(broker, [body(event) for event in events])
    consumer = await consume(broker, Consumer(broker, write=picky))
    assert (consumer.counts.applied, consumer.counts.dead_lettered) == (20, 1)
    dead = await drain_queue(broker, broker.dead_letter_queue)
    assert [(m.headers or {}).get(REASON_HEADER) for m in dead] == ["store"]
    assert activity()[SMS] == (2, 3)


async def test_without_rabbitmq_it_keeps_trying_until_stopped(database_url: str) -> None:
    settings = ConsumerSettings(url="amqp://guest:guest@127.0.0.1:1/", exchange="x", queue="q")
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(0.5, stop.set)
    counts = await asyncio.wait_for(Consumer(settings).run(stop), timeout=10)
    assert counts.received == 0


async def test_a_lost_channel_means_a_new_connection_and_nothing_lost(
    database_url: str, broker: ConsumerSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    consumer = Consumer(broker)
    original = consumer._handle
    failures = [ConnectionResetError("the broker went away")]

    async def handle_or_fail(*args: Any) -> None:
        if failures:
            raise failures.pop()
        await original(*args)

    monkeypatch.setattr(consumer, "_handle", handle_or_fail)
    monkeypatch.setattr("seniorplus.events.consumer.MAX_BACKOFF_S", 0.1)
    await publish_as_rasa(broker, [body(event) for event in rasa_events()])
    await consume(broker, consumer)
    assert consumer.counts.applied == 21 and not failures
    assert activity() == EXPECTED_ACTIVITY


async def test_two_consumers_side_by_side_store_each_event_once(
    database_url: str, broker: ConsumerSettings
) -> None:
    bodies = [body(event) for event in rasa_events()]
    await publish_as_rasa(broker, bodies * 3)  # the same events three times, shared out
    small = ConsumerSettings(broker.url, broker.exchange, broker.queue, prefetch=4, batch=4)
    first, second = Consumer(small), Consumer(small)
    await asyncio.wait_for(
        asyncio.gather(
            first.run(asyncio.Event(), idle_exit_s=IDLE_S),
            second.run(asyncio.Event(), idle_exit_s=IDLE_S),
        ),
        timeout=120,
    )
    assert first.counts.received and second.counts.received  # both took a share
    assert first.counts.applied + second.counts.applied == 21
    assert first.counts.received + second.counts.received == 63
    assert activity() == EXPECTED_ACTIVITY and progress() == EXPECTED_PROGRESS
