"""Server-side console sessions: a random token in the cookie, its SHA-256 in the database.

A session ends when it has been idle too long (``CONSOLE_IDLE_MINUTES``, 30 by
default), after ``CONSOLE_ABSOLUTE_HOURS`` (10) whatever happens, at logout, or
when its account is disabled or its password reset. Each session has its own
CSRF token (`seniorplus.console.csrf`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from starlette.responses import Response

from seniorplus.console.config import COOKIE_NAME, COOKIE_PATH, ConsoleSettings
from seniorplus.staff.models import Agent, AgentSession

TOKEN_BYTES = 32
MAX_TOKEN_CHARS = 128
# The idle clock is written at most this often: pages polled every few seconds
# must not turn into a write per request.
TOUCH_EVERY = timedelta(seconds=60)
KEEP_ENDED_SESSIONS = timedelta(days=7)
SUPERVISING_ROLES = ("supervisor", "admin")


@dataclass(frozen=True)
class SignedIn:
    """The agent behind a valid session, as the pages need it (no ORM object)."""

    session_id: int
    agent_id: int
    login: str
    display_name: str
    role: str
    csrf_token: str

    @property
    def actor(self) -> str:
        """Author of case and booking changes ("agent:<login>")."""
        return f"agent:{self.login}"

    @property
    def is_supervising(self) -> bool:
        return self.role in SUPERVISING_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def token_hash(token: str) -> str:
    """SHA-256 hex of a session token (only this is stored)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(session: Session, agent: Agent, now: datetime, settings: ConsoleSettings) -> str:
    """Start a session for ``agent``; returns the token for the cookie (never stored)."""
    session.execute(delete(AgentSession).where(AgentSession.expires_at < now - KEEP_ENDED_SESSIONS))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        AgentSession(
            token_hash=token_hash(token),
            agent_id=agent.id,
            csrf_token=secrets.token_urlsafe(TOKEN_BYTES),
            created_at=now,
            last_seen_at=now,
            expires_at=now + settings.absolute,
        )
    )
    session.flush()
    return token


def _signed_in(row: AgentSession, agent: Agent) -> SignedIn:
    return SignedIn(
        session_id=row.id,
        agent_id=agent.id,
        login=agent.login,
        display_name=agent.display_name,
        role=agent.role,
        csrf_token=row.csrf_token,
    )


def find_session(
    session: Session,
    token: str | None,
    now: datetime,
    settings: ConsoleSettings,
    *,
    touch: bool = True,
) -> SignedIn | None:
    """The agent of a live session, or None (unknown, ended, idle, too old, disabled).

    ``touch``: this request counts as activity (a page, an action); the pages'
    background refreshes pass False so that an abandoned tab still times out.
    """
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    row = session.scalar(select(AgentSession).where(AgentSession.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    agent = session.get(Agent, row.agent_id)
    if (
        agent is None
        or not agent.active
        or now >= row.expires_at
        or now - row.last_seen_at >= settings.idle
    ):
        return None
    if touch and now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.flush()
    return _signed_in(row, agent)


def revoke(session: Session, session_id: int, now: datetime) -> None:
    """End one session (logout)."""
    session.execute(
        update(AgentSession)
        .where(AgentSession.id == session_id, AgentSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_token(session: Session, token: str | None, now: datetime) -> None:
    """End the session of this cookie token, if any (a new login replaces it)."""
    if token and len(token) <= MAX_TOKEN_CHARS:
        session.execute(
            update(AgentSession)
            .where(AgentSession.token_hash == token_hash(token), AgentSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )


def revoke_all_of(session: Session, agent_id: int, now: datetime) -> None:
    """End every session of an agent (account disabled, password changed)."""
    session.execute(
        update(AgentSession)
        .where(AgentSession.agent_id == agent_id, AgentSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def set_session_cookie(response: Response, token: str, settings: ConsoleSettings) -> None:
    """``sp_console``: HttpOnly, SameSite=Strict, Secure in production, a browser-session cookie."""
    response.set_cookie(
        COOKIE_NAME,
        token,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookie,
    )


def clear_session_cookie(response: Response, settings: ConsoleSettings) -> None:
    response.delete_cookie(
        COOKIE_NAME,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookie,
    )
