"""Phone numbers, one rule for the whole project: validation, E.164, mobile or not, display.

Pure (only ``phonenumbers``), so both environments import it: the web app, the
action server and the channels. National numbers are read as French; a number
that cannot exist (wrong length, unused prefix) is refused with a French message.
Only a mobile receives SMS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

DEFAULT_REGION = "FR"
MAX_INPUT_CHARS = 40  # longer text is not a phone number (and phonenumbers caps at 250)
_E164_SHAPE = re.compile(r"^\+[1-9]\d{6,14}$")
_WITHOUT_PLUS = re.compile(r"^33[1-9]\d{8}$")  # "+33…" whose "+" a URL query turned into " "

Kind = Literal["mobile", "fixe", "autre"]
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_FIXED_TYPES = frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.VOIP})

INVALID_FR = "Ce numéro de téléphone n'existe pas : vérifiez-le (par exemple 06 12 34 56 78)."
NOT_A_MOBILE_FR = "Ce numéro n'est pas un portable : il ne peut pas recevoir de SMS."


class PhoneError(ValueError):
    """A text that is not a possible phone number; ``str()`` is a French sentence."""


@dataclass(frozen=True)
class Phone:
    """A valid phone number."""

    e164: str  # "+33612345678"
    kind: Kind

    @property
    def is_mobile(self) -> bool:
        return self.kind == "mobile"

    @property
    def display(self) -> str:
        return display_phone(self.e164)


def _parse(text: str) -> phonenumbers.PhoneNumber:
    compact = "".join(text.split())
    if not compact or len(compact) > MAX_INPUT_CHARS:
        raise PhoneError(INVALID_FR)
    if _WITHOUT_PLUS.fullmatch(compact):
        compact = "+" + compact
    try:
        number = phonenumbers.parse(compact, DEFAULT_REGION)
    except NumberParseException as exc:
        raise PhoneError(INVALID_FR) from exc
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(INVALID_FR)
    return number


def _kind(number: phonenumbers.PhoneNumber) -> Kind:
    number_type = phonenumbers.number_type(number)
    if number_type in _MOBILE_TYPES:
        return "mobile"
    if number_type in _FIXED_TYPES:
        return "fixe"
    return "autre"


def parse_phone(text: str) -> Phone:
    """A phone number as people, forms and URLs write it → `Phone`.

    "+33 6 12 34 56 78", "0033612345678", "06 12 34 56 78", "06.12.34.56.78" and
    "33612345678" all give ``+33612345678``.

    Raises:
        PhoneError: not a number that can exist (French message).
    """
    number = _parse(text)
    return Phone(phonenumbers.format_number(number, PhoneNumberFormat.E164), _kind(number))


def to_e164(text: str) -> str | None:
    """``parse_phone(text).e164``, or None when the text is not a valid number."""
    try:
        return parse_phone(text).e164
    except PhoneError:
        return None


def is_e164(value: str) -> bool:
    """True for a valid number already written in E.164 (``+33612345678``), nothing else."""
    return bool(_E164_SHAPE.fullmatch(value)) and to_e164(value) == value


def is_possible_e164(value: str) -> bool:
    """True for a number in E.164 whose length its country allows (``is_possible_number``).

    For a caller's number that a signed vendor webhook vouches for: a number too
    recent for this library's metadata is still a person, so "possible" is the
    rule there, not "valid". Numbers we choose to write to go through
    :func:`is_e164` or :func:`is_mobile`.
    """
    if not _E164_SHAPE.fullmatch(value):
        return False
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(value, None))
    except NumberParseException:
        return False


def is_mobile(value: str) -> bool:
    """True when ``value`` is a valid number that can receive SMS (a mobile)."""
    try:
        return parse_phone(value).is_mobile
    except PhoneError:
        return False


def display_phone(e164: str) -> str:
    """French numbers as the French write them ("06 12 34 56 78"), others internationally.

    A value that is not a valid number is returned unchanged.
    """
    try:
        number = _parse(e164)
    except PhoneError:
        return e164
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
