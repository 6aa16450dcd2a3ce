"""An atomic Redis lock store for Rasa: one turn at a time per conversation, in arrival order.

Rasa 3.6's ``RedisLockStore`` reads the lock, changes it in Python and writes it back
(GET then SET): two replicas can both take the same ticket, or both believe they are
served (RasaHQ/rasa#9213); it also polls every second. Here every step is one Lua
script (``bot/stores/lock_scripts.py``), so Redis orders them:

- a ticket is ``INCR``-ed: strict FIFO per conversation, across every process;
- the lowest live ticket holds the lock, and only it;
- every ticket has a lease (Redis's clock). A waiter renews it at each poll, the holder
  from a heartbeat while its turn runs. A process killed with SIGKILL stops renewing:
  the conversation is free again after ``lease_s`` at most, not blocked for good;
- a holder renews for at most ``lock_lifetime`` (Rasa's ``TICKET_LOCK_LIFETIME``, 60 s):
  a turn stuck longer lets the next one in, as Rasa's own lock does;
- the ticket number only grows (the counter outlives the queue by a day): it is a
  fencing token, ``holds`` says whether a ticket still holds the lock.

Keys carry a hash of the conversation id, never the phone number itself.
Plugged with ``lock_store: type: bot.stores.redis_lock_store.AtomicRedisLockStore``
(``LOCK_STORE_TYPE``; ``LOCK_LEASE_S`` sets the lease). Built from endpoints.yml, it
checks Redis at once: Rasa does not start without its lock store. Redis calls are
blocking and short: they run in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

import redis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.settings import bot_settings
from bot.stores import lock_scripts

logger = logging.getLogger(__name__)

DEFAULT_LEASE_S = 10.0  # a killed replica's lock is free after this long at most
DEFAULT_POLL_S = 0.02  # first wait of a waiting ticket; doubles up to MAX_POLL_S
MAX_POLL_S = 0.05
KEEP_COUNTER_MS = 24 * 3600 * 1000  # tickets keep growing for a day after the last one
KEY_PREFIX = "seniorplus:lock"


def conversation_key(conversation_id: str) -> str:
    """A short hash: no phone number or chat id in Redis."""
    return hashlib.sha256(conversation_id.encode("utf-8", "replace")).hexdigest()[:32]


def _client_from(config: EndpointConfig | None) -> redis.Redis:
    """The Redis client of ``lock_store:`` in endpoints.yml (``url``: host or redis:// URL)."""
    kwargs: dict[str, Any] = dict(config.kwargs) if config else {}
    url = (config.url if config else None) or "127.0.0.1"
    timeout = float(kwargs.get("socket_timeout", 5))
    if "://" in url:
        return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    return redis.Redis(
        host=url,
        port=int(kwargs.get("port") or 6379),
        db=int(kwargs.get("db") or 0),
        username=kwargs.get("username") or None,
        password=kwargs.get("password") or None,
        ssl=str(kwargs.get("use_ssl", "")).lower() == "true",
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
    )


class AtomicRedisLockStore(LockStore):
    """Rasa's ``LockStore`` on Redis, each step atomic (see the module docstring)."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        *,
        client: redis.Redis | None = None,
        lease_s: float | None = None,
        poll_s: float = DEFAULT_POLL_S,
        key_prefix: str = KEY_PREFIX,
    ) -> None:
        kwargs = endpoint_config.kwargs if endpoint_config else {}
        self.red = client or _client_from(endpoint_config)
        lease = lease_s or kwargs.get("lease_s") or bot_settings().lock_lease_s
        self.lease_ms = int(1000 * float(lease or DEFAULT_LEASE_S))
        self.poll_s = poll_s
        self.key_prefix = key_prefix
        self._issue = self.red.register_script(lock_scripts.ISSUE)
        self._try = self.red.register_script(lock_scripts.TRY_ACQUIRE)
        self._renew = self.red.register_script(lock_scripts.RENEW)
        self._release = self.red.register_script(lock_scripts.RELEASE)
        self._purge = self.red.register_script(lock_scripts.PURGE)
        super().__init__()
        if client is None:
            self.check_connection()

    def check_connection(self) -> None:
        """Raise ``LockError`` if Redis does not answer (at start: fail before serving)."""
        try:
            self.red.ping()
        except redis.RedisError as error:
            raise LockError(
                "Verrou des conversations injoignable (Redis) : l'assistant ne démarre pas. "
                f"Lock store unreachable: {type(error).__name__}: {error}"
            ) from error

    def keys(self, conversation_id: str) -> list[str]:
        """``next``, ``queue``, ``lease``: one hash slot (``{…}``) for Redis Cluster."""
        base = f"{self.key_prefix}:{{{conversation_key(conversation_id)}}}"
        return [f"{base}:next", f"{base}:queue", f"{base}:lease"]

    # The atomic steps (blocking).
    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A new ticket at the end of the queue, with a waiter's lease."""
        return self.take_ticket(conversation_id)[0]

    def take_ticket(self, conversation_id: str) -> tuple[int, bool]:
        """A new ticket, and whether it is served at once (nobody was before it)."""
        try:
            ticket, served = self._issue(
                keys=self.keys(conversation_id), args=[self.lease_ms, KEEP_COUNTER_MS]
            )
        except redis.RedisError as error:
            raise LockError(f"Lock store unavailable: {type(error).__name__}") from error
        return int(ticket), bool(served)

    def try_acquire(self, conversation_id: str, ticket: int) -> int:
        """1 served, 0 still waiting (lease renewed), -1 the ticket outlived its lease."""
        return int(self._try(keys=self.keys(conversation_id), args=[ticket, self.lease_ms]))

    def renew(self, conversation_id: str, ticket: int) -> bool:
        """Extend the holder's lease; False when the ticket no longer holds the lock."""
        return bool(self._renew(keys=self.keys(conversation_id), args=[ticket, self.lease_ms]))

    def holds(self, conversation_id: str, ticket: int) -> bool:
        """Whether ``ticket`` holds the lock now (a fencing check)."""
        lock = self.get_lock(conversation_id)
        return lock is not None and lock.now_serving == ticket

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._release(keys=self.keys(conversation_id), args=[ticket_number])

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket; the keys go with the last ticket (one atomic step)."""
        self.finish_serving(conversation_id, ticket_number)

    def update_lock(self, conversation_id: str) -> None:
        self._purge(keys=self.keys(conversation_id))

    def is_someone_waiting(self, conversation_id: str) -> bool:
        return int(self._purge(keys=self.keys(conversation_id))) > 0

    # Rasa's snapshot view of a lock (for tools and Rasa's own helpers).
    def get_lock(self, conversation_id: str) -> TicketLock | None:
        _, queue, lease = self.keys(conversation_id)
        with self.red.pipeline(transaction=True) as pipe:
            pipe.zrange(queue, 0, -1)
            pipe.hgetall(lease)
            members, deadlines = pipe.execute()
        if not members:
            return None
        tickets = deque(
            Ticket(int(m), int(deadlines.get(m, b"0")) / 1000.0)
            for m in members
            if int(deadlines.get(m, b"0")) / 1000.0 > time.time()
        )
        return TicketLock(conversation_id, tickets) if tickets else None

    def save_lock(self, lock: TicketLock) -> None:
        """Replace a conversation's tickets by ``lock``'s in one transaction (tools, tests)."""
        _, queue, lease = self.keys(lock.conversation_id)
        with self.red.pipeline(transaction=True) as pipe:
            pipe.delete(queue, lease)
            for ticket in lock.tickets:
                pipe.zadd(queue, {str(ticket.number): ticket.number})
                pipe.hset(lease, str(ticket.number), int(ticket.expires * 1000))
            pipe.pexpire(queue, KEEP_COUNTER_MS)
            pipe.pexpire(lease, KEEP_COUNTER_MS)
            pipe.execute()

    def delete_lock(self, conversation_id: str) -> None:
        self._log_deletion(conversation_id, bool(self.red.delete(*self.keys(conversation_id)[1:])))

    # What Rasa calls: ``async with lock_store.lock(conversation_id): …``.
    @contextlib.asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        """Wait for this conversation's turn (FIFO), hold it while the block runs."""
        ticket, served = await asyncio.to_thread(self.take_ticket, conversation_id)
        heartbeat: asyncio.Task[None] | None = None
        try:
            if not served:
                await self._wait_for(conversation_id, ticket)
            heartbeat = asyncio.create_task(self._keep(conversation_id, ticket, lock_lifetime))
            yield TicketLock(conversation_id, deque([Ticket(ticket, time.time() + lock_lifetime)]))
        finally:
            if heartbeat is not None:
                heartbeat.cancel()
            try:
                await asyncio.shield(asyncio.to_thread(self.cleanup, conversation_id, ticket))
            except redis.RedisError as error:  # the lease frees it anyway
                logger.warning("Lock not released (%s): freed by its lease", type(error).__name__)

    async def _wait_for(self, conversation_id: str, ticket: int) -> None:
        pause = self.poll_s
        while True:
            try:
                state = await asyncio.to_thread(self.try_acquire, conversation_id, ticket)
            except redis.RedisError as error:
                raise LockError(f"Lock store unavailable: {type(error).__name__}") from error
            if state == 1:
                return
            if state < 0:
                raise LockError("Ticket lost while waiting (lease expired)")
            await asyncio.sleep(pause)
            pause = min(pause * 2, MAX_POLL_S)

    async def _keep(self, conversation_id: str, ticket: int, lock_lifetime: float) -> None:
        """Renew the holder's lease every third of it, for at most ``lock_lifetime``."""
        give_up = time.monotonic() + lock_lifetime
        while time.monotonic() < give_up:
            await asyncio.sleep(self.lease_ms / 3000.0)
            try:
                if not await asyncio.to_thread(self.renew, conversation_id, ticket):
                    logger.error("Lock lost during a turn (lease expired): another may run")
                    return
            except redis.RedisError as error:
                logger.warning("Lock lease not renewed (%s)", type(error).__name__)
