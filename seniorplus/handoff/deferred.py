"""The handoff's job kind: an agent's reply held back by quiet hours, sent when they end.

Written here, in the reply's transaction; the scheduler sends it
(`seniorplus.scheduler.deferred_replies`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from seniorplus.handoff.models import HandoffReply
from seniorplus.jobs.queue import schedule_job

KIND = "reponse_differee"


def schedule_deferred_reply(session: Session, reply: HandoffReply, not_before: datetime) -> None:
    """Send ``reply`` at ``not_before`` (written once per reply)."""
    schedule_job(session, KIND, f"reponse:{reply.id}", not_before, {"reply_id": reply.id})
