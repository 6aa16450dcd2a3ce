"""Drop-off per journey step, from the furthest step each conversation reached (pure).

For each journey (data/journeys), over the conversations that opened it:

- ``reached`` at a step: the conversations whose furthest step is this one or a later
  one (the overview, index -1, is reached by every conversation that opened it);
- ``stopped`` at a step: furthest step here, and nothing said for ``quiet_after``
  (24 h by default) — they left there; ``ongoing``: furthest step here, but the
  conversation moved recently, it may still go on;
- at the last step, ``stopped`` are the conversations that went to the end;
- ``drop_pct``: the share of those who reached this step who did not reach the next.

A step index beyond the journey (the file lost steps since) counts as its last step;
a journey no longer in data/journeys is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

OVERVIEW = -1
QUIET_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class Reached:
    """One conversation in one journey: its furthest step and when it last moved."""

    journey: str
    furthest_step: int
    last_activity: datetime


@dataclass(frozen=True)
class JourneyOutline:
    """What the statistics need of a journey: its title and the titles of its steps."""

    id: str
    title: str
    steps: Sequence[str]


@dataclass(frozen=True)
class StepFigures:
    index: int  # -1: the overview
    title: str
    reached: int
    stopped: int
    ongoing: int
    drop_pct: int | None  # None at the last step, or when nobody reached this one


@dataclass(frozen=True)
class JourneyFigures:
    id: str
    title: str
    opened: int
    finished: int
    steps: tuple[StepFigures, ...]


def _percent(lost: int, out_of: int) -> int | None:
    return None if out_of == 0 else round(100 * lost / out_of)


def _figures(
    outline: JourneyOutline, rows: list[Reached], now: datetime, quiet_after: timedelta
) -> JourneyFigures:
    last = len(outline.steps) - 1
    furthest = [(min(row.furthest_step, last), row.last_activity) for row in rows]
    titles = ["Aperçu", *outline.steps]
    steps = []
    for index in range(OVERVIEW, last + 1):
        reached = sum(1 for step, _ in furthest if step >= index)
        here = [moved for step, moved in furthest if step == index]
        stopped = sum(1 for moved in here if now - moved >= quiet_after)
        later = reached - len(here)
        steps.append(
            StepFigures(
                index=index,
                title=titles[index + 1],
                reached=reached,
                stopped=stopped,
                ongoing=len(here) - stopped,
                drop_pct=None if index == last else _percent(reached - later, reached),
            )
        )
    finished = steps[-1].reached if last >= 0 else 0
    return JourneyFigures(outline.id, outline.title, len(rows), finished, tuple(steps))


def journey_figures(
    rows: Iterable[Reached],
    outlines: Mapping[str, JourneyOutline],
    now: datetime,
    quiet_after: timedelta = QUIET_AFTER,
) -> list[JourneyFigures]:
    """The figures of every journey of ``outlines`` (in its order), even if nobody opened it."""
    by_journey: dict[str, list[Reached]] = {journey: [] for journey in outlines}
    for row in rows:
        if row.journey in by_journey:
            by_journey[row.journey].append(row)
    return [
        _figures(outline, by_journey[journey], now, quiet_after)
        for journey, outline in outlines.items()
    ]
