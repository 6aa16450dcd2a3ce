"""Plain-language report over every text the assistant can send.

Counts words per sentence (target: 15 on average, docs/plain-language.md) and
flags acronyms used without an explanation in the same message: either the
acronym in brackets next to its meaning, its meaning in brackets, or the
explanation the journeys' glossaries give for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ACRONYM = re.compile(r"(?<!-)\b[A-Z][A-Z0-9]{1,}\b(?!-\w)")  # not in SP-2026-000123
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
WORD = re.compile(r"[\wÀ-ÿ'’-]+")
# Known to everyone, names rather than acronyms to explain, or the SMS keywords.
PLAIN = {"SMS", "OK", "SAMU", "RIB", "CAF", "MSA", "II", "III", "RGPD", "EHPAD", "STOP", "START"}


@dataclass
class Report:
    sentences: int = 0
    words: int = 0
    longest: tuple[int, str] = (0, "")
    unexplained: list[tuple[str, str]] = field(default_factory=list)

    @property
    def average_words(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if WORD.search(s)]


def explained(acronym: str, text: str, glossary: Mapping[str, str]) -> bool:
    if re.search(rf"\({re.escape(acronym)}\)|\b{re.escape(acronym)} \(", text):
        return True
    meaning = glossary.get(acronym, "")
    key_words = [w for w in WORD.findall(meaning.lower()) if len(w) > 5][:2]
    return bool(key_words) and all(w in text.lower() for w in key_words)


def report(conversations: Iterable[list[tuple[str, str]]], glossary: Mapping[str, str]) -> Report:
    """Each conversation: (where, text) pairs in the order a person reads them.

    An acronym must be explained in the message where it first appears; later
    messages of the same conversation may use it freely.
    """
    result = Report()
    for conversation in conversations:
        known: set[str] = set(PLAIN)
        for where, text in conversation:
            for sentence in sentences(text):
                count = len(WORD.findall(sentence))
                result.sentences += 1
                result.words += count
                if count > result.longest[0]:
                    result.longest = (count, sentence)
            for acronym in sorted(set(ACRONYM.findall(text)) - known):
                if not explained(acronym, text, glossary):
                    result.unexplained.append((where, acronym))
                known.add(acronym)
    return result
