"""Buttons as both environments read them (pure): a payload's intent, a title typed in full."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from policies.questions import normalise

ButtonT = TypeVar("ButtonT", bound=Mapping[str, Any])


def payload_intent(payload: str) -> str | None:
    """Intent name of a button payload such as "/ask_apa{...}"; None if it is not one."""
    if not payload.startswith("/"):
        return None
    name = payload[1:].split("{", 1)[0].strip()
    return name or None


def button_titled(text: str, buttons: Sequence[ButtonT]) -> ButtonT | None:
    """The button whose title ``text`` is, once normalised (case, accents, punctuation)."""
    wanted = normalise(text)
    if not wanted:
        return None
    for button in buttons:
        if normalise(str(button.get("title", ""))) == wanted:
            return button
    return None
