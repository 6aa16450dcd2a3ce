"""ORM models of the team: console accounts, their sessions, the audit log (migration 0004).

- ``agents``: console accounts (scrypt password hash, role, throttling state);
- ``agent_sessions``: server-side sessions; the cookie holds a random token whose
  SHA-256 is stored here, with the session's CSRF token and its expiry;
- ``audit_log``: every agent action (login, claim, reply, hand back, case change…).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seniorplus.db import Base
from seniorplus.models import UTCDateTime, one_of, utcnow

ROLES = ("agent", "supervisor", "admin")


class Agent(Base):
    """A console account: a mediator, a social worker, a supervisor or an administrator."""

    __tablename__ = "agents"
    __table_args__ = (
        UniqueConstraint("login"),
        CheckConstraint(one_of("role", ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(64))  # lower case
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="agent")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def actor(self) -> str:
        """This agent as the author of an audit event ("agent:m.durand")."""
        return f"agent:{self.login}"

    def __repr__(self) -> str:
        return f"Agent(id={self.id!r}, login={self.login!r}, role={self.role!r})"


class AgentSession(Base):
    """A logged-in browser. Only the SHA-256 of the cookie's token is stored."""

    __tablename__ = "agent_sessions"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    agent: Mapped[Agent] = relationship()


class AuditEntry(Base):
    """One agent action. ``detail`` is a JSON object (never a message text or a phone)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(32))  # "connexion", "prise", "reponse"…
    target: Mapped[str] = mapped_column(String(64), default="")  # "handoff:12", "case:SP-…"
    detail: Mapped[str] = mapped_column(Text, default="{}")
