"""APA estimate (allocation personnalisée d'autonomie): ceilings and participation.

Pure functions over ``Decimal``: no I/O, no clock. Every figure comes from the domain
brief ``/work/shared/domain/autonomy-journeys.md`` (section and confidence mark in the
comment next to it). The result is an *estimation*: only the Département evaluates the
GIR, draws up the plan d'aide and decides.

Rules implemented (brief §3.4-§3.6, §3.8):

- home ceiling = R232-10 coefficient x MTP, rounded to the cent;
- home participation (R232-11): 0 % up to 0.725 S, 90 % above 2.67 S, in between
  ``P = 90 % x x x [A1 + A2 x (0.4 + 0.6 x) + A3 x (0.2 + 0.8 x)]``;
- establishment participation (R232-19): tarif GIR 5-6 below 2.21 S, plus 0 to 80 % of
  (own tarif - tarif GIR 5-6), linear, between 2.21 S and 3.40 S, 80 % above;
- couples: resources divided by 1.7 at home, by 2 in establishment.

Thresholds are compared with the exact product ``coefficient x S`` (the law's wording);
the cent-rounded values are for display. Money results are rounded to the cent,
half up: the brief's computed values imply it (0.725 x 1 266,60 = 918,285 -> 918,29).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from seniorplus.errors import SeniorPlusError
from seniorplus.journeys.figures import FigureBook, load_figures

CENT = Decimal("0.01")
EURO = Decimal("1")
ZERO = Decimal("0")

# Sources quoted with each estimate (brief §21, official texts and the Département page).
SOURCE_R232_10 = (
    "https://www.doctrine.fr/l/texts/codes/LEGITEXT000006074069/articles/"
    "LEGIARTI000006905632?version=LEGIARTI000048878530"
)
SOURCE_R232_11 = (
    "https://www.doctrine.fr/l/texts/codes/LEGITEXT000006074069/articles/"
    "LEGIARTI000006905633?version=LEGIARTI000038681713"
)
SOURCE_R232_19 = (
    "https://codes-et-lois.fr/code-de-l-action-sociale-et-des-familles/"
    "toc-differentes-formes-aide-action-sociales-personnes-agees-all-225951f-texte-integral"
)
SOURCE_LOIRE_ATLANTIQUE = "https://www.loire-atlantique.fr/apa"

HOME_SOURCES = (SOURCE_R232_10, SOURCE_R232_11, SOURCE_LOIRE_ATLANTIQUE)
ESTABLISHMENT_SOURCES = (SOURCE_R232_19,)

APA_GIRS = (1, 2, 3, 4)

# --- Coefficients shared by 2025 and 2026 -------------------------------------------
# §3.5 ✅ CASF R232-10 since 1 Jan 2024 (décret 2024-2), also OpenFisca-France
# `plafond_apa_domicile_en_part_mtp`: plan ceiling as a share of the MTP.
GIR_COEFFICIENTS_2024: Mapping[int, Decimal] = MappingProxyType(
    {
        1: Decimal("1.615"),
        2: Decimal("1.306"),
        3: Decimal("0.944"),
        4: Decimal("0.630"),
    }
)
# §3.6 ✅ CASF R232-11 (décret 2016-210, as amended 2019), OpenFisca-France
# `apa_domicile/seuil_revenu_en_part_mtp`, `participation_en_part_mtp`.
HOME_ZERO_PARTICIPATION_RATIO = Decimal("0.725")  # R <= 0.725 S -> 0 %
HOME_FULL_PARTICIPATION_RATIO = Decimal("2.67")  # R > 2.67 S -> 90 %
HOME_SLICE_1_LIMIT_RATIO = Decimal("0.317")  # A1: plan up to 0.317 S
HOME_SLICE_2_LIMIT_RATIO = Decimal("0.498")  # A2: 0.317 S..0.498 S, A3 above
HOME_MAX_RATE = Decimal("0.90")  # 90 % of the plan used
HOME_SLICE_2_FLOOR = Decimal("0.4")  # A2 weight 0.4 + 0.6 x (rate cut by up to 60 %)
HOME_SLICE_3_FLOOR = Decimal("0.2")  # A3 weight 0.2 + 0.8 x (rate cut by up to 80 %)
# §3.4 ✅ OpenFisca-France `apa_domicile/division_ressources_menage_couples` (décret 2001-1084).
HOME_COUPLE_DIVISOR = Decimal("1.7")
# §3.8 ✅ CASF R232-19, OpenFisca-France `apa_institution/seuil_inferieur`, `seuil_superieur`.
ESTABLISHMENT_LOW_RATIO = Decimal("2.21")  # R < 2.21 S -> tarif GIR 5-6 only
ESTABLISHMENT_HIGH_RATIO = Decimal("3.40")  # R > 3.40 S -> + 80 % of the difference
ESTABLISHMENT_MAX_RATE = Decimal("0.80")
# §3.4 ✅ OpenFisca-France `apa_institution/division_ressources_menage_couples` (R232-19).
ESTABLISHMENT_COUPLE_DIVISOR = Decimal("2")


class EstimateError(SeniorPlusError):
    """An estimate cannot be made from this input; ``str(error)`` is a French message."""


@dataclass(frozen=True)
class ApaParameters:
    """The APA scale of one calendar year (S = MTP in force on 1 January)."""

    year: int
    mtp: Decimal
    mtp_valid_from: date  # first day of the APA year (the MTP in force on 1 January)
    gir_coefficients: Mapping[int, Decimal] = field(hash=False)
    home_zero_participation_ratio: Decimal
    home_full_participation_ratio: Decimal
    home_slice_1_limit_ratio: Decimal
    home_slice_2_limit_ratio: Decimal
    home_max_rate: Decimal
    home_slice_2_floor: Decimal
    home_slice_3_floor: Decimal
    home_couple_divisor: Decimal
    establishment_low_ratio: Decimal
    establishment_high_ratio: Decimal
    establishment_max_rate: Decimal
    establishment_couple_divisor: Decimal

    def ceiling(self, gir: int) -> Decimal:
        """Maximum monthly plan d'aide at home for an APA GIR (1-4), to the cent."""
        return to_cent(self.gir_coefficients[gir] * self.mtp)

    @property
    def home_zero_threshold(self) -> Decimal:
        """Monthly resources up to which nothing is paid at home (display value)."""
        return to_cent(self.home_zero_participation_ratio * self.mtp)

    @property
    def home_full_threshold(self) -> Decimal:
        """Monthly resources above which 90 % of the plan is paid (display value)."""
        return to_cent(self.home_full_participation_ratio * self.mtp)

    @property
    def home_slice_limits(self) -> tuple[Decimal, Decimal]:
        """A1/A2 and A2/A3 plan limits (display values)."""
        return (
            to_cent(self.home_slice_1_limit_ratio * self.mtp),
            to_cent(self.home_slice_2_limit_ratio * self.mtp),
        )

    @property
    def establishment_thresholds(self) -> tuple[Decimal, Decimal]:
        """Low and high establishment thresholds (display values)."""
        return (
            to_cent(self.establishment_low_ratio * self.mtp),
            to_cent(self.establishment_high_ratio * self.mtp),
        )


def _parameters(year: int, mtp: str, mtp_valid_from: date) -> ApaParameters:
    return ApaParameters(
        year=year,
        mtp=Decimal(mtp),
        mtp_valid_from=mtp_valid_from,
        gir_coefficients=GIR_COEFFICIENTS_2024,
        home_zero_participation_ratio=HOME_ZERO_PARTICIPATION_RATIO,
        home_full_participation_ratio=HOME_FULL_PARTICIPATION_RATIO,
        home_slice_1_limit_ratio=HOME_SLICE_1_LIMIT_RATIO,
        home_slice_2_limit_ratio=HOME_SLICE_2_LIMIT_RATIO,
        home_max_rate=HOME_MAX_RATE,
        home_slice_2_floor=HOME_SLICE_2_FLOOR,
        home_slice_3_floor=HOME_SLICE_3_FLOOR,
        home_couple_divisor=HOME_COUPLE_DIVISOR,
        establishment_low_ratio=ESTABLISHMENT_LOW_RATIO,
        establishment_high_ratio=ESTABLISHMENT_HIGH_RATIO,
        establishment_max_rate=ESTABLISHMENT_MAX_RATE,
        establishment_couple_divisor=ESTABLISHMENT_COUPLE_DIVISOR,
    )


# APA of year N uses the MTP in force on 1 January N (§3.5): one period of the figure
# `apa_mtp` in data/figures.yml per APA year, with its source and date checked.
MTP_FIGURE = "apa_mtp"


def parameters_from(book: FigureBook) -> Mapping[int, ApaParameters]:
    """The APA scale of every year the figures file records."""
    return MappingProxyType(
        {
            period.valid_from.year: _parameters(
                period.valid_from.year, str(period.value), period.valid_from
            )
            for period in book[MTP_FIGURE].periods
        }
    )


PARAMETERS_BY_YEAR: Mapping[int, ApaParameters] = parameters_from(load_figures())


@dataclass(frozen=True)
class Scale:
    """The APA scale to use on a day: that year's, or the last one recorded (not current)."""

    parameters: ApaParameters
    day: date

    @property
    def current(self) -> bool:
        return self.parameters.year == self.day.year


def scale_on(day: date, by_year: Mapping[int, ApaParameters] | None = None) -> Scale:
    """The scale in force on ``day``; after the last recorded year, that year's, flagged."""
    known = PARAMETERS_BY_YEAR if by_year is None else by_year
    years = [year for year in known if year <= day.year]
    return Scale(known[max(years) if years else min(known)], day)


@dataclass(frozen=True)
class ApaEstimate:
    """Home APA estimate for a GIR or a GIR band, assuming the whole plan is used.

    ``participation_*`` is what would remain payable by the person each month if the
    plan reached the ceiling; ``apa_*`` what the Département would then pay.
    """

    year: int
    girs: tuple[int, ...]
    couple: bool
    ceiling_low: Decimal
    ceiling_high: Decimal
    participation_low: Decimal
    participation_high: Decimal
    sources: tuple[str, ...] = HOME_SOURCES
    is_estimate: bool = True

    @property
    def apa_low(self) -> Decimal:
        return self.ceiling_low - self.participation_low

    @property
    def apa_high(self) -> Decimal:
        return self.ceiling_high - self.participation_high

    def french_summary(self, relative: str | None = None) -> str:
        """Three short sentences in plain French, SMS-safe (no "€", no NBSP, no "ê").

        ``relative`` ("votre père"): said to a caregiver, what remains is the relative's.
        """
        if len(self.girs) > 2:
            girs = f"{self.girs[0]} à {self.girs[-1]}"
        else:
            girs = " ou ".join(str(g) for g in self.girs)
        first = (
            f"Selon notre estimation pour {self.year}, le plan d'aide maximal pour un "
            f"GIR {girs} (niveau de besoin d'aide) est d'environ "
            f"{_euro_range(self.ceiling_low, self.ceiling_high)} "
            "par mois."
        )
        side = f"pour {relative}" if relative else "de votre côté"
        if self.participation_high == ZERO:
            second = f"Avec ces revenus, il ne resterait rien à payer {side}."
        elif whole_euros(self.participation_high) == 0:
            second = f"Avec ces revenus, il ne resterait presque rien à payer {side}."
        else:
            second = (
                "Si le plan est utilisé en entier, il resterait environ "
                f"{_euro_range(self.participation_low, self.participation_high)} "
                f"par mois à {'la charge de ' + relative if relative else 'votre charge'}."
            )
        situation = f"la situation de {relative}" if relative else "votre situation"
        third = f"C'est le Département qui évalue {situation} et qui décide."
        return f"{first} {second} {third}"


def to_cent(amount: Decimal) -> Decimal:
    """Round a money amount to the cent, half up (the brief's rounding)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def whole_euros(amount: Decimal) -> int:
    """Round a money amount to the euro, half up, for plain-language text."""
    return int(amount.quantize(EURO, rounding=ROUND_HALF_UP))


def _group(number: int) -> str:
    # A plain space, not a non-breaking one, keeps an SMS in GSM-7 (brief §15).
    return f"{number:,}".replace(",", " ")


def _unit(number: int) -> str:
    return "euro" if abs(number) < 2 else "euros"


def format_euros(amount: Decimal) -> str:
    """Whole euros with a plain space between thousands: ``1 216 euros``."""
    number = whole_euros(amount)
    return f"{_group(number)} {_unit(number)}"


def _euro_range(low: Decimal, high: Decimal) -> str:
    low_number, high_number = whole_euros(low), whole_euros(high)
    if low_number == high_number:
        return format_euros(high)
    return f"{_group(low_number)} à {_group(high_number)} {_unit(high_number)}"


def parameters_for(year: int) -> ApaParameters:
    """The APA scale of ``year``; ``EstimateError`` for a year the brief does not cover."""
    try:
        return PARAMETERS_BY_YEAR[year]
    except (KeyError, TypeError):
        known = ", ".join(str(y) for y in sorted(PARAMETERS_BY_YEAR))
        raise EstimateError(
            f"Nous n'avons pas le barème de l'APA pour l'année {year}. "
            f"Années disponibles : {known}."
        ) from None


def _check_gir(gir: object) -> int:
    if isinstance(gir, bool) or not isinstance(gir, int) or not 1 <= gir <= 6:
        raise EstimateError("Le GIR est un chiffre de 1 à 6.")
    if gir >= 5:
        raise EstimateError(
            "L'APA concerne les GIR 1 à 4. Pour un GIR 5 ou 6, "
            "la caisse de retraite peut aider à domicile."
        )
    return gir


def _check_amount(amount: object, what: str) -> Decimal:
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise EstimateError(f"Le montant {what} n'est pas un nombre valide.")
    value = Decimal(amount)
    if not value.is_finite():
        raise EstimateError(f"Le montant {what} n'est pas un nombre valide.")
    if value < ZERO:
        raise EstimateError(f"Le montant {what} ne peut pas être négatif.")
    return value


def home_plan_ceiling(gir: int, year: int) -> Decimal:
    """Maximum monthly plan d'aide at home for ``gir`` (1-4) in ``year`` (brief §3.5)."""
    return parameters_for(year).ceiling(_check_gir(gir))


def home_participation(
    monthly_income: Decimal | int,
    plan_amount: Decimal | int,
    year: int,
    couple: bool = False,
) -> Decimal:
    """Monthly participation (ticket modérateur) on a home plan, CASF R232-11 (brief §3.6).

    Args:
        monthly_income: monthly resources of the person, or of the household if ``couple``
            (then divided by 1.7).
        plan_amount: monthly amount of the plan d'aide used.
        year: APA year (its MTP is S).
        couple: the person lives as a couple.
    """
    income = _check_amount(monthly_income, "des revenus")
    plan = _check_amount(plan_amount, "du plan d'aide")
    p = parameters_for(year)
    s = p.mtp
    resources = income / p.home_couple_divisor if couple else income
    low = p.home_zero_participation_ratio * s
    high = p.home_full_participation_ratio * s
    if resources <= low:
        return to_cent(ZERO)
    if resources > high:
        return to_cent(p.home_max_rate * plan)
    x = (resources - low) / (high - low)
    limit_1 = p.home_slice_1_limit_ratio * s
    limit_2 = p.home_slice_2_limit_ratio * s
    a1 = min(plan, limit_1)
    a2 = min(max(plan - limit_1, ZERO), limit_2 - limit_1)
    a3 = max(plan - limit_2, ZERO)
    weighted = (
        a1
        + a2 * (p.home_slice_2_floor + (1 - p.home_slice_2_floor) * x)
        + a3 * (p.home_slice_3_floor + (1 - p.home_slice_3_floor) * x)
    )
    participation = min(p.home_max_rate * x * weighted, p.home_max_rate * plan)
    return to_cent(participation)


def establishment_participation(
    monthly_income: Decimal | int,
    tariff_own_gir: Decimal | int,
    tariff_gir56: Decimal | int,
    year: int,
    couple: bool = False,
) -> Decimal:
    """Monthly participation of an EHPAD/USLD resident, CASF R232-19 (brief §3.8).

    The resident always pays the tarif dépendance GIR 5-6, plus a share of the
    difference with the tarif of their own GIR: 0 % below 2.21 S, 80 % above 3.40 S,
    linear in between. Couple resources are divided by 2.
    """
    income = _check_amount(monthly_income, "des revenus")
    own = _check_amount(tariff_own_gir, "du tarif dépendance")
    base = _check_amount(tariff_gir56, "du tarif dépendance GIR 5-6")
    if own < base:
        raise EstimateError(
            "Le tarif dépendance du GIR de la personne ne peut pas être "
            "plus bas que le tarif des GIR 5 et 6."
        )
    p = parameters_for(year)
    resources = income / p.establishment_couple_divisor if couple else income
    low = p.establishment_low_ratio * p.mtp
    high = p.establishment_high_ratio * p.mtp
    if resources < low:
        share = ZERO
    elif resources > high:
        share = p.establishment_max_rate
    else:
        share = p.establishment_max_rate * (resources - low) / (high - low)
    return to_cent(base + (own - base) * share)


def _band(gir_band: int | tuple[int, int]) -> tuple[int, ...]:
    if isinstance(gir_band, tuple):
        if len(gir_band) != 2:
            raise EstimateError("Indiquez un GIR, ou deux GIR proches comme 3 ou 4.")
        first, last = sorted(_check_gir(g) for g in gir_band)
        return tuple(range(first, last + 1))
    return (_check_gir(gir_band),)


def estimate_home(
    gir_band: int | tuple[int, int],
    monthly_income: Decimal | int,
    year: int,
    couple: bool = False,
) -> ApaEstimate:
    """Ceiling and participation range for a GIR (1-4) or a band such as ``(3, 4)``.

    The participation is computed on each ceiling, i.e. if the whole plan is used.
    """
    girs = _band(gir_band)
    p = parameters_for(year)
    ceilings = [p.ceiling(g) for g in girs]
    low, high = min(ceilings), max(ceilings)
    return ApaEstimate(
        year=year,
        girs=girs,
        couple=couple,
        ceiling_low=low,
        ceiling_high=high,
        participation_low=home_participation(monthly_income, low, year, couple),
        participation_high=home_participation(monthly_income, high, year, couple),
    )
