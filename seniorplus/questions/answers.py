"""A question of the bank answered: its answer with the day's amounts, its source and
year, then the way on (steps, papers, amounts, the overview) (pure)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from seniorplus.journeys import Journey
from seniorplus.journeys.figures import FigureBook, load_figures
from seniorplus.journeys.walkthrough import COST, MENU, PAPERS, Reply, resume_button
from seniorplus.questions.bank import Question, load_bank
from seniorplus.questions.retrieval import QuestionIndex


@lru_cache(maxsize=1)
def bank_index() -> QuestionIndex:
    """The index of the whole bank, built once per process (about 1.5 s)."""
    return QuestionIndex(load_bank())


def answer_text(question: Question, day: date, figures: FigureBook | None = None) -> str:
    """The answer, each ``{montant:key}`` said as it stands on ``day``."""
    return (figures or load_figures()).fill(question.answer, day)


def answered(question: Question, journey: Journey, day: date, saved_index: int = -1) -> list[Reply]:
    """The answer (two SMS at most), then its source and year with the way on."""
    year = question.checked.year if question.checked else day.year
    start = (
        resume_button(journey, saved_index)
        if saved_index >= 0
        else {"title": "Voir les étapes", "payload": "/next_step"}
    )
    overview = {
        "title": "Tout sur cette aide",
        "payload": f'/{journey.intent}{{"journey": "{journey.id}"}}',
    }
    buttons = [start, PAPERS, *([COST] if journey.amounts else []), overview, MENU]
    return [
        Reply(answer_text(question, day)),
        Reply(f"Source : {question.source} ({year}). Que voulez-vous savoir d'autre ?",
              tuple(buttons)),
    ]  # fmt: skip
