"""Agenda test data, one row at a time: sites, mediators with their journeys, weekly openings.

Shared by the booking tests (service, concurrency) and the API tests, which each
compose their own fixed agenda from these (never the demo seed).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time

from sqlalchemy.orm import Session

from seniorplus.booking.models import Mediator, MediatorAvailability, MediatorSkill, Site

CLISSON_LATITUDE, CLISSON_LONGITUDE = 47.087, -1.282
WEEKDAYS = range(5)  # Monday to Friday
EVERY_DAY = range(7)


def add_site(
    session: Session,
    name: str,
    commune: str,
    postcode: str,
    address: str,
    *,
    kind: str = "France Services",
    latitude: float | None = None,
    longitude: float | None = None,
    phone: str | None = None,
) -> Site:
    """A site; without coordinates it is placed by its postcode."""
    site = Site(
        name=name,
        kind=kind,
        commune=commune,
        postcode=postcode,
        address=address,
        latitude=latitude,
        longitude=longitude,
        phone=phone,
    )
    session.add(site)
    session.flush()
    return site


def add_clisson_site(session: Session, name: str = "France Services Clisson (test)") -> Site:
    """A France Services site in Clisson, with coordinates."""
    return add_site(
        session,
        name,
        "Clisson",
        "44190",
        "1 rue de test",
        latitude=CLISSON_LATITUDE,
        longitude=CLISSON_LONGITUDE,
    )


def add_mediator(
    session: Session,
    site: Site,
    name: str,
    *,
    modes: str = "sur_place",
    phone: str | None = None,
    journeys: Iterable[str] = (),
) -> Mediator:
    """A mediator of ``site`` accompanying ``journeys``, with no opening yet."""
    mediator = Mediator(name=name, site_id=site.id, modes=modes, phone=phone)
    session.add(mediator)
    session.flush()
    session.add_all(MediatorSkill(mediator_id=mediator.id, journey=j) for j in journeys)
    session.flush()
    return mediator


def add_openings(
    session: Session,
    mediator: Mediator,
    weekdays: Iterable[int],
    start: time,
    end: time,
    *,
    slot_minutes: int = 45,
    modes: str = "sur_place",
) -> None:
    """The same opening (Paris wall-clock hours) on each of ``weekdays`` (0 = Monday)."""
    session.add_all(
        MediatorAvailability(
            mediator_id=mediator.id,
            weekday=weekday,
            start_time=start,
            end_time=end,
            slot_minutes=slot_minutes,
            modes=modes,
        )
        for weekday in weekdays
    )
    session.flush()
