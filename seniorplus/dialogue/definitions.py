"""A word asked about on the way: "c'est quoi le GIR ?", "CCAS ça veut dire quoi" (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from policies.questions import asked_term
from seniorplus.journeys.schema import Journey


def glossary(journeys: Iterable[Journey], first: Journey | None = None) -> dict[str, str]:
    """Every acronym the journeys explain; the journey in progress has the last word."""
    merged: dict[str, str] = {}
    for journey in journeys:
        merged.update(journey.acronyms)
    if first is not None:
        merged.update(first.acronyms)
    return merged


def asked_acronym(text: str, acronyms: Mapping[str, str]) -> str | None:
    """The acronym whose meaning `text` asks for, or None when it asks something else."""
    return asked_term(text, acronyms)
