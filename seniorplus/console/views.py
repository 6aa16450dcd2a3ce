"""Plain data for the pages and their JSON refreshes, built from ORM rows (no I/O)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from seniorplus.console import labels
from seniorplus.console.render import BASE
from seniorplus.console.sessions import SignedIn
from seniorplus.handoff.models import Handoff
from seniorplus.staff.models import Agent


@dataclass(frozen=True)
class QueueItem:
    """One line of the queue."""

    id: int
    url: str
    status: str
    reason: str
    channel: str
    waiting: str
    summary: str
    holder: str | None
    mine: bool
    urgent: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def queue_item(handoff: Handoff, me: SignedIn, now: datetime) -> QueueItem:
    holder = handoff.assigned_agent
    since = (
        handoff.created_at
        if handoff.status == "en_attente"
        else (handoff.claimed_at or handoff.created_at)
    )
    return QueueItem(
        id=handoff.id,
        url=f"{BASE}/conversations/{handoff.id}",
        status=handoff.status,
        reason=labels.label(labels.REASON_LABELS, handoff.reason),
        channel=labels.label(labels.CHANNEL_LABELS, handoff.channel),
        waiting=labels.waiting_since(since, now),
        summary=labels.first_line(handoff.summary),
        holder=holder.display_name if holder is not None else None,
        mine=handoff.assigned_agent_id == me.agent_id,
        urgent=handoff.reason in labels.URGENT_REASONS,
    )


@dataclass(frozen=True)
class Queue:
    """The queue as an agent sees it: waiting, mine, and (supervisors) the others'."""

    waiting: list[QueueItem]
    mine: list[QueueItem]
    others: list[QueueItem]

    def as_json(self, agents: list[Agent]) -> dict[str, Any]:
        return {
            "en_attente": [item.as_json() for item in self.waiting],
            "mes_conversations": [item.as_json() for item in self.mine],
            "autres": [item.as_json() for item in self.others],
            "conseillers": [{"id": a.id, "nom": a.display_name} for a in agents],
        }


def build_queue(handoffs: list[Handoff], me: SignedIn, now: datetime) -> Queue:
    items = [queue_item(handoff, me, now) for handoff in handoffs]
    return Queue(
        waiting=[i for i in items if i.status == "en_attente"],
        mine=[i for i in items if i.status != "en_attente" and i.mine],
        others=[i for i in items if i.status != "en_attente" and not i.mine],
    )
