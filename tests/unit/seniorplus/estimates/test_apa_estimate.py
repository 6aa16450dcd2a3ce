"""APA estimate: worked examples recomputed by hand from the domain brief (§3.5, §3.6, §3.8).

Notation (brief §3.6): S = MTP of the year, R = monthly resources (after the couple
divisor), x = (R - 0.725 S) / (2.67 S - 0.725 S),
P = 90 % x x x [A1 + A2 x (0.4 + 0.6 x) + A3 x (0.2 + 0.8 x)].

2026: S = 1 288,13
    0.725 S = 933.89425      2.67 S = 3 439.3071      width 1.945 S = 2 505.41285
    0.317 S = 408.33721      0.498 S = 641.48874
    GIR 4 plan 811.52 -> A1 = 408.33721, A2 = 233.15153, A3 = 170.03126
    2.21 S = 2 846.7673      3.40 S = 4 379.642       width 1.19 S = 1 532.8747
2025: S = 1 266,60
    0.725 S = 918.285        2.67 S = 3 381.822       width 1.945 S = 2 463.537
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from seniorplus.errors import SeniorPlusError
from seniorplus.estimates import (
    PARAMETERS_BY_YEAR,
    ApaEstimate,
    EstimateError,
    establishment_participation,
    estimate_home,
    home_participation,
    home_plan_ceiling,
    parameters_for,
)
from seniorplus.estimates.apa import format_euros

D = Decimal
GIR4_2026 = D("811.52")


# --- Ceilings (§3.5) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gir", "ceiling"),
    [
        (1, "2080.33"),  # 1.615 x 1 288.13 = 2 080.32995
        (2, "1682.30"),  # 1.306 x 1 288.13 = 1 682.29778
        (3, "1215.99"),  # 0.944 x 1 288.13 = 1 215.99472
        (4, "811.52"),  # 0.630 x 1 288.13 = 811.5219
    ],
)
def test_ceilings_2026_match_the_brief_table(gir: int, ceiling: str) -> None:
    assert home_plan_ceiling(gir, 2026) == D(ceiling)


@pytest.mark.parametrize(
    ("gir", "ceiling"),
    [
        (1, "2045.56"),  # 1.615 x 1 266.60 = 2 045.559
        (2, "1654.18"),  # 1.306 x 1 266.60 = 1 654.1796
        (3, "1195.67"),  # 0.944 x 1 266.60 = 1 195.6704
        (4, "797.96"),  # 0.630 x 1 266.60 = 797.958
    ],
)
def test_ceilings_2025_match_the_brief_table(gir: int, ceiling: str) -> None:
    assert home_plan_ceiling(gir, 2025) == D(ceiling)


def test_display_thresholds_match_the_brief_tables() -> None:
    p2025, p2026 = parameters_for(2025), parameters_for(2026)
    # 0.725 x 1 266.60 = 918.285 -> 918.29: the brief rounds half up.
    assert (p2025.home_zero_threshold, p2025.home_full_threshold) == (D("918.29"), D("3381.82"))
    assert (p2026.home_zero_threshold, p2026.home_full_threshold) == (D("933.89"), D("3439.31"))
    assert p2025.home_slice_limits == (D("401.51"), D("630.77"))
    assert p2026.home_slice_limits == (D("408.34"), D("641.49"))
    assert p2025.establishment_thresholds == (D("2799.19"), D("4306.44"))
    assert p2026.establishment_thresholds == (D("2846.77"), D("4379.64"))


def test_parameter_table_covers_the_brief_years_only() -> None:
    assert sorted(PARAMETERS_BY_YEAR) == [2025, 2026]
    assert parameters_for(2026).mtp == D("1288.13")
    assert parameters_for(2025).mtp == D("1266.60")
    assert parameters_for(2026).home_couple_divisor == D("1.7")
    assert parameters_for(2026).establishment_couple_divisor == D("2")


# --- Home participation (§3.6), 2026, GIR 4 plan at its ceiling 811.52 -----------------


@pytest.mark.parametrize(
    ("income", "participation"),
    [
        ("0", "0.00"),
        # Published threshold 933.89 is below the exact 933.89425: still 0 %.
        ("933.89", "0.00"),
        ("933.89425", "0.00"),  # exactly 0.725 S: "R <= 0.725 S" -> 0 %
        # Just above: x = 0.00575 / 2 505.41285 = 0.0000023;
        # sum = 408.33721 + 233.15153 x 0.4000014 + 170.03126 x 0.2000018 = 535.6047;
        # P = 0.9 x 0.0000023 x 535.6047 = 0.0011 -> 0.00
        ("933.90", "0.00"),
        # x = 66.10575 / 2 505.41285 = 0.02638517;
        # A2 weight 0.4 + 0.6 x = 0.41583110, A3 weight 0.2 + 0.8 x = 0.22110814;
        # sum = 408.33721 + 96.95222 + 37.59529 = 542.88416;
        # P = 0.9 x 0.02638517 x 542.88416 = 12.8917 -> 12.89
        ("1000", "12.89"),
        # x = 1 066.10575 / 2 505.41285 = 0.42552099;
        # weights 0.65531259 and 0.54041679; sum = 653.01209;
        # P = 0.9 x 0.42552099 x 653.01209 = 250.0833 -> 250.08
        ("2000", "250.08"),
        # Midpoint of the sliding scale: R = 0.725 S + 1.945 S / 2 -> x = 0.5;
        # sum = 408.33721 + 233.15153 x 0.7 + 170.03126 x 0.6 = 673.562037;
        # P = 0.45 x 673.562037 = 303.1029 -> 303.10
        ("2186.600675", "303.10"),
        # Just below 2.67 S: x = 2 505.40575 / 2 505.41285 = 0.99999717;
        # sum = 811.519218; P = 0.9 x 0.99999717 x 811.519218 = 730.3652 -> 730.37
        ("3439.30", "730.37"),
        ("3439.3071", "730.37"),  # exactly 2.67 S: x = 1 -> 90 % x 811.52 = 730.368
        ("3439.31", "730.37"),  # above 2.67 S: 90 % x 811.52 = 730.368 -> 730.37
        ("10000", "730.37"),
    ],
)
def test_home_participation_around_the_thresholds(income: str, participation: str) -> None:
    assert home_participation(D(income), GIR4_2026, 2026) == D(participation)


def test_just_below_the_top_the_rate_stays_under_90_percent_for_a_big_plan() -> None:
    # GIR 1 plan 2 080.33: A3 = 1 438.84126; x = 0.99999717; sum = 2 080.326342;
    # P = 0.9 x 0.99999717 x 2 080.326342 = 1 872.2884 -> 1 872.29 (< 90 % = 1 872.30)
    assert home_participation(D("3439.30"), D("2080.33"), 2026) == D("1872.29")
    assert home_participation(D("3439.31"), D("2080.33"), 2026) == D("1872.30")


def test_plan_within_the_first_slice_is_charged_90_percent_times_x() -> None:
    # Plan 400 < 0.317 S: only A1 = 400. At x = 0.5: P = 0.9 x 0.5 x 400 = 180.00
    assert home_participation(D("2186.600675"), D(400), 2026) == D("180.00")
    # 2025, R = 1 000: x = (1 000 - 918.285) / 2 463.537 = 0.0331698;
    # plan 400 < 0.317 x 1 266.60 = 401.5122 -> P = 360 x 0.0331698 = 11.9411 -> 11.94
    assert home_participation(1000, 400, 2025) == D("11.94")


def test_couple_resources_are_divided_by_1_7_at_home() -> None:
    # Household 3 400 / 1.7 = 2 000 -> same as a single person with 2 000: 250.08
    assert home_participation(3400, GIR4_2026, 2026, couple=True) == D("250.08")
    # Household 1 500 / 1.7 = 882.35 <= 933.89425 -> 0 %, while a single person pays
    # x = 566.10575 / 2 505.41285 = 0.22595308, sum = 597.94813, P = 121.5974 -> 121.60
    assert home_participation(1500, GIR4_2026, 2026, couple=True) == D("0.00")
    assert home_participation(1500, GIR4_2026, 2026) == D("121.60")
    # Household 6 000 / 1.7 = 3 529.41 > 3 439.3071 -> 90 %
    assert home_participation(6000, GIR4_2026, 2026, couple=True) == D("730.37")


def test_participation_is_rounded_half_up_to_the_cent() -> None:
    # 90 % x 0.05 = 0.045 -> 0.05 (half up; half-even would give 0.04)
    assert home_participation(10000, D("0.05"), 2026) == D("0.05")
    result = home_participation(D("1234.56"), D("777.77"), 2026)
    assert result == result.quantize(D("0.01"))


def test_empty_plan_costs_nothing() -> None:
    assert home_participation(5000, 0, 2026) == D("0.00")


# --- Establishment participation (§3.8), 2026, tarif own GIR 600, tarif GIR 5-6 200 ----


@pytest.mark.parametrize(
    ("income", "participation"),
    [
        ("2000", "200.00"),  # below 2.21 S: tarif GIR 5-6 only
        ("2846.76", "200.00"),  # just below 2.21 S = 2 846.7673
        # Midpoint R = 2.805 S = 3 613.20465: share = 80 % x 0.5 = 40 %;
        # P = 200 + 400 x 0.4 = 360.00
        ("3613.20465", "360.00"),
        # Just below 3.40 S = 4 379.642: (4 379.64 - 2 846.7673) / 1 532.8747 = 0.9999987;
        # P = 200 + 400 x 0.8 x 0.9999987 = 519.9996 -> 520.00
        ("4379.64", "520.00"),
        ("4379.65", "520.00"),  # above 3.40 S: 200 + 80 % x 400 = 520.00
        ("9000", "520.00"),
    ],
)
def test_establishment_participation(income: str, participation: str) -> None:
    assert establishment_participation(D(income), 600, 200, 2026) == D(participation)


def test_establishment_between_thresholds_at_a_round_income() -> None:
    # R = 3 000: share = 0.8 x (3 000 - 2 846.7673) / 1 532.8747 = 0.8 x 0.09996423
    # = 0.07997138; P = 200 + 400 x 0.07997138 = 231.9886 -> 231.99
    assert establishment_participation(3000, 600, 200, 2026) == D("231.99")


def test_establishment_couple_resources_are_divided_by_2() -> None:
    # Household 7 226.4093 / 2 = 3 613.20465 -> midpoint -> 360.00
    assert establishment_participation(D("7226.4093"), 600, 200, 2026, couple=True) == D("360.00")
    # Household 5 000 / 2 = 2 500 < 2.21 S -> tarif GIR 5-6 only
    assert establishment_participation(5000, 600, 200, 2026, couple=True) == D("200.00")


def test_establishment_rounds_to_the_cent() -> None:
    # 200 + 0.8 x 400.01 = 520.008 -> 520.01
    assert establishment_participation(9000, D("600.01"), 200, 2026) == D("520.01")


# --- Estimate for a GIR band ---------------------------------------------------------


def test_estimate_for_a_rough_band() -> None:
    estimate = estimate_home((4, 3), 1500, 2026)
    assert isinstance(estimate, ApaEstimate)
    assert estimate.girs == (3, 4)
    assert estimate.year == 2026
    assert estimate.is_estimate is True
    assert (estimate.ceiling_low, estimate.ceiling_high) == (D("811.52"), D("1215.99"))
    # GIR 4 ceiling: 121.60 (see couple test). GIR 3 ceiling 1 215.99: A3 = 574.50126;
    # sum = 408.33721 + 233.15153 x 0.53557185 + 574.50126 x 0.38076246 = 751.95512;
    # P = 0.9 x 0.22595308 x 751.95512 = 152.9159 -> 152.92
    assert (estimate.participation_low, estimate.participation_high) == (
        D("121.60"),
        D("152.92"),
    )
    assert (estimate.apa_low, estimate.apa_high) == (D("689.92"), D("1063.07"))
    assert estimate.sources
    assert all(url.startswith("https://") for url in estimate.sources)


def test_estimate_for_a_single_gir() -> None:
    estimate = estimate_home(2, 800, 2026)
    assert estimate.girs == (2,)
    assert estimate.ceiling_low == estimate.ceiling_high == D("1682.30")
    assert estimate.participation_low == estimate.participation_high == D("0.00")


@pytest.mark.parametrize(
    ("band", "income", "couple"),
    [((3, 4), 1500, False), (2, 800, False), ((1, 4), 5000, False), (1, 3000, True)],
)
def test_french_summary_is_a_plain_estimate(
    band: int | tuple[int, int], income: int, couple: bool
) -> None:
    text = estimate_home(band, income, 2026, couple=couple).french_summary()
    assert "estimation" in text
    assert "2026" in text
    assert "€" not in text
    assert "\u00a0" not in text and "\u202f" not in text
    lowered = text.lower()
    assert "vous avez droit" not in lowered
    assert "éligible" not in lowered
    assert "Département" in text
    assert 2 <= len(re.findall(r"[.!?](?:\s|$)", text)) <= 3


def test_french_summary_amounts_in_whole_euros() -> None:
    text = estimate_home((3, 4), 1500, 2026).french_summary()
    assert "812 à 1 216 euros" in text  # ceilings 811.52 and 1 215.99
    assert "122 à 153 euros" in text  # participations 121.60 and 152.92
    assert "GIR 3 ou 4" in text
    assert "rien" in estimate_home(2, 800, 2026).french_summary()
    assert "GIR 1 à 4" in estimate_home((1, 4), 1500, 2026).french_summary()


def test_format_euros() -> None:
    assert format_euros(D("1234.49")) == "1 234 euros"
    assert format_euros(D("2080.50")) == "2 081 euros"
    assert format_euros(D("0.40")) == "0 euro"


# --- Refused input -------------------------------------------------------------------


@pytest.mark.parametrize("gir", [5, 6])
def test_gir_5_and_6_point_to_the_caisse_de_retraite(gir: int) -> None:
    with pytest.raises(EstimateError, match="caisse de retraite") as error:
        home_plan_ceiling(gir, 2026)
    assert "GIR 1 à 4" in str(error.value)
    with pytest.raises(EstimateError, match="caisse de retraite"):
        estimate_home((4, gir), 1500, 2026)


@pytest.mark.parametrize("gir", [0, 7, -1, True])
def test_gir_outside_1_to_6_is_refused(gir: int) -> None:
    with pytest.raises(EstimateError, match="GIR"):
        home_plan_ceiling(gir, 2026)
    with pytest.raises(EstimateError, match="GIR"):
        estimate_home(gir, 1500, 2026)


def test_band_must_have_two_girs() -> None:
    with pytest.raises(EstimateError, match="GIR"):
        estimate_home((1, 2, 3), 1500, 2026)  # type: ignore[arg-type]


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(EstimateError, match="négatif"):
        home_participation(-1, 500, 2026)
    with pytest.raises(EstimateError, match="négatif"):
        home_participation(1000, D("-0.01"), 2026)
    with pytest.raises(EstimateError, match="négatif"):
        estimate_home(3, D("-100"), 2026)
    with pytest.raises(EstimateError, match="négatif"):
        establishment_participation(-1, 600, 200, 2026)


def test_non_numbers_are_refused() -> None:
    with pytest.raises(EstimateError, match="nombre"):
        home_participation(D("NaN"), 500, 2026)
    with pytest.raises(EstimateError, match="nombre"):
        home_participation(1000.5, 500, 2026)  # type: ignore[arg-type]


def test_own_tariff_below_gir56_tariff_is_refused() -> None:
    with pytest.raises(EstimateError, match="GIR 5 et 6"):
        establishment_participation(3000, 100, 200, 2026)


@pytest.mark.parametrize("year", [2024, 2027])
def test_unknown_year_is_refused(year: int) -> None:
    with pytest.raises(EstimateError, match=str(year)) as error:
        home_plan_ceiling(1, year)
    assert "2025, 2026" in str(error.value)
    with pytest.raises(EstimateError):
        home_participation(1000, 500, year)
    with pytest.raises(EstimateError):
        establishment_participation(3000, 600, 200, year)
    with pytest.raises(EstimateError):
        estimate_home(3, 1000, year)


def test_estimate_error_is_a_domain_error() -> None:
    assert issubclass(EstimateError, SeniorPlusError)


def test_said_to_a_caregiver_what_remains_is_the_relatives() -> None:
    text = estimate_home((3, 4), 1450, 2026).french_summary("votre père")
    assert "à la charge de votre père." in text
    assert "la situation de votre père" in text
    assert "votre charge" not in text and "votre situation" not in text
    assert "rien à payer pour votre mère" in estimate_home(2, 800, 2026).french_summary(
        "votre mère"
    )
