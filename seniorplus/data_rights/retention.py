"""The daily purge: what is past its retention period goes (docs/data-rights.md).

- conversation history older than ``CONVERSATION_RETENTION_DAYS`` (tracker store),
  and so are the call records and handled callback requests;
- finished scheduler jobs and closed handoffs older than that (they name people);
- a person whose cases are all closed and who has not been in touch for
  ``CASE_RETENTION_DAYS`` is anonymised like an erasure (actor "system");
- message receipts (vendor ids kept to drop duplicates) after 30 days;
- one-time code rows (identity.py) idle for a day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.orm import Session

from seniorplus.booking.models import Appointment
from seniorplus.cases.audit import SYSTEM
from seniorplus.cases.cases import CLOSED
from seniorplus.cases.models import Case, Contact
from seniorplus.data_rights.erasure import erase_person
from seniorplus.data_rights.identity import purge_checks
from seniorplus.data_rights.inventory import conversation_ids
from seniorplus.events.store import SEEN_KEPT, forget_before
from seniorplus.handoff.models import Handoff
from seniorplus.history.transcripts import TranscriptStore
from seniorplus.jobs.models import ScheduledJob
from seniorplus.models import Call, CallbackRequest, InboundReceipt
from seniorplus.settings import DataRightsSettings

logger = logging.getLogger(__name__)

RECEIPT_DAYS = 30
FINISHED_JOBS = ("fait", "annule", "echec")


@dataclass(frozen=True)
class PurgeReport:
    """How many rows each part of the purge removed or anonymised."""

    history_events: int = 0
    calls: int = 0
    callback_requests: int = 0
    receipts: int = 0
    jobs: int = 0
    contacts_anonymised: int = 0
    handoffs: int = 0
    identity_checks: int = 0


def _count(session: Session, statement: object) -> int:
    result = session.execute(statement)  # type: ignore[call-overload]
    return int(getattr(result, "rowcount", 0) or 0)


def _inactive_contacts(session: Session, cutoff: datetime) -> list[Contact]:
    """Not erased, known before ``cutoff``, no open or recent case, no recent appointment."""
    recent_case = exists().where(
        or_(Case.opened_by_id == Contact.id, Case.for_id == Contact.id),
        or_(Case.status != CLOSED, Case.updated_at >= cutoff),
    )
    recent_appointment = exists().where(
        Appointment.contact_id == Contact.id, Appointment.starts_at >= cutoff
    )
    return list(
        session.scalars(
            select(Contact).where(
                Contact.erased_at.is_(None),
                Contact.created_at < cutoff,
                ~recent_case,
                ~recent_appointment,
            )
        )
    )


def _quiet(transcripts: TranscriptStore | None, contact: Contact, cutoff: datetime) -> bool:
    if transcripts is None:
        return True
    return transcripts.quiet_since(conversation_ids(contact), cutoff)


def purge_expired(
    session: Session,
    transcripts: TranscriptStore | None,
    settings: DataRightsSettings,
    now: datetime,
) -> PurgeReport:
    """Run the purge in the caller's transaction (the history is deleted in its own)."""
    history_cutoff = now - timedelta(days=settings.conversation_retention_days)
    case_cutoff = now - timedelta(days=settings.case_retention_days)
    history = transcripts.delete_before(history_cutoff) if transcripts is not None else 0
    forget_before(session, history_cutoff, now - SEEN_KEPT)  # seniorplus/events
    calls = _count(session, delete(Call).where(Call.started_at < history_cutoff))
    callbacks = _count(
        session,
        delete(CallbackRequest).where(
            CallbackRequest.requested_at < history_cutoff, CallbackRequest.status != "waiting"
        ),
    )
    receipts = _count(
        session,
        delete(InboundReceipt).where(
            InboundReceipt.received_at < now - timedelta(days=RECEIPT_DAYS)
        ),
    )
    handoffs = _count(  # closed handoffs: their summaries and replies go with the history
        session,
        delete(Handoff).where(
            Handoff.status.in_(("rendue", "close")), Handoff.updated_at < history_cutoff
        ),
    )
    jobs = _count(
        session,
        delete(ScheduledJob).where(
            ScheduledJob.status.in_(FINISHED_JOBS), ScheduledJob.run_at < history_cutoff
        ),
    )
    anonymised = 0
    for contact in _inactive_contacts(session, case_cutoff):
        if _quiet(transcripts, contact, case_cutoff):
            erase_person(session, contact, actor=SYSTEM, now=now, history_delay_s=0)
            anonymised += 1
    checks = purge_checks(session, now)
    report = PurgeReport(history, calls, callbacks, receipts, jobs, anonymised, handoffs, checks)
    logger.info("Purge de rétention : %s", report)
    return report
