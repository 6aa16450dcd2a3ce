"""Walk a person through a journey one step at a time (pure: plain data in, text out).

Progress is two values kept per person by the dialogue: the journey id and the
index of the step last shown (-1 before the first step). Every message is short
enough for a text message; choices are buttons the channel renders.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from seniorplus.journeys.schema import Journey

NOT_STARTED = -1
MAX_CHARS = 300  # one message: two parts of a text message at most
ELIGIBILITY_HEADER = "Les conditions à remplir :"  # said before step 1

Button = dict[str, str]
NEXT = {"title": "Étape suivante", "payload": "/next_step"}
PREVIOUS = {"title": "Étape précédente", "payload": "/previous_step"}
PAPERS = {"title": "Quels papiers ?", "payload": "/ask_documents"}
COST = {"title": "Combien ?", "payload": "/ask_cost"}
ADVISER = {"title": "Rencontrer un conseiller", "payload": "/book_appointment"}
MENU = {"title": "Le menu", "payload": "/help"}
OPEN_CASE = {"title": "Ouvrir mon dossier", "payload": "/start_application"}


@dataclass(frozen=True)
class Reply:
    """One message: its text and the choices offered with it."""

    text: str
    buttons: tuple[Button, ...] = ()


def journeys_for_intent(journeys: Mapping[str, Journey], intent: str) -> list[Journey]:
    """The journeys an intent leads to, in the order of their files (primary first)."""
    return [j for j in sorted(journeys.values(), key=lambda j: j.id) if j.intent == intent]


def clamp(journey: Journey, index: int) -> int:
    """A step index that exists (or NOT_STARTED), whatever was stored."""
    return max(NOT_STARTED, min(index, len(journey.steps) - 1))


CAREGIVER_RIGHTS = {"title": "Vos droits d'aidant", "payload": "/ask_caregiver_support"}
CAREGIVER_JOURNEY = "droits_aidant"


def resume_button(journey: Journey, index: int) -> Button:
    """Back to the step where the person is, in this journey (after a question aside)."""
    return {
        "title": f"Reprendre l'étape {index + 1}",
        "payload": f'/next_step{{"journey": "{journey.id}"}}',
    }


def overview(
    journey: Journey,
    others: list[Journey],
    relative: str | None = None,
    saved_index: int = NOT_STARTED,
) -> list[Reply]:
    """What the procedure is, then the way in: steps (or where one stopped), papers, amounts.

    `relative` ("votre mère", "votre proche") when a caregiver speaks of someone: the
    answer says for whom, and the caregiver's own rights are offered too.
    """
    start = (
        resume_button(journey, saved_index)
        if saved_index >= 0
        else {"title": "Voir les étapes", "payload": "/next_step"}
    )
    buttons = [start, PAPERS]
    if journey.amounts:
        buttons.append(COST)
    buttons += [
        {"title": other.title, "payload": f'/{other.intent}{{"journey": "{other.id}"}}'}
        for other in others
    ]
    if relative and journey.id != CAREGIVER_JOURNEY:
        buttons.append(CAREGIVER_RIGHTS)
    glossary = explanations(journey, journey.overview, already="")
    intro = f"Pour {relative} : " if relative else ""
    where = (
        [f"Vous en étiez à l'étape {saved_index + 1} sur {len(journey.steps)}."]
        if saved_index >= 0
        else []
    )
    return [
        *chunked([intro + journey.overview, *glossary, *where], (), separator=" "),
        Reply("Que voulez-vous savoir ?", (*buttons, MENU)),
    ]


def explanations(journey: Journey, text: str, already: str) -> list[str]:
    """A short meaning for each acronym of `text` that `already` (said before) lacks."""

    def used(acronym: str, where: str) -> bool:
        return re.search(rf"\b{re.escape(acronym)}\b", where) is not None

    return [
        f"{acronym} : {meaning}."
        for acronym, meaning in journey.acronyms.items()
        if used(acronym, text) and not used(acronym, already)
    ]


def said_before(journey: Journey, index: int) -> str:
    """Everything a person walking the journey in order has read before step `index`."""
    return " ".join([journey.overview, *(s.title + " " + s.text for s in journey.steps[:index])])


def eligibility(journey: Journey) -> list[Reply]:
    """Who the procedure is for, told before the first step ("Les conditions à remplir : ...").

    Said, not asked: a question here ("Est-ce pour votre père ?") waited for no answer, since
    step 1 follows at once. The same words for a senior and a caregiver: some conditions are
    the aided person's, others the caregiver's own (droits_aidant).
    """
    lines = [ELIGIBILITY_HEADER, *(f"- {item}" for item in journey.eligibility)]
    glossary = explanations(journey, " ".join(lines), already=journey.overview)
    return chunked([*lines, *glossary], ())


def step(journey: Journey, index: int, relative: str | None = None) -> list[Reply]:
    """Étape i sur n, with where and when, its pitfalls and contact, new acronyms explained.

    `relative` ("votre père") words the step for a caregiver when the journey has that wording.
    """
    current = journey.steps[index]
    text = current.text_for(relative)
    lines = [f"Étape {index + 1} sur {len(journey.steps)} : {current.title}.", text]
    if current.where:
        lines.append(f"Où : {current.where}.")
    if current.deadline:
        lines.append(f"Délai : {current.deadline}.")
    lines += [f"Attention : {_lower_first(p)}" for p in journey.step_pitfalls(current)]
    if current.contact_line:
        lines.append(current.contact_line)
    said = " ".join(lines)
    lines += explanations(journey, said, already=said_before(journey, index))
    moves: list[Button] = []
    if index + 1 < len(journey.steps):
        moves.append(NEXT)
    if index > 0:
        moves.append(PREVIOUS)
    if current.documents:
        moves.append(PAPERS)
    if index + 1 == len(journey.steps):
        moves.append(ADVISER)
    if len(lines) == 2:
        return [Reply(" ".join(lines), tuple(moves))]
    return [Reply(" ".join(lines[:2])), *chunked(lines[2:], tuple(moves), separator=" ")]


def after_last_step(
    journey: Journey, relative: str | None = None, near: str | None = None
) -> list[Reply]:
    """The end of the steps: what to keep in mind, where to go near the person (`near`),
    a person to help, and for a caregiver, their own rights."""
    rights = (CAREGIVER_RIGHTS,) if relative and journey.id != CAREGIVER_JOURNEY else ()
    reminders = [f"À retenir : {pitfall}" for pitfall in journey.closing_pitfalls]
    said = " ".join(reminders)
    reminders += explanations(journey, said, already=said_before(journey, len(journey.steps)))
    return [
        *chunked([*reminders, *([near] if near else [])], (), separator=" "),
        Reply(
            f"C'était la dernière étape ({len(journey.steps)} sur {len(journey.steps)}). "
            "Je peux ouvrir un dossier pour suivre vos papiers, et un conseiller peut vous "
            "aider à le remplir.",
            (OPEN_CASE, ADVISER, PREVIOUS, *rights, MENU),
        ),
    ]


def before_first_step(journey: Journey, relative: str | None = None) -> list[Reply]:
    return [
        Reply("Nous sommes à la première étape.", (NEXT, MENU)),
        *step(journey, 0, relative)[:1],
    ]


def documents(journey: Journey, index: int) -> list[Reply]:
    """The papers of the current step, or of the whole procedure before the first step."""
    if index >= 0 and journey.steps[index].documents:
        docs = journey.step_documents(journey.steps[index])
        intro = f"Pour l'étape {index + 1}, il faut :"
    else:
        docs = journey.documents
        intro = f"Pour {journey.title[0].lower()}{journey.title[1:]}, il faut :"
    lines = [f"- {d.label}{_condition(d.when)}" for d in docs]
    back = (resume_button(journey, index),) if index >= 0 else ()
    onward = (NEXT,) if index + 1 < len(journey.steps) else ()
    cost = (COST,) if journey.amounts else ()
    return chunked([intro, *lines], (*back, *onward, *cost, MENU))


def _lower_first(text: str) -> str:
    """ "N'attendez pas" -> "n'attendez pas" after "Attention :" (acronyms kept)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _condition(when: str | None) -> str:
    if not when or when.lower().startswith("toujours"):
        return ""
    return f" ({when[0].lower()}{when[1:]})"


def amounts(journey: Journey, index: int = NOT_STARTED) -> list[Reply]:
    """Amounts of the day with their year; stale or unsure ones say where to check.

    `journey` comes from seniorplus.journeys.today (its `amount_lines` are filled there).
    """
    back = (resume_button(journey, index),) if index >= 0 else ()
    if not journey.amount_lines:
        return [Reply("Il n'y a pas de montant fixe pour cette démarche.", (*back, MENU))]
    return chunked(["Les montants :", *journey.amount_lines], (*back, PAPERS, MENU))


def definition(journey: Journey | None, index: int, acronym: str, meaning: str) -> list[Reply]:
    """A word asked about on the way ("c'est quoi le GIR ?"), then back to the step."""
    back = (resume_button(journey, index),) if journey is not None and index >= 0 else ()
    return [Reply(f"{acronym} : {meaning}.", (*back, MENU))]


def chunked(
    lines: list[str], buttons: tuple[Button, ...], limit: int = MAX_CHARS, separator: str = "\n"
) -> list[Reply]:
    """Lines grouped into messages of at most `limit` characters; buttons on the last one."""
    messages: list[str] = []
    for line in lines:
        if messages and len(messages[-1]) + 1 + len(line) <= limit:
            messages[-1] += separator + line
        else:
            messages.append(line)
    return [
        Reply(text, buttons if i == len(messages) - 1 else ()) for i, text in enumerate(messages)
    ]


def resume_offer(journey: Journey, index: int) -> list[Reply]:
    """Ask a returning person whether to pick up where they stopped."""
    return [
        Reply(
            f'Voulez-vous reprendre votre démarche "{journey.title}" '
            f"à l'étape {index + 1} sur {len(journey.steps)} ?",
            ({"title": "Oui", "payload": "/next_step"}, {"title": "Non", "payload": "/help"}),
        )
    ]
