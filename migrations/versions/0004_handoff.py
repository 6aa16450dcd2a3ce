"""Human handoff and agent console: agents, sessions, handoffs, replies, audit log.

One open handoff per conversation is a partial unique index, so a double
request or two agents claiming at once cannot create or split it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status IN ('en_attente', 'prise')")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, cascade: bool = False) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE" if cascade else None,
    )


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns), unique=False)


def upgrade() -> None:
    op.create_table(
        "agents",
        _id(),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        _when("locked_until", nullable=True),
        _when("created_at"),
        _when("last_login_at", nullable=True),
        sa.CheckConstraint("role IN ('agent', 'supervisor', 'admin')", name=op.f("ck_agents_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agents")),
        sa.UniqueConstraint("login", name=op.f("uq_agents_login")),
    )
    op.create_table(
        "agent_sessions",
        _id(),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        _when("created_at"),
        _when("last_seen_at"),
        _when("expires_at"),
        _when("revoked_at", nullable=True),
        _fk("agent_sessions", "agent_id", "agents", cascade=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_agent_sessions_token_hash")),
    )
    _index("agent_sessions", "agent_id")
    op.create_table(
        "handoffs",
        _id(),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assigned_agent_id", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("claimed_at", nullable=True),
        _when("closed_at", nullable=True),
        _when("updated_at"),
        sa.CheckConstraint(
            "reason IN ('demande', 'incomprehension', 'urgence', 'agent', 'appel')",
            name=op.f("ck_handoffs_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('en_attente', 'prise', 'rendue', 'close')",
            name=op.f("ck_handoffs_status"),
        ),
        _fk("handoffs", "contact_id", "contacts"),
        _fk("handoffs", "assigned_agent_id", "agents"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoffs")),
    )
    _index("handoffs", "contact_id")
    _index("handoffs", "assigned_agent_id")
    _index("handoffs", "status", "created_at")
    op.create_index(
        "uq_handoffs_open_per_conversation",
        "handoffs",
        ["conversation_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_table(
        "handoff_replies",
        _id(),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        _when("at"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("delivery", sa.String(length=16), nullable=False),
        sa.Column("reason_fr", sa.Text(), nullable=True),
        sa.Column("vendor_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "delivery IN ('sent', 'deferred', 'refused', 'failed', 'callback')",
            name=op.f("ck_handoff_replies_delivery"),
        ),
        _fk("handoff_replies", "handoff_id", "handoffs", cascade=True),
        _fk("handoff_replies", "agent_id", "agents"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_replies")),
    )
    _index("handoff_replies", "handoff_id")
    _index("handoff_replies", "agent_id")
    op.create_table(
        "audit_log",
        _id(),
        _when("at"),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        _fk("audit_log", "agent_id", "agents"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    _index("audit_log", "agent_id")
    _index("audit_log", "at")


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("handoff_replies")
    op.drop_index("uq_handoffs_open_per_conversation", table_name="handoffs")
    op.drop_table("handoffs")
    op.drop_table("agent_sessions")
    op.drop_table("agents")
