"""A one-time code by SMS before "mes données" shows or erases anything (issue 13, point 12).

A caller ID or an SMS sender can be forged; a code sent by SMS to the number
reaches only whoever holds that phone. So, over SMS and the phone, the assistant
sends a 6-digit code to the conversation's number and waits for it before it
shows or erases anything. Telegram's chat ids are vouched for by Telegram.

What is stored, one row per conversation: a salted hash of the code (never the
code), what the person asked (see or erase), when the code expires, the tries
left, how many codes were sent this hour, and until when the person is checked.

Limits: a code lives 10 minutes and allows 5 tries; at most 3 codes an hour per
conversation (an SMS costs money and could be used to pester a number); once
the right code is given, the person stays checked for 15 minutes, so "voir"
then "effacer" asks only once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Integer, String, delete, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from policies.codes import CODE_LENGTH
from seniorplus.db import Base
from seniorplus.models import UTCDateTime

CODE_LIFETIME = timedelta(minutes=10)
TRIES_PER_CODE = 5
CODES_PER_HOUR = 3
CHECKED_FOR = timedelta(minutes=15)
REQUESTS = ("voir", "effacer")

Outcome = Literal["ok", "wrong", "expired", "no_code", "no_tries_left"]


class IdentityCheck(Base):
    """The code a conversation is waiting for, and whether its person is checked."""

    __tablename__ = "identity_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(128), unique=True)
    request: Mapped[str | None] = mapped_column(String(16), nullable=True)
    code_salt: Mapped[str | None] = mapped_column(String(32), nullable=True)
    code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    tries_left: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    codes_in_window: Mapped[int] = mapped_column(Integer, default=0)
    checked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    def __repr__(self) -> str:  # no conversation id: it is a phone number
        return f"IdentityCheck(id={self.id!r}, request={self.request!r})"


@dataclass(frozen=True)
class CodeCheck:
    """What a code given by the person gave: ``ok`` carries what they had asked."""

    outcome: Outcome
    request: str | None = None
    tries_left: int = 0


def _digest(salt: str, code: str) -> str:
    return hmac.new(bytes.fromhex(salt), code.encode(), hashlib.sha256).hexdigest()


def _row(session: Session, conversation_id: str) -> IdentityCheck | None:
    found = select(IdentityCheck).where(IdentityCheck.conversation_id == conversation_id)
    return session.scalars(found).first()


def new_code() -> str:
    """Six random digits from the system's secure generator."""
    return "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))


def is_checked(session: Session, conversation_id: str, now: datetime) -> bool:
    """Whether the person gave the right code less than 15 minutes ago."""
    row = _row(session, conversation_id)
    return bool(row and row.checked_until and row.checked_until > now)


def issue_code(
    session: Session, conversation_id: str, request: str, now: datetime, code: str | None = None
) -> str | None:
    """A new code for ``request`` (its hash kept), or None when 3 were sent this hour.

    Raises:
        ValueError: ``request`` is neither "voir" nor "effacer".
    """
    if request not in REQUESTS:
        raise ValueError(f"unknown request: {request!r}")
    row = _row(session, conversation_id)
    if row is None:
        row = IdentityCheck(conversation_id=conversation_id, codes_in_window=0, tries_left=0)
        session.add(row)
    if row.window_start is None or now - row.window_start >= timedelta(hours=1):
        row.window_start, row.codes_in_window = now, 0
    if row.codes_in_window >= CODES_PER_HOUR:
        return None
    code = code or new_code()
    row.code_salt = secrets.token_hex(16)
    row.code_hash = _digest(row.code_salt, code)
    row.request = request
    row.expires_at = now + CODE_LIFETIME
    row.tries_left = TRIES_PER_CODE
    row.codes_in_window += 1
    session.flush()
    return code


def waiting_request(session: Session, conversation_id: str, now: datetime) -> str | None:
    """What the person asked while a code is still valid and has tries left, else None."""
    row = _row(session, conversation_id)
    if row is None or row.code_hash is None or row.expires_at is None:
        return None
    return row.request if row.expires_at > now and row.tries_left > 0 else None


def check_code(session: Session, conversation_id: str, code: str, now: datetime) -> CodeCheck:
    """Compare ``code`` with the one sent; the right one checks the person for 15 minutes."""
    row = _row(session, conversation_id)
    if row is None or row.code_hash is None or row.code_salt is None or row.expires_at is None:
        return CodeCheck("no_code")
    if row.expires_at <= now:
        return CodeCheck("expired", row.request)
    if row.tries_left <= 0:
        return CodeCheck("no_tries_left", row.request)
    if hmac.compare_digest(_digest(row.code_salt, code), row.code_hash):
        request = row.request
        row.code_hash = row.code_salt = None
        row.expires_at = None
        row.tries_left = 0
        row.checked_until = now + CHECKED_FOR
        session.flush()
        return CodeCheck("ok", request)
    row.tries_left -= 1
    session.flush()
    outcome: Outcome = "wrong" if row.tries_left > 0 else "no_tries_left"
    return CodeCheck(outcome, row.request, row.tries_left)


def forget_checks(session: Session, conversation_ids: list[str]) -> None:
    """Delete the rows of erased conversations (nothing of theirs is kept)."""
    if conversation_ids:
        session.execute(
            delete(IdentityCheck).where(IdentityCheck.conversation_id.in_(conversation_ids))
        )


def purge_checks(session: Session, now: datetime) -> int:
    """Delete rows idle for a day: no valid code, no check running, no recent code sent."""
    stale = now - timedelta(days=1)
    idle = [
        or_(column.is_(None), column < stale)
        for column in (IdentityCheck.expires_at, IdentityCheck.checked_until,
                       IdentityCheck.window_start)
    ]  # fmt: skip
    result = session.execute(delete(IdentityCheck).where(*idle))
    return int(getattr(result, "rowcount", 0) or 0)
