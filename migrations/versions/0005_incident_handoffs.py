"""Handoffs for incidents: a message the assistant could not handle reaches the team.

A channel that cannot get an answer from the assistant (model, action server or
database failing) records the message in a handoff with reason ``incident`` (or
``urgence`` when its words say danger), so that nothing the person wrote is lost
and the agents see it at the head of their queue.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = "reason IN ('demande', 'incomprehension', 'urgence', 'agent', 'appel')"
AFTER = "reason IN ('demande', 'incomprehension', 'urgence', 'agent', 'appel', 'incident')"


def _reasons(check: str) -> None:
    with op.batch_alter_table("handoffs") as batch:  # SQLite: recreated; PostgreSQL: ALTER
        batch.drop_constraint(op.f("ck_handoffs_reason"), type_="check")
        batch.create_check_constraint(op.f("ck_handoffs_reason"), check)


def upgrade() -> None:
    _reasons(AFTER)


def downgrade() -> None:
    op.execute("UPDATE handoffs SET reason = 'urgence' WHERE reason = 'incident'")
    _reasons(BEFORE)
