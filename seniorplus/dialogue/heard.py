"""Facts heard in the conversation, kept once and never asked again (pure).

Every message the person wrote is read by :func:`seniorplus.dialogue.facts.read_facts`,
in order, so that a later message corrects an earlier one ("non, elle a 87 ans, pas 78").
What is kept lives in the ``triage`` slot, under ``facts`` (the facts) and ``facts_read``
(how many of the person's messages were already read): an answer given to a question
(a typed age, a button) is stored there and only the messages after it can change it.

No slot of its own: a new slot changes the domain and costs a retraining; ``triage`` is
already "what we know of the situation", kept with the conversation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from seniorplus.dialogue.facts import Facts, read_facts

FACTS_KEY, READ_KEY = "facts", "facts_read"


@dataclass(frozen=True)
class Heard:
    """The facts known, and how many of the person's messages they include."""

    facts: Facts
    read: int
    fresh: Facts = field(
        default_factory=Facts
    )  # what the messages not read before said (corrections included)

    def stored_in(self, triage: Mapping[str, Any] | None) -> dict[str, Any]:
        """The ``triage`` slot value with these facts kept in it."""
        return {**(triage or {}), FACTS_KEY: self.facts.as_slots(), READ_KEY: self.read}

    def with_answer(self, **answer: Any) -> Heard:
        """These facts with an answer the person just gave to a question."""
        return Heard(replace(self.facts, **answer), self.read, self.fresh)


def person_texts(events: Iterable[Mapping[str, Any]], latest: str | None = None) -> list[str]:
    """What the person wrote, oldest first (button payloads left out).

    ``latest`` stands in when the history holds no message yet (a tracker built by hand).
    """
    texts = [str(e.get("text") or "") for e in events if e.get("event") == "user"]
    if not texts and latest:
        texts = [latest]
    return [t for t in texts if t and not t.startswith("/")]


def heard(triage: Mapping[str, Any] | None, texts: list[str]) -> Heard:
    """The facts stored, updated by the messages not read yet."""
    stored = dict(triage or {})
    facts = Facts.from_slots(stored.get(FACTS_KEY))
    read = stored.get(READ_KEY)
    start = min(read, len(texts)) if isinstance(read, int) and read >= 0 else 0
    fresh = Facts()
    for text in texts[start:]:
        fresh = fresh.merged(read_facts(text))
    return Heard(facts.merged(fresh), len(texts), fresh)
