"""What the event consumer writes from Rasa's event broker (seniorplus/events): the
activity of each conversation (the console's live view), the furthest journey step
each conversation reached (drop-off statistics), and the digests of the events
already applied (a redelivered event is applied once). No message text.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversation_activity",
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_user_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_messages", sa.Integer(), nullable=False),
        sa.Column("bot_messages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_conversation_activity")),
    )
    op.create_index(
        "ix_conversation_activity_last_user_at", "conversation_activity", ["last_user_at"]
    )
    op.create_table(
        "journey_progress",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("journey", sa.String(length=64), nullable=False),
        sa.Column("furthest_step", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reached_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journey_progress")),
        sa.UniqueConstraint(
            "conversation_id", "journey", name=op.f("uq_journey_progress_conversation_id_journey")
        ),
    )
    op.create_index(op.f("ix_journey_progress_journey"), "journey_progress", ["journey"])
    op.create_table(
        "broker_events_seen",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_broker_events_seen")),
    )
    op.create_index(op.f("ix_broker_events_seen_seen_at"), "broker_events_seen", ["seen_at"])


def downgrade() -> None:
    op.drop_table("broker_events_seen")
    op.drop_table("journey_progress")
    op.drop_table("conversation_activity")
