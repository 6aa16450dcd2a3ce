"""Read Rasa's events from RabbitMQ and write them, acknowledging only what is stored.

- The exchange (fanout) and the durable queue are declared exactly as Rasa's
  PikaEventBroker declares them (same arguments: RabbitMQ refuses a second
  declaration that differs), whichever of Rasa and the consumer starts first.
- Messages come in batches (up to ``batch``, ``prefetch`` in flight); a batch is
  written in one transaction (:func:`.store.apply_events`, in a worker thread), and
  each message is acknowledged after the commit. A crash before the
  acknowledgement means a redelivery, which the digests make harmless.
- The database away (connection refused, timeout): the batch is kept, unacknowledged,
  and tried again after 1, 2, 4… up to 30 s. Nothing is lost and nothing spins.
- A message that is not a Rasa event (not JSON, no ``sender_id``…) or that the
  database refuses on its own goes to the dead-letter queue ``<queue>.dead`` with
  its reason in the ``x-senior-plus-reason`` header, then is acknowledged: it is
  kept for someone to look at, and never blocks the queue. Declaring the main queue
  with ``x-dead-letter-exchange`` instead would differ from Rasa's declaration.
- Logs: counts, reasons and error class names; never a body, a text or a sender.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractRobustConnection
from aio_pika.exceptions import CONNECTION_EXCEPTIONS
from sqlalchemy.exc import DisconnectionError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from seniorplus.db import session_scope
from seniorplus.events.parse import MalformedEvent, RasaEvent, parse_event
from seniorplus.events.settings import ConsumerSettings
from seniorplus.events.store import apply_events
from seniorplus.models import utcnow

logger = logging.getLogger(__name__)

REASON_HEADER = "x-senior-plus-reason"
TRANSIENT = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)
MAX_BACKOFF_S = 30.0
INTEGRITY_RETRIES = 3
REPORT_EVERY_S = 60.0

Writer = Callable[[Sequence[RasaEvent]], int]


def write_events(events: Sequence[RasaEvent]) -> int:
    """Apply ``events`` in one transaction; the number new. Retried when another consumer
    applied one of them at the same moment (the digest's key refuses the second)."""
    for attempt in range(INTEGRITY_RETRIES):
        try:
            with session_scope() as session:
                return apply_events(session, events, utcnow())
        except IntegrityError:
            if attempt == INTEGRITY_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


@dataclass
class Counts:
    """What the consumer did since it started."""

    received: int = 0
    applied: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    store_retries: int = 0

    def line(self) -> str:
        return (
            f"reçus {self.received}, appliqués {self.applied}, déjà vus {self.duplicates}, "
            f"mis de côté {self.dead_lettered}, nouvelles tentatives {self.store_retries}"
        )


class Stopping(Exception):
    """Asked to stop while waiting: the unacknowledged messages go back to the queue."""


class Consumer:
    """One consumer of the events queue; ``write`` is replaced in tests."""

    def __init__(self, settings: ConsumerSettings, write: Writer = write_events) -> None:
        self.settings = settings
        self.write = write
        self.counts = Counts()
        self._stop = asyncio.Event()
        self._last_report = time.monotonic()

    async def run(self, stop: asyncio.Event, idle_exit_s: float | None = None) -> Counts:
        """Consume until ``stop`` is set (or no message came for ``idle_exit_s``).

        A lost connection or channel: the unacknowledged messages go back to the queue,
        and the consumer connects again (after 1, 2, 4… 30 s).
        """
        self._stop = stop
        delay = 1.0
        while not stop.is_set():
            connection = await self._connect()
            if connection is None:
                break
            try:
                if await self._consume(connection, idle_exit_s):
                    break
                delay = 1.0
            except Stopping:
                break
            except CONNECTION_EXCEPTIONS as error:
                logger.warning(
                    "Événements : connexion à RabbitMQ perdue (%s), reprise dans %.0f s",
                    type(error).__name__,
                    delay,
                )
                await self._sleep(delay, raise_on_stop=False)
                delay = min(delay * 2, MAX_BACKOFF_S)
            finally:
                with contextlib.suppress(*CONNECTION_EXCEPTIONS):
                    await connection.close()  # unacknowledged messages go back to the queue
        logger.info("Événements : arrêt ; %s", self.counts.line())
        return self.counts

    async def _consume(
        self, connection: AbstractRobustConnection, idle_exit_s: float | None
    ) -> bool:
        """Read batches until stopped or idle (True), or until the channel fails (raises)."""
        channel = await connection.channel()
        inbox: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
        await self._declare_and_consume(channel, inbox)
        while not self._stop.is_set():
            batch = await self._next_batch(inbox, idle_exit_s)
            if not batch:
                return True
            await self._handle(channel, batch)
            self._report()
        return True

    async def _connect(self) -> AbstractRobustConnection | None:
        delay = 1.0
        while not self._stop.is_set():
            try:
                return await aio_pika.connect_robust(self.settings.url)
            except Exception as error:  # connection refused, DNS, authentication…
                logger.warning(
                    "Événements : RabbitMQ injoignable (%s), nouvel essai dans %.0f s",
                    type(error).__name__,
                    delay,
                )
                await self._sleep(delay, raise_on_stop=False)
                delay = min(delay * 2, MAX_BACKOFF_S)
        return None

    async def _declare_and_consume(
        self, channel: AbstractChannel, inbox: asyncio.Queue[AbstractIncomingMessage]
    ) -> None:
        await channel.set_qos(prefetch_count=self.settings.prefetch)
        # As rasa/core/brokers/pika.py declares them: any other argument is refused.
        exchange = await channel.declare_exchange(
            self.settings.exchange, type=aio_pika.ExchangeType.FANOUT
        )
        queue = await channel.declare_queue(self.settings.queue, durable=True)
        await queue.bind(exchange, "")
        await channel.declare_queue(self.settings.dead_letter_queue, durable=True)
        await queue.consume(inbox.put)
        logger.info("Événements : lecture de la file %s", self.settings.queue)

    async def _next_batch(
        self, inbox: asyncio.Queue[AbstractIncomingMessage], idle_exit_s: float | None
    ) -> list[AbstractIncomingMessage]:
        getter = asyncio.ensure_future(inbox.get())
        stopper = asyncio.ensure_future(self._stop.wait())
        first = asyncio.FIRST_COMPLETED
        await asyncio.wait({getter, stopper}, timeout=idle_exit_s, return_when=first)
        stopper.cancel()
        if not getter.done():
            getter.cancel()
            return []
        batch = [getter.result()]
        while len(batch) < self.settings.batch and not inbox.empty():
            batch.append(inbox.get_nowait())
        return batch

    async def _handle(self, channel: AbstractChannel, batch: list[AbstractIncomingMessage]) -> None:
        self.counts.received += len(batch)
        good: list[tuple[AbstractIncomingMessage, RasaEvent]] = []
        for message in batch:
            try:
                good.append((message, parse_event(message.body)))
            except MalformedEvent as error:
                await self._dead_letter(channel, message, error.reason)
        if good:
            await self._store(channel, good)

    async def _store(
        self, channel: AbstractChannel, items: list[tuple[AbstractIncomingMessage, RasaEvent]]
    ) -> None:
        try:
            applied = await self._write_until_stored([event for _, event in items])
        except Exception as error:  # refused by the database, not its absence
            if len(items) > 1:  # find the one it refuses; the others are stored
                for item in items:
                    await self._store(channel, [item])
                return
            logger.warning("Événements : refusé par la base (%s)", type(error).__name__)
            await self._dead_letter(channel, items[0][0], "store")
            return
        self.counts.applied += applied
        self.counts.duplicates += len(items) - applied
        for message, _ in items:
            await self._ack(message)

    async def _write_until_stored(self, events: list[RasaEvent]) -> int:
        delay = 1.0
        while True:
            try:
                return await asyncio.to_thread(self.write, events)
            except TRANSIENT as error:
                self.counts.store_retries += 1
                logger.warning(
                    "Événements : base injoignable (%s), %d événement(s) gardé(s), "
                    "nouvel essai dans %.0f s",
                    type(error).__name__,
                    len(events),
                    delay,
                )
                await self._sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF_S)

    async def _dead_letter(
        self, channel: AbstractChannel, message: AbstractIncomingMessage, reason: str
    ) -> None:
        copy = aio_pika.Message(
            message.body,
            headers={REASON_HEADER: reason},
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            app_id=message.app_id,
        )
        await channel.default_exchange.publish(copy, routing_key=self.settings.dead_letter_queue)
        self.counts.dead_lettered += 1
        logger.warning(
            "Événements : message mis de côté dans %s (motif : %s)",
            self.settings.dead_letter_queue,
            reason,
        )
        await self._ack(message)

    async def _ack(self, message: AbstractIncomingMessage) -> None:
        try:
            await message.ack()
        except Exception as error:  # the channel closed meanwhile: RabbitMQ will redeliver
            logger.info("Événements : accusé de réception perdu (%s)", type(error).__name__)

    async def _sleep(self, seconds: float, *, raise_on_stop: bool = True) -> None:
        try:
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
        except asyncio.TimeoutError:
            return
        if raise_on_stop:
            raise Stopping

    def _report(self) -> None:
        now = time.monotonic()
        if now - self._last_report >= REPORT_EVERY_S:
            self._last_report = now
            logger.info("Événements : %s", self.counts.line())
