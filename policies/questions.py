"""What a short message asks, read without a model (pure, shared by both environments)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Ways of asking what a word means, once lowercased without accents or punctuation.
CUES = ("c est quoi", "c quoi", "c koi", "cest quoi", "c est koi", "qu est ce que", "quest ce que",
        "kesako", "ca veut dire", "veut dire quoi", "que veut dire", "signifie", "ca signifie",
        "c est qui", "ca correspond a quoi", "comprends pas le mot")  # fmt: skip


NEAR_WORDS = 3  # at most this many words between the way of asking and the term


def normalise(text: str) -> str:
    """Lowercase, no accents, no punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    no_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", no_accents).split())


def asked_term(text: str, terms: Iterable[str]) -> str | None:
    """The one term (an acronym such as "GIR") whose meaning `text` asks for, else None.

    "c'est quoi le GIR ?", "CCAS ça veut dire quoi", "GIR ?" name their term; a
    message naming two terms, or none, or without a question, names nothing, nor one
    whose question is about something else, the term far from it.
    """
    words = normalise(text)
    named = [t for t in terms if re.search(rf"\b{re.escape(normalise(t))}\b", words)]
    if len(named) != 1:
        return None
    term = normalise(named[0])
    if words in (term, f"le {term}", f"l {term}", f"la {term}") and text.strip().endswith("?"):
        return named[0]
    near = rf"(?:\S+ ){{0,{NEAR_WORDS}}}"  # "c'est quoi exactement le GIR", "GIR ça veut dire"
    asked = any(
        re.search(rf"\b{cue} {near}{term}\b", words) or re.search(rf"\b{term} {near}{cue}\b", words)
        for cue in CUES
    )  # "c'est quoi les papiers à fournir pour l'APA" asks for papers, not for the word
    return named[0] if asked else None
