"""Contacts: the person behind a conversation, caregivers and the seniors they act for.

Functions take a session; the caller owns the transaction. Inserts that can
race (two messages of the same person at once) run in a SAVEPOINT and fall back
on the row the other transaction wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from policies.phones import is_e164
from policies.questions import normalise
from seniorplus.cases.errors import CaseError
from seniorplus.cases.models import CHANNELS, CaregiverLink, Contact
from seniorplus.models import utcnow

TELEGRAM_CONVERSATION_RE = re.compile(r"^tg(\d{1,20})$")
NAME_MAX_CHARS = 80
RELATIONSHIP_MAX_CHARS = 32


def _find_for_conversation(session: Session, conversation_id: str) -> Contact | None:
    contact = session.scalar(select(Contact).where(Contact.conversation_id == conversation_id))
    if contact is not None:
        return contact
    if is_e164(conversation_id):
        return session.scalar(select(Contact).where(Contact.phone == conversation_id))
    telegram = TELEGRAM_CONVERSATION_RE.fullmatch(conversation_id)
    if telegram:
        chat_id = telegram.group(1)
        return session.scalar(select(Contact).where(Contact.telegram_chat_id == chat_id))
    return None


def find_contact(session: Session, conversation_id: str) -> Contact | None:
    """The contact of a conversation if we know them, without creating one."""
    return _find_for_conversation(session, conversation_id.strip())


def _insert_or_reread(session: Session, row: object, reread: Callable[[], object | None]) -> None:
    """Insert ``row`` in a SAVEPOINT; on a unique violation, let ``reread`` find the winner."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        if reread() is None:
            raise


def contact_for_conversation(session: Session, conversation_id: str, channel: str) -> Contact:
    """The contact of a Rasa conversation, created on first use.

    An E.164 conversation id (SMS, voice, a linked Telegram chat) is the phone;
    "tg<chat id>" is an unlinked Telegram chat. A contact known by its phone or
    chat id (created by an agent, or on another channel) is found by it.

    Raises:
        CaseError: unknown channel or empty conversation id.
    """
    conversation_id = conversation_id.strip()
    if channel not in CHANNELS:
        raise CaseError("Ce canal de discussion n'est pas reconnu.")
    if not conversation_id or len(conversation_id) > 128:
        raise CaseError("Je ne reconnais pas cette conversation.")
    contact = _find_for_conversation(session, conversation_id)
    if contact is not None:
        if contact.conversation_id is None and contact.erased_at is None:
            contact.conversation_id = conversation_id
            session.flush()
        return contact
    telegram = TELEGRAM_CONVERSATION_RE.fullmatch(conversation_id)
    created = Contact(
        conversation_id=conversation_id,
        phone=conversation_id if is_e164(conversation_id) else None,
        telegram_chat_id=telegram.group(1) if telegram else None,
        preferred_channel=channel,
    )
    _insert_or_reread(session, created, lambda: _find_for_conversation(session, conversation_id))
    if created.id is None:  # another transaction created it first
        winner = _find_for_conversation(session, conversation_id)
        assert winner is not None
        return winner
    return created


def _clean_relationship(relationship: str) -> str:
    cleaned = " ".join(relationship.split()).lower()
    if not cleaned or len(cleaned) > RELATIONSHIP_MAX_CHARS:
        raise CaseError("Dites-moi qui est cette personne pour vous, par exemple votre mère.")
    return cleaned


def _existing_link(session: Session, caregiver_id: int, senior_id: int) -> CaregiverLink | None:
    return session.scalar(
        select(CaregiverLink).where(
            CaregiverLink.caregiver_id == caregiver_id, CaregiverLink.senior_id == senior_id
        )
    )


def _senior_by_name(
    session: Session, caregiver: Contact, name: str | None, relationship: str
) -> Contact | None:
    """A senior this caregiver already named, with the same relationship and name."""
    seniors = session.scalars(
        select(Contact)
        .join(CaregiverLink, Contact.id == CaregiverLink.senior_id)
        .where(CaregiverLink.caregiver_id == caregiver.id)
        .where(CaregiverLink.relationship == relationship)
        .order_by(CaregiverLink.id)
    )
    wanted = normalise(name) if name else ""
    for senior in seniors:
        if normalise(senior.display_name or "") == wanted:
            return senior
    return None


def link_caregiver(
    session: Session,
    caregiver: Contact,
    senior_name_or_contact: str | Contact | None,
    relationship: str,
) -> CaregiverLink:
    """Record that ``caregiver`` acts for a senior; idempotent.

    The senior is a known contact, or a name ("Jeanne Martin"; None or "" when
    the caregiver only said "ma mère"): a senior already linked to this caregiver
    with the same relationship and name is reused, else a contact without
    conversation is created. Linking again returns the existing link (its
    relationship updated).

    Raises:
        CaseError: empty or too long relationship or name, or a link to oneself.
    """
    relationship = _clean_relationship(relationship)
    if isinstance(senior_name_or_contact, Contact):
        senior = senior_name_or_contact
        if senior.id == caregiver.id:
            raise CaseError("Vous ne pouvez pas être l'aidant de vous-même.")
    else:
        name = " ".join((senior_name_or_contact or "").split()) or None
        if name is not None and len(name) > NAME_MAX_CHARS:
            raise CaseError("Ce nom est trop long. Donnez seulement le prénom et le nom.")
        found = _senior_by_name(session, caregiver, name, relationship)
        if found is None:
            found = Contact(display_name=name)
            session.add(found)
            session.flush()
        senior = found
    link = _existing_link(session, caregiver.id, senior.id)
    if link is not None:
        if link.relationship != relationship:
            link.relationship = relationship
            session.flush()
        return link
    link = CaregiverLink(caregiver_id=caregiver.id, senior_id=senior.id, relationship=relationship)
    _insert_or_reread(session, link, lambda: _existing_link(session, caregiver.id, senior.id))
    if link.id is None:
        winner = _existing_link(session, caregiver.id, senior.id)
        assert winner is not None
        return winner
    return link


def seniors_of(session: Session, caregiver: Contact) -> list[tuple[CaregiverLink, Contact]]:
    """The seniors ``caregiver`` acts for, with their links, oldest link first."""
    rows = session.execute(
        select(CaregiverLink, Contact)
        .join(Contact, Contact.id == CaregiverLink.senior_id)
        .where(CaregiverLink.caregiver_id == caregiver.id)
        .order_by(CaregiverLink.id)
    ).all()
    return [(link, senior) for link, senior in rows]


def is_caregiver_of(session: Session, caregiver: Contact, senior_id: int) -> bool:
    """Whether ``caregiver`` is linked to the senior ``senior_id``."""
    return _existing_link(session, caregiver.id, senior_id) is not None


def record_consent(
    session: Session, contact: Contact, notice_version: str, at: datetime | None = None
) -> bool:
    """Record that ``contact`` accepted privacy notice ``notice_version``.

    Returns:
        True if recorded now, False if this version was already accepted.

    Raises:
        CaseError: empty or too long notice version.
    """
    version = notice_version.strip()
    if not version or len(version) > 16:
        raise CaseError("Cette version de la notice n'est pas reconnue.")
    if contact.notice_version == version and contact.consent_at is not None:
        return False
    contact.consent_at = at or utcnow()
    contact.notice_version = version
    session.flush()
    return True


def record_senior_consent(
    session: Session, link: CaregiverLink, at: datetime | None = None
) -> bool:
    """Record the senior's own consent to the caregiver acting for them; idempotent."""
    if link.senior_consent_at is not None:
        return False
    link.senior_consent_at = at or utcnow()
    session.flush()
    return True


def contacts_by_phone(session: Session, phone: str) -> list[Contact]:
    """Contacts with this E.164 phone, as their phone or conversation id (agent search)."""
    return list(
        session.scalars(
            select(Contact).where(or_(Contact.phone == phone, Contact.conversation_id == phone))
        )
    )
