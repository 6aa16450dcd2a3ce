"""Rasa-shaped events (tests/fixtures/rasa_events.json) and a RabbitMQ that Rasa would use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aio_pika

from seniorplus.events.settings import ConsumerSettings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rasa_events.json"
SMS, TELEGRAM = "+33600000001", "telegram:100000002"


def rasa_events() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = json.loads(FIXTURES.read_text(encoding="utf-8"))
    return events


def body(event: dict[str, Any]) -> bytes:
    """As Rasa's PikaEventBroker serialises it (``json.dumps``, UTF-8)."""
    return json.dumps(event).encode("utf-8")


async def publish_as_rasa(settings: ConsumerSettings, bodies: list[bytes]) -> None:
    """Declare and bind as rasa/core/brokers/pika.py does, then publish persistent messages."""
    connection = await aio_pika.connect(settings.url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(settings.exchange, aio_pika.ExchangeType.FANOUT)
        queue = await channel.declare_queue(settings.queue, durable=True)
        await queue.bind(exchange, "")
        for raw in bodies:
            await exchange.publish(
                aio_pika.Message(raw, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), ""
            )


async def drain_queue(settings: ConsumerSettings, name: str) -> list[aio_pika.IncomingMessage]:
    """Every message left in queue ``name`` (acknowledged)."""
    out: list[aio_pika.IncomingMessage] = []
    connection = await aio_pika.connect(settings.url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(name, durable=True)
        while (message := await queue.get(no_ack=True, fail=False)) is not None:
            out.append(message)  # type: ignore[arg-type]
    return out


async def delete_all(settings: ConsumerSettings) -> None:
    connection = await aio_pika.connect(settings.url)
    async with connection:
        channel = await connection.channel()
        for name in (settings.queue, settings.dead_letter_queue):
            await channel.queue_delete(name)
        await channel.exchange_delete(settings.exchange)
