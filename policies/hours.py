"""Opening hours of the team and quiet hours for SMS and calls (Europe/Paris), pure.

`OpeningHours.parse("lun-ven 09:00-12:30 13:30-17:00; sam 09:00-12:00")`: days (a
range or a comma list, French or English abbreviations), then time ranges.
Every datetime in or out is timezone-aware.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
QUIET_START = time(20, 0)  # no SMS or call from 20:00…
QUIET_END = time(8, 0)  # …to 08:00, Paris time

DAYS = {
    "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6,
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_RANGE = re.compile(r"^(\d{1,2})[:h](\d{2})-(\d{1,2})[:h](\d{2})$")


class HoursError(ValueError):
    """The opening hours cannot be read."""


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("naive datetime refused: pass a timezone-aware value")
    return at.astimezone(PARIS)


def _days(word: str) -> list[int]:
    days: list[int] = []
    for part in word.lower().split(","):
        ends = [p.strip()[:3] for p in part.split("-")]
        if any(e not in DAYS for e in ends) or len(ends) > 2:
            raise HoursError(f"jour inconnu : {part!r}")
        first, last = DAYS[ends[0]], DAYS[ends[-1]]
        days += (
            list(range(first, last + 1)) if first <= last else [*range(first, 7), *range(last + 1)]
        )
    return days


def _span(word: str) -> tuple[time, time]:
    match = _RANGE.match(word)
    if not match:
        raise HoursError(f"plage horaire illisible : {word!r}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError as exc:
        raise HoursError(f"heure impossible : {word!r}") from exc
    if end <= start:
        raise HoursError(f"la plage finit avant de commencer : {word!r}")
    return start, end


@dataclass(frozen=True)
class OpeningHours:
    """Weekly opening hours: for each weekday (0 = Monday), time ranges, Paris time."""

    week: tuple[tuple[tuple[time, time], ...], ...]

    @classmethod
    def parse(cls, spec: str) -> OpeningHours:
        week: list[list[tuple[time, time]]] = [[] for _ in range(7)]
        for group in filter(None, (g.strip() for g in spec.split(";"))):
            words = group.split()
            if len(words) < 2:
                raise HoursError(f"il faut des jours puis des heures : {group!r}")
            spans = [_span(w) for w in words[1:]]
            for day in _days(words[0]):
                week[day] = sorted(week[day] + spans)
        if not any(week):
            raise HoursError("aucune heure d'ouverture")
        return cls(tuple(tuple(day) for day in week))

    def is_open(self, at: datetime) -> bool:
        local = _aware(at)
        return any(s <= local.time() < e for s, e in self.week[local.weekday()])

    def next_opening(self, at: datetime) -> datetime:
        """`at` itself when open, else the next moment the team is there."""
        local = _aware(at)
        if self.is_open(local):
            return local
        for ahead in range(8):
            day = (local + timedelta(days=ahead)).date()
            for start, _ in self.week[day.weekday()]:
                candidate = datetime.combine(day, start, tzinfo=PARIS)
                if candidate > local:
                    return candidate
        raise HoursError("aucune ouverture dans la semaine")  # unreachable when parsed

    def describe(self) -> str:
        """In French: "du lundi au vendredi, de 9 h à 12 h 30 et de 13 h 30 à 17 h"."""
        groups: list[tuple[list[int], tuple[tuple[time, time], ...]]] = []
        for day, spans in enumerate(self.week):
            if spans and groups and groups[-1][1] == spans and groups[-1][0][-1] == day - 1:
                groups[-1][0].append(day)
            elif spans:
                groups.append(([day], spans))
        parts = []
        for days, spans in groups:
            when = (
                DAY_NAMES[days[0]]
                if len(days) == 1
                else f"du {DAY_NAMES[days[0]]} au {DAY_NAMES[days[-1]]}"
            )
            hours = " et ".join(f"de {say_time(s)} à {say_time(e)}" for s, e in spans)
            parts.append(f"{when}, {hours}")
        return " ; ".join(parts)


def say_time(t: time) -> str:
    """9 h, 12 h 30 (the French written style)."""
    return f"{t.hour} h" if t.minute == 0 else f"{t.hour} h {t.minute:02d}"


def say_moment(at: datetime, now: datetime) -> str:
    """ "aujourd'hui à 13 h 30", "demain à 9 h", "lundi à 9 h" (Paris time)."""
    local, today = _aware(at), _aware(now).date()
    if local.date() == today:
        day = "aujourd'hui"
    elif local.date() == today + timedelta(days=1):
        day = "demain"
    else:
        day = DAY_NAMES[local.weekday()]
    return f"{day} à {say_time(local.time())}"


def in_quiet_hours(at: datetime) -> bool:
    """No SMS or call between 20:00 and 08:00, Paris time."""
    local = _aware(at).time()
    return local >= QUIET_START or local < QUIET_END


def quiet_hours_end(at: datetime) -> datetime:
    """When sending is allowed again: `at` itself outside quiet hours, else 08:00 next."""
    local = _aware(at)
    if not in_quiet_hours(local):
        return local
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=PARIS)
