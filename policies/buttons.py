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


DONT_KNOW_TITLE = "je ne sais pas"
# Typed ways of saying "Je ne sais pas": that button, whatever the intent the model saw
# ("je sais pas trop" reads like a request for help).
DONT_KNOW = frozenset({
    "je sais pas", "je ne sais pas", "sais pas", "j sais pas", "jsais pas", "jsp", "chai pas",
    "je sais pas trop", "je ne sais pas trop", "je sais plus", "je ne sais plus", "aucune idee",
    "je n en sais rien", "j en sais rien", "pas sur", "pas sure", "on ne sait pas",
    "on sait pas", "je connais pas", "je ne connais pas", "aucune idee desole",
    "je sais pas desole", "non je sais pas", "euh je sais pas", "ben je sais pas",
})  # fmt: skip


def button_titled(text: str, buttons: Sequence[ButtonT]) -> ButtonT | None:
    """The button whose title ``text`` is, once normalised (case, accents, punctuation);
    "je sais pas" and its forms are the "Je ne sais pas" button."""
    wanted = normalise(text)
    if not wanted:
        return None
    for button in buttons:
        if normalise(str(button.get("title", ""))) == wanted:
            return button
    if wanted in DONT_KNOW:
        for button in buttons:
            if normalise(str(button.get("title", ""))) == DONT_KNOW_TITLE:
                return button
    return None
