"""A word asked about on the way: "c'est quoi le GIR ?", "CCAS ça veut dire quoi" (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from seniorplus.dialogue.replies import normalise
from seniorplus.journeys.schema import Journey

# Ways of asking what a word means, once lowercased without accents or punctuation.
CUES = ("c est quoi", "c quoi", "c koi", "cest quoi", "c est koi", "qu est ce que", "quest ce que",
        "kesako", "ca veut dire", "veut dire quoi", "que veut dire", "signifie", "ca signifie",
        "c est qui", "c est quoi ca", "ca correspond a quoi", "comprends pas le mot")  # fmt: skip


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
    words = normalise(text)
    named = [a for a in acronyms if re.search(rf"\b{re.escape(normalise(a))}\b", words)]
    if len(named) != 1:
        return None
    bare = words in (normalise(named[0]), f"le {normalise(named[0])}", f"l {normalise(named[0])}")
    if bare and text.strip().endswith("?"):
        return named[0]
    return named[0] if any(re.search(rf"\b{cue}\b", words) for cue in CUES) else None
