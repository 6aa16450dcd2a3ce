"""Channel state in the app database, written by the bot's channels.

The schema belongs to the app (Alembic migration 0002, models in
seniorplus/models.py); this side runs plain SQL through SQLAlchemy 1.4 (Rasa's
pin), so it never imports the app. Calls are blocking and short: channels run
them with ``asyncio.to_thread``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError

from bot.settings import bot_settings

logger = logging.getLogger(__name__)
SQLITE_BUSY_TIMEOUT_S = 15
DONE_PREFIX = "done:"


class Claim(str, Enum):
    NEW = "new"
    TAKEN_OVER = "taken_over"  # the lease of a turn that never finished (crash)
    BUSY = "busy"  # a turn is running with it now
    DONE = "done"  # answered already


def now() -> datetime:
    return datetime.now(timezone.utc)


def _as_utc(value: Any) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives naive text, PostgreSQL aware)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def bot_side_url(url: str) -> str:
    """The app's URL for this environment's drivers (psycopg2 here, psycopg 3 there)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return str(parsed.render_as_string(hide_password=False))


# The person's words are always bound (:note), never written into the SQL.
APPEND_NOTE = (
    "UPDATE handoffs SET summary = summary || :note, updated_at = :at"
    " WHERE conversation_id = :cid AND status IN ('en_attente', 'prise')"
)
APPEND_URGENT_NOTE = (
    "UPDATE handoffs SET summary = summary || :note, updated_at = :at, reason = 'urgence'"
    " WHERE conversation_id = :cid AND status IN ('en_attente', 'prise')"
)


async def claim_or_wait(
    store: ChannelStore,
    channel: str,
    vendor_id: str,
    lease_s: float,
    wait_s: float,
    poll_s: float = 0.5,
) -> Claim:
    """``claim_receipt``; while another turn holds the receipt (BUSY), wait for it.

    A vendor retries a webhook only when its first delivery failed: the turn holding the
    receipt either finishes (DONE) or died with its process (``kill -9``, a crash), and
    then nobody would ever answer the person. Waiting up to ``wait_s`` seconds lets the
    lease run out (TAKEN_OVER: this request does the turn) or the holder finish. BUSY
    after the wait: the caller must still answer the person (never silence).
    """
    deadline = time.monotonic() + wait_s
    while True:
        claim = await asyncio.to_thread(store.claim_receipt, channel, vendor_id, lease_s)
        if claim is not Claim.BUSY or time.monotonic() >= deadline:
            return claim
        await asyncio.sleep(min(poll_s, max(0.0, deadline - time.monotonic())))


class ChannelStore:
    """Receipts, opt-outs, linked identities, calls and callback requests."""

    def __init__(self, url: str | None = None) -> None:
        self._url = url
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                url = self._url or bot_settings().database_url
                if not url:
                    raise KeyError("DATABASE_URL")  # the channels' state lives in the app database
                self._engine = self._make_engine(url)
            return self._engine

    @staticmethod
    def _make_engine(url: str) -> Engine:
        target = bot_side_url(url)
        if make_url(target).get_backend_name() != "sqlite":
            return create_engine(target, pool_pre_ping=True, future=True, hide_parameters=True)
        engine = create_engine(
            target,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S},
            future=True,
            hide_parameters=True,  # no phone number in an error's log line
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")

        return engine

    def _execute(self, sql: str, **params: Any) -> Any:
        with self.engine.begin() as connection:
            result = connection.execute(text(sql), self._bindable(params))
            # Rows are read before the connection closes (SQLite's NullPool really closes it).
            return result.freeze()() if result.returns_rows else result

    def _bindable(self, params: dict[str, Any]) -> dict[str, Any]:
        """SQLite keeps datetimes as text: UTC, without offset, as the app's models read them."""
        if self.engine.dialect.name != "sqlite":
            return params
        return {
            k: v.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
            if isinstance(v, datetime)
            else v
            for k, v in params.items()
        }

    # At least once, processed once: a receipt is a lease until the turn is done.
    # (channel, vendor id) is taken when the webhook arrives; (channel, "done:" + id)
    # is added once the person was answered. A vendor retry finds one of three states.
    def claim_receipt(self, channel: str, vendor_id: str, lease_s: float) -> Claim:
        """NEW or TAKEN_OVER: process it; DONE: already answered; BUSY: a turn holds it."""
        vendor_id = vendor_id[:59]
        try:
            self._insert_receipt(channel, vendor_id)
            return Claim.NEW
        except IntegrityError:
            pass
        if self._has_receipt(channel, DONE_PREFIX + vendor_id):
            return Claim.DONE
        row = self._execute(
            "SELECT received_at FROM inbound_receipts WHERE channel = :c AND vendor_id = :v",
            c=channel,
            v=vendor_id,
        ).first()
        if row is None:  # erased in between: take it again
            return Claim.NEW if self._try_insert(channel, vendor_id) else Claim.BUSY
        taken_at = _as_utc(row[0])
        if (now() - taken_at).total_seconds() < lease_s:
            return Claim.BUSY
        # The turn that took it died (crash, restart): the first retry takes the lease over.
        moved = self._execute(
            "UPDATE inbound_receipts SET received_at = :at "
            "WHERE channel = :c AND vendor_id = :v AND received_at = :old",
            at=now(),
            c=channel,
            v=vendor_id,
            old=row[0],
        )
        return Claim.TAKEN_OVER if moved.rowcount else Claim.BUSY

    def finish_receipt(self, channel: str, vendor_id: str) -> None:
        """The person was answered: a later retry of this id is answered once, empty."""
        self._try_insert(channel, DONE_PREFIX + vendor_id[:59])

    def release_receipt(self, channel: str, vendor_id: str) -> None:
        """Nothing was done (refused before the turn): a retry is processed."""
        self._execute(
            "DELETE FROM inbound_receipts WHERE channel = :c AND vendor_id = :v",
            c=channel,
            v=vendor_id[:59],
        )

    def _insert_receipt(self, channel: str, vendor_id: str) -> None:
        self._execute(
            "INSERT INTO inbound_receipts (channel, vendor_id, received_at) "
            "VALUES (:channel, :vendor_id, :at)",
            channel=channel,
            vendor_id=vendor_id,
            at=now(),
        )

    def _try_insert(self, channel: str, vendor_id: str) -> bool:
        try:
            self._insert_receipt(channel, vendor_id)
        except IntegrityError:
            return False
        return True

    def _has_receipt(self, channel: str, vendor_id: str) -> bool:
        return (
            self._execute(
                "SELECT 1 FROM inbound_receipts WHERE channel = :c AND vendor_id = :v",
                c=channel,
                v=vendor_id,
            ).first()
            is not None
        )

    # STOP / START.
    def is_opted_out(self, channel: str, address: str) -> bool:
        row = self._execute(
            "SELECT 1 FROM channel_opt_outs WHERE channel = :channel AND address = :address",
            channel=channel,
            address=address,
        ).first()
        return row is not None

    def opt_out(self, channel: str, address: str) -> bool:
        """Record STOP; True when it is new (to confirm once), False if already stopped."""
        try:
            self._execute(
                "INSERT INTO channel_opt_outs (channel, address, since) "
                "VALUES (:channel, :address, :at)",
                channel=channel,
                address=address,
                at=now(),
            )
        except IntegrityError:
            return False
        return True

    def opt_in(self, channel: str, address: str) -> bool:
        """START: True when messages were stopped and now resume."""
        result = self._execute(
            "DELETE FROM channel_opt_outs WHERE channel = :channel AND address = :address",
            channel=channel,
            address=address,
        )
        return bool(result.rowcount)

    # A Telegram chat linked to the person's phone number.
    def link_identity(self, channel: str, address: str, phone: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                text("DELETE FROM channel_identities WHERE channel = :c AND address = :a"),
                {"c": channel, "a": address},
            )
            connection.execute(
                text(
                    "INSERT INTO channel_identities (channel, address, phone, linked_at) "
                    "VALUES (:c, :a, :p, :at)"
                ),
                self._bindable({"c": channel, "a": address, "p": phone, "at": now()}),
            )

    def linked_phone(self, channel: str, address: str) -> str | None:
        row = self._execute(
            "SELECT phone FROM channel_identities WHERE channel = :c AND address = :a",
            c=channel,
            a=address,
        ).first()
        return str(row[0]) if row else None

    # Calls.
    def call_started(self, call_sid: str, phone: str) -> None:
        with contextlib.suppress(IntegrityError):  # IntegrityError: the same call, next turn
            self._execute(
                "INSERT INTO calls (call_sid, phone, started_at) VALUES (:sid, :phone, :at)",
                sid=call_sid[:64],
                phone=phone,
                at=now(),
            )

    def call_ended(self, call_sid: str, status: str) -> bool:
        """Mark how the call ended; False for an unknown call."""
        result = self._execute(
            "UPDATE calls SET ended_at = :at, end_status = :status "
            "WHERE call_sid = :sid AND ended_at IS NULL",
            at=now(),
            status=status[:16],
            sid=call_sid[:64],
        )
        return bool(result.rowcount)

    def request_callback(self, phone: str, reason: str) -> None:
        self._execute(
            "INSERT INTO callback_requests (phone, reason, requested_at, status) "
            "VALUES (:phone, :reason, :at, 'waiting')",
            phone=phone,
            reason=reason[:32],
            at=now(),
        )

    def call_is_over(self, call_sid: str) -> bool:
        """True once the status callback marked this call ended (a late or replayed request)."""
        row = self._execute(
            "SELECT 1 FROM calls WHERE call_sid = :sid AND ended_at IS NOT NULL",
            sid=call_sid[:64],
        ).first()
        return row is not None

    def linked_addresses(self, channel: str, phone: str) -> list[str]:
        """The chats of ``channel`` linked to this phone number (most recent first)."""
        rows = self._execute(
            "SELECT address FROM channel_identities WHERE channel = :c AND phone = :p "
            "ORDER BY linked_at DESC",
            c=channel,
            p=phone,
        ).all()
        return [str(row[0]) for row in rows]

    def agent_holds(self, conversation_id: str) -> bool:
        """Whether a person of the team has taken this conversation (its handoff is claimed)."""
        row = self._execute(
            "SELECT 1 FROM handoffs WHERE conversation_id = :cid AND status = 'prise'",
            cid=conversation_id[:128],
        ).first()
        return row is not None

    def agent_surely_holds(self, conversation_id: str) -> bool:
        """``agent_holds``, False when the database cannot say: then the person is answered."""
        try:
            return self.agent_holds(conversation_id)
        except Exception:  # never let this hide an answer
            logger.warning("Could not read who holds a conversation")
            return False

    # The team told of a message the assistant could not handle, or of danger while paused.
    def alert_team(self, conversation_id: str, channel: str, reason: str, note: str) -> None:
        """Add ``note`` to the conversation's open handoff, or open one with ``reason``.

        ``reason`` is "incident" (the assistant failed) or "urgence" (words of
        danger): an urgent note also makes the open handoff urgent, so the agents
        see it first. The note holds the person's words: nothing they sent is lost.
        """
        note = f"\n\n{note}"[:2000]
        urgent = reason == "urgence"
        for _ in range(2):  # a handoff opened at the same moment: the second pass appends
            updated = self._execute(
                APPEND_URGENT_NOTE if urgent else APPEND_NOTE,
                note=note,
                at=now(),
                cid=conversation_id[:128],
            )
            if updated.rowcount:
                return
            try:
                self._execute(
                    "INSERT INTO handoffs (conversation_id, channel, reason, summary, status, "
                    "created_at, updated_at) VALUES (:cid, :channel, :reason, :summary, "
                    "'en_attente', :at, :at)",
                    cid=conversation_id[:128],
                    channel=channel[:16],
                    reason=reason,
                    summary=note.strip(),
                    at=now(),
                )
                return
            except IntegrityError:
                continue
