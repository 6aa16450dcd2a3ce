"""The event broker switched off, said explicitly: ``EVENT_BROKER_TYPE=bot.event_broker.Off``.

Rasa's ``event_broker`` section of bot/endpoints.yml reads its ``type`` from
``EVENT_BROKER_TYPE``: ``pika`` in production (Rasa's RabbitMQ broker, read by the
app's consumer, docs/architecture.md "Event broker"), this class in dev. An empty
type is no way to say "off": Rasa treats it as a class path it cannot import,
logs a warning and runs without a broker, exactly as it does for a typo such as
``pikka``. This class says what is meant, and the embedded default
(scripts/env.sh) uses it.
"""

from __future__ import annotations

import logging
from asyncio import AbstractEventLoop
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from bot.settings import bot_settings

logger = logging.getLogger(__name__)


class Off(EventBroker):
    """No broker: Rasa's tracker store publishes nothing (``from_endpoint_config`` is None)."""

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: AbstractEventLoop | None = None
    ) -> None:
        production = bot_settings().app_env == "production"
        (logger.warning if production else logger.info)(
            "Event broker off (EVENT_BROKER_TYPE=bot.event_broker.Off): no event is published"
        )
        return None

    def publish(self, event: dict[str, Any]) -> None:  # never built, see from_endpoint_config
        raise NotImplementedError
