"""Human-readable references, pure.

Cases: ``SP-<year>-<6 digits>`` ("SP-2026-000123"), numbered per year by the
``case_counters`` table. Typed back by people, so parsing is tolerant: case,
spaces, dashes, dots or nothing between the parts ("sp 2026 123",
"SP2026000123", "s.p. 2026-000 123" all give "SP-2026-000123").

Appointments: ``RDV-`` + 6 random characters from an alphabet without the
look-alikes I, L, O, 0, 1 ("RDV-7KQ4MX"): short to say on the phone, and not
guessable from another person's reference.
"""

from __future__ import annotations

import re
import secrets

CASE_PREFIX = "SP"
CASE_NUMBER_DIGITS = 6
CASE_NUMBER_MAX = 10**CASE_NUMBER_DIGITS - 1
APPOINTMENT_PREFIX = "RDV"
APPOINTMENT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
APPOINTMENT_CODE_LENGTH = 6

# Separators people and phones put between the parts: spaces, dashes of every
# kind (autocorrect turns "-" into "–"), dots, underscores, slashes.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−._/]+")
_CASE_COMPACT = re.compile(r"SP(20\d{2})(\d{1,6})")
_SEP = r"[\s\-‐‑‒–—―−._/]*"
_CASE_IN_TEXT = re.compile(
    rf"(?<![0-9A-Za-z])S[\s.]*P{_SEP}(20\d{{2}}){_SEP}(\d{{1,6}})(?![0-9])", re.IGNORECASE
)
_APPOINTMENT_COMPACT = re.compile(
    rf"{APPOINTMENT_PREFIX}([{APPOINTMENT_ALPHABET}]{{{APPOINTMENT_CODE_LENGTH}}})"
)


def format_case_reference(year: int, number: int) -> str:
    """``(2026, 123)`` → ``"SP-2026-000123"``.

    Raises:
        ValueError: year outside 2000-2099 or number outside 1-999999.
    """
    if not 2000 <= year <= 2099:
        raise ValueError(f"year {year} out of range")
    if not 1 <= number <= CASE_NUMBER_MAX:
        raise ValueError(f"case number {number} out of range")
    return f"{CASE_PREFIX}-{year}-{number:0{CASE_NUMBER_DIGITS}d}"


def _case(year: str, number: str) -> str | None:
    value = int(number)
    return format_case_reference(int(year), value) if value >= 1 else None


def parse_case_reference(text: str) -> str | None:
    """The canonical case reference that ``text`` is, or None if it is not one."""
    compact = _SEPARATORS.sub("", text).upper()
    match = _CASE_COMPACT.fullmatch(compact)
    return _case(match.group(1), match.group(2)) if match else None


def find_case_reference(text: str) -> str | None:
    """The first case reference written inside a sentence ("mon dossier sp 2026 12 svp")."""
    for match in _CASE_IN_TEXT.finditer(text):
        reference = _case(match.group(1), match.group(2))
        if reference is not None:
            return reference
    return None


def new_appointment_reference() -> str:
    """A fresh random appointment reference ("RDV-7KQ4MX"); unique in the database."""
    code = "".join(secrets.choice(APPOINTMENT_ALPHABET) for _ in range(APPOINTMENT_CODE_LENGTH))
    return f"{APPOINTMENT_PREFIX}-{code}"


def parse_appointment_reference(text: str) -> str | None:
    """The canonical appointment reference that ``text`` is ("rdv 7kq 4mx"), or None."""
    compact = _SEPARATORS.sub("", text).upper()
    match = _APPOINTMENT_COMPACT.fullmatch(compact)
    return f"{APPOINTMENT_PREFIX}-{match.group(1)}" if match else None
