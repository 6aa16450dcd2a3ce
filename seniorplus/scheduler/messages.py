"""The French text of each appointment notice: confirmation, move, reminder, cancellation.

Pure: the appointment's facts and the clock come in, a short text goes out.
Dates and hours are written by the booking's own helpers (`say_slot`,
`say_day`, `say_time`): "mardi 24 novembre à 14 h 30". Each text fits in two
SMS once transliterated to GSM-7 (`rendering.sms`): when a long site name or
address would make it longer, the address, then the place and the mediator's
name, are left out (the reference is always kept: it is what the person quotes
to cancel or move).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from policies.hours import PARIS, say_time
from rendering.gsm import sms_segments
from rendering.sms import render_sms
from seniorplus.booking.dates import say_day, say_slot

Event = Literal["reserve", "deplace", "rappel", "annule"]
EVENTS: tuple[Event, ...] = ("reserve", "deplace", "rappel", "annule")
MAX_SEGMENTS = 2
SIGNATURE = "Senior Plus"
CHANGE_HINT = "Pour annuler ou déplacer, écrivez-nous."


@dataclass(frozen=True)
class AppointmentFacts:
    """What a notice says about an appointment, read from the database just before sending."""

    reference: str
    starts_at: datetime  # timezone-aware
    mode: str  # "sur_place", "telephone", "domicile"
    mediator: str
    site_name: str
    site_address: str
    site_postcode: str
    site_commune: str


def fits(text: str, segments: int = MAX_SEGMENTS) -> bool:
    """Whether ``text`` goes in at most ``segments`` SMS once rendered for SMS."""
    return sms_segments(render_sms(text)).segments <= segments


def _first_fitting(variants: list[str]) -> str:
    """The fullest variant that fits in two SMS; the shortest one otherwise."""
    for variant in variants:
        if fits(variant):
            return variant
    return variants[-1]


def _who_and_where(facts: AppointmentFacts) -> list[str]:
    """How the meeting happens, to follow the date; fullest first, then shorter ones."""
    if facts.mode == "telephone":
        return [f" : {facts.mediator} vous appellera.", " : un conseiller vous appellera."]
    if facts.mode == "domicile":
        return [f" : {facts.mediator} viendra chez vous.", " : un conseiller viendra chez vous."]
    town = f"{facts.site_postcode} {facts.site_commune}".strip()
    return [
        f", avec {facts.mediator}. Lieu : {facts.site_name}, {facts.site_address}, {town}.",
        f", avec {facts.mediator}. Lieu : {facts.site_name}, {facts.site_commune}.",
        f". Lieu : {facts.site_name}.",
        ".",
    ]


def _kind(facts: AppointmentFacts) -> str:
    if facts.mode == "telephone":
        return "rendez-vous téléphonique"
    if facts.mode == "domicile":
        return "rendez-vous à domicile"
    return "rendez-vous"


def _variants(head: str, facts: AppointmentFacts, tail: str) -> str:
    """``head`` + how and where + ``tail``, the fullest that fits in two SMS."""
    return _first_fitting([f"{head}{how} {tail}" for how in _who_and_where(facts)])


def confirmation_text(facts: AppointmentFacts, now: datetime) -> str:
    """ "Senior Plus : votre rendez-vous est confirmé le mardi 24 novembre à 14 h 30, avec …" """
    head = f"{SIGNATURE} : votre {_kind(facts)} est confirmé le {say_slot(facts.starts_at, now)}"
    return _variants(head, facts, f"Référence {facts.reference}. {CHANGE_HINT}")


def moved_text(facts: AppointmentFacts, now: datetime, replaces: str | None) -> str:
    """The new time of a moved appointment, and its new reference."""
    old = f" {replaces}" if replaces else ""
    head = (
        f"{SIGNATURE} : votre rendez-vous{old} est déplacé. Nouveau {_kind(facts)} le "
        f"{say_slot(facts.starts_at, now)}"
    )
    return _variants(head, facts, f"Nouvelle référence {facts.reference}. {CHANGE_HINT}")


def _relative_day(starts_at: datetime, now: datetime) -> str:
    """ "demain mardi 24 novembre", "aujourd'hui mardi 24 novembre", or the date alone."""
    day, today = starts_at.astimezone(PARIS).date(), now.astimezone(PARIS).date()
    said = say_day(day, today)
    if day == today:
        return f"aujourd'hui {said}"
    if day == today + timedelta(days=1):
        return f"demain {said}"
    return f"le {said}"


def reminder_text(facts: AppointmentFacts, now: datetime) -> str:
    """ "Rappel Senior Plus : vous avez un rendez-vous demain mardi 24 novembre à 14 h 30 …" """
    hour = say_time(facts.starts_at.astimezone(PARIS).time())
    head = (
        f"Rappel {SIGNATURE} : vous avez un {_kind(facts)} "
        f"{_relative_day(facts.starts_at, now)} à {hour}"
    )
    return _variants(head, facts, f"Référence {facts.reference}. {CHANGE_HINT}")


def cancelled_text(facts: AppointmentFacts, now: datetime) -> str:
    """The cancellation notice: which appointment, and how to get another one."""
    return (
        f"{SIGNATURE} : votre rendez-vous du {say_slot(facts.starts_at, now)} "
        f"(référence {facts.reference}) est annulé. Pour en prendre un autre, écrivez-nous."
    )


def message_for(
    event: Event, facts: AppointmentFacts, now: datetime, replaces: str | None = None
) -> str:
    """The text of ``event`` for this appointment, as of ``now``."""
    if event == "reserve":
        return confirmation_text(facts, now)
    if event == "deplace":
        return moved_text(facts, now, replaces)
    if event == "rappel":
        return reminder_text(facts, now)
    return cancelled_text(facts, now)
