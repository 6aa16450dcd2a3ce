"""Every read, export and erasure of a person's data, console or API, in the audit journal.

Written in the transaction of the read, in ``audit_log`` (`seniorplus.staff.audit`):
who (the agent, and ``par``: "agent:<login>" or the API token's name), what (the
action and its target: "case:SP-2026-000012", "handoff:7", "contact:5", the people of
a list by their numbers) and when. Never a name, a phone number or a message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from seniorplus.staff.audit import audit
from seniorplus.staff.models import Agent
from seniorplus.staff.viewer import Viewer

Via = Literal["console", "api"]
MAX_PEOPLE_LISTED = 200

READ_LABELS = {
    "lecture_conversation": "Conversation lue",
    "lecture_dossier": "Dossier lu",
    "lecture_dossiers": "Liste de dossiers lue",
    "lecture_rdv": "Rendez-vous lu",
    "lecture_rdvs": "Liste de rendez-vous lue",
    "export_donnees": "Données d'une personne exportées",
    "effacement": "Données d'une personne effacées",
}


def record_read(
    session: Session,
    viewer: Viewer,
    actor: str,
    action: str,
    target: str,
    *,
    via: Via,
    people: Iterable[int] = (),
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """One journal line: ``actor`` (viewer) did ``action`` on ``target`` through ``via``."""
    assert action in READ_LABELS, action
    agent = session.get(Agent, viewer.agent_id) if viewer.agent_id is not None else None
    who: dict[str, Any] = {"par": actor, "via": via, **(detail or {})}
    listed = sorted(set(people))
    if listed:
        who["personnes"] = listed[:MAX_PEOPLE_LISTED]
    audit(session, agent, action, target, who, at)
