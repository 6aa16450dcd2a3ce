"""Audit history of cases: one ``case_events`` row per change, in the change's transaction."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seniorplus.cases.errors import CaseError
from seniorplus.cases.models import Case, CaseEvent
from seniorplus.models import utcnow

SYSTEM = "system"
# "contact:12", "agent:3" (or an agent login such as "agent:m.durand"), "system".
_ACTOR_RE = re.compile(r"^(?:contact:\d+|agent:[A-Za-z0-9._@-]{1,50}|system)$")


def check_actor(actor: str) -> str:
    """``actor`` if it is well formed.

    Raises:
        CaseError: not "contact:<id>", "agent:<id>" or "system".
    """
    if not _ACTOR_RE.fullmatch(actor):
        raise CaseError("Je ne sais pas qui fait ce changement : il n'est pas enregistré.")
    return actor


def record_event(
    session: Session,
    case: Case,
    actor: str,
    action: str,
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """Add an audit event to ``case`` (flushed with the caller's transaction)."""
    event = CaseEvent(
        case_id=case.id,
        at=at or utcnow(),
        actor=check_actor(actor),
        action=action,
        detail=json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True),
    )
    session.add(event)
    session.flush()
    return event


def case_history(session: Session, case: Case) -> list[CaseEvent]:
    """Every event of ``case``, oldest first."""
    return list(
        session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id)
            .order_by(CaseEvent.at, CaseEvent.id)
        )
    )
