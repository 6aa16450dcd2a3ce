"""Typed ORM models of the app database."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import DateTime, Dialect, Integer, String, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from seniorplus.db import Base


def one_of(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK constraint: ``column IN ('a', 'b')``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def utcnow() -> datetime:
    """Current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetime on every backend.

    SQLite drops the offset: values are stored as UTC and read back with
    ``tzinfo=UTC``. Naive datetimes are refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused: pass a timezone-aware value")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class PrivacyNoticeShown(Base):
    """The privacy notice of a given version was shown in a conversation."""

    __tablename__ = "privacy_notices"
    __table_args__ = (UniqueConstraint("conversation_id", "notice_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(128))  # channel sender id
    channel: Mapped[str] = mapped_column(String(32))
    notice_version: Mapped[str] = mapped_column(String(16))
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        # No conversation id here: it is a phone number on SMS and voice.
        return f"PrivacyNoticeShown(id={self.id!r}, channel={self.channel!r})"


# Channel state (migration 0002). The bot's channels write these tables with plain
# SQL (channels/store.py, SQLAlchemy 1.4 there); the app reads and writes them here.


class InboundReceipt(Base):
    """A vendor webhook already taken in (Twilio MessageSid, Telegram update id)."""

    __tablename__ = "inbound_receipts"
    __table_args__ = (UniqueConstraint("channel", "vendor_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    vendor_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChannelOptOut(Base):
    """STOP: nothing more is sent to this address on this channel until START."""

    __tablename__ = "channel_opt_outs"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(32))  # E.164 for SMS and voice
    since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"ChannelOptOut(id={self.id!r}, channel={self.channel!r})"


class ChannelIdentity(Base):
    """A Telegram chat linked to a phone number (shared by the person, not guessed)."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(64))  # Telegram chat id
    phone: Mapped[str] = mapped_column(String(16))  # E.164
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"ChannelIdentity(id={self.id!r}, channel={self.channel!r})"


class Call(Base):
    """A phone call, and how it ended (Twilio status callback)."""

    __tablename__ = "calls"
    __table_args__ = (UniqueConstraint("call_sid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    call_sid: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    end_status: Mapped[str | None] = mapped_column(String(16), nullable=True)

    def __repr__(self) -> str:
        return f"Call(id={self.id!r}, end_status={self.end_status!r})"


class CallbackRequest(Base):
    """A caller asked for a person when nobody could take the call: to call back."""

    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    phone: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))  # "out_of_hours", "silence", ...
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    def __repr__(self) -> str:
        return f"CallbackRequest(id={self.id!r}, status={self.status!r})"
