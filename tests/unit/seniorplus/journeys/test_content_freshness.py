"""Fails when a dated figure is past its revaluation date with no new value recorded.

The one test that reads today's date on purpose: the team learns it before users do.
Fix: add the new period to data/figures.yml (docs/content.md), or, when the new value is
not published yet, an `acknowledged` entry with a near `until` and the reason.
"""

from __future__ import annotations

from datetime import datetime, timezone

from seniorplus.clock import paris_day
from seniorplus.journeys.figures import load_figures


def test_no_figure_in_use_is_past_its_revaluation_date() -> None:
    today = paris_day(datetime.now(timezone.utc))
    late = load_figures().overdue(today)
    assert not late, "Revalorisation passée, nouvelle valeur à enregistrer : " + ", ".join(
        f"{r.figure.key} ({r.year}, revalorisé au {r.figure.revalued}, source {r.period.source})"
        for r in late
    )
