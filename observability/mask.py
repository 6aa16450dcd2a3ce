"""Mask personal identifiers before they reach the logs (both environments: stdlib only)."""

from __future__ import annotations

import re
from urllib.parse import unquote

_E164 = re.compile(r"\+\d{8,15}")
_MIN_PARTIAL = 7  # shorter values would reveal most of themselves: mask them fully

# In free text: e-mails, international numbers (+33 6 12 34 56 78) and French
# national numbers (06 12 34 56 78, 06.12.34.56.78, 0612345678).
_EMAIL = r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
_INTL_PHONE = r"(?P<intl>\+\d(?:[ .-]?\d){7,14})"
_FR_PHONE = r"(?P<fr>0[1-9](?:[ .-]?\d{2}){4})"
_IN_TEXT = re.compile(rf"{_EMAIL}|(?<![\w+]){_INTL_PHONE}(?!\w)|(?<![\w+]){_FR_PHONE}(?!\w)")


def mask_identifier(value: str) -> str:
    """Mask an identifier, keeping its length and both ends.

    ``"+33612345678"`` → ``"+336******78"`` (country code and first digit kept);
    other ids keep their first 2 and last 2 characters; ids shorter than 7
    characters are fully masked.
    """
    if _E164.fullmatch(value):
        return value[:4] + "*" * (len(value) - 6) + value[-2:]
    if len(value) < _MIN_PARTIAL:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def _mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[0]}***@{domain}"


def _mask_match(match: re.Match[str]) -> str:
    email = match.group("email")
    if email is not None:
        return _mask_email(email)
    compact = re.sub(r"[ .-]", "", match.group(0))
    return mask_identifier(compact)


def mask_text(text: str) -> str:
    """Replace every phone number and e-mail address found in ``text`` by a masked form."""
    return _IN_TEXT.sub(_mask_match, text)


_PHONE_PARAMETER = re.compile(r"(?<=[?&]phone=)[^&\s]*", re.IGNORECASE)


def mask_url(url: str) -> str:
    """A request path for a log line: the ``phone`` parameter hidden, any number masked."""
    return mask_text(unquote(_PHONE_PARAMETER.sub("***", url)))
