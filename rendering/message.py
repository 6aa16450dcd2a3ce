"""One bot message as the dialogue writes it: a text and optional buttons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# {"title": "Étape suivante", "payload": "/next_step"}, as Rasa sends buttons.
Button = Mapping[str, str]


@dataclass(frozen=True)
class Message:
    """The content every channel renders its own way (here: unchanged)."""

    text: str | None
    buttons: tuple[Button, ...] = ()


def clean_buttons(buttons: Sequence[Mapping[str, object]] | None) -> tuple[Button, ...]:
    """Buttons with a non-empty title, title and payload as text (payload = title if absent)."""
    cleaned: list[Button] = []
    for button in buttons or ():
        title = str(button.get("title") or "").strip()
        if title:
            cleaned.append({"title": title, "payload": str(button.get("payload") or title)})
    return tuple(cleaned)
