"""A question of the bank answered: its answer with the day's amounts, its source and
year, then the way on (steps, papers, amounts, the overview) (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from seniorplus.journeys import Journey
from seniorplus.journeys.figures import FigureBook, load_figures
from seniorplus.journeys.walkthrough import (
    COST,
    MENU,
    PAPERS,
    Button,
    Reply,
    explanations,
    resume_button,
)
from seniorplus.plain_language import explained
from seniorplus.questions.bank import Question, load_bank
from seniorplus.questions.retrieval import QuestionIndex


@lru_cache(maxsize=1)
def bank_index() -> QuestionIndex:
    """The index of the whole bank, built once per process (about 1.5 s)."""
    return QuestionIndex(load_bank())


def answer_text(question: Question, day: date, figures: FigureBook | None = None) -> str:
    """The answer, each ``{montant:key}`` said as it stands on ``day``."""
    return (figures or load_figures()).fill(question.answer, day)


def answered(
    question: Question,
    journey: Journey,
    day: date,
    saved_index: int = -1,
    asked: str = "",
    also: Question | None = None,
) -> list[Reply]:
    """The answer (two SMS at most), then its source and year with the way on; `also`, a
    question as close to the message as the one answered, is offered first.

    An acronym of the answer that the person did not use in `asked` is explained after
    it, from the journey's glossary ("GIR : le niveau de besoin d'aide…").
    """
    text = answer_text(question, day)
    glossary = [
        line
        for line in explanations(journey, text, already=asked.upper())
        if not explained(line.split(" : ")[0], text, journey.acronyms)  # said in the answer
    ]
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
    if also is not None:
        buttons.insert(0, question_button(journey, also))
    return [
        Reply(" ".join([text, *glossary])),
        Reply(f"Source : {question.source} ({year}). Que voulez-vous savoir d'autre ?",
              tuple(buttons)),
    ]  # fmt: skip


def question_button(journey: Journey, question: Question) -> Button:
    """A button that asks `question`: its "choice" entity names it (actions/journeys.py)."""
    payload = f'/{journey.intent}{{"journey": "{journey.id}", "choice": "{question.id}"}}'
    return {"title": question.question, "payload": payload}


def maybe_asked(menu: Reply, journey: Journey, questions: Sequence[Question]) -> Reply:
    """The overview's last message when the bank is not sure which question was asked: the
    nearest questions offered first, then the usual ways on."""
    if not questions:
        return menu
    buttons = tuple(question_button(journey, q) for q in questions)
    return Reply("Votre question est peut-être l'une de celles-ci. Sinon, que voulez-vous savoir ?",
                 (*buttons, *menu.buttons))  # fmt: skip


def answered_in_passing(
    question: Question, journey: Journey, day: date, asked: str = ""
) -> list[Reply]:
    """The answer and its source, without the way on: the conversation goes on elsewhere
    (a long account answered, then the triage's questions)."""
    answer, source = answered(question, journey, day, asked=asked)
    return [answer, Reply(source.text.split(" Que voulez-vous")[0])]
