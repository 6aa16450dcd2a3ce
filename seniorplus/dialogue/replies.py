"""Map a short reply ("2", "le deux", "oui", "Oui.") to one of the choices offered."""

from __future__ import annotations

import json
from typing import Any

from policies.buttons import button_titled, payload_intent
from policies.questions import normalise

__all__ = ["choice_number", "payload_entities", "payload_intent", "resolve_reply"]

ORDINALS: dict[str, int] = {
    "un": 1, "une": 1, "premier": 1, "premiere": 1, "1er": 1, "1ere": 1,
    "deux": 2, "deuxieme": 2, "second": 2, "seconde": 2, "2eme": 2, "2e": 2,
    "trois": 3, "troisieme": 3, "3eme": 3, "3e": 3,
    "quatre": 4, "quatrieme": 4, "4eme": 4, "4e": 4,
    "cinq": 5, "cinquieme": 5, "5eme": 5, "5e": 5,
    "six": 6, "sixieme": 6, "6eme": 6, "6e": 6,
    "sept": 7, "septieme": 7, "7eme": 7, "7e": 7,
    "huit": 8, "huitieme": 8, "8eme": 8, "8e": 8,
    "neuf": 9, "neuvieme": 9, "9eme": 9, "9e": 9,
    "dix": 10, "dixieme": 10,
}  # fmt: skip

YES_TITLES = ("oui",)
NO_TITLES = ("non",)


def choice_number(text: str) -> int | None:
    """The menu number a short reply names, if any ("2", "le deux", "numéro 3")."""
    words = normalise(text).split()
    fillers = {
        "le",
        "la",
        "l",
        "numero",
        "num",
        "no",
        "n",
        "choix",
        "c",
        "est",
        "euh",
        "svp",
        "merci",
    }
    words = [w for w in words if w not in fillers]
    if len(words) != 1:
        return None
    word = words[0]
    if word.isdigit():
        return int(word)
    return ORDINALS.get(word)


def payload_entities(payload: str) -> list[dict[str, Any]]:
    """Entities written in a button payload such as '/ask_apa{"journey": "apa_domicile"}'."""
    if "{" not in payload:
        return []
    try:
        values = json.loads(payload[payload.index("{") :])
    except ValueError:
        return []
    if not isinstance(values, dict):
        return []
    return [{"entity": str(name), "value": value} for name, value in values.items()]


def resolve_reply(
    text: str,
    intent: str | None,
    entities: list[dict[str, Any]],
    buttons: list[dict[str, Any]],
) -> dict[str, Any] | None:
    """The button a reply picks among `buttons`, or None when it picks none."""
    if not buttons:
        return None
    titled = button_titled(text, buttons)
    if titled is not None:
        return titled
    number = choice_number(text)
    if number is None:
        for entity in entities:
            if entity.get("entity") == "choice":
                number = choice_number(str(entity.get("value", "")))
                if number is not None:
                    break
    if number is not None:
        return buttons[number - 1] if 1 <= number <= len(buttons) else None
    titles = {normalise(str(b.get("title", ""))): b for b in buttons}
    answers = YES_TITLES if intent == "affirm" else NO_TITLES if intent == "deny" else ()
    return next(  # "Oui", or a title that starts with it ("Oui, en ce moment")
        (
            b
            for title, b in titles.items()
            for a in answers
            if title == a or title.startswith(a + " ")
        ),
        None,
    )
