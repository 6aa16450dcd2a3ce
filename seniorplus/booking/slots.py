"""Free appointment slots, computed from plain data (no database): pure and clock-free.

A mediator's weekly openings (Paris wall-clock times) are cut into slots of
``slot_minutes``; a slot is free when it starts after the minimum notice, is not
on a public holiday, does not overlap an absence, and does not overlap a
reserved appointment. `next_free_slots` picks the next ``n`` slots that fit a
journey (the mediator's skills) and the person's commune: the nearest site
first, further sites within `NEAR_KM` after it, and phone appointments when no
site is near or none has a free slot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Literal

from policies.hours import PARIS
from seniorplus.booking.holidays import french_holidays, holiday_name
from seniorplus.places import Place, distance_km

__all__ = [
    "HORIZON_DAYS",
    "NEAR_KM",
    "Calendar",
    "Offer",
    "Opening",
    "Period",
    "SiteInfo",
    "Slot",
    "earliest_start",
    "free_slots",
    "french_holidays",
    "holiday_name",
    "merge_slots",
    "next_free_slots",
    "parse_slot_key",
    "rank_sites",
]

Mode = Literal["sur_place", "telephone", "domicile"]
OfferReason = Literal["ok", "unknown_place", "no_site_near", "no_free_slot_near", "none_free"]

NOTICE_DAYS = 1  # no appointment today: the first one is tomorrow (a mediator prepares)
NEAR_KM = 30.0  # a site further than this is not offered for a visit on site
HORIZON_DAYS = 42  # slots are looked for over six weeks


@dataclass(frozen=True)
class Opening:
    """A weekly opening: ``weekday`` (0 = Monday), Paris times, slot length, modes."""

    weekday: int
    start: time
    end: time
    slot_minutes: int
    modes: frozenset[str]


@dataclass(frozen=True)
class Period:
    """A busy period (absence or reserved appointment), timezone-aware."""

    starts_at: datetime
    ends_at: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.starts_at < end and start < self.ends_at


@dataclass(frozen=True)
class Calendar:
    """Everything that decides a mediator's free slots."""

    mediator_id: int
    site_id: int
    skills: frozenset[str]
    modes: frozenset[str]
    openings: tuple[Opening, ...]
    absences: tuple[Period, ...] = ()
    booked: tuple[Period, ...] = ()


@dataclass(frozen=True)
class SiteInfo:
    """A site and where it is."""

    site_id: int
    name: str
    commune: str
    latitude: float
    longitude: float


@dataclass(frozen=True, order=True)
class Slot:
    """One appointment a mediator can give: start and end in UTC, site, mode."""

    starts_at: datetime
    ends_at: datetime = field(compare=False)
    mediator_id: int = field(compare=True)
    site_id: int = field(compare=False)
    mode: str = field(compare=False)

    @property
    def key(self) -> str:
        """A short text naming the slot, for a button payload: "12.202612030800.sur_place"."""
        stamp = self.starts_at.astimezone(timezone.utc).strftime("%Y%m%d%H%M")
        return f"{self.mediator_id}.{stamp}.{self.mode}"


def parse_slot_key(key: str) -> tuple[int, datetime, str] | None:
    """``Slot.key`` read back: (mediator id, start in UTC, mode), or None if malformed."""
    parts = key.strip().split(".")
    if len(parts) != 3 or not parts[0].isdigit() or len(parts[1]) != 12:
        return None
    try:
        start = datetime.strptime(parts[1], "%Y%m%d%H%M").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return int(parts[0]), start, parts[2]


@dataclass(frozen=True)
class Offer:
    """The slots to propose, and how they were chosen.

    ``reason``: "ok" (slots near the person, or by phone when asked), or why phone
    slots are offered instead: "unknown_place" (commune not found),
    "no_site_near" (no site within `NEAR_KM`), "no_free_slot_near"; "none_free"
    when nothing at all is free over the horizon. ``matched`` is False when the
    day or time asked had nothing free and later slots are offered instead.
    """

    slots: tuple[Slot, ...]
    reason: OfferReason = "ok"
    matched: bool = True
    distances_km: dict[int, float] = field(default_factory=dict)  # site id → km

    @property
    def by_phone(self) -> bool:
        return bool(self.slots) and all(s.mode == "telephone" for s in self.slots)


def _paris(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("naive datetime refused: pass a timezone-aware value")
    return at.astimezone(PARIS)


def earliest_start(now: datetime, notice_days: int = NOTICE_DAYS) -> datetime:
    """The first moment an appointment may start: midnight (Paris) ``notice_days`` ahead."""
    day = _paris(now).date() + timedelta(days=notice_days)
    return datetime.combine(day, time(0, 0), tzinfo=PARIS)


def _days(start: datetime, end: datetime) -> Iterator[date]:
    day, last = _paris(start).date(), _paris(end).date()
    while day <= last:
        yield day
        day += timedelta(days=1)


def free_slots(
    calendar: Calendar,
    start: datetime,
    end: datetime,
    *,
    modes: Iterable[str] | None = None,
    is_holiday: Callable[[date], object] = holiday_name,
) -> Iterator[Slot]:
    """The mediator's free slots starting in [start, end), in time order.

    Args:
        modes: keep the slots offering one of these modes (the first one that the
            opening and the mediator both offer is the slot's mode); all when None.
        is_holiday: truthy for a day without appointments.
    """
    wanted = tuple(modes) if modes is not None else None
    busy = (*calendar.absences, *calendar.booked)
    for day in _days(start, end):
        if is_holiday(day):
            continue
        openings = sorted(
            (o for o in calendar.openings if o.weekday == day.weekday()), key=lambda o: o.start
        )
        for opening in openings:
            offered = [m for m in ("sur_place", "telephone", "domicile") if m in opening.modes]
            offered = [m for m in offered if m in calendar.modes]
            if wanted is not None:
                offered = [m for m in wanted if m in offered]
            if not offered:
                continue
            length = timedelta(minutes=opening.slot_minutes)
            at = datetime.combine(day, opening.start, tzinfo=PARIS)
            close = datetime.combine(day, opening.end, tzinfo=PARIS)
            while at + length <= close:
                slot_start, slot_end = (
                    at.astimezone(timezone.utc),
                    (at + length).astimezone(timezone.utc),
                )
                at += length
                if not start <= slot_start < end:
                    continue
                if any(p.overlaps(slot_start, slot_end) for p in busy):
                    continue
                yield Slot(slot_start, slot_end, calendar.mediator_id, calendar.site_id, offered[0])


def rank_sites(
    place: Place, sites: Iterable[SiteInfo], max_km: float = NEAR_KM
) -> list[tuple[SiteInfo, float]]:
    """The sites within ``max_km`` of ``place``, nearest first, with their distance."""
    ranked = [
        (site, distance_km(place.latitude, place.longitude, site.latitude, site.longitude))
        for site in sites
    ]
    return sorted(((s, d) for s, d in ranked if d <= max_km), key=lambda sd: (sd[1], sd[0].site_id))


def merge_slots(streams: list[list[Slot]]) -> list[Slot]:
    """Slots of several mediators in time order, one per start time (lowest mediator id)."""
    seen: set[datetime] = set()
    merged: list[Slot] = []
    for slot in sorted(s for stream in streams for s in stream):
        if slot.starts_at not in seen:
            seen.add(slot.starts_at)
            merged.append(slot)
    return merged


def _pick(
    groups: list[list[Slot]], n: int, wanted: Callable[[datetime], bool] | None
) -> tuple[list[Slot], bool]:
    """``n`` slots from groups in preference order (nearest site first).

    With a wish: its matching slots first, then the following ones of the same
    groups to make up ``n``; when nothing matches, the first slots and False.
    """
    if wanted is not None:
        picked = [s for group in groups for s in group if wanted(s.starts_at)][:n]
        if picked:
            if len(picked) < n:
                after = picked[-1].starts_at
                rest = [s for g in groups for s in g if s.starts_at > after and s not in picked]
                picked += rest[: n - len(picked)]
            return picked, True
    return [s for group in groups for s in group][:n], wanted is None


def next_free_slots(
    calendars: Iterable[Calendar],
    sites: Iterable[SiteInfo],
    journey: str,
    place: Place | None,
    after: datetime,
    *,
    now: datetime,
    n: int = 3,
    mode: str | None = None,
    wanted: Callable[[datetime], bool] | None = None,
    max_km: float = NEAR_KM,
    horizon_days: int = HORIZON_DAYS,
) -> Offer:
    """The next ``n`` free slots for ``journey`` near ``place``.

    Args:
        calendars: the mediators' calendars (those without the skill are skipped).
        sites: every site, with coordinates.
        place: the person's commune, None when unknown (phone slots then).
        after: look from this moment (never before the minimum notice after ``now``).
        mode: "sur_place" (default when None), "domicile" or "telephone".
        wanted: the day/time the person asked for (`WantedTime.matches`).
    """
    start = max(_paris(after), earliest_start(now))
    end = start + timedelta(days=horizon_days)
    able = [c for c in calendars if journey in c.skills]
    phone_slots = merge_slots([list(free_slots(c, start, end, modes=["telephone"])) for c in able])

    def by_phone(reason: OfferReason) -> Offer:
        if not phone_slots:
            return Offer((), "none_free", False)
        picked, matched = _pick([phone_slots], n, wanted)
        return Offer(tuple(picked), reason, matched)

    if mode == "telephone":
        return by_phone("ok")
    if place is None:
        return by_phone("unknown_place")
    ranked = rank_sites(place, sites, max_km)
    if not ranked:
        return by_phone("no_site_near")
    visit_mode = mode or "sur_place"
    groups = []
    for site, _distance in ranked:
        here = [c for c in able if c.site_id == site.site_id]
        groups.append(
            merge_slots([list(free_slots(c, start, end, modes=[visit_mode])) for c in here])
        )
    distances = {site.site_id: round(d, 1) for site, d in ranked}
    if not any(groups):
        offer = by_phone("no_free_slot_near")
        return Offer(offer.slots, offer.reason, offer.matched, distances)
    picked, matched = _pick(groups, n, wanted)
    return Offer(tuple(picked), "ok", matched, distances)
