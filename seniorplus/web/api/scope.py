"""The API caller as the access rule sees it (`seniorplus.handoff.access`).

A machine token has the role admin; an agent's console session is looked up again
(an account disabled since is refused, its role read from the database).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from seniorplus.staff.models import Agent
from seniorplus.staff.viewer import Viewer
from seniorplus.web.api.auth import Principal, unauthorized


def viewer_of(session: Session, principal: Principal) -> Viewer:
    """The `Viewer` of ``principal``; 401 when its agent account no longer exists or is off."""
    if principal.kind == "machine":
        return Viewer(None, principal.role)
    agent = session.scalar(select(Agent).where(Agent.login == principal.name))
    if agent is None or not agent.active:
        raise unauthorized()
    return Viewer(agent.id, agent.role)
