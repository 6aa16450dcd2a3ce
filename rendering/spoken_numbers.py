"""Digits said in French words: phone numbers, references, dates, times, amounts, rest.

Each rewrite is a regular expression and a function; `speak_numbers` applies
them from the most specific (a phone number) to the most general (any number).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rendering.numbers_fr import (
    MAX_NUMBER,
    digit_group_to_words,
    digits_to_words,
    month_name,
    number_to_words,
    ordinal_to_words,
)

Rewrite = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_SPACE = r"[ \u00a0\u202f]"
_SEPARATOR = r"[ .\u00a0\u202f-]"  # between the digit groups of a phone number
# 1 234 567 or 1234567 (a thousands separator is a space, or a dot between groups of 3)
_INTEGER = rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+|\d{{1,3}}(?:\.\d{{3}})+(?=,\d)|\d+"
_NOT_AFTER = r"(?<![\w,.])"
_NOT_BEFORE = r"(?![\w]|[.,]\d)"


def _integer(written: str) -> int:
    return int(re.sub(r"[^\d]", "", written))


def _number(written: str, feminine: bool = False) -> str:
    value = _integer(written)
    return number_to_words(value, feminine) if value <= MAX_NUMBER else digits_to_words(written)


# 02 40 96 12 51, 0240961251, 0 808 800 700, +33 2 40 96 12 51
PHONE_RE = re.compile(
    rf"{_NOT_AFTER}(?P<prefix>\+33{_SEPARATOR}?(?:\(0\){_SEPARATOR}?)?|0{_SEPARATOR}?)"
    rf"(?P<rest>[1-9](?:{_SEPARATOR}?\d){{8}}){_NOT_BEFORE}"
)


def _phone(match: re.Match[str]) -> str:
    prefix, rest = match.group("prefix"), match.group("rest")
    if prefix.startswith("+"):
        groups = re.split(_SEPARATOR, rest)
        head = ["plus trente-trois"]
    else:
        whole = match.group(0)
        written_groups = re.split(_SEPARATOR, whole)
        grouped = len(written_groups) > 1 and all(len(g) <= 3 for g in written_groups)
        digits = re.sub(r"\D", "", whole)
        groups = written_groups if grouped else [digits[i : i + 2] for i in range(0, 10, 2)]
        head = []
    if len(groups) == 1:  # "+33 240961251": by pairs after the first digit
        groups = [rest[0]] + [rest[i : i + 2] for i in range(1, len(rest), 2)]
    return ", ".join([*head, *(digit_group_to_words(g) for g in groups if g)])


# SP-2026-000123: letters spelled, each group of digits said digit by digit.
REFERENCE_RE = re.compile(r"\b(?P<letters>[A-Z]{1,4})(?P<groups>(?:-\d{2,})+)\b")


def _reference(match: re.Match[str]) -> str:
    parts = [" ".join(match.group("letters"))]
    for group in match.group("groups").strip("-").split("-"):
        chunks = [group] if len(group) <= 4 else [group[i : i + 3] for i in range(0, len(group), 3)]
        parts += [digits_to_words(chunk) for chunk in chunks]
    return ", ".join(parts)


# 12/03/2026, 1/3/26, 2026-03-12
DATE_RE = re.compile(
    r"\b(?:(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.](?P<year>\d{4}|\d{2})"
    r"|(?P<iso_year>\d{4})-(?P<iso_month>[01]\d)-(?P<iso_day>[0-3]\d))\b"
)


def _date(match: re.Match[str]) -> str:
    day = int(match.group("day") or match.group("iso_day"))
    month = int(match.group("month") or match.group("iso_month"))
    year_text = match.group("year") or match.group("iso_year")
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match.group(0)
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    day_words = "premier" if day == 1 else number_to_words(day)
    return f"{day_words} {month_name(month)} {number_to_words(year)}"


# 24h/24, 7j/7
AROUND_THE_CLOCK_RE = re.compile(r"\b(\d{1,2}) ?(h|j) ?/ ?(\d{1,2})\b")


def _around_the_clock(match: re.Match[str]) -> str:
    amount, unit, total = int(match.group(1)), match.group(2), int(match.group(3))
    noun = "heures" if unit == "h" else "jours"
    noun = noun[:-1] if amount == 1 else noun
    return f"{number_to_words(amount, unit == 'h')} {noun} sur {number_to_words(total)}"


# 14h30, 9 h 05, 14h, 14:30
TIME_RE = re.compile(
    r"\b(?P<hour>[01]?\d|2[0-4])"
    r"(?: ?h ?(?P<minutes>[0-5]\d)?(?![\w])|:(?P<colon_minutes>[0-5]\d)\b)"
)


def _time(match: re.Match[str]) -> str:
    hour = int(match.group("hour"))
    minutes = match.group("minutes") or match.group("colon_minutes")
    spoken = f"{number_to_words(hour, feminine=True)} heure{'s' * (hour > 1)}"
    if minutes and int(minutes):
        spoken += f" {number_to_words(int(minutes), feminine=True)}"
    return spoken


# 2 080,33 euros, 2080,33 €, 1 216 €, 0,50 euro
AMOUNT_RE = re.compile(
    rf"{_NOT_AFTER}(?P<whole>{_INTEGER})(?:,(?P<cents>\d{{1,2}}))?{_SPACE}?"
    r"(?P<currency>€|euros?\b|EUR\b)"
)


def _amount(match: re.Match[str]) -> str:
    euros = _integer(match.group("whole"))
    cents_text = match.group("cents") or ""
    cents = int(cents_text.ljust(2, "0")) if cents_text else 0
    parts = []
    if euros or not cents:
        words = _number(match.group("whole"))
        if words.endswith(("million", "millions", "milliard", "milliards")):
            parts.append(f"{words} d'euros")
        else:
            parts.append(f"{words} euro{'s' * (euros > 1)}")
    if cents:
        parts.append(f"{number_to_words(cents)} centime{'s' * (cents > 1)}")
    return " et ".join(parts)


# 90 %, 4,5%
PERCENT_RE = re.compile(rf"{_NOT_AFTER}(?P<whole>{_INTEGER})(?:,(?P<decimals>\d+))?{_SPACE}?%")


def _with_decimals(whole: str, decimals: str | None) -> str:
    """A number with its decimals: 4,5 → "quatre virgule cinq"."""
    if not decimals:
        return _number(whole)
    return f"{_number(whole)} virgule {digit_group_to_words(decimals)}"


def _percent(match: re.Match[str]) -> str:
    return f"{_with_decimals(match.group('whole'), match.group('decimals'))} pour cent"


# 1er, 1re, 1ère, 2e, 2ème, 2nd, 2nde
ORDINAL_RE = re.compile(r"\b(?P<number>\d+)(?P<suffix>er|re|ère|ere|e|ème|eme|nd|nde)\b")


def _ordinal(match: re.Match[str]) -> str:
    number, suffix = int(match.group("number")), match.group("suffix")
    if not 0 < number <= MAX_NUMBER:
        return digits_to_words(match.group("number"))
    if number == 2 and suffix.startswith("nd"):
        return "seconde" if suffix == "nde" else "second"
    return ordinal_to_words(number, feminine=suffix in ("re", "ère", "ere"))


# Short service numbers, said digit by digit so that they can be dialled: "le 3114" →
# "le trois, un, un, quatre". The two-digit ones (15, 17, 18) are said as numbers.
SERVICE_NUMBERS = ("112", "114", "115", "119", "3114", "3919", "3977", "3960", "3939", "3646")
SERVICE_RE = re.compile(
    rf"\b(?P<lead>(?:le|au|du|Le|Au|Du)[ \u00a0])(?P<number>{'|'.join(SERVICE_NUMBERS)})"
    r"(?![\w]|[.,]\d)"
)


def _service(match: re.Match[str]) -> str:
    digits = ", ".join(digits_to_words(digit) for digit in match.group("number"))
    return f"{match.group('lead')}{digits}"


# n° 3, N°3
NUMERO_RE = re.compile(r"\b[nN] ?° ?(?=\d)")
# 10-15 ans → "10 à 15 ans" (before the numbers are said)
RANGE_RE = re.compile(r"(?<=\d) ?- ?(?=\d)")
# 4,5 ; 1 200 ; 3977 ; 44000
NUMBER_RE = re.compile(rf"{_NOT_AFTER}(?P<whole>{_INTEGER})(?:,(?P<decimals>\d+))?(?![\w])")


# digits stuck to letters ("5H"), said anyway: no digit is left for the voice
GLUED_DIGITS_RE = re.compile(r"\d+")


def _any_number(match: re.Match[str]) -> str:
    return _with_decimals(match.group("whole"), match.group("decimals"))


REWRITES: tuple[Rewrite, ...] = (
    (REFERENCE_RE, _reference),
    (PHONE_RE, _phone),
    (SERVICE_RE, _service),
    (DATE_RE, _date),
    (AROUND_THE_CLOCK_RE, _around_the_clock),
    (TIME_RE, _time),
    (AMOUNT_RE, _amount),
    (PERCENT_RE, _percent),
    (ORDINAL_RE, _ordinal),
    (NUMERO_RE, lambda _: "numéro "),
    (RANGE_RE, lambda _: " à "),
    (NUMBER_RE, _any_number),
    (GLUED_DIGITS_RE, lambda match: f" {_number(match.group(0))} "),
)


def speak_numbers(text: str) -> str:
    """Every number of `text` in words, read the way its form says (phone, date, euros…)."""
    for pattern, spoken in REWRITES:
        text = pattern.sub(spoken, text)
    return text
