"""SMS rendering: one GSM-7 text, choices as a numbered list in the same message.

Characters outside GSM 03.38 are transliterated (like Twilio's "smart
encoding") so that one stray "ê" or "’" never switches a message to UCS-2,
which would cut each part from 153 to 67 characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from rendering.gsm import is_gsm7_char
from rendering.message import Button
from rendering.typography import plain_typography, tidy_spaces

# Letters and signs missing from GSM-7, with their closest GSM-7 spelling.
# é è à ù ì ò É Ç Ä Ö Ñ Ü ä ö ñ ü Æ æ Ø ø Å å ß are in the alphabet and stay.
GSM7_TRANSLITERATION: Mapping[str, str] = MappingProxyType(
    {
        "â": "a", "ê": "e", "î": "i", "ô": "o", "û": "u",
        "ë": "e", "ï": "i", "ÿ": "y", "ç": "c",
        "á": "a", "í": "i", "ó": "o", "ú": "u", "ý": "y", "ã": "a", "õ": "o",
        "À": "A", "Â": "A", "Á": "A", "Ã": "A",
        "È": "E", "Ê": "E", "Ë": "E",
        "Î": "I", "Ï": "I", "Ì": "I", "Í": "I",
        "Ô": "O", "Ò": "O", "Ó": "O", "Õ": "O",
        "Ù": "U", "Û": "U", "Ú": "U", "Ÿ": "Y", "Ý": "Y",
        "œ": "oe", "Œ": "OE",
        "•": "-", "·": "-", "‣": "-", "◦": "-", "▪": "-",
        "→": "->", "⇒": "=>", "←": "<-",
        "°": "o", "×": "x", "÷": "/", "≤": "<=", "≥": ">=", "≠": "!=",
        "½": "1/2", "¼": "1/4", "¾": "3/4", "‰": " pour mille",
        "©": "(c)", "®": "(R)", "™": "(TM)",
    }
)  # fmt: skip
_TRANSLITERATION_TABLE = str.maketrans(dict(GSM7_TRANSLITERATION))
_BLANK_LINES_RE = re.compile(r"\n{3,}")
ANSWER_HINT = "Répondez :"
HINT_ALREADY_GIVEN = re.compile(r"\bnum[ée]ro\b", re.IGNORECASE)


def _closest_gsm7(char: str) -> str:
    """A GSM-7 spelling of one character: itself, its bare letter, or nothing."""
    if is_gsm7_char(char):
        return char
    bare = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return bare if bare and all(is_gsm7_char(c) for c in bare) else ""


def to_gsm7(text: str) -> str:
    """`text` with only GSM-7 characters: typography made plain, letters transliterated,
    emoji and other signs removed."""
    plain = plain_typography(text).translate(_TRANSLITERATION_TABLE)
    return "".join(_closest_gsm7(char) for char in plain)


def numbered_choices(buttons: Sequence[Button], text: str = "") -> list[str]:
    """Lines "1 = Étape suivante", under "Répondez :" unless `text` already says how."""
    if not buttons:
        return []
    lines = [f"{number} = {button['title']}" for number, button in enumerate(buttons, 1)]
    return lines if HINT_ALREADY_GIVEN.search(text) else [ANSWER_HINT, *lines]


def render_sms(text: str | None, buttons: Sequence[Button] = ()) -> str:
    """One SMS: the text, then the choices numbered, all in GSM-7."""
    body = text or ""
    full = "\n".join(part for part in [body, *numbered_choices(buttons, body)] if part)
    cleaned = tidy_spaces(to_gsm7(full))
    return _BLANK_LINES_RE.sub("\n\n", cleaned)
