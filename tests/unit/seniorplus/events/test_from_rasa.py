"""Rasa → RabbitMQ → consumer → database, with Rasa's own code on the publishing side.

Rasa's `PikaEventBroker`, built from bot/endpoints.yml in the bot environment, publishes
a tracker as Rasa does at the end of a turn (``TrackerStore.save``); the consumer of the
app environment reads the queue. No model is needed: the tracker is built by hand.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from seniorplus.db import session_scope
from seniorplus.events.consumer import Consumer
from seniorplus.events.models import ConversationActivity, JourneyProgress
from seniorplus.events.settings import ConsumerSettings
from tests.support import rabbitmq_url, service_missing, unique_name
from tests.unit.events_helpers import delete_all

pytestmark = pytest.mark.timeout(300)
ROOT = Path(__file__).resolve().parents[4]
BOT_PYTHON = ROOT / ".venv-bot" / "bin" / "python"
PUBLISH = """
import asyncio
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

async def main():
    config = AvailableEndpoints.read_endpoints("bot/endpoints.yml").event_broker
    broker = await EventBroker.create(config)
    store = InMemoryTrackerStore(Domain.empty(), event_broker=broker)
    tracker = DialogueStateTracker("+33600000042", slots=[])
    for event in (
        SessionStarted(), ActionExecuted("action_listen"),
        UserUttered("je veux l'APA", {"name": "ask_apa", "confidence": 1.0}, input_channel="sms"),
        ActionExecuted("action_offer_journey"), BotUttered("L'APA à domicile…"),
        SlotSet("journey_progress", {"apa_domicile": 2}), ActionExecuted("action_listen"),
    ):
        tracker.update(event)
    await store.save(tracker)
    await asyncio.sleep(1.0)  # Rasa publishes in background tasks
    await broker.close()

asyncio.run(main())
"""


def test_a_turn_published_by_rasa_is_written_by_the_consumer(database_url: str) -> None:
    if not BOT_PYTHON.exists():
        service_missing(f"{BOT_PYTHON} absent (make install)")
    settings = ConsumerSettings(
        url=rabbitmq_url(), exchange=unique_name("test-x"), queue=unique_name("test-q")
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "EVENT_BROKER_TYPE": "pika",
        "EVENT_BROKER_URL": "127.0.0.1",
        "EVENT_BROKER_PORT": "5672",
        "EVENT_BROKER_USERNAME": "guest",
        "EVENT_BROKER_PASSWORD": "guest",
        "EVENT_BROKER_EXCHANGE": settings.exchange,
        "EVENT_BROKER_QUEUE": settings.queue,
        "ACTION_SERVER_URL": "http://127.0.0.1:1/webhook",
        "ACTION_SERVER_TOKEN": "x" * 24,
        "TRACKER_STORE_URL": "sqlite://",
        "LOCK_STORE_TYPE": "in_memory",
        "LOCK_STORE_HOST": "127.0.0.1",
        "LOCK_STORE_PORT": "6379",
    }
    try:
        done = subprocess.run(
            [str(BOT_PYTHON), "-c", PUBLISH],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        counts = asyncio.run(Consumer(settings).run(asyncio.Event(), idle_exit_s=1.0))
        assert (counts.received, counts.applied, counts.dead_lettered) == (7, 7, 0)
        with session_scope() as session:
            activity = session.scalars(select(ConversationActivity)).one()
            progress = session.scalars(select(JourneyProgress)).one()
            assert (activity.conversation_id, activity.channel) == ("+33600000042", "sms")
            assert (activity.user_messages, activity.bot_messages) == (1, 1)
            assert (progress.journey, progress.furthest_step) == ("apa_domicile", 2)
    finally:
        asyncio.run(delete_all(settings))
