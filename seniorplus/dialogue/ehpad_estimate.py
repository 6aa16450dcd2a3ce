"""The EHPAD cost estimate as a short exchange: the income (or "je ne sais pas"), then
the order of magnitude and what may remain after the aids (seniorplus.estimates.ehpad)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from seniorplus.dialogue.speaker import SELF, Speaker
from seniorplus.estimates.ehpad import FIGURES, estimate_ehpad
from seniorplus.journeys.figures import load_figures
from seniorplus.journeys.walkthrough import MENU, Reply, chunked

KIND = "ehpad"
START_PAYLOAD = '/ask_cost{"estimate": "ehpad"}'
STAGE = "ehpad_income"
DONT_KNOW = {"title": "Je ne sais pas", "payload": '/ask_cost{"income": "inconnu"}'}
ADVISER = {"title": "Rencontrer un conseiller", "payload": "/book_appointment"}


def income_question(speaker: Speaker) -> list[Reply]:
    whose = (
        "vos revenus"
        if speaker.for_whom == SELF
        else (f"les revenus de {speaker.relative or 'la personne'}")
    )
    return [
        Reply(
            f"Quels sont {whose} par mois, à peu près ? Retraite et autres revenus. "
            "Écrivez par exemple : 1400 euros.",
            (DONT_KNOW,),
        )
    ]


def income_not_understood() -> list[Reply]:
    return [
        Reply(
            "Je n'ai pas compris le montant. Écrivez seulement le chiffre, par exemple : 1400.",
            (DONT_KNOW,),
        )
    ]


def result(income: Decimal | None, today: date) -> list[Reply]:
    """The estimate with the figures of ``today`` (the conversation's day)."""
    book = load_figures()
    readings = {key: book.on(key, today) for key in FIGURES}
    lines = estimate_ehpad(readings, income).lines()
    lines.append("C'est une estimation : le Département décide des aides.")
    return chunked(lines, (ADVISER, MENU), separator=" ")
