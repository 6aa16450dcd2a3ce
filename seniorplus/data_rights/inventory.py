"""Everything held about one contact, gathered from every table that names them.

Functions take a session; the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from seniorplus.booking.models import Appointment
from seniorplus.cases.cases import cases_of_contact
from seniorplus.cases.contacts import seniors_of
from seniorplus.cases.models import CaregiverLink, Case, Contact
from seniorplus.models import CallbackRequest, ChannelIdentity, ChannelOptOut


@dataclass(frozen=True)
class PersonData:
    """What we hold about ``contact``; the history itself is in the tracker store."""

    contact: Contact
    relatives: list[tuple[CaregiverLink, Contact]]  # the seniors they act for
    caregivers: list[tuple[CaregiverLink, Contact]]  # who acts for them
    cases: list[Case]  # opened by them, for them, or for a senior they act for
    appointments: list[Appointment]  # theirs, every status, soonest first
    opt_outs: list[ChannelOptOut]
    identities: list[ChannelIdentity]  # Telegram chats linked to their phone
    callback_requests: list[CallbackRequest]

    @property
    def conversation_ids(self) -> list[str]:
        """The Rasa conversations that are theirs."""
        return conversation_ids(self.contact, self.identities)


def conversation_ids(
    contact: Contact, identities: list[ChannelIdentity] | None = None
) -> list[str]:
    """Every sender id this person may have used: SMS and phone, Telegram, the REST tests."""
    ids = [contact.conversation_id, contact.phone]
    if contact.telegram_chat_id:
        ids.append(f"tg{contact.telegram_chat_id}")
    ids.extend(f"tg{identity.address}" for identity in identities or [])
    return sorted({i for i in ids if i})


def _addresses(contact: Contact) -> list[str]:
    return [a for a in (contact.phone, contact.telegram_chat_id) if a]


def caregivers_of(session: Session, senior: Contact) -> list[tuple[CaregiverLink, Contact]]:
    """The people who act for ``senior``, oldest link first."""
    rows = session.execute(
        select(CaregiverLink, Contact)
        .join(Contact, Contact.id == CaregiverLink.caregiver_id)
        .where(CaregiverLink.senior_id == senior.id)
        .order_by(CaregiverLink.id)
    ).all()
    return [(link, caregiver) for link, caregiver in rows]


def collect(session: Session, contact: Contact) -> PersonData:
    """Gather ``contact``'s data from the case, agenda and channel tables."""
    addresses = _addresses(contact)
    identities: list[ChannelIdentity] = []
    if contact.phone:
        identities = list(
            session.scalars(select(ChannelIdentity).where(ChannelIdentity.phone == contact.phone))
        )
    opt_outs = list(
        session.scalars(select(ChannelOptOut).where(ChannelOptOut.address.in_(addresses)))
    )
    callbacks: list[CallbackRequest] = []
    if contact.phone:
        callbacks = list(
            session.scalars(
                select(CallbackRequest)
                .where(CallbackRequest.phone == contact.phone)
                .order_by(CallbackRequest.requested_at)
            )
        )
    appointments = list(
        session.scalars(
            select(Appointment)
            .where(Appointment.contact_id == contact.id)
            .order_by(Appointment.starts_at)
        )
    )
    return PersonData(
        contact=contact,
        relatives=seniors_of(session, contact),
        caregivers=caregivers_of(session, contact),
        cases=cases_of_contact(session, contact),
        appointments=appointments,
        opt_outs=opt_outs,
        identities=identities,
        callback_requests=callbacks,
    )


def only_known_through(session: Session, senior: Contact, caregiver: Contact) -> bool:
    """A senior who never wrote to us and whom only ``caregiver`` named."""
    if senior.conversation_id or senior.phone or senior.telegram_chat_id:
        return False
    other = session.scalar(
        select(CaregiverLink.id).where(
            CaregiverLink.senior_id == senior.id, CaregiverLink.caregiver_id != caregiver.id
        )
    )
    opened_by_other = session.scalar(
        select(Case.id).where(Case.for_id == senior.id, Case.opened_by_id != caregiver.id)
    )
    return other is None and opened_by_other is None
