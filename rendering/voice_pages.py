"""Keypad choices said a few at a time on the phone (pure, standard library only).

A caller cannot keep nine choices in mind: a question with buttons offers at
most four at a time, keys one to four, then "Pour les autres choix, tapez
neuf." Nine reads the next page; on the last page it goes back to the first.
Zero (a person), star (repeat) and hash stay free for the phone channel.

The pages are balanced (nine choices: three pages of three; five: three then
two), so the last page is never a lone choice. The key pressed is mapped back
to the button's payload: the dialogue gets the very choice, whatever the page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rendering.numbers_fr import number_to_words
from rendering.voice import choice_title

PAGE_SIZE = 4
MORE_KEY = "9"  # "autres choix" / "autres sujets"; on the last page: back to the first
MORE_TOPICS = "Pour les autres sujets, tapez neuf."
MORE_CHOICES = "Pour les autres choix, tapez neuf."
FIRST_PAGE = "Pour revenir aux premiers choix, tapez neuf."
# A menu of topics ("/ask_apa"…, "/request_human") says "sujets", any other "choix".
_TOPIC_PAYLOADS = ("/ask_", "/request_human")


def page_sizes(count: int, size: int = PAGE_SIZE) -> list[int]:
    """How many choices each page holds: as even as possible, the first pages fuller."""
    if count <= 0:
        return []
    pages = -(-count // size)
    base, extra = divmod(count, pages)
    return [base + (1 if index < extra else 0) for index in range(pages)]


@dataclass(frozen=True)
class VoiceMenu:
    """The choices of one question, (spoken title, payload) in the dialogue's order, and the
    page the caller is on."""

    choices: tuple[tuple[str, str], ...]
    page: int = 0

    @classmethod
    def of(cls, buttons: Sequence[Mapping[str, str]]) -> VoiceMenu:
        return cls(tuple((choice_title(b["title"]), b["payload"]) for b in buttons))

    @property
    def pages(self) -> int:
        return len(page_sizes(len(self.choices)))

    @property
    def topics(self) -> bool:
        payloads = [payload for _, payload in self.choices]
        return bool(payloads) and all(p.startswith(_TOPIC_PAYLOADS) for p in payloads)

    def _bounds(self) -> tuple[int, int]:
        sizes = page_sizes(len(self.choices))
        if not sizes:
            return 0, 0
        page = min(max(self.page, 0), len(sizes) - 1)
        start = sum(sizes[:page])
        return start, start + sizes[page]

    @property
    def offered(self) -> tuple[tuple[str, str], ...]:
        """(key, payload) for the choices of this page: keys "1" to "4"."""
        start, end = self._bounds()
        return tuple(
            (str(i + 1), payload) for i, (_, payload) in enumerate(self.choices[start:end])
        )

    def payload_for(self, key: str) -> str | None:
        """The payload of the key pressed on this page, or None for a key not offered."""
        return next((payload for k, payload in self.offered if k == key), None)

    def lead(self) -> str:
        """Said before a page the caller asked for with nine."""
        if self.page == 0:
            return "Voici les premiers choix."
        return "Voici les autres sujets." if self.topics else "Voici les autres choix."

    def offers(self, key: str) -> bool:
        """Whether `key` does something on this page (a choice, or nine for the others)."""
        return self.payload_for(key) is not None or (key == MORE_KEY and self.pages > 1)

    def said(self) -> str:
        """ "Pour <choix>, tapez un." for this page, then the key for the others."""
        start, end = self._bounds()
        said = [
            f"Pour {title}, tapez {number_to_words(i + 1)}."
            for i, (title, _) in enumerate(self.choices[start:end])
        ]
        if self.pages > 1:
            if self.page >= self.pages - 1:
                said.append(FIRST_PAGE)
            else:
                said.append(MORE_TOPICS if self.topics else MORE_CHOICES)
        return " ".join(said)

    def turned(self) -> VoiceMenu:
        """The next page; after the last one, the first again."""
        return VoiceMenu(self.choices, (self.page + 1) % max(self.pages, 1))

    def to_json(self) -> str:
        return json.dumps({"choices": self.choices, "page": self.page}, ensure_ascii=False)

    @classmethod
    def from_json(cls, value: str) -> VoiceMenu | None:
        """A menu kept by the channel; None when unreadable."""
        try:
            data = json.loads(value)
            choices = tuple((str(t), str(p)) for t, p in data["choices"])
            page = int(data.get("page", 0))
        except (ValueError, TypeError, KeyError):
            return None
        return cls(choices, page) if choices else None
