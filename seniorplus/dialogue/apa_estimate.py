"""The APA estimate as a short exchange: how much help is needed, then the income.

The GIR is never asked as such (only the Département can set it): the person
picks the sentence that fits, in the brief's plain words (§2), or "je ne sais pas".
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from seniorplus.dialogue.speaker import SELF, Speaker
from seniorplus.estimates import PARAMETERS_BY_YEAR, estimate_home
from seniorplus.estimates.apa import format_euros
from seniorplus.journeys.walkthrough import MENU, Reply

BANDS: dict[str, tuple[int, int]] = {"1-2": (1, 2), "3-4": (3, 4), "1-4": (1, 4)}
START_PAYLOAD = '/ask_cost{"estimate": "apa"}'


def estimate_year(today: date | None = None) -> int:
    """The latest year with official figures, not after this year."""
    year = (today or date.today()).year
    known = [y for y in PARAMETERS_BY_YEAR if y <= year]
    return max(known) if known else min(PARAMETERS_BY_YEAR)


def band_button(title: str, band: str) -> dict[str, str]:
    return {"title": title, "payload": f'/ask_cost{{"gir_band": "{band}"}}'}


def gir_question(speaker: Speaker) -> list[Reply]:
    if speaker.for_whom == SELF:
        text = "Pour une estimation, quelle phrase vous décrit le mieux ?"
    else:
        whom = speaker.relative or "la personne"
        text = f"Pour une estimation, quelle phrase décrit le mieux {whom} ?"
    return [
        Reply(
            text,
            (
                band_button("Aide tout le temps", "1-2"),
                band_button("Aide chaque jour pour la toilette", "3-4"),
                band_button("Je ne sais pas", "1-4"),
            ),
        )
    ]  # fmt: skip


def income_question(speaker: Speaker) -> list[Reply]:
    if speaker.for_whom == SELF:
        whose = "vos revenus"
    else:
        whose = f"les revenus de {speaker.relative or 'la personne'}"
    return [
        Reply(
            f"Quels sont {whose} par mois, à peu près ? Retraite et autres revenus. "
            "Écrivez par exemple : 1200 euros.",
            ({"title": "Je ne sais pas", "payload": '/ask_cost{"income": "inconnu"}'},),
        )
    ]


def income_not_understood() -> list[Reply]:
    return [
        Reply(
            "Je n'ai pas compris le montant. Écrivez seulement le chiffre, par exemple : 1200.",
            ({"title": "Je ne sais pas", "payload": '/ask_cost{"income": "inconnu"}'},),
        )
    ]


def result(band: str, income: Decimal | None, year: int) -> list[Reply]:
    """The estimate; without income, the ceilings and the rule instead of a figure."""
    girs = BANDS.get(band, BANDS["1-4"])
    if income is None:
        ceilings = estimate_home(girs, 0, year)
        threshold = PARAMETERS_BY_YEAR[year].home_zero_threshold
        text = (
            f"Selon notre estimation pour {year}, l'aide peut aller jusqu'à environ "
            f"{format_euros(ceilings.ceiling_low)} à {format_euros(ceilings.ceiling_high)} "
            "par mois. Ce qui reste à payer dépend des revenus : rien sous environ "
            f"{format_euros(threshold)} par mois. C'est le Département qui décide."
        )
    else:
        text = estimate_home(girs, income, year).french_summary()
    return [
        Reply(text, ({"title": "Rencontrer un conseiller", "payload": "/book_appointment"}, MENU))
    ]
