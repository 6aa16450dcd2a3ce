"""GSM 03.38 (3GPP TS 23.038) alphabet and SMS segment counting.

A message that only uses the default alphabet is sent in GSM-7: 160 septets in
one SMS, 153 per part when it is split (the 6-byte header takes the rest). Each
character of the extension table costs two septets (escape + code) and an
escaped pair is never cut between two parts. One character outside both tables
switches the whole message to UCS-2: 70 UTF-16 code units in one SMS, 67 per
part, a surrogate pair (emoji) never cut between two parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Default alphabet, in code order 0x00-0x7F (0x1B, the escape to the extension
# table, is not a character of its own and is left out).
GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"  # 0x00-0x0F
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"  # 0x10-0x1F (0x1B, the escape, left out)
    " !\"#¤%&'()*+,-./"  # 0x20-0x2F
    "0123456789:;<=>?"  # 0x30-0x3F
    "¡ABCDEFGHIJKLMNO"  # 0x40-0x4F
    "PQRSTUVWXYZÄÖÑÜ§"  # 0x50-0x5F
    "¿abcdefghijklmno"  # 0x60-0x6F
    "pqrstuvwxyzäöñüà"  # 0x70-0x7F
)
# Extension table: escape 0x1B + code, two septets each.
GSM7_EXTENSION: frozenset[str] = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67

Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True)
class SmsInfo:
    """How a text travels: encoding, size (septets or UTF-16 units), SMS parts."""

    encoding: Encoding
    characters: int
    segments: int


def is_gsm7_char(char: str) -> bool:
    return char in GSM7_BASIC or char in GSM7_EXTENSION


def is_gsm7(text: str) -> bool:
    """True when every character is in the default alphabet or its extension."""
    return all(is_gsm7_char(char) for char in text)


def gsm7_septets(char: str) -> int:
    """1 for the default alphabet, 2 for the extension table."""
    return 2 if char in GSM7_EXTENSION else 1


def ucs2_units(char: str) -> int:
    """UTF-16 code units: 2 for a character beyond the BMP (most emoji), else 1."""
    return 2 if ord(char) > 0xFFFF else 1


def _parts(costs: list[int], single: int, part: int) -> int:
    """Parts needed for these character costs, never cutting one character."""
    if sum(costs) <= single:  # an empty message still takes one SMS
        return 1
    parts, used = 1, 0
    for cost in costs:
        if used + cost > part:
            parts, used = parts + 1, 0
        used += cost
    return parts


def sms_segments(text: str) -> SmsInfo:
    """Encoding, size and number of SMS parts of `text`, as a gateway sends it as is."""
    if is_gsm7(text):
        costs = [gsm7_septets(char) for char in text]
        return SmsInfo("GSM-7", sum(costs), _parts(costs, GSM7_SINGLE, GSM7_PART))
    costs = [ucs2_units(char) for char in text]
    return SmsInfo("UCS-2", sum(costs), _parts(costs, UCS2_SINGLE, UCS2_PART))
