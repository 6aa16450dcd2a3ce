"""Drop-off per journey step, computed from furthest steps alone (pure, no database)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from seniorplus.events.stats import JourneyOutline, Reached, journey_figures

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=timezone.utc)
OLD, RECENT = NOW - timedelta(days=3), NOW - timedelta(hours=1)
APA = JourneyOutline("apa_domicile", "L'APA à domicile", ["Demander", "Remplir", "Envoyer"])
EHPAD = JourneyOutline("ehpad", "Entrer en EHPAD", ["Visiter", "Choisir"])
OUTLINES = {"apa_domicile": APA, "ehpad": EHPAD}


def rows(journey: str, *steps: tuple[int, datetime]) -> list[Reached]:
    return [Reached(journey, step, moved) for step, moved in steps]


def test_reached_stopped_and_lost_at_each_step() -> None:
    data = rows(
        "apa_domicile",
        (-1, OLD), (-1, OLD), (-1, RECENT),  # overview only: two left, one may go on
        (0, OLD),                            # left at step 1
        (1, OLD), (1, RECENT),               # at step 2
        (2, OLD), (2, RECENT),               # went to the end
    )  # fmt: skip
    apa, ehpad = journey_figures(data, OUTLINES, NOW)
    assert (apa.id, apa.opened, apa.finished) == ("apa_domicile", 8, 2)
    table = [(s.index, s.title, s.reached, s.stopped, s.ongoing, s.drop_pct) for s in apa.steps]
    assert table == [
        (-1, "Aperçu", 8, 2, 1, 38),  # 3 of 8 never saw step 1
        (0, "Demander", 5, 1, 0, 20),
        (1, "Remplir", 4, 1, 1, 50),
        (2, "Envoyer", 2, 1, 1, None),  # the end: stopped means went to the end
    ]
    assert ehpad.opened == 0 and [s.reached for s in ehpad.steps] == [0, 0, 0]
    assert [s.drop_pct for s in ehpad.steps] == [None, None, None]


def test_the_quiet_delay_decides_between_stopped_and_ongoing() -> None:
    data = rows("ehpad", (0, NOW - timedelta(hours=2)))
    (_, ehpad) = journey_figures(data, OUTLINES, NOW, quiet_after=timedelta(hours=1))
    assert (ehpad.steps[1].stopped, ehpad.steps[1].ongoing) == (1, 0)
    (_, ehpad) = journey_figures(data, OUTLINES, NOW, quiet_after=timedelta(hours=3))
    assert (ehpad.steps[1].stopped, ehpad.steps[1].ongoing) == (0, 1)


def test_unknown_journeys_are_left_out_and_steps_beyond_the_end_count_as_the_last() -> None:
    data = rows("ehpad", (7, OLD)) + rows("retired_journey", (0, OLD))
    figures = journey_figures(data, OUTLINES, NOW)
    assert [f.id for f in figures] == ["apa_domicile", "ehpad"]
    assert [s.reached for s in figures[1].steps] == [1, 1, 1] and figures[1].finished == 1
