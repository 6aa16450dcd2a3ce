"""Booking over the database: propose slots, book, cancel, reschedule.

Functions take a session; the caller owns the transaction and commits. Whether a
slot is free is decided by the database, not by a prior read: the partial
unique index ``uq_appointments_reserved_slot`` (one reserved appointment per
mediator and start) refuses the second insert; the insert runs in a SAVEPOINT,
so the loser's savepoint is rolled back and `SlotTaken` carries the next free
slots. A double-tapped confirmation by the same person finds their own
reservation and returns it. Each booking writes its confirmation job and its
day-before reminder into ``scheduled_jobs`` under unique keys; cancelling
cancels them and writes the cancellation notice.

Jobs: see `seniorplus.booking.jobs`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from policies.hours import PARIS
from seniorplus.booking.agenda import load_calendars, load_sites
from seniorplus.booking.dates import WantedTime, say_slot
from seniorplus.booking.jobs import cancel_jobs, schedule_booked, schedule_cancelled
from seniorplus.booking.models import MODES, Appointment, Mediator, Site
from seniorplus.booking.rules import (
    NOT_THEIRS,
    Decision,
    is_their_appointment,
    may_book,
    may_cancel,
    may_move,
)
from seniorplus.booking.slots import (
    HORIZON_DAYS,
    OfferReason,
    Slot,
    earliest_start,
    free_slots,
    merge_slots,
    next_free_slots,
    parse_slot_key,
)
from seniorplus.cases.audit import check_actor, record_event
from seniorplus.cases.contacts import is_caregiver_of
from seniorplus.cases.errors import CaseError
from seniorplus.cases.models import Case, Contact
from seniorplus.cases.references import new_appointment_reference, parse_appointment_reference
from seniorplus.models import utcnow
from seniorplus.places import Place, locate

logger = logging.getLogger(__name__)

ALTERNATIVES = 3
_REFERENCE_ATTEMPTS = 5
NOT_FOUND = NOT_THEIRS


def cares_for(session: Session, contact: Contact) -> Callable[[int], bool]:
    """Whether ``contact`` helps the senior of an id (caregiver links), for the rules."""
    return lambda senior_id: is_caregiver_of(session, contact, senior_id)


class BookingError(CaseError):
    """A booking refused; ``message_fr`` is the French answer to give."""


class BookingRefused(BookingError):
    """Refused by a booking rule (``rules.py``): ``decision.why`` says which."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.reason_fr or "Ce rendez-vous n'est pas possible.")
        self.decision = decision


class AppointmentNotFound(BookingError):
    """Unknown reference, or an appointment that is not the person's (never said which)."""

    def __init__(self) -> None:
        super().__init__(NOT_FOUND)


@dataclass(frozen=True)
class ProposedSlot:
    """A slot with what the person needs to choose it."""

    slot: Slot
    site_name: str
    site_commune: str
    site_address: str
    label: str  # "mardi 3 décembre à 9 h 45, France Services Clisson (démo)"


class SlotUnavailable(BookingError):
    """The slot is not (or no longer) one that can be given; ``alternatives`` are."""

    def __init__(self, message_fr: str, alternatives: tuple[ProposedSlot, ...]) -> None:
        super().__init__(message_fr)
        self.alternatives = alternatives

    @property
    def alternative(self) -> ProposedSlot | None:
        """The first free slot to offer instead, if any."""
        return self.alternatives[0] if self.alternatives else None


class SlotTaken(SlotUnavailable):
    """Someone else reserved this slot first (the database refused the second one)."""


@dataclass(frozen=True)
class Proposal:
    """What `propose_slots` found: the choices and, in French, how they were chosen."""

    choices: tuple[ProposedSlot, ...]
    reason: OfferReason
    matched: bool
    place: Place | None
    message: str


def _present(session: Session, slots: Iterable[Slot], now: datetime) -> tuple[ProposedSlot, ...]:
    slots = list(slots)
    site_ids = {s.site_id for s in slots}
    sites = (
        {s.id: s for s in session.scalars(select(Site).where(Site.id.in_(site_ids)))}
        if site_ids
        else {}
    )
    out = []
    for slot in slots:
        site = sites[slot.site_id]
        when = say_slot(slot.starts_at, now)
        if slot.mode == "telephone":
            label = f"{when}, par téléphone"
        elif slot.mode == "domicile":
            label = f"{when}, chez vous"
        else:
            label = f"{when}, {site.name}"
        out.append(ProposedSlot(slot, site.name, site.commune, site.address, label))
    return tuple(out)


_INTRO: dict[str, str] = {
    "ok": "Voici les prochains rendez-vous libres :",
    "unknown_place": (
        "Je ne connais pas cette commune. Je vous propose un rendez-vous par téléphone :"
    ),
    "no_site_near": (
        "Il n'y a pas de point d'accueil près de chez vous. Je vous propose un rendez-vous "
        "par téléphone :"
    ),
    "no_free_slot_near": (
        "Les points d'accueil près de chez vous sont complets. Je vous propose un rendez-vous "
        "par téléphone :"
    ),
    "none_free": (
        "Il n'y a plus de rendez-vous libre ces prochaines semaines. Un conseiller peut vous "
        "rappeler."
    ),
}


def propose_slots(
    session: Session,
    journey: str,
    commune_or_postcode: str | None,
    after: datetime | None = None,
    n: int = 3,
    *,
    mode: str | None = None,
    wanted: WantedTime | None = None,
    now: datetime | None = None,
) -> Proposal:
    """The next ``n`` free slots for ``journey`` near the person's commune.

    Args:
        commune_or_postcode: "Clisson", "44190"; None or unknown → phone slots.
        after: look from this moment (default: now; never before the minimum notice).
        mode: "sur_place" (default), "domicile" or "telephone".
        wanted: the day/time the person asked for (`seniorplus.booking.dates.read_when`).
    """
    now = now or utcnow()
    if after is None:
        after = wanted.search_from(now) if wanted is not None else now
    place = locate(commune_or_postcode) if commune_or_postcode else None
    start = max(after.astimezone(PARIS), earliest_start(now))
    calendars = load_calendars(
        session, start, start + timedelta(days=HORIZON_DAYS + 1), journey=journey
    )
    sites = load_sites(session)
    offer = next_free_slots(
        calendars,
        sites,
        journey,
        place,
        after,
        now=now,
        n=n,
        mode=mode,
        wanted=wanted.matches if wanted is not None else None,
    )
    intro = _INTRO[offer.reason]
    if offer.reason == "unknown_place" and not commune_or_postcode:
        intro = "Je vous propose un rendez-vous par téléphone :"
    if offer.slots and wanted is not None and not offer.matched:
        intro = f"Il n'y a plus de place {wanted.describe()}. {intro}"
    return Proposal(_present(session, offer.slots, now), offer.reason, offer.matched, place, intro)


def _alternatives(
    session: Session, taken: Slot, journey: str | None, now: datetime
) -> tuple[ProposedSlot, ...]:
    """The next free slots like ``taken``: same site (or any, by phone), same journey."""
    start = earliest_start(now)
    end = start + timedelta(days=HORIZON_DAYS)
    if journey is not None:
        site_id = None if taken.mode == "telephone" else taken.site_id
        calendars = load_calendars(session, start, end, journey=journey, site_id=site_id)
    else:
        calendars = load_calendars(session, start, end, site_id=taken.site_id)
    streams = [list(free_slots(c, start, end, modes=[taken.mode])) for c in calendars]
    merged = [s for s in merge_slots(streams) if s != taken][:ALTERNATIVES]
    return _present(session, merged, now)


# --- booking --------------------------------------------------------------------------


def _resolve_slot(
    session: Session, slot: Slot | str, mode: str | None, now: datetime
) -> tuple[Slot | None, Slot]:
    """(the real slot of the grid or None, the slot as asked) for ``slot`` and ``mode``."""
    if isinstance(slot, str):
        parsed = parse_slot_key(slot)
        if parsed is None:
            raise BookingError(
                "Je n'ai pas reconnu ce rendez-vous. Pouvez-vous le choisir à nouveau ?"
            )
        mediator_id, starts_at, key_mode = parsed
        mediator = session.get(Mediator, mediator_id)
        site_id = mediator.site_id if mediator is not None else 0
        asked = Slot(starts_at, starts_at, mediator_id, site_id, mode or key_mode)
    else:
        asked = Slot(
            slot.starts_at, slot.ends_at, slot.mediator_id, slot.site_id, mode or slot.mode
        )
    if asked.mode not in MODES:
        raise BookingError("Ce type de rendez-vous n'existe pas.")
    calendars = load_calendars(
        session,
        asked.starts_at,
        asked.starts_at + timedelta(days=1),
        mediator_ids=[asked.mediator_id],
        with_booked=False,  # the unique index decides who gets an already taken start
    )
    if not calendars or asked.starts_at < earliest_start(now):
        return None, asked
    for real in free_slots(
        calendars[0], asked.starts_at, asked.starts_at + timedelta(minutes=1), modes=[asked.mode]
    ):
        return real, asked
    return None, asked


def _reserved(session: Session, mediator_id: int, starts_at: datetime) -> Appointment | None:
    return session.scalar(
        select(Appointment).where(
            Appointment.mediator_id == mediator_id,
            Appointment.starts_at == starts_at,
            Appointment.status == "reserve",
        )
    )


def _overlapping(session: Session, slot: Slot) -> Appointment | None:
    """A reserved appointment of the mediator overlapping ``slot`` with another start."""
    return session.scalar(
        select(Appointment).where(
            Appointment.mediator_id == slot.mediator_id,
            Appointment.status == "reserve",
            Appointment.starts_at < slot.ends_at,
            Appointment.ends_at > slot.starts_at,
            Appointment.starts_at != slot.starts_at,
        )
    )


def _refuse(decision: Decision) -> None:
    """Raise the refusal of a booking rule (``rules.py``) as a French BookingError."""
    if not decision.allowed:
        raise BookingRefused(decision)


def _insert(
    session: Session,
    contact: Contact,
    slot: Slot,
    case: Case | None,
    booked_by: str,
    journey: str | None,
    now: datetime,
) -> tuple[Appointment, bool]:
    """Insert the reservation in a SAVEPOINT: (appointment, created)."""
    for _ in range(_REFERENCE_ATTEMPTS):
        appointment = Appointment(
            reference=new_appointment_reference(),
            mediator_id=slot.mediator_id,
            contact_id=contact.id,
            case_id=case.id if case is not None else None,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            mode=slot.mode,
            status="reserve",
            booked_by=booked_by,
            created_at=now,
        )
        try:
            with session.begin_nested():
                session.add(appointment)
            return appointment, True
        except IntegrityError:
            holder = _reserved(session, slot.mediator_id, slot.starts_at)
            if holder is None:
                continue  # the random reference was already used: draw another
            if holder.contact_id == contact.id:
                return holder, False  # a double tap: the first one won
            logger.info("booking: slot taken (mediator %s)", slot.mediator_id)
            raise SlotTaken(
                "Ce rendez-vous vient d'être pris par quelqu'un d'autre.",
                _alternatives(session, slot, journey, now),
            ) from None
    raise BookingError("Le rendez-vous n'a pas pu être enregistré. Pouvez-vous réessayer ?")


def book(
    session: Session,
    contact: Contact,
    slot: Slot | str,
    mode: str | None = None,
    case: Case | None = None,
    booked_by: str | None = None,
    *,
    journey: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Reserve ``slot`` (a `Slot` or its ``key``) for ``contact``; idempotent for them.

    Args:
        mode: "sur_place", "telephone" or "domicile" (default: the slot's).
        case: the case the meeting is about (the person's, or a senior's they act for).
        booked_by: "contact:<id>" (default: ``contact``) or "agent:<login>".
        journey: to offer alternatives of the same journey (default: the case's).

    Raises:
        SlotTaken: someone else holds this slot; ``alternatives`` are free ones.
        SlotUnavailable: not a free slot of the calendar (past, holiday, absence...).
        BookingError: a malformed slot or mode, or a case that is not the person's.
    """
    now = now or utcnow()
    actor = check_actor(booked_by or contact.actor)
    _refuse(may_book(contact, case, cares_for=cares_for(session, contact), journey=journey))
    journey = journey or (case.journey if case is not None else None)
    real, asked = _resolve_slot(session, slot, mode, now)
    if real is None:
        mine = _reserved(session, asked.mediator_id, asked.starts_at)
        if mine is not None and mine.contact_id == contact.id:
            return mine  # double tap arriving after the slot left the grid (e.g. too soon now)
        raise SlotUnavailable(
            "Ce rendez-vous n'est plus proposé.", _alternatives(session, asked, journey, now)
        )
    mine = _reserved(session, real.mediator_id, real.starts_at)
    if mine is not None and mine.contact_id == contact.id:
        return mine  # a double tap after the first one was committed
    if _overlapping(session, real) is not None:
        raise SlotTaken(
            "Ce rendez-vous vient d'être pris par quelqu'un d'autre.",
            _alternatives(session, real, journey, now),
        )
    appointment, created = _insert(session, contact, real, case, actor, journey, now)
    if created:
        schedule_booked(session, appointment, now)
        if case is not None:
            record_event(
                session, case, actor, "rdv", {"reference": appointment.reference, "etat": "reserve"}
            )
    return appointment


# --- the person's appointments --------------------------------------------------------


def find_appointment(session: Session, contact: Contact, reference: str) -> Appointment:
    """The appointment ``reference`` ("rdv 7kq 4mx") if ``contact`` may see it.

    The person's own, one they booked, or one of a senior they act for.

    Raises:
        AppointmentNotFound: unknown, malformed, or someone else's (same message).
    """
    canonical = parse_appointment_reference(reference)
    if canonical is None:
        raise AppointmentNotFound()
    appointment = session.scalar(select(Appointment).where(Appointment.reference == canonical))
    if appointment is None:
        raise AppointmentNotFound()
    if not is_their_appointment(contact, appointment, cares_for(session, contact)):
        logger.info("booking: appointment of someone else asked for")
        raise AppointmentNotFound()
    return appointment


def upcoming_appointments(
    session: Session, contact: Contact, now: datetime | None = None
) -> list[Appointment]:
    """The person's reserved appointments still to come, soonest first."""
    now = now or utcnow()
    return list(
        session.scalars(
            select(Appointment)
            .where(
                Appointment.contact_id == contact.id,
                Appointment.status == "reserve",
                Appointment.starts_at > now,
            )
            .order_by(Appointment.starts_at)
        )
    )


def _release(
    session: Session, appointment: Appointment, actor: str, now: datetime, reason: str | None = None
) -> None:
    appointment.status = "annule"
    appointment.cancelled_at = now
    session.flush()
    cancel_jobs(session, appointment)
    if appointment.case_id is not None:
        case = session.get(Case, appointment.case_id)
        if case is not None:
            detail = {"reference": appointment.reference, "etat": "annule"}
            if reason:
                detail["motif"] = reason
            record_event(session, case, actor, "rdv", detail)


def cancel(
    session: Session,
    contact: Contact,
    appointment_reference: str,
    *,
    actor: str | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Cancel the person's appointment; cancelling twice changes nothing more.

    The slot is free again at once; the confirmation and reminder not yet sent
    are cancelled, and the cancellation notice is scheduled. ``reason`` goes into
    the "rdv" event of the appointment's case, if it has one.

    Raises:
        AppointmentNotFound: unknown reference or not theirs.
        BookingError: the appointment already took place.
    """
    now = now or utcnow()
    actor = check_actor(actor or contact.actor)
    appointment = find_appointment(session, contact, appointment_reference)
    _refuse(may_cancel(contact, appointment, now, cares_for=cares_for(session, contact)))
    if appointment.status == "annule":
        return appointment
    _release(session, appointment, actor, now, reason)
    schedule_cancelled(session, appointment, now)
    return appointment


def reschedule(
    session: Session,
    contact: Contact,
    appointment_reference: str,
    new_slot: Slot | str,
    mode: str | None = None,
    *,
    actor: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move an appointment to ``new_slot``, atomically: the old one is released only if
    the new one is taken, both in one SAVEPOINT.

    Returns the new appointment (or the old one when the slot is the same).

    Raises:
        AppointmentNotFound: unknown reference or not theirs.
        SlotTaken, SlotUnavailable: the new slot cannot be had; the old one stays.
        BookingError: the old appointment is cancelled or already took place.
    """
    now = now or utcnow()
    actor = check_actor(actor or contact.actor)
    old = find_appointment(session, contact, appointment_reference)
    target = parse_slot_key(new_slot) if isinstance(new_slot, str) else None
    new_start = (
        target[1] if target else (new_slot.starts_at if isinstance(new_slot, Slot) else None)
    )
    new_mediator = (
        target[0] if target else (new_slot.mediator_id if isinstance(new_slot, Slot) else None)
    )
    owner = session.get(Contact, old.contact_id)
    assert owner is not None
    decision = may_move(contact, old, now, owner=owner, cares_for=cares_for(session, contact))
    if decision.why == "cancelled" and new_mediator is not None and new_start is not None:
        moved = _reserved(session, new_mediator, new_start)
        if moved is not None and moved.contact_id == old.contact_id:
            return moved  # a double tap of the same move
    _refuse(decision)
    if new_mediator == old.mediator_id and new_start == old.starts_at:
        return old
    case = session.get(Case, old.case_id) if old.case_id is not None else None
    journey = case.journey if case is not None else None
    with session.begin_nested():
        real, asked = _resolve_slot(session, new_slot, mode, now)
        if real is None:
            raise SlotUnavailable(
                "Ce rendez-vous n'est plus proposé.", _alternatives(session, asked, journey, now)
            )
        if _overlapping(session, real) is not None:
            raise SlotTaken(
                "Ce rendez-vous vient d'être pris par quelqu'un d'autre.",
                _alternatives(session, real, journey, now),
            )
        new, created = _insert(session, owner, real, case, actor, journey, now)
        _release(session, old, actor, now)
        if created:
            schedule_booked(session, new, now, replaces=old.reference)
            if case is not None:
                record_event(
                    session, case, actor, "rdv", {"reference": new.reference, "etat": "reserve"}
                )
    return new


def describe_appointment(session: Session, appointment: Appointment, now: datetime) -> str:
    """In French: "mardi 3 décembre à 9 h 45, France Services Clisson (démo), 2 rue …"."""
    mediator = session.get(Mediator, appointment.mediator_id)
    assert mediator is not None
    site = session.get(Site, mediator.site_id)
    assert site is not None
    when = say_slot(appointment.starts_at, now)
    if appointment.mode == "telephone":
        return f"{when}, par téléphone : {mediator.name} vous appellera"
    if appointment.mode == "domicile":
        return f"{when}, chez vous, avec {mediator.name}"
    return f"{when}, {site.name}, {site.address}, {site.postcode} {site.commune}"
