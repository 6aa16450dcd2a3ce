"""EHPAD cost estimate: an order of magnitude, and what may remain after the aids.

Pure: the figures of the conversation's day come in as readings of data/figures.yml
(``ehpad_prix_jour_*``: CNSA average daily prices of a single room, ``ash_somme_laissee``:
what a resident keeps with the ASH). Rules (domain brief §5, §11):

- a month is counted as 365 / 12 days;
- with the ASH (aide sociale à l'hébergement) the resident pays 90 % of their income
  and keeps 10 %, and at least the monthly amount left (1 % of the yearly ASPA);
- the APA en établissement and the housing aids lower the bill; their amounts depend on
  the EHPAD and the person, so the estimate names them without a figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from seniorplus.estimates.apa import EstimateError, format_euros, to_cent
from seniorplus.journeys.figures import Reading

DAYS_PER_MONTH = Decimal(365) / Decimal(12)
ASH_SHARE_PAID = Decimal("0.90")
PRICE_HABILITATED = "ehpad_prix_jour_habilite"
PRICE_OTHER = "ehpad_prix_jour_non_habilite"
ASH_KEPT = "ash_somme_laissee"
FIGURES = (PRICE_HABILITATED, PRICE_OTHER, ASH_KEPT)


@dataclass(frozen=True)
class EhpadEstimate:
    """Monthly prices (habilitated to the ASH or not) and, with an income, the gap."""

    habilitated: Reading
    other: Reading
    ash_kept: Reading
    income: Decimal | None

    @property
    def monthly_low(self) -> Decimal:
        return to_cent(self.habilitated.value * DAYS_PER_MONTH)

    @property
    def monthly_high(self) -> Decimal:
        return to_cent(self.other.value * DAYS_PER_MONTH)

    @property
    def gap(self) -> tuple[Decimal, Decimal] | None:
        """What the income does not cover each month, before the aids (None without income)."""
        if self.income is None:
            return None
        return (
            max(self.monthly_low - self.income, Decimal(0)),
            max(self.monthly_high - self.income, Decimal(0)),
        )

    @property
    def with_ash(self) -> tuple[Decimal, Decimal] | None:
        """(paid, kept) each month if the ASH pays the rest (None without income)."""
        if self.income is None:
            return None
        kept = max(to_cent(self.income * (1 - ASH_SHARE_PAID)), self.ash_kept.value)
        return max(self.income - kept, Decimal(0)), min(kept, self.income)

    def lines(self) -> list[str]:
        """The estimate in short plain-French sentences (each under one message)."""
        year = self.habilitated.year
        first = (
            f"Ordre de grandeur : en {year}, une chambre seule en EHPAD coûtait en moyenne "
            f"environ {format_euros(self.monthly_low)} par mois dans un EHPAD habilité à "
            f"l'aide sociale, et environ {format_euros(self.monthly_high)} dans les autres "
            "(moyennes en France)."
        )
        lines = [
            first,
            "Le prix de chaque EHPAD de Loire-Atlantique est sur pour-les-personnes-agees.gouv.fr.",
        ]
        gap, ash = self.gap, self.with_ash
        if gap is not None and ash is not None:
            if gap[1] == 0:
                lines.append("Avec ces revenus, le prix moyen serait couvert, avant toute aide.")
            else:
                lines.append(
                    f"Avec ces revenus, il manquerait environ {_range(*gap)} par mois, "
                    "avant les aides."
                )
                lines.append(
                    "Si les revenus ne suffisent pas, l'aide sociale à l'hébergement (ASH) "
                    "du Département paie le reste. "
                    f"La personne verse alors environ {format_euros(ash[0])} par mois et garde "
                    f"environ {format_euros(ash[1])}."
                )
        lines.append(
            "L'allocation personnalisée d'autonomie (APA) en établissement paie une partie de "
            "la dépendance. L'aide au logement de la CAF baisse le prix. Avec l'aide sociale, "
            "la personne garde chaque mois au moins "
            f"{self.ash_kept.in_sentence}."
        )
        lines.append(
            "Les enfants peuvent devoir aider selon leurs moyens : c'est l'obligation "
            "alimentaire. Les petits-enfants ne paient rien. L'aide sociale est reprise sur "
            "l'héritage dès le premier euro. L'APA n'est jamais reprise."
        )
        if not (self.habilitated.current and self.other.current):
            lines.append(
                f"Prix moyens {year} : ils ont augmenté depuis. C'est une estimation, pas un devis."
            )
        return lines


def estimate_ehpad(readings: dict[str, Reading], income: Decimal | None) -> EhpadEstimate:
    """The estimate from the day's readings of :data:`FIGURES` and an optional monthly income."""
    if income is not None and (not income.is_finite() or income < 0):
        raise EstimateError("Le montant des revenus n'est pas un nombre valide.")
    return EhpadEstimate(
        readings[PRICE_HABILITATED], readings[PRICE_OTHER], readings[ASH_KEPT], income
    )


def _range(low: Decimal, high: Decimal) -> str:
    if format_euros(low) == format_euros(high):
        return format_euros(high)
    return (
        f"{format_euros(low).removesuffix(' euros').removesuffix(' euro')} à {format_euros(high)}"
    )
