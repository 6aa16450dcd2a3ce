"""The ``event_broker`` of bot/endpoints.yml, as Rasa 3.6 reads it and builds it.

On (``pika``): Rasa's PikaEventBroker, built from the file, publishes a tracker's new
events to RabbitMQ in the shape the app's consumer reads. Off (`bot.event_broker.Off`,
the embedded default): no broker and no warning. An empty or misspelt type is also "no
broker" for Rasa, but only with a warning: that is why "off" is a class.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import aio_pika
import pytest
from rasa.core.brokers.broker import EventBroker
from rasa.core.brokers.pika import PikaEventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from tests.support import rabbitmq_url, unique_name

ENDPOINTS = str(Path(__file__).resolve().parents[2] / "bot" / "endpoints.yml")
BROKER_ENV = {
    "EVENT_BROKER_URL": "127.0.0.1",
    "EVENT_BROKER_PORT": "5672",
    "EVENT_BROKER_USERNAME": "guest",
    "EVENT_BROKER_PASSWORD": "guest",
    "EVENT_BROKER_EXCHANGE": "rasa-exchange",
    "EVENT_BROKER_QUEUE": "seniorplus_events",
}


@pytest.fixture
def endpoint_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name, value in {
        "ACTION_SERVER_URL": "http://127.0.0.1:5055/webhook",
        "ACTION_SERVER_TOKEN": "a-secret-from-the-environment-0123",
        "TRACKER_STORE_URL": "sqlite://",
        "LOCK_STORE_TYPE": "in_memory",
        "LOCK_STORE_HOST": "127.0.0.1",
        "LOCK_STORE_PORT": "6379",
        **BROKER_ENV,
    }.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_production_reads_a_pika_broker_from_the_environment(
    endpoint_env: pytest.MonkeyPatch,
) -> None:
    endpoint_env.setenv("EVENT_BROKER_TYPE", "pika")
    broker = AvailableEndpoints.read_endpoints(ENDPOINTS).event_broker
    assert broker is not None
    assert (broker.type, broker.url) == ("pika", "127.0.0.1")
    assert broker.kwargs == {
        "port": "5672",
        "username": "guest",
        "password": "guest",
        "exchange_name": "rasa-exchange",
        "queues": ["seniorplus_events"],
    }


def test_off_builds_no_broker_and_warns_nothing_outside_production(
    endpoint_env: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    endpoint_env.setenv("EVENT_BROKER_TYPE", "bot.event_broker.Off")
    endpoint_env.setenv("APP_ENV", "dev")
    endpoints = AvailableEndpoints.read_endpoints(ENDPOINTS)
    with caplog.at_level(logging.INFO):
        assert asyncio.run(EventBroker.create(endpoints.event_broker)) is None
    assert [r.levelname for r in caplog.records if r.name.startswith(("rasa", "bot"))] == ["INFO"]


def test_off_in_production_is_said_loudly(
    endpoint_env: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    endpoint_env.setenv("EVENT_BROKER_TYPE", "bot.event_broker.Off")
    endpoint_env.delenv("APP_ENV", raising=False)
    with caplog.at_level(logging.INFO):
        asyncio.run(EventBroker.create(AvailableEndpoints.read_endpoints(ENDPOINTS).event_broker))
    assert any(r.levelname == "WARNING" and r.name == "bot.event_broker" for r in caplog.records)


@pytest.mark.parametrize("kind", ["", "off", "pikka"])
def test_an_empty_or_unknown_type_is_no_broker_with_a_warning_in_rasa(
    endpoint_env: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    endpoint_env.setenv("EVENT_BROKER_TYPE", kind)
    with caplog.at_level(logging.WARNING):
        config = AvailableEndpoints.read_endpoints(ENDPOINTS).event_broker
        assert asyncio.run(EventBroker.create(config)) is None
    assert any("could not be found" in r.getMessage() for r in caplog.records)


def test_a_missing_variable_stops_rasa(endpoint_env: pytest.MonkeyPatch) -> None:
    endpoint_env.setenv("EVENT_BROKER_TYPE", "pika")
    endpoint_env.delenv("EVENT_BROKER_PASSWORD")
    with pytest.raises(Exception, match="EVENT_BROKER_PASSWORD"):
        AvailableEndpoints.read_endpoints(ENDPOINTS)


def test_rasa_publishes_new_tracker_events_to_the_configured_queue(
    endpoint_env: pytest.MonkeyPatch,
) -> None:
    url = rabbitmq_url()
    queue_name, exchange_name = unique_name("test-q"), unique_name("test-x")
    endpoint_env.setenv("EVENT_BROKER_TYPE", "pika")
    endpoint_env.setenv("EVENT_BROKER_QUEUE", queue_name)
    endpoint_env.setenv("EVENT_BROKER_EXCHANGE", exchange_name)
    config = AvailableEndpoints.read_endpoints(ENDPOINTS).event_broker
    asyncio.run(publish_and_read(config, url, queue_name, exchange_name))


async def publish_and_read(
    config: EndpointConfig | None, url: str, queue_name: str, exchange_name: str
) -> None:
    broker = await EventBroker.create(config)
    assert isinstance(broker, PikaEventBroker)
    connection = await aio_pika.connect_robust(url)
    try:
        store = InMemoryTrackerStore(Domain.empty(), event_broker=broker)
        tracker = DialogueStateTracker("+33600000009", slots=[])
        tracker.update(UserUttered("bonjour", {"name": "greet", "confidence": 1.0}))
        tracker.update(SlotSet("journey_step", 2))
        await store.save(tracker)
        channel = await connection.channel()
        queue = await channel.get_queue(queue_name)
        bodies = []
        for _ in range(50):
            message = await queue.get(no_ack=True, fail=False)
            if message is not None:
                bodies.append(json.loads(message.body))
                assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
            if len(bodies) == 2:
                break
            if message is None:
                await asyncio.sleep(0.1)
        assert [(b["sender_id"], b["event"]) for b in bodies] == [
            ("+33600000009", "user"),
            ("+33600000009", "slot"),
        ]
        assert bodies[0]["text"] == "bonjour" and isinstance(bodies[0]["timestamp"], float)
        assert (bodies[1]["name"], bodies[1]["value"]) == ("journey_step", 2)
        await channel.queue_delete(queue_name)
        await channel.exchange_delete(exchange_name)
    finally:
        await broker.close()
        await connection.close()
