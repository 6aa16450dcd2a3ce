"""The agents' audit log: one row per action, never a message text or a phone number."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seniorplus.models import utcnow
from seniorplus.staff.models import Agent, AuditEntry


def audit(
    session: Session,
    agent: Agent | None,
    action: str,
    target: str = "",
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Record ``action`` by ``agent`` (None: the system or an unknown login) on ``target``."""
    entry = AuditEntry(
        at=at or utcnow(),
        agent_id=agent.id if agent is not None else None,
        action=action[:32],
        target=target[:64],
        detail=json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True),
    )
    session.add(entry)
    session.flush()
    return entry


def recent_entries(session: Session, limit: int = 200) -> list[AuditEntry]:
    """The latest entries, newest first."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return list(session.scalars(query))
