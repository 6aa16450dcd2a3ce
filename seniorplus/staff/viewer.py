"""Who is looking: an agent's id and role (the rule itself: `seniorplus.handoff.access`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from seniorplus.staff.models import Agent

SEEING_EVERYTHING = ("supervisor", "admin")


class SignedInAgent(Protocol):
    """An agent behind a live console session (`seniorplus.console.sessions.SignedIn`)."""

    @property
    def agent_id(self) -> int: ...

    @property
    def role(self) -> str: ...


@dataclass(frozen=True)
class Viewer:
    """Who is looking: an agent's id and role (``agent_id`` None: a machine token)."""

    agent_id: int | None
    role: str

    @property
    def sees_everything(self) -> bool:
        return self.role in SEEING_EVERYTHING

    @property
    def sees_full_phones(self) -> bool:
        return self.sees_everything

    @classmethod
    def of(cls, who: SignedInAgent | Agent) -> Viewer:
        return cls(who.id if isinstance(who, Agent) else who.agent_id, who.role)


NOBODY = Viewer(None, "aucun")
