"""One person's data as JSON, for an agent answering a right-of-access request."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from seniorplus.cases.audit import case_history
from seniorplus.cases.documents import case_summary
from seniorplus.data_rights.inventory import PersonData
from seniorplus.history.transcripts import TranscriptLine

EXPORT_VERSION = 1


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def _person(data: PersonData) -> dict[str, Any]:
    c = data.contact
    return {
        "contact_id": c.id,
        "phone": c.phone,
        "telegram_chat_id": c.telegram_chat_id,
        "conversation_id": c.conversation_id,
        "display_name": c.display_name,
        "preferred_channel": c.preferred_channel,
        "consent_at": _iso(c.consent_at),
        "notice_version": c.notice_version,
        "created_at": _iso(c.created_at),
        "erased_at": _iso(c.erased_at),
    }


def _link(link: Any, other: Any) -> dict[str, Any]:
    return {
        "contact_id": other.id,
        "display_name": other.display_name,
        "relationship": link.relationship,
        "senior_consent_at": _iso(link.senior_consent_at),
        "since": _iso(link.created_at),
    }


def export_person(
    session: Session, data: PersonData, transcript: list[TranscriptLine] | None
) -> dict[str, Any]:
    """Everything held about ``data.contact``; ``transcript`` None means "not available here"."""
    cases = []
    for case in data.cases:
        summary = case_summary(case)
        summary["history"] = [
            {"at": _iso(e.at), "actor": e.actor, "action": e.action, "detail": e.detail}
            for e in case_history(session, case)
        ]
        cases.append(summary)
    return {
        "export_version": EXPORT_VERSION,
        "person": _person(data),
        "acts_for": [_link(link, senior) for link, senior in data.relatives],
        "represented_by": [_link(link, caregiver) for link, caregiver in data.caregivers],
        "cases": cases,
        "appointments": [
            {
                "reference": a.reference,
                "starts_at": _iso(a.starts_at),
                "mode": a.mode,
                "status": a.status,
                "booked_by": a.booked_by,
                "case_id": a.case_id,
            }
            for a in data.appointments
        ],
        "opt_outs": [{"channel": o.channel, "since": _iso(o.since)} for o in data.opt_outs],
        "linked_chats": [
            {"channel": i.channel, "address": i.address, "linked_at": _iso(i.linked_at)}
            for i in data.identities
        ],
        "callback_requests": [
            {"reason": r.reason, "requested_at": _iso(r.requested_at), "status": r.status}
            for r in data.callback_requests
        ],
        "conversation": None
        if transcript is None
        else [
            {"at": _iso(line.at), "from": line.speaker, "text": line.text, "channel": line.channel}
            for line in transcript
        ],
    }
