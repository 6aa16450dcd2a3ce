"""Channel state that outbound sending reads and writes (tables of migration 0002).

The same rows the bot's channels use (``channels/store.py``): a STOP received
by the SMS channel stops reminders and agents' messages too, and an opt-out
learnt here (Twilio error 21610) is seen by the SMS channel.

Functions take a session; the caller owns the transaction. Senders run them in
a worker thread through :func:`run_in_session`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seniorplus.db import session_scope
from seniorplus.models import CallbackRequest, ChannelIdentity, ChannelOptOut

T = TypeVar("T")


def is_opted_out(session: Session, channel: str, address: str) -> bool:
    """Whether the person sent STOP on ``channel`` from ``address``."""
    query = select(
        exists().where(ChannelOptOut.channel == channel, ChannelOptOut.address == address)
    )
    return bool(session.scalar(query))


def record_opt_out(session: Session, channel: str, address: str) -> bool:
    """Record a STOP; idempotent (a SAVEPOINT absorbs a concurrent insert).

    Returns:
        True if this call recorded it, False if it was already there.
    """
    if is_opted_out(session, channel, address):
        return False
    try:
        with session.begin_nested():
            session.add(ChannelOptOut(channel=channel, address=address))
    except IntegrityError:
        if is_opted_out(session, channel, address):
            return False
        raise
    return True


def linked_telegram_chat(session: Session, phone: str) -> str | None:
    """The Telegram chat most recently linked to ``phone`` (E.164), if any."""
    query = (
        select(ChannelIdentity.address)
        .where(ChannelIdentity.channel == "telegram", ChannelIdentity.phone == phone)
        .order_by(ChannelIdentity.linked_at.desc(), ChannelIdentity.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def request_callback(session: Session, phone: str, reason: str) -> bool:
    """Ask the agents to call ``phone`` back, unless a request is already waiting.

    Returns:
        True if a request was added, False if one was already waiting.
    """
    waiting = select(
        exists().where(CallbackRequest.phone == phone, CallbackRequest.status == "waiting")
    )
    if session.scalar(waiting):
        return False
    session.add(CallbackRequest(phone=phone, reason=reason[:32], status="waiting"))
    return True


def _in_session(function: Callable[..., T], *args: object) -> T:
    with session_scope() as session:
        return function(session, *args)


async def run_in_session(function: Callable[..., T], *args: object) -> T:
    """Run ``function(session, *args)`` in its own transaction, off the event loop."""
    return await asyncio.to_thread(_in_session, function, *args)
