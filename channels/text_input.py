"""Checks shared by every channel on what a person sends (pure, no Rasa import)."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# Control characters other than tab and line breaks, which some phones insert.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SENDER = re.compile(r"^[A-Za-z0-9+._:@-]{1,128}$")


class InvalidInput(ValueError):
    """A request a channel refuses, with a French explanation for the caller."""

    def __init__(self, message_fr: str, status: int = 400) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr
        self.status = status


def load_json(body: bytes | None, unreadable_fr: str) -> Any:
    """The JSON in a request body, or InvalidInput (400) with ``unreadable_fr``.

    Deeply nested JSON makes ``json.loads`` raise RecursionError: a 400 too.
    """
    try:
        return json.loads(body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise InvalidInput(unreadable_fr) from error


def clean_text(text: str) -> str:
    """Drop control characters and normalise Unicode; keep everything readable."""
    return unicodedata.normalize("NFC", _CONTROL.sub(" ", text)).strip()


def check_sender(sender: object) -> str:
    """A conversation id: a phone number, a chat id or a simple token."""
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not _SENDER.match(sender):
        raise InvalidInput(
            "Identifiant d'expéditeur manquant ou invalide (champ « sender » : "
            "lettres, chiffres, + . _ : @ -, 128 caractères au plus)."
        )
    return sender


def check_message(message: object, max_chars: int) -> str:
    """The message text, cleaned; empty text is allowed (it gets a French answer)."""
    if message is None:
        message = ""
    if not isinstance(message, str):
        raise InvalidInput("Le champ « message » doit être du texte.")
    if len(message) > max_chars:
        raise InvalidInput(
            f"Message trop long : {len(message)} caractères, {max_chars} au plus.", status=413
        )
    return clean_text(message)
