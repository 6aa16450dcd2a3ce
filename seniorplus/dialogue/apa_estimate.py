"""The APA estimate as a short exchange: how much help is needed, then the income.

The GIR is never asked as such (only the Département can set it): the person
picks the sentence that fits, in the brief's plain words (§2), or "je ne sais pas".
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from seniorplus.dialogue.speaker import SELF, Speaker
from seniorplus.estimates import PARAMETERS_BY_YEAR, estimate_home, scale_on
from seniorplus.estimates.apa import format_euros
from seniorplus.journeys.walkthrough import MENU, Reply

BANDS: dict[str, tuple[int, int]] = {"1-2": (1, 2), "3-4": (3, 4), "1-4": (1, 4)}
START_PAYLOAD = '/ask_cost{"estimate": "apa"}'
APA_PAGE = "loire-atlantique.fr/apa"


def estimate_year(today: date) -> int:
    """The latest year with official figures, not after the year of ``today``."""
    return scale_on(today).parameters.year


def stale_notice(year: int, today: date) -> list[Reply]:
    """Said before an estimate made with last year's scale (no new one recorded yet)."""
    if year >= today.year:
        return []
    return [
        Reply(
            f"Attention : le barème {today.year} de l'allocation personnalisée d'autonomie "
            "(APA) n'est pas encore enregistré. "
            f"Voici une estimation avec le barème {year}. Les montants sont revalorisés "
            f"chaque 1er janvier : à vérifier sur {APA_PAGE}."
        )
    ]


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


def result(band: str, income: Decimal | None, year: int, today: date | None = None) -> list[Reply]:
    """The estimate; without income, the ceilings and the rule instead of a figure.

    ``today`` (the conversation's day) adds a warning when ``year`` is an older scale.
    """
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
    notice = stale_notice(year, today) if today is not None else []
    return [
        *notice,
        Reply(text, ({"title": "Rencontrer un conseiller", "payload": "/book_appointment"}, MENU)),
    ]
