"""Free slots from plain data: grid, notice, holidays, absences, bookings, skills, nearest site."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from seniorplus.booking.dates import WantedTime
from seniorplus.booking.holidays import easter_sunday, french_holidays, holiday_name
from seniorplus.booking.slots import (
    Calendar,
    Opening,
    Period,
    SiteInfo,
    Slot,
    earliest_start,
    free_slots,
    next_free_slots,
    parse_slot_key,
    rank_sites,
)
from seniorplus.places import Place, distance_km, locate

PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)  # a Monday
ON_SITE = frozenset({"sur_place"})
PHONE = frozenset({"telephone"})

CLISSON = SiteInfo(1, "France Services Clisson", "Clisson", 47.087, -1.282)
NANTES = SiteInfo(2, "France Services Nantes", "Nantes", 47.218, -1.554)
PORNIC = SiteInfo(3, "France Services Pornic", "Pornic", 47.115, -2.102)
SITES = (CLISSON, NANTES, PORNIC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def weekdays(start: time, end: time, modes: frozenset[str] = ON_SITE) -> tuple[Opening, ...]:
    return tuple(Opening(d, start, end, 45, modes) for d in range(5))


def calendar(
    mediator_id: int,
    site: SiteInfo,
    skills: set[str],
    openings: tuple[Opening, ...],
    *,
    modes: frozenset[str] = frozenset({"sur_place", "telephone"}),
    absences: tuple[Period, ...] = (),
    booked: tuple[Period, ...] = (),
) -> Calendar:
    return Calendar(mediator_id, site.site_id, frozenset(skills), modes, openings, absences, booked)


def starts(slots: object) -> list[datetime]:
    return [s.starts_at.astimezone(PARIS) for s in slots]  # type: ignore[attr-defined]


# --- holidays -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2000, date(2000, 4, 23)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),  # the latest possible
        (2285, date(2285, 3, 22)),  # the earliest possible
    ],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_french_holidays_2026() -> None:
    days = french_holidays(2026)
    assert len(days) == 11
    assert days[date(2026, 4, 6)] == "lundi de Pâques"
    assert days[date(2026, 5, 14)] == "Ascension"
    assert days[date(2026, 5, 25)] == "lundi de Pentecôte"
    assert {date(2026, m, d) for m, d in [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15)]} <= set(days)
    assert {date(2026, 11, 1), date(2026, 11, 11), date(2026, 12, 25)} <= set(days)
    assert holiday_name(date(2026, 12, 24)) is None
    assert holiday_name(date(2025, 6, 9)) == "lundi de Pentecôte"


# --- the grid of one mediator ---------------------------------------------------------


def test_openings_are_cut_into_whole_slots() -> None:
    cal = calendar(1, CLISSON, {"apa_domicile"}, weekdays(time(9, 0), time(12, 30)))
    day = date(2026, 12, 1)
    slots = list(free_slots(cal, at(day, 0), at(day, 23)))
    # 9:00, 9:45, 10:30, 11:15; 12:00-12:45 would pass 12:30
    assert starts(slots) == [at(day, 9), at(day, 9, 45), at(day, 10, 30), at(day, 11, 15)]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=45) for s in slots)
    assert all(s.starts_at.tzinfo is UTC for s in slots)


def test_absences_bookings_and_holidays_remove_slots() -> None:
    tuesday, wednesday, christmas = date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 25)
    cal = calendar(
        1,
        CLISSON,
        {"apa_domicile"},
        weekdays(time(9, 0), time(12, 0)),
        absences=(Period(at(tuesday, 0), at(wednesday, 0)),),
        booked=(Period(at(wednesday, 9, 45), at(wednesday, 10, 30)),),
    )
    slots = starts(free_slots(cal, at(tuesday, 0), at(date(2026, 12, 26), 0)))
    assert not [s for s in slots if s.date() == tuesday]
    assert [s for s in slots if s.date() == wednesday] == [
        at(wednesday, 9),
        at(wednesday, 10, 30),
        at(wednesday, 11, 15),
    ]
    assert not [s for s in slots if s.date() == christmas]
    assert [s for s in slots if s.date() == date(2026, 12, 24)]


def test_a_booking_overlapping_part_of_a_slot_removes_it() -> None:
    day = date(2026, 12, 2)
    cal = calendar(
        1,
        CLISSON,
        {"apa_domicile"},
        weekdays(time(9, 0), time(12, 0)),
        booked=(Period(at(day, 10), at(day, 10, 15)),),  # an old 15-minute booking
    )
    assert starts(free_slots(cal, at(day, 0), at(day, 23))) == [
        at(day, 9),
        at(day, 10, 30),
        at(day, 11, 15),
    ]


def test_slots_keep_paris_wall_clock_across_daylight_saving() -> None:
    cal = calendar(1, CLISSON, {"apa_domicile"}, weekdays(time(9, 0), time(9, 45)))
    summer = list(free_slots(cal, at(date(2026, 10, 23), 0), at(date(2026, 10, 24), 0)))
    winter = list(free_slots(cal, at(date(2026, 10, 26), 0), at(date(2026, 10, 27), 0)))
    assert summer[0].starts_at == datetime(2026, 10, 23, 7, 0, tzinfo=UTC)
    assert winter[0].starts_at == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)


def test_minimum_notice_is_the_next_day() -> None:
    assert earliest_start(NOW) == at(date(2026, 12, 1), 0)
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # already 1 December in Paris
    assert earliest_start(late) == at(date(2026, 12, 2), 0)


def test_modes_filter_the_openings() -> None:
    openings = (
        Opening(1, time(9, 0), time(10, 30), 45, ON_SITE),
        Opening(1, time(14, 0), time(15, 30), 45, frozenset({"sur_place", "telephone"})),
    )
    cal = calendar(1, CLISSON, {"apa_domicile"}, openings)
    day = date(2026, 12, 1)
    phone = list(free_slots(cal, at(day, 0), at(day, 23), modes=["telephone"]))
    assert starts(phone) == [at(day, 14), at(day, 14, 45)]
    assert {s.mode for s in phone} == {"telephone"}
    only_on_site = calendar(1, CLISSON, {"apa_domicile"}, openings, modes=ON_SITE)
    assert not list(free_slots(only_on_site, at(day, 0), at(day, 23), modes=["telephone"]))


def test_slot_key_round_trip() -> None:
    slot = Slot(
        datetime(2026, 12, 3, 8, 0, tzinfo=UTC),
        datetime(2026, 12, 3, 8, 45, tzinfo=UTC),
        12,
        1,
        "sur_place",
    )
    assert slot.key == "12.202612030800.sur_place"
    assert parse_slot_key(slot.key) == (12, slot.starts_at, "sur_place")
    for bad in ("", "12.2026.sur_place", "x.202612030800.sur_place", "12.202613030800.sur_place"):
        assert parse_slot_key(bad) is None


# --- places ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Clisson", "Clisson"),
        ("44190", "Clisson"),
        ("j'habite à Ancenis", "Ancenis-Saint-Géréon"),
        ("Machecoul", "Machecoul-Saint-Même"),
        ("st nazaire", "Saint-Nazaire"),
        ("SAINT-SEBASTIEN-SUR-LOIRE", "Saint-Sébastien-sur-Loire"),
        ("la baule", "La Baule-Escoublac"),
        ("Paimboeuf", "Paimbœuf"),
        ("44000 Nantes", "Nantes"),
    ],
)
def test_locate_communes(text: str, name: str) -> None:
    place = locate(text)
    assert place is not None and place.name == name


@pytest.mark.parametrize("text", ["Paris", "75001", "", "Saint"])
def test_unknown_places(text: str) -> None:
    assert locate(text) is None


def test_distances_and_ranking() -> None:
    assert distance_km(47.218, -1.554, 47.274, -2.214) == pytest.approx(50.3, abs=1.5)
    vertou = locate("Vertou")
    assert vertou is not None
    ranked = rank_sites(vertou, SITES)
    assert [s.name for s, _ in ranked] == ["France Services Nantes", "France Services Clisson"]
    assert ranked[0][1] < ranked[1][1] <= 30


# --- next free slots ------------------------------------------------------------------


def _agenda() -> list[Calendar]:
    tuesday = date(2026, 12, 1)
    return [
        calendar(  # Clisson, APA; away on Tuesday; phone on Tuesday afternoons
            1,
            CLISSON,
            {"apa_domicile"},
            (*weekdays(time(9, 0), time(12, 0)), Opening(1, time(14, 0), time(15, 30), 45, PHONE)),
            absences=(Period(at(tuesday, 0), at(tuesday + timedelta(days=1), 0)),),
        ),
        calendar(
            2, NANTES, {"apa_domicile", "protection_juridique"}, weekdays(time(9, 0), time(10, 30))
        ),
        calendar(3, NANTES, {"ehpad"}, weekdays(time(14, 0), time(17, 0))),
    ]


def _place(name: str) -> Place:
    place = locate(name)
    assert place is not None
    return place


def test_nearest_site_first_and_absence_respected() -> None:
    offer = next_free_slots(_agenda(), SITES, "apa_domicile", _place("Clisson"), NOW, now=NOW)
    wednesday = date(2026, 12, 2)
    assert offer.reason == "ok" and offer.matched
    assert starts(offer.slots) == [at(wednesday, 9), at(wednesday, 9, 45), at(wednesday, 10, 30)]
    assert {s.site_id for s in offer.slots} == {CLISSON.site_id}
    assert offer.distances_km[CLISSON.site_id] < offer.distances_km[NANTES.site_id]


def test_another_commune_gets_its_own_nearest_site() -> None:
    offer = next_free_slots(_agenda(), SITES, "apa_domicile", _place("Vertou"), NOW, now=NOW)
    tuesday = date(2026, 12, 1)
    assert {s.site_id for s in offer.slots} == {NANTES.site_id}
    assert starts(offer.slots) == [at(tuesday, 9), at(tuesday, 9, 45), at(date(2026, 12, 2), 9)]


def test_skills_decide_who_is_offered() -> None:
    legal = next_free_slots(
        _agenda(), SITES, "protection_juridique", _place("Clisson"), NOW, now=NOW
    )
    assert {s.mediator_id for s in legal.slots} == {2}  # in Nantes, 25 km away
    ehpad = next_free_slots(_agenda(), SITES, "ehpad", _place("Nantes"), NOW, now=NOW)
    assert {s.mediator_id for s in ehpad.slots} == {3}
    nobody = next_free_slots(_agenda(), SITES, "carte_mobilite", _place("Nantes"), NOW, now=NOW)
    assert nobody.slots == () and nobody.reason == "none_free"


def test_existing_bookings_are_skipped() -> None:
    agenda = _agenda()
    wednesday = date(2026, 12, 2)
    first = agenda[0]
    agenda[0] = Calendar(
        first.mediator_id,
        first.site_id,
        first.skills,
        first.modes,
        first.openings,
        first.absences,
        (Period(at(wednesday, 9), at(wednesday, 9, 45)),),
    )
    offer = next_free_slots(agenda, SITES, "apa_domicile", _place("Clisson"), NOW, now=NOW)
    assert starts(offer.slots)[0] == at(wednesday, 9, 45)


def test_nearest_site_is_filled_up_from_the_next_one() -> None:
    agenda = _agenda()
    only_one = Calendar(
        1,
        CLISSON.site_id,
        frozenset({"apa_domicile"}),
        frozenset({"sur_place"}),
        (Opening(2, time(9, 0), time(9, 45), 45, ON_SITE),),
    )
    agenda[0] = only_one
    offer = next_free_slots(
        agenda, SITES, "apa_domicile", _place("Clisson"), NOW, now=NOW, horizon_days=3
    )
    assert [s.site_id for s in offer.slots] == [CLISSON.site_id, NANTES.site_id, NANTES.site_id]


def test_phone_is_offered_when_no_site_is_near_or_commune_unknown() -> None:
    far = next_free_slots(_agenda(), SITES, "apa_domicile", _place("Châteaubriant"), NOW, now=NOW)
    assert far.reason == "no_site_near" and far.by_phone
    # Tuesday 1 December is an absence: the phone slots start the Tuesday after.
    assert starts(far.slots) == [
        at(date(2026, 12, 8), 14),
        at(date(2026, 12, 8), 14, 45),
        at(date(2026, 12, 15), 14),
    ]
    unknown = next_free_slots(_agenda(), SITES, "apa_domicile", None, NOW, now=NOW)
    assert unknown.reason == "unknown_place" and unknown.by_phone
    asked = next_free_slots(
        _agenda(), SITES, "apa_domicile", _place("Clisson"), NOW, now=NOW, mode="telephone"
    )
    assert asked.reason == "ok" and asked.by_phone


def test_full_near_sites_fall_back_to_phone() -> None:
    tuesday = date(2026, 12, 1)
    busy = (Period(at(tuesday, 0), at(tuesday + timedelta(days=60), 0)),)
    agenda = [
        calendar(1, CLISSON, {"apa_domicile"}, weekdays(time(9, 0), time(12, 0)), absences=busy),
        calendar(4, PORNIC, {"apa_domicile"}, (Opening(3, time(14, 0), time(14, 45), 45, PHONE),)),
    ]
    offer = next_free_slots(agenda, SITES, "apa_domicile", _place("Clisson"), NOW, now=NOW)
    assert offer.reason == "no_free_slot_near" and offer.by_phone
    assert {s.mediator_id for s in offer.slots} == {4}


def test_the_day_asked_comes_first_then_what_follows() -> None:
    thursday = date(2026, 12, 3)
    wish = WantedTime(day=thursday, part="matin")
    offer = next_free_slots(
        _agenda(),
        SITES,
        "apa_domicile",
        _place("Clisson"),
        at(thursday, 0),
        now=NOW,
        wanted=wish.matches,
    )
    assert offer.matched
    assert starts(offer.slots) == [at(thursday, 9), at(thursday, 9, 45), at(thursday, 10, 30)]
    afternoon = WantedTime(day=thursday, part="apres-midi")  # nobody in Clisson then
    later = next_free_slots(
        _agenda(),
        SITES,
        "apa_domicile",
        _place("Clisson"),
        at(thursday, 0),
        now=NOW,
        wanted=afternoon.matches,
    )
    assert not later.matched
    assert starts(later.slots)[0] == at(thursday, 9)


def test_never_before_the_notice_even_if_asked() -> None:
    offer = next_free_slots(
        _agenda(), SITES, "apa_domicile", _place("Vertou"), NOW - timedelta(days=3), now=NOW
    )
    assert min(offer.slots).starts_at >= earliest_start(NOW)


def test_two_mediators_free_at_the_same_time_give_one_offer() -> None:
    agenda = [
        calendar(5, NANTES, {"apa_domicile"}, weekdays(time(9, 0), time(9, 45))),
        calendar(6, NANTES, {"apa_domicile"}, weekdays(time(9, 0), time(9, 45))),
    ]
    offer = next_free_slots(agenda, SITES, "apa_domicile", _place("Nantes"), NOW, now=NOW)
    assert len({s.starts_at for s in offer.slots}) == 3
    assert {s.mediator_id for s in offer.slots} == {5}
