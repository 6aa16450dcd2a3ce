"""Read the day and time a person asks for ("mardi matin", "le 3 décembre", "jeudi 14h").

Pure: the clock is passed in (``now``, timezone-aware), every date is a Paris date.
`read_when` returns what was asked (`WantedTime`) or a `DateProblem` whose
``message`` is the short French answer to give: an impossible date ("le 31
février"), a day already gone, a Sunday or a public holiday (the sites are
closed), an hour outside opening hours (3 h du matin), too far ahead.
`say_day` and `say_slot` write a date the way the assistant says it.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from policies.hours import DAY_NAMES, PARIS, OpeningHours, say_time
from seniorplus.booking.holidays import holiday_name

DayPart = Literal["matin", "apres-midi"]
ProblemKind = Literal[
    "unreadable", "impossible", "past", "too_soon", "too_far", "closed_day", "holiday",
    "closed_hours",
]  # fmt: skip

# When the reception desks receive people (Monday to Friday). Slots come from each
# mediator's own calendar; this only answers "3 h du matin" or "dimanche" up front.
SITE_HOURS = OpeningHours.parse("lun-ven 09:00-12:30 13:30-17:00")
HORIZON_DAYS = 92  # appointments are given up to three months ahead
AFTERNOON_FROM = time(12, 30)  # a slot starting at 12:30 or later is an afternoon slot
NEAR_TIME = timedelta(minutes=60)  # "jeudi 14h" also fits 13:15 or 14:45
RECENT_PAST_DAYS = 31  # "le 3 décembre" on 10 December: passed, not next year

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
_MONTH_WORDS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {name: i for i, name in enumerate(DAY_NAMES)}
_SMALL = (
    "zero", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize",
)  # fmt: skip


def _number_words() -> dict[str, int]:
    words = {w: i for i, w in enumerate(_SMALL)}
    for n in range(17, 20):
        words[f"dix {_SMALL[n - 10]}"] = n
    for tens, name in ((20, "vingt"), (30, "trente")):
        words[name] = tens
        words[f"{name} et un"] = tens + 1
        for unit in range(2, 10):
            words[f"{name} {_SMALL[unit]}"] = tens + unit
    words["premier"] = 1
    words["une"] = 1
    return words


NUMBER_WORDS = _number_words()
# Longest first, so "vingt et un" wins over "vingt".
_NUMBER_ALT = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_MONTH_ALT = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_DAY_TOKEN = rf"(?:\d{{1,2}}(?:er)?|{_NUMBER_ALT})"

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC_DATE = re.compile(r"(?<![\d:])(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?(?![\d:])")
_NAMED_DATE = re.compile(rf"\b({_DAY_TOKEN})\s+({_MONTH_ALT})\b\.?(?:\s+(\d{{4}}))?")
_DAY_ONLY = re.compile(rf"\ble\s+({_DAY_TOKEN})\b(?!\s*(?:h\b|heure|:|\d))")
_CLOCK = re.compile(r"\b(\d{1,2})\s*(?:h|heures?|:)\s*(\d{2})?(?!\d)")
_WORD_CLOCK = re.compile(
    rf"\b({_NUMBER_ALT})\s+heures?(?:\s+(et quart|et demie?|trente|quinze|quarante cinq))?\b"
)
_NOON = re.compile(
    r"(?<!apres )(?<!avant )\bmidi(?:\s+(et quart|et demie?|trente|quinze|\d{2}))?\b"
)
_MINUTE_WORDS = {"et quart": 15, "quinze": 15, "et demi": 30, "et demie": 30, "trente": 30}
_MINUTE_WORDS["quarante cinq"] = 45


@dataclass(frozen=True)
class WantedTime:
    """What the person asked for: a day, and perhaps a part of the day or an hour.

    ``day`` is None when only a part of the day or an hour was given ("le matin",
    "vers 14 h"): any day fits. ``span_days`` is 5 for "la semaine prochaine".
    """

    day: date | None = None
    part: DayPart | None = None
    at: time | None = None
    span_days: int = 1

    def matches(self, start: datetime) -> bool:
        """Whether a slot starting at ``start`` is what was asked."""
        local = _paris(start)
        if self.day is not None and not (
            self.day <= local.date() < self.day + timedelta(days=self.span_days)
        ):
            return False
        if self.at is not None:
            wanted = datetime.combine(local.date(), self.at, tzinfo=PARIS)
            return abs(local - wanted) <= NEAR_TIME
        if self.part == "matin":
            return local.time() < AFTERNOON_FROM
        if self.part == "apres-midi":
            return local.time() >= AFTERNOON_FROM
        return True

    def search_from(self, now: datetime) -> datetime:
        """Where to start looking for slots: the asked day at midnight, or ``now``."""
        if self.day is None:
            return _paris(now)
        return max(_paris(now), datetime.combine(self.day, time(0, 0), tzinfo=PARIS))

    def describe(self) -> str:
        """In French: "mardi 3 décembre au matin", "jeudi 5 décembre vers 14 h"."""
        if self.day is None:
            when = ""
        elif self.span_days > 1:
            when = f"la semaine du {say_day(self.day)}"
        else:
            when = say_day(self.day)
        if self.at is not None:
            moment = f"vers {say_time(self.at)}"
        elif self.part == "matin":
            moment = "le matin" if self.day is None else "au matin"
        elif self.part == "apres-midi":
            moment = "l'après-midi" if self.day is None else "après-midi"
        else:
            moment = ""
        return " ".join(p for p in (when, moment) if p)


@dataclass(frozen=True)
class DateProblem:
    """The day or hour asked for cannot be given; ``message`` says why, in French."""

    kind: ProblemKind
    message: str


def _paris(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("naive datetime refused: pass a timezone-aware value")
    return at.astimezone(PARIS)


def say_day(day: date, today: date | None = None) -> str:
    """ "mardi 3 décembre", "lundi 1er mars"; the year is added when it is not ``today``'s."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{DAY_NAMES[day.weekday()]} {number} {MONTHS[day.month - 1]}"
    if today is not None and day.year != today.year:
        text += f" {day.year}"
    return text


def say_slot(start: datetime, now: datetime | None = None) -> str:
    """ "mardi 3 décembre à 9 h 45" (Paris time)."""
    local = _paris(start)
    today = _paris(now).date() if now is not None else None
    return f"{say_day(local.date(), today)} à {say_time(local.time())}"


def _plain(text: str) -> str:
    """Lowercase, no accents; digits and the separators of dates and hours kept."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("’", "'")
    plain = re.sub(r"(?<=[a-z])[-'](?=[a-z])", " ", plain)  # après-midi, aujourd'hui
    plain = re.sub(r"[^a-z0-9/:.\- ]+", " ", plain)
    plain = re.sub(r"(?<!\d)[.\-](?!\d)", " ", plain)
    return " ".join(plain.split())


def _day_number(token: str) -> int:
    digits = token.removesuffix("er")
    return int(digits) if digits.isdigit() else NUMBER_WORDS[token]


def _year(raw: str | None, default: int) -> int:
    if raw is None:
        return default
    value = int(raw)
    return value + 2000 if value < 100 else value


def _impossible(day: int, month: int, year: int) -> DateProblem | None:
    if not 1 <= month <= 12:
        return DateProblem(
            "impossible",
            f"Il n'y a que 12 mois dans l'année : le mois « {month} » n'existe pas. "
            "Pouvez-vous redonner la date ?",
        )
    last = calendar.monthrange(year, month)[1]
    if 1 <= day <= last:
        return None
    name = MONTHS[month - 1]
    article = "d'" if name[0] in "aeiou" else "de "
    if month == 2:
        why = f"en {year}, février n'a que {last} jours"
    else:
        why = f"le mois {article}{name} a {last} jours"
    return DateProblem(
        "impossible", f"Le {day} {name} n'existe pas : {why}. Quel autre jour vous irait ?"
    )


def _read_date(plain: str, today: date) -> date | DateProblem | tuple[date, int] | None:
    """The day named in ``plain``; a (day, span) pair for a week; None when no day is named."""
    if re.search(r"\bavant hier\b|\bhier\b", plain):
        return DateProblem(
            "past", "Ce jour est déjà passé. Quel jour à partir de demain vous irait ?"
        )
    if re.search(r"\bapres demain\b", plain):
        return today + timedelta(days=2)
    if re.search(r"\bdemain\b", plain):
        return today + timedelta(days=1)
    if re.search(r"\baujourd hui\b|\bce jour\b", plain):
        return today
    if re.search(r"\bsemaine (prochaine|d apres)\b", plain):
        monday = today + timedelta(days=7 - today.weekday())
        return (monday, 5)
    explicit_year = False
    if match := _ISO_DATE.search(plain):
        year, month, day = (int(g) for g in match.groups())
        explicit_year = True
    elif match := _NUMERIC_DATE.search(plain):
        day, month = int(match.group(1)), int(match.group(2))
        year = _year(match.group(3), today.year)
        explicit_year = match.group(3) is not None
    elif match := _NAMED_DATE.search(plain):
        day, month = _day_number(match.group(1)), _MONTH_WORDS[match.group(2)]
        year = _year(match.group(3), today.year)
        explicit_year = match.group(3) is not None
    elif match := _DAY_ONLY.search(plain):
        day = _day_number(match.group(1))
        year, month = today.year, today.month
        if day < today.day:  # "le 3" on the 20th: next month's 3rd
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if problem := _impossible(day, month, year):
            return problem
        return date(year, month, day)
    else:
        for name, weekday in _WEEKDAYS.items():
            if re.search(rf"\b{name}\b", plain):
                ahead = (weekday - today.weekday()) % 7 or 7  # "mardi" on a Tuesday: next one
                return today + timedelta(days=ahead)
        return None
    if not explicit_year and 1 <= month <= 12:
        clamped = date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))
        if clamped < today - timedelta(days=RECENT_PAST_DAYS):
            year += 1  # "le 3 mars" in November: next March
    if problem := _impossible(day, month, year):
        return problem
    wanted = date(year, month, day)
    named = [w for name, w in _WEEKDAYS.items() if re.search(rf"\b{name}\b", plain)]
    if named and named[0] != wanted.weekday():
        return DateProblem(
            "impossible",
            f"Le {wanted.day} {MONTHS[wanted.month - 1]} est un {DAY_NAMES[wanted.weekday()]}, "
            f"pas un {DAY_NAMES[named[0]]}. Quel jour voulez-vous ?",
        )
    return wanted


def _read_time(plain: str) -> time | DateProblem | None:
    hour: int | None = None
    minute = 0
    if match := _CLOCK.search(plain):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
    elif match := _WORD_CLOCK.search(plain):
        hour = NUMBER_WORDS[match.group(1)]
        minute = _MINUTE_WORDS.get(match.group(2) or "", 0)
    elif match := _NOON.search(plain):
        hour = 12
        extra = match.group(1) or ""
        minute = int(extra) if extra.isdigit() else _MINUTE_WORDS.get(extra, 0)
    if hour is None:
        return None
    if re.search(r"\b(de l )?apres midi\b|\bdu soir\b", plain) and 1 <= hour < 12:
        hour += 12  # "2 h de l'après-midi"
    if hour > 23 or minute > 59:
        return DateProblem(
            "impossible", "Je n'ai pas compris l'heure. Vous pouvez écrire par exemple « 14 h 30 »."
        )
    return time(hour, minute)


def _read_part(plain: str) -> DayPart | Literal["soir"] | None:
    if re.search(r"\bapres midi\b|\baprem\b", plain):
        return "apres-midi"
    if re.search(r"\bmatin(ee)?\b", plain):
        return "matin"
    if re.search(r"\bsoir(ee)?\b|\bnuit\b", plain):
        return "soir"
    return None


def _closed_days(hours: OpeningHours) -> str:
    return f"Ils vous reçoivent {hours.describe()}."


def read_when(
    text: str,
    now: datetime,
    *,
    hours: OpeningHours = SITE_HOURS,
    earliest: date | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> WantedTime | DateProblem:
    """What day and time ``text`` asks for, checked against the calendar and ``hours``.

    Args:
        text: the person's words ("mardi matin", "03/12", "jeudi 14h").
        now: the current time (timezone-aware).
        hours: when the sites receive people.
        earliest: the first day an appointment can be given (default: tomorrow).
        horizon_days: how far ahead appointments are given.
    """
    today = _paris(now).date()
    first = earliest if earliest is not None else today + timedelta(days=1)
    plain = _plain(text)
    read = _read_date(plain, today)
    if isinstance(read, DateProblem):
        return read
    day, span = read if isinstance(read, tuple) else (read, 1)
    at = _read_time(plain)
    if isinstance(at, DateProblem):
        return at
    part = _read_part(plain)
    if part == "soir" and at is None:
        return DateProblem(
            "closed_hours", f"Le soir, les points d'accueil sont fermés. {_closed_days(hours)}"
        )
    if day is None and at is None and part is None:
        return DateProblem(
            "unreadable",
            "Je n'ai pas compris la date. Vous pouvez écrire par exemple « mardi matin » "
            "ou « le 3 décembre ».",
        )
    if day is not None:
        if day < today:
            return DateProblem(
                "past",
                f"Le {say_day(day, today)} est déjà passé. Quel jour à partir de demain "
                "vous irait ?",
            )
        if day < first:
            return DateProblem(
                "too_soon",
                f"Les rendez-vous se prennent au plus tôt pour le {say_day(first, today)}. "
                "Quel jour vous irait ?",
            )
        if day > today + timedelta(days=horizon_days):
            return DateProblem(
                "too_far",
                "C'est un peu loin : les rendez-vous se prennent au plus trois mois à "
                "l'avance. Quel jour plus proche vous irait ?",
            )
        if span == 1:
            if name := holiday_name(day):
                return DateProblem(
                    "holiday",
                    f"Le {say_day(day, today)} est un jour férié ({name}) : les points "
                    f"d'accueil sont fermés. {_closed_days(hours)}",
                )
            if not hours.week[day.weekday()]:
                return DateProblem(
                    "closed_day",
                    f"Le {say_day(day, today)}, les points d'accueil sont fermés. "
                    f"{_closed_days(hours)}",
                )
    if at is not None:
        open_days = [day.weekday()] if day is not None and span == 1 else range(7)
        if not any(start <= at < end for d in open_days for start, end in hours.week[d]):
            return DateProblem(
                "closed_hours",
                f"À {say_time(at)}, les points d'accueil sont fermés. {_closed_days(hours)}",
            )
    wanted_part: DayPart | None = None if part == "soir" else part
    return WantedTime(day=day, part=wanted_part, at=at, span_days=span)
