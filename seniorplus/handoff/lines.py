"""A conversation as the agent console shows it: the tracker's messages and the agents' replies.

Re-exported by :mod:`seniorplus.handoff.operations` (the console's entry point).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from seniorplus.handoff.models import Handoff, HandoffReply
from seniorplus.history.transcripts import TranscriptStore
from seniorplus.staff.models import Agent


@dataclass(frozen=True)
class Line:
    """One message of a conversation as the console shows it."""

    at: datetime
    speaker: Literal["personne", "assistant", "conseiller"]
    text: str  # raw text: the console escapes it (autoescape / textContent), never |safe
    channel: str | None
    agent_name: str | None = None
    delivery: str | None = None  # for "conseiller" lines: sent/deferred/refused/failed/callback
    reason_fr: str | None = None  # why it was not delivered, in French


def conversation_lines(
    session: Session,
    conversation_id: str,
    store: TranscriptStore | None,
    since: datetime | None = None,
) -> list[Line]:
    """The person's and the assistant's messages (tracker store) and the agents' replies, by time.

    ``since``: only lines strictly after it (the console's "new lines" poll).
    """
    lines: list[Line] = []
    if store is not None:
        lines += [Line(t.at, t.speaker, t.text, t.channel) for t in store.read([conversation_id])]
    query = (
        select(HandoffReply, Handoff.channel, Agent.display_name)
        .join(Handoff, HandoffReply.handoff_id == Handoff.id)
        .join(Agent, HandoffReply.agent_id == Agent.id)
        .where(Handoff.conversation_id == conversation_id)
        .order_by(HandoffReply.at, HandoffReply.id)
    )
    for reply, channel, name in session.execute(query).all():
        lines.append(
            Line(reply.at, "conseiller", reply.text, channel, name, reply.delivery, reply.reason_fr)
        )
    if since is not None:
        lines = [line for line in lines if line.at > since]
    return sorted(lines, key=lambda line: line.at)  # stable: equal times keep their order
