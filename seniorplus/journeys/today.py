"""The journeys as they read on one day: dated texts switched, figures of that day filled in.

A journey file names figures (``amounts``, ``{montant:key}`` in texts) and contacts by
key; :func:`resolve` turns them into the words said on ``day``:

- ``changes`` whose ``from`` day has come replace their texts (the CMI on 1 January 2027);
- each ``{montant:key}`` becomes the amount in force, with its year and where to check
  when its revaluation date has passed with no new value;
- ``amount_lines`` and each step's ``contact_line`` are filled (unconfirmed contacts
  replaced by their confirmed entry point).

Pure apart from reading the three content files once (cached).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from functools import lru_cache

from seniorplus.journeys.contacts import ContactBook, load_contacts
from seniorplus.journeys.figures import FigureBook, load_figures, placeholders
from seniorplus.journeys.schema import Journey, JourneyError, Pitfall, Step, load_all


def resolve(journey: Journey, day: date, figures: FigureBook, contacts: ContactBook) -> Journey:
    """``journey`` as said on ``day``."""
    overview, eligibility, pitfalls = journey.overview, journey.eligibility, journey.pitfalls
    steps = list(journey.steps)
    for change in sorted(journey.changes, key=lambda c: c.from_day):
        if change.from_day > day:
            continue
        overview = change.overview or overview
        eligibility = change.eligibility if change.eligibility is not None else eligibility
        pitfalls = change.pitfalls if change.pitfalls is not None else pitfalls
        steps = [_changed(s, change.steps.get(s.id)) for s in steps]

    def fill(text: str) -> str:
        return figures.fill(text, day)

    def said(step: Step) -> Step:
        return replace(
            step,
            text=fill(step.text),
            for_relative=fill(step.for_relative) if step.for_relative else None,
            deadline=fill(step.deadline) if step.deadline else None,
            where=fill(step.where) if step.where else None,
            contact_line=contacts.line(step.contact) if step.contact else None,
        )

    return replace(
        journey,
        overview=fill(overview),
        eligibility=tuple(fill(item) for item in eligibility),
        pitfalls=tuple(Pitfall(fill(p.text), p.step) for p in pitfalls),
        steps=tuple(said(step) for step in steps),
        amount_lines=tuple(figures.on(key, day).line for key in journey.amounts),
        contact_lines=tuple(contacts.line(c) for c in journey.contacts),
    )


def _changed(step: Step, fields: Mapping[str, str] | None) -> Step:
    """The step with the texts a change gives it (title, text, for_relative, where, deadline)."""
    if not fields:
        return step
    return replace(
        step,
        title=fields.get("title", step.title),
        text=fields.get("text", step.text),
        for_relative=fields.get("for_relative", step.for_relative),
        where=fields.get("where", step.where),
        deadline=fields.get("deadline", step.deadline),
    )


@lru_cache(maxsize=4)
def journeys_on(day: date) -> dict[str, Journey]:
    """Every journey of data/journeys as said on ``day`` (cached per day)."""
    figures, contacts = load_figures(), load_contacts()
    return {key: resolve(j, day, figures, contacts) for key, j in load_all().items()}


def figures_in_use(journeys: dict[str, Journey]) -> set[str]:
    """The figure keys the journey files name (amounts and ``{montant:key}`` in texts)."""
    keys: set[str] = set()
    for journey in journeys.values():
        keys.update(journey.amounts)
        texts = [journey.overview, *journey.eligibility, *(p.text for p in journey.pitfalls)]
        for step in journey.steps:
            texts += [step.text, step.for_relative or "", step.deadline or "", step.where or ""]
        for change in journey.changes:
            texts += [change.overview or "", *(change.eligibility or ())]
            texts += [p.text for p in change.pitfalls or ()]
            texts += [t for fields in change.steps.values() for t in fields.values()]
        for text in texts:
            keys.update(placeholders(text))
    return keys


def check_references(
    journeys: dict[str, Journey], figures: FigureBook, contacts: ContactBook
) -> None:
    """Every figure and contact a journey names exists (JourneyError otherwise)."""
    for journey in journeys.values():
        named = {journey.id: figures_in_use({journey.id: journey})}
        for key in named[journey.id]:
            if key not in figures:
                raise JourneyError(f"{journey.id}: unknown figure {key!r} (data/figures.yml)")
        wanted = [*journey.contacts, *(s.contact for s in journey.steps if s.contact)]
        for contact in wanted:
            if contact not in contacts.contacts:
                raise JourneyError(f"{journey.id}: unknown contact {contact!r} (data/contacts.yml)")
