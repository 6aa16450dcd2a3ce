"""Facts heard in the conversation, kept once and never asked again (pure).

Every message the person wrote is read by :func:`seniorplus.dialogue.facts.read_facts`,
in order, so that a later message corrects an earlier one ("non, elle a 87 ans, pas 78").
What is kept lives in the ``triage`` slot, under ``facts`` (the facts) and ``facts_read_at``
(the time of the latest message already read): an answer given to a question (a typed age,
a button) is stored there and only the messages after it can change it. A time, not a count:
a turn sees only the latest turns of a long conversation (bot/stores/window.py), so the
number of messages it sees is not the number the person wrote. ``facts_read``, the count
kept before, is still understood for a history without times (a tracker built by hand).

No slot of its own: a new slot changes the domain and costs a retraining; ``triage`` is
already "what we know of the situation", kept with the conversation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from seniorplus.dialogue.facts import Facts, read_facts

FACTS_KEY, READ_KEY, READ_AT_KEY = "facts", "facts_read", "facts_read_at"


@dataclass(frozen=True)
class Said:
    """A message of the person, and when it came (None in a history built by hand)."""

    text: str
    at: float | None = None


@dataclass(frozen=True)
class Heard:
    """The facts known, and how far the person's messages were read."""

    facts: Facts
    read: int  # the messages seen by this turn
    fresh: Facts = field(
        default_factory=Facts
    )  # what the messages not read before said (corrections included)
    read_at: float | None = None  # the time of the latest of them

    def stored_in(self, triage: Mapping[str, Any] | None) -> dict[str, Any]:
        """The ``triage`` slot value with these facts kept in it."""
        kept = {**(triage or {}), FACTS_KEY: self.facts.as_slots(), READ_KEY: self.read}
        if self.read_at is not None:
            kept[READ_AT_KEY] = self.read_at
        return kept

    def with_answer(self, **answer: Any) -> Heard:
        """These facts with an answer the person just gave to a question."""
        return replace(self, facts=replace(self.facts, **answer))


def person_messages(events: Iterable[Mapping[str, Any]], latest: str | None = None) -> list[Said]:
    """What the person wrote, oldest first, with its time (button payloads left out).

    ``latest`` stands in when the history holds no message yet (a tracker built by hand).
    """
    said = [
        Said(str(e.get("text") or ""), _time(e.get("timestamp")))
        for e in events
        if e.get("event") == "user"
    ]
    if not said and latest:
        said = [Said(latest)]
    return [s for s in said if s.text and not s.text.startswith("/")]


def person_texts(events: Iterable[Mapping[str, Any]], latest: str | None = None) -> list[str]:
    """What the person wrote, oldest first (button payloads left out)."""
    return [said.text for said in person_messages(events, latest)]


def _time(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _unread(stored: Mapping[str, Any], messages: list[Said]) -> list[Said]:
    read_at = _time(stored.get(READ_AT_KEY))
    if read_at is not None and all(said.at is not None for said in messages):
        return [said for said in messages if said.at is not None and said.at > read_at]
    read = stored.get(READ_KEY)
    start = min(read, len(messages)) if isinstance(read, int) and read >= 0 else 0
    return messages[start:]


def heard(triage: Mapping[str, Any] | None, messages: list[Said] | list[str]) -> Heard:
    """The facts stored, updated by the messages not read yet."""
    said = [m if isinstance(m, Said) else Said(m) for m in messages]
    stored = dict(triage or {})
    facts = Facts.from_slots(stored.get(FACTS_KEY))
    fresh = Facts()
    for message in _unread(stored, said):
        fresh = fresh.merged(read_facts(message.text))
    times = [m.at for m in said if m.at is not None]
    read_at = max(times, default=_time(stored.get(READ_AT_KEY)))
    return Heard(facts.merged(fresh), len(said), fresh, read_at)
