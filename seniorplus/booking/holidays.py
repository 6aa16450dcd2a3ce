"""French public holidays (jours fériés) of a year, computed: no table to keep up to date.

Metropolitan France, Code du travail L3133-1: eleven days. Whit Monday (lundi de
Pentecôte) stays in: it is the "journée de solidarité" for many employers, but the
public reception desks of the Département and the France Services close that day.
Alsace-Moselle's extra days do not apply in Loire-Atlantique.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Easter Sunday (Gregorian calendar), anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=32)
def _holidays(year: int) -> tuple[tuple[date, str], ...]:
    easter = easter_sunday(year)
    days = [
        (date(year, 1, 1), "jour de l'An"),
        (easter + timedelta(days=1), "lundi de Pâques"),
        (date(year, 5, 1), "fête du Travail"),
        (date(year, 5, 8), "Victoire de 1945"),
        (easter + timedelta(days=39), "Ascension"),
        (easter + timedelta(days=50), "lundi de Pentecôte"),
        (date(year, 7, 14), "fête nationale"),
        (date(year, 8, 15), "Assomption"),
        (date(year, 11, 1), "Toussaint"),
        (date(year, 11, 11), "Armistice de 1918"),
        (date(year, 12, 25), "Noël"),
    ]
    return tuple(sorted(days))


def french_holidays(year: int) -> dict[date, str]:
    """The public holidays of ``year``: date → French name."""
    return dict(_holidays(year))


def holiday_name(day: date) -> str | None:
    """The French name of the public holiday on ``day``, or None on a working day."""
    return french_holidays(day.year).get(day)
