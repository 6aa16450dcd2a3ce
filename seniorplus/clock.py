"""The conversation's day: the one place that reads the clock for dated content.

Figures (``data/figures.yml``) and dated texts (the CMI after 31 December 2026) depend
on the day of the conversation. Pure code never reads the clock: it receives a day.
The action server asks :func:`conversation_day` once per turn.

``SENIORPLUS_FROZEN_NOW`` (dev and tests only) freezes that day:

- an ISO date or date-time (``2027-01-02`` or ``2027-01-02T10:00:00+01:00``);
- or the path of a file holding one, read at every call, so that a test can move
  the clock of a running action server without restarting it.

It is refused when ``APP_ENV=production``: a frozen clock there would quote
last year's amounts as current.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from seniorplus.errors import ConfigurationError
from seniorplus.settings import ClockSettings, get_settings

PARIS = ZoneInfo("Europe/Paris")
FROZEN_NOW = "SENIORPLUS_FROZEN_NOW"


def paris_day(moment: datetime) -> date:
    """The calendar day in France at ``moment`` (naive moments are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(PARIS).date()


def parse_frozen(value: str) -> date:
    """The day an ISO date or date-time names (in France)."""
    text = value.strip()
    try:
        if "T" in text or " " in text:
            return paris_day(datetime.fromisoformat(text))
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigurationError(
            f"{FROZEN_NOW}={text!r} is neither an ISO date nor the path of a file holding one."
        ) from None


def frozen_day(environ: Mapping[str, str] | None = None) -> date | None:
    """The frozen day, or None when the clock is not frozen.

    Raises:
        ConfigurationError: frozen in production, or a value that is not a date.
    """
    clock = get_settings().clock if environ is None else ClockSettings.from_env(environ)
    value = clock.frozen_now
    if not value:
        return None
    if clock.app_env == "production":
        raise ConfigurationError(f"{FROZEN_NOW} is for dev and tests: unset it in production.")
    path = Path(value)
    if path.is_absolute():
        try:
            value = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigurationError(f"{FROZEN_NOW}: cannot read {path}: {exc}") from exc
    return parse_frozen(value)


def conversation_day(now: datetime | None = None) -> date:
    """Today in France, or the frozen day in dev and tests."""
    frozen = frozen_day()
    if frozen is not None:
        return frozen
    return paris_day(now or datetime.now(timezone.utc))
