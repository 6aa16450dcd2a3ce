"""Opening hours of the team and quiet hours for SMS and calls, Paris time."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from policies.hours import (
    PARIS,
    HoursError,
    OpeningHours,
    in_quiet_hours,
    quiet_hours_end,
    say_moment,
)

TEAM = OpeningHours.parse("lun-ven 09:00-12:30 13:30-17:00")


def paris(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=PARIS)


def test_open_on_weekdays_within_the_ranges() -> None:
    assert TEAM.is_open(paris(2026, 11, 23, 9, 0))  # Monday 9:00
    assert not TEAM.is_open(paris(2026, 11, 23, 12, 30))  # lunch
    assert TEAM.is_open(paris(2026, 11, 27, 16, 59))  # Friday
    assert not TEAM.is_open(paris(2026, 11, 28, 10, 0))  # Saturday
    # the same instant given in UTC is read in Paris time (UTC+1 in November)
    assert TEAM.is_open(datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc))


def test_next_opening() -> None:
    assert TEAM.next_opening(paris(2026, 11, 23, 12, 45)) == paris(2026, 11, 23, 13, 30)
    assert TEAM.next_opening(paris(2026, 11, 27, 18, 0)) == paris(2026, 11, 30, 9, 0)
    assert TEAM.next_opening(paris(2026, 11, 29, 3, 0)) == paris(2026, 11, 30, 9, 0)
    assert TEAM.next_opening(paris(2026, 11, 24, 10, 0)) == paris(2026, 11, 24, 10, 0)


def test_described_in_french() -> None:
    assert TEAM.describe() == "du lundi au vendredi, de 9 h à 12 h 30 et de 13 h 30 à 17 h"
    saturday = OpeningHours.parse("lun-ven 09:00-17:00; sam 09:00-12:00")
    assert saturday.describe().endswith("; samedi, de 9 h à 12 h")
    now = paris(2026, 11, 27, 18, 0)
    assert say_moment(paris(2026, 11, 30, 9, 0), now) == "lundi à 9 h"
    assert say_moment(paris(2026, 11, 28, 9, 0), now) == "demain à 9 h"


@pytest.mark.parametrize(
    "spec", ["", "lun-ven", "lun-ven 9-17", "xyz 09:00-17:00", "lun 17:00-09:00", "lun 25:00-26:00"]
)
def test_unreadable_hours_are_refused(spec: str) -> None:
    with pytest.raises(HoursError):
        OpeningHours.parse(spec)


def test_quiet_hours_from_20_to_8_paris_time() -> None:
    assert in_quiet_hours(paris(2026, 11, 23, 20, 0))
    assert in_quiet_hours(paris(2026, 11, 23, 7, 59))
    assert not in_quiet_hours(paris(2026, 11, 23, 8, 0))
    assert not in_quiet_hours(paris(2026, 11, 23, 19, 59))
    assert quiet_hours_end(paris(2026, 11, 23, 21, 30)) == paris(2026, 11, 24, 8, 0)
    assert quiet_hours_end(paris(2026, 11, 24, 3, 0)) == paris(2026, 11, 24, 8, 0)
    assert quiet_hours_end(paris(2026, 11, 24, 10, 0)) == paris(2026, 11, 24, 10, 0)


def test_quiet_hours_across_the_clock_change() -> None:
    # 28 March 2027: clocks go forward at 2:00 in Paris; 19:30 UTC is 21:30 Paris (summer)
    evening = datetime(2027, 3, 28, 19, 30, tzinfo=timezone.utc)
    assert in_quiet_hours(evening)
    assert quiet_hours_end(evening) == paris(2027, 3, 29, 8, 0)
    assert quiet_hours_end(evening).utcoffset().total_seconds() == 7200  # type: ignore[union-attr]


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        in_quiet_hours(datetime(2026, 11, 23, 21, 0))
