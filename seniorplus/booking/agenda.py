"""Read the agenda from the database into the plain data of `seniorplus.booking.slots`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from seniorplus.booking.models import Appointment, Mediator, MediatorAbsence, MediatorSkill, Site
from seniorplus.booking.slots import Calendar, Opening, Period, SiteInfo
from seniorplus.places import locate


def site_info(site: Site) -> SiteInfo | None:
    """The site and its coordinates (its commune's when it has none); None if unknown."""
    lat, lon = site.latitude, site.longitude
    if lat is None or lon is None:
        place = locate(site.postcode) or locate(site.commune)
        if place is None:
            return None
        lat, lon = place.latitude, place.longitude
    return SiteInfo(site.id, site.name, site.commune, lat, lon)


def load_calendars(
    session: Session,
    start: datetime,
    end: datetime,
    *,
    journey: str | None = None,
    mediator_ids: Iterable[int] | None = None,
    site_id: int | None = None,
    with_booked: bool = True,
) -> list[Calendar]:
    """The calendars of the active mediators, with absences and reservations in [start, end).

    Args:
        journey: only the mediators with this skill.
        mediator_ids, site_id: only these mediators, or those of this site.
        with_booked: False to leave reserved appointments out (the grid alone).
    """
    stmt = (
        select(Mediator)
        .where(Mediator.active.is_(True))
        .options(selectinload(Mediator.skills), selectinload(Mediator.availabilities))
        .order_by(Mediator.id)
    )
    if journey is not None:
        stmt = stmt.where(Mediator.skills.any(MediatorSkill.journey == journey))
    if mediator_ids is not None:
        stmt = stmt.where(Mediator.id.in_(list(mediator_ids)))
    if site_id is not None:
        stmt = stmt.where(Mediator.site_id == site_id)
    mediators = list(session.scalars(stmt))
    ids = [m.id for m in mediators]
    absences: dict[int, list[Period]] = {i: [] for i in ids}
    booked: dict[int, list[Period]] = {i: [] for i in ids}
    if ids:
        for absence in session.scalars(
            select(MediatorAbsence).where(
                MediatorAbsence.mediator_id.in_(ids),
                MediatorAbsence.starts_at < end,
                MediatorAbsence.ends_at > start,
            )
        ):
            absences[absence.mediator_id].append(Period(absence.starts_at, absence.ends_at))
        if with_booked:
            for appointment in session.scalars(
                select(Appointment).where(
                    Appointment.mediator_id.in_(ids),
                    Appointment.status == "reserve",
                    Appointment.starts_at < end,
                    Appointment.ends_at > start,
                )
            ):
                booked[appointment.mediator_id].append(
                    Period(appointment.starts_at, appointment.ends_at)
                )
    return [
        Calendar(
            mediator_id=m.id,
            site_id=m.site_id,
            skills=frozenset(s.journey for s in m.skills),
            modes=frozenset(m.mode_list),
            openings=tuple(
                Opening(a.weekday, a.start_time, a.end_time, a.slot_minutes, frozenset(a.mode_list))
                for a in m.availabilities
            ),
            absences=tuple(absences[m.id]),
            booked=tuple(booked[m.id]),
        )
        for m in mediators
    ]


def load_sites(session: Session) -> list[SiteInfo]:
    """Every site that can be placed on the map."""
    return [info for site in session.scalars(select(Site)) if (info := site_info(site))]
