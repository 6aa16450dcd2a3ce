"""Dated figures (``data/figures.yml``): the value in force on a given day, and its year.

Every amount, ceiling, rate or duration the assistant says lives here once, with its
periods of validity, its source, the day it was checked and a confidence mark
(docs/content.md). Pure: the day is always given by the caller (see seniorplus.clock).

    book = load_figures()
    reading = book.on("apa_plafond_gir1", date(2027, 1, 5))
    reading.value, reading.year, reading.current   # Decimal("2080.33"), 2026, False
    reading.in_sentence  # "2 080,33 euros par mois (montant 2026, à vérifier sur ...)"

A figure whose revaluation date has passed with no newer value recorded is *not
current*: it is still given, with its year and where to check, never as today's amount.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Literal

from seniorplus.journeys.schema import JourneyError, load_yaml, parse_date

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "figures.yml"

Confidence = Literal["confirmed", "computed", "secondary", "unconfirmed"]
CONFIDENCES: tuple[Confidence, ...] = ("confirmed", "computed", "secondary", "unconfirmed")
# When the figure changes: each year on that day, never (a rule of law), or at no known date.
REVALUED: Mapping[str, tuple[int, int] | None] = {
    "1 janvier": (1, 1),
    "1 avril": (4, 1),
    "jamais": None,
    "inconnu": None,
}
SURE: frozenset[str] = frozenset({"confirmed", "computed"})
PLACEHOLDER_RE = re.compile(r"\{montant:([a-z][a-z0-9_]*)\}")


class FigureError(JourneyError):
    """The figures file breaks its schema, or a figure is asked for a day it does not cover."""


@dataclass(frozen=True)
class Period:
    """One value and the days it applies (``valid_to`` None: until replaced)."""

    value: Decimal
    valid_from: date
    valid_to: date | None
    source: str
    checked: date
    confidence: Confidence


@dataclass(frozen=True)
class Acknowledged:
    """A known gap: the new value is not published (or not found) yet; said plainly until then."""

    until: date
    why: str


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    revalued: str
    check_at: str
    periods: tuple[Period, ...]
    prefix: str = ""
    acknowledged: Acknowledged | None = None

    def next_revaluation(self, period: Period) -> date | None:
        """The first revaluation day after the period started (None: not revalued on a date)."""
        anniversary = REVALUED[self.revalued]
        if anniversary is None:
            return None
        month, day = anniversary
        candidate = date(period.valid_from.year, month, day)
        return candidate if candidate > period.valid_from else date(candidate.year + 1, month, day)

    def period_on(self, day: date) -> Period:
        """The period covering ``day``; after the last one, the last one (it may be stale)."""
        chosen = None
        for period in self.periods:
            if period.valid_from <= day:
                chosen = period
        if chosen is None:
            raise FigureError(f"{self.key}: no value before {self.periods[0].valid_from}")
        return chosen

    def is_current(self, period: Period, day: date) -> bool:
        """In force on ``day`` and not past a revaluation that nobody recorded."""
        if period.valid_to is not None and day > period.valid_to:
            return False
        if self.revalued == "inconnu":
            return period.valid_from.year == day.year
        due = self.next_revaluation(period)
        return due is None or day < due or period.valid_to is not None


@dataclass(frozen=True)
class Reading:
    """A figure as it stands on one day."""

    figure: Figure
    period: Period
    day: date
    current: bool

    @property
    def value(self) -> Decimal:
        return self.period.value

    @property
    def year(self) -> int:
        return self.period.valid_from.year

    @property
    def sure(self) -> bool:
        return self.period.confidence in SURE

    @property
    def text(self) -> str:
        """``2 080,33 euros par mois``; ``environ`` before a figure that is not sure."""
        about = "" if self.sure else "environ "
        return f"{about}{format_number(self.value)} {self.figure.unit}".strip()

    @property
    def check(self) -> str:
        """Where and why to check: the plain-French phrase for a stale or unsure figure."""
        when = self.figure.revalued
        if when in ("1 janvier", "1 avril"):
            return (
                f"Montant {self.year}, revalorisé chaque année au {_first(when)} : "
                f"à vérifier sur {self.figure.check_at}."
            )
        return f"À vérifier sur {self.figure.check_at}."

    @property
    def in_sentence(self) -> str:
        """For a step text: the amount, with its year and where to check when not current."""
        if self.current and self.sure:
            return self.text
        return f"{self.text} (montant {self.year}, à vérifier sur {self.figure.check_at})"

    @property
    def line(self) -> str:
        """For the list of amounts: label, amount, year; the check phrase when needed."""
        amount = f"{self.figure.prefix} {self.text}".strip()
        if self.current and self.sure:
            return f"- {self.figure.label} : {amount} ({self.year})."
        return f"- {self.figure.label} : {amount} en {self.year}. {self.check}"


@dataclass(frozen=True)
class FigureBook(Mapping[str, Figure]):
    """All figures by key."""

    figures: Mapping[str, Figure]

    def __getitem__(self, key: str) -> Figure:
        return self.figures[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.figures)

    def __len__(self) -> int:
        return len(self.figures)

    def on(self, key: str, day: date) -> Reading:
        """The figure ``key`` as it stands on ``day`` (KeyError if unknown)."""
        figure = self.figures[key]
        period = figure.period_on(day)
        return Reading(figure, period, day, figure.is_current(period, day))

    def fill(self, text: str, day: date) -> str:
        """``{montant:key}`` placeholders replaced by the amount of that day."""
        return PLACEHOLDER_RE.sub(lambda m: self.on(m.group(1), day).in_sentence, text)

    def overdue(self, day: date, keys: Iterable[str] | None = None) -> list[Reading]:
        """Figures past a revaluation date with no new value, and no open acknowledgement."""
        late = []
        for key in self.figures if keys is None else keys:
            figure = self.figures[key]
            reading = self.on(key, day)
            scheduled = REVALUED[figure.revalued] is not None
            excused = figure.acknowledged is not None and day <= figure.acknowledged.until
            if scheduled and not reading.current and not excused:
                late.append(reading)
        return late


def format_number(value: Decimal) -> str:
    """French digits with plain spaces: ``2 080,33``, ``22 000``, ``0,9``."""
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", " ")
    whole, _, cents = f"{value:,.2f}".partition(".")
    return f"{whole.replace(',', ' ')},{cents}"


def placeholders(text: str) -> list[str]:
    """The figure keys a text names with ``{montant:key}``."""
    return PLACEHOLDER_RE.findall(text)


def _first(when: str) -> str:
    return when.replace("1 ", "1er ", 1)


@lru_cache(maxsize=4)
def load_figures(path: Path | str | None = None) -> FigureBook:
    """Read and validate the figures file (default: data/figures.yml), once per path."""
    file = Path(path) if path is not None else DEFAULT_PATH
    data = load_yaml(file, FigureError)
    if not isinstance(data, dict) or not isinstance(data.get("figures"), list):
        raise FigureError(f"{file}: expected a mapping with a 'figures' list")
    figures: dict[str, Figure] = {}
    for index, item in enumerate(data["figures"]):
        figure = _figure(file, item, f"figures[{index}]")
        if figure.key in figures:
            raise FigureError(f"{file}: figures[{index}].key: duplicate key {figure.key!r}")
        figures[figure.key] = figure
    return FigureBook(figures)


_FIGURE_FIELDS = {"key", "label", "unit", "revalued", "check_at", "periods"}
_FIGURE_OPTIONAL = {"prefix", "acknowledged"}
_PERIOD_FIELDS = {"value", "valid_from", "source", "checked", "confidence"}


def _figure(file: Path, item: object, field: str) -> Figure:
    data = _mapping(file, item, field, _FIGURE_FIELDS, _FIGURE_OPTIONAL)
    key = _text(file, data["key"], f"{field}.key")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
        raise FigureError(f"{file}: {field}.key: {key!r} is not a snake_case key")
    revalued = data["revalued"]
    if revalued not in REVALUED:
        raise FigureError(f"{file}: {field}.revalued: {revalued!r} not in {sorted(REVALUED)}")
    raw_periods = data["periods"]
    if not isinstance(raw_periods, list) or not raw_periods:
        raise FigureError(f"{file}: {field}.periods: a non-empty list is required")
    periods = tuple(_period(file, p, f"{field}.periods[{i}]") for i, p in enumerate(raw_periods))
    for before, after in pairwise(periods):
        if before.valid_to is None or before.valid_to >= after.valid_from:
            raise FigureError(
                f"{file}: {field}.periods: each period but the last needs a valid_to "
                "before the next valid_from"
            )
    acknowledged = None
    if "acknowledged" in data:
        ack = _mapping(file, data["acknowledged"], f"{field}.acknowledged", {"until", "why"}, set())
        acknowledged = Acknowledged(
            until=parse_date(ack["until"], f"{file}: {field}.acknowledged.until", FigureError),
            why=_text(file, ack["why"], f"{field}.acknowledged.why"),
        )
    return Figure(
        key=key,
        label=_text(file, data["label"], f"{field}.label"),
        unit=_text(file, data["unit"], f"{field}.unit"),
        revalued=str(revalued),
        check_at=_text(file, data["check_at"], f"{field}.check_at"),
        periods=periods,
        prefix=_text(file, data["prefix"], f"{field}.prefix") if "prefix" in data else "",
        acknowledged=acknowledged,
    )


def _period(file: Path, item: object, field: str) -> Period:
    data = _mapping(file, item, field, _PERIOD_FIELDS, {"valid_to"})
    try:
        value = Decimal(str(data["value"]))
    except InvalidOperation:
        raise FigureError(f"{file}: {field}.value: {data['value']!r} is not a number") from None
    if not value.is_finite():
        raise FigureError(f"{file}: {field}.value: {data['value']!r} is not a number")
    source = data["source"]
    if not isinstance(source, str) or not source.startswith(("https://", "http://")):
        raise FigureError(f"{file}: {field}.source: {source!r} is not a URL")
    confidence = data["confidence"]
    if confidence not in CONFIDENCES:
        raise FigureError(f"{file}: {field}.confidence: {confidence!r} not in {CONFIDENCES}")
    valid_from = parse_date(data["valid_from"], f"{file}: {field}.valid_from", FigureError)
    valid_to = None
    if "valid_to" in data:
        valid_to = parse_date(data["valid_to"], f"{file}: {field}.valid_to", FigureError)
        if valid_to < valid_from:
            raise FigureError(f"{file}: {field}.valid_to: before valid_from")
    return Period(
        value=value,
        valid_from=valid_from,
        valid_to=valid_to,
        source=source,
        checked=parse_date(data["checked"], f"{file}: {field}.checked", FigureError),
        confidence=confidence,
    )


def _mapping(
    file: Path, item: object, field: str, required: set[str], optional: set[str]
) -> dict[str, object]:
    if not isinstance(item, dict):
        raise FigureError(f"{file}: {field}: must be a mapping")
    missing = sorted(required - item.keys())
    if missing:
        raise FigureError(f"{file}: {field}.{missing[0]}: required field is missing")
    unknown = sorted(item.keys() - required - optional)
    if unknown:
        raise FigureError(f"{file}: {field}.{unknown[0]}: unknown field")
    return item


def _text(file: Path, value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FigureError(f"{file}: {field}: must be a non-empty text")
    if "€" in value or "\u00a0" in value or "’" in value:
        raise FigureError(f"{file}: {field}: write euros, plain spaces and ' (SMS-safe)")
    return value.strip()
