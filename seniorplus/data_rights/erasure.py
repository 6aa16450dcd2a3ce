""" "Supprimez mes données": erase a person's coordinates and history, keep what the law needs.

Erased at once (in the caller's transaction):

- the contact's phone, Telegram chat, conversation id, name, channel and consent
  (the row stays, anonymised, with ``erased_at`` set, because closed cases point to it);
- the seniors only they had named (name erased), and their caregiver links;
- their upcoming appointments (cancelled, the mediator's slot freed; no notice
  is sent to an erased person), pending reminders, callback requests, calls,
  linked Telegram chats, the privacy-notice receipts, and their handoffs to an
  agent (summary and the agents' replies).

Kept, without coordinates: their cases (reference, procedure, checklist,
history), closed with the reason "effacement demandé", as an administrative
record the retention job anonymises after ``CASE_RETENTION_DAYS``; and a STOP
(``channel_opt_outs``), which we must keep honouring.

Deferred: the conversation history in the tracker store, deleted by the
scheduler job ``effacement_historique`` once the conversation is quiet
(see :mod:`seniorplus.history.transcripts` for why not at once). See docs/data-rights.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from seniorplus.booking.service import cancel
from seniorplus.cases.audit import check_actor, record_event
from seniorplus.cases.cases import CLOSED, set_status
from seniorplus.cases.models import CaregiverLink, Case, Contact
from seniorplus.data_rights.identity import forget_checks
from seniorplus.data_rights.inventory import PersonData, collect, only_known_through
from seniorplus.events.store import forget_conversations
from seniorplus.handoff.models import Handoff
from seniorplus.jobs.models import ScheduledJob
from seniorplus.jobs.queue import schedule_job
from seniorplus.models import Call, CallbackRequest, ChannelIdentity, PrivacyNoticeShown

HISTORY_JOB = "effacement_historique"
ERASURE_REASON = "effacement demandé"


@dataclass(frozen=True)
class ErasurePlan:
    """What an erasure would do, told to the person before they confirm."""

    cases_to_close: list[str] = field(default_factory=list)
    appointments_to_cancel: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure did."""

    contact_id: int
    already_erased: bool = False
    cases_closed: list[str] = field(default_factory=list)
    appointments_cancelled: list[str] = field(default_factory=list)
    relatives_erased: int = 0
    conversations: int = 0  # conversation histories scheduled for deletion


def _own_open_cases(data: PersonData) -> list[Case]:
    me = data.contact.id
    return [c for c in data.cases if c.status != CLOSED and me in (c.opened_by_id, c.for_id)]


def erasure_plan(data: PersonData, now: datetime) -> ErasurePlan:
    """The cases that would be closed and the appointments cancelled."""
    upcoming = [a for a in data.appointments if a.status == "reserve" and a.starts_at > now]
    return ErasurePlan(
        cases_to_close=[c.reference for c in _own_open_cases(data)],
        appointments_to_cancel=[a.reference for a in upcoming],
    )


def _cancel_appointments(
    session: Session, data: PersonData, actor: str, now: datetime
) -> list[str]:
    plan = erasure_plan(data, now)
    for reference in plan.appointments_to_cancel:
        cancel(session, data.contact, reference, actor=actor, now=now)
    ids = [a.id for a in data.appointments]
    kinds = ("confirmation", "rappel", "annulation")
    keys = [f"{kind}:appointment:{i}" for i in ids for kind in kinds]
    if keys:  # nothing more is sent to an erased person, not even the cancellation
        session.execute(
            update(ScheduledJob)
            .where(ScheduledJob.key.in_(keys), ScheduledJob.status.in_(("en_attente", "echec")))
            .values(status="annule", last_error=ERASURE_REASON)
        )
    return plan.appointments_to_cancel


def _close_cases(session: Session, data: PersonData, actor: str) -> list[str]:
    closed = []
    for case in _own_open_cases(data):
        set_status(session, case, CLOSED, actor)
        record_event(session, case, actor, "effacement", {"motif": ERASURE_REASON})
        closed.append(case.reference)
    return closed


def _erase_relatives(session: Session, data: PersonData, now: datetime) -> int:
    erased = 0
    for _link, senior in data.relatives:
        if senior.erased_at is None and only_known_through(session, senior, data.contact):
            senior.display_name = None
            senior.erased_at = now
            erased += 1
    me = data.contact.id
    session.execute(
        delete(CaregiverLink).where(
            (CaregiverLink.caregiver_id == me) | (CaregiverLink.senior_id == me)
        )
    )
    return erased


def _forget_channels(session: Session, contact: Contact, conversation_ids: list[str]) -> None:
    if contact.phone:
        for table in (ChannelIdentity, Call, CallbackRequest):
            session.execute(delete(table).where(table.phone == contact.phone))
    if conversation_ids:
        session.execute(
            delete(PrivacyNoticeShown).where(
                PrivacyNoticeShown.conversation_id.in_(conversation_ids)
            )
        )
        session.execute(  # the summaries and the agents' replies name the person
            delete(Handoff).where(Handoff.conversation_id.in_(conversation_ids))
        )
        forget_checks(session, conversation_ids)
        forget_conversations(session, conversation_ids)  # the event consumer's rows


def _anonymise(contact: Contact, now: datetime) -> None:
    contact.phone = None
    contact.telegram_chat_id = None
    contact.conversation_id = None
    contact.display_name = None
    contact.preferred_channel = None
    contact.consent_at = None
    contact.notice_version = None
    contact.erased_at = now


def erase_person(
    session: Session,
    contact: Contact,
    *,
    actor: str,
    now: datetime,
    history_delay_s: int,
) -> ErasureReport:
    """Erase ``contact`` (see the module docstring); erasing twice changes nothing more.

    Raises:
        CaseError: ``actor`` is not a valid audit actor.
    """
    check_actor(actor)
    if contact.erased_at is not None:
        return ErasureReport(contact.id, already_erased=True)
    data = collect(session, contact)
    conversation_ids = data.conversation_ids
    cancelled = _cancel_appointments(session, data, actor, now)
    closed = _close_cases(session, data, actor)
    relatives = _erase_relatives(session, data, now)
    _forget_channels(session, contact, conversation_ids)
    if conversation_ids:
        schedule_job(
            session,
            HISTORY_JOB,
            f"effacement:contact:{contact.id}:{int(now.timestamp())}",
            now + timedelta(seconds=history_delay_s),
            {"conversation_ids": conversation_ids, "requested_at": now.isoformat()},
        )
    _anonymise(contact, now)
    session.flush()
    return ErasureReport(
        contact.id,
        cases_closed=closed,
        appointments_cancelled=cancelled,
        relatives_erased=relatives,
        conversations=len(conversation_ids),
    )


def find_contact(session: Session, contact_id: int) -> Contact | None:
    """The contact with this id (None if unknown)."""
    return session.scalar(select(Contact).where(Contact.id == contact_id))
