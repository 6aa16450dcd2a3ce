"""policies/phones.py: one rule for every phone number (phonenumbers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policies import phones
from policies.phones import (
    PhoneError,
    display_phone,
    is_e164,
    is_mobile,
    is_possible_e164,
    parse_phone,
    to_e164,
)


@pytest.mark.parametrize(
    ("typed", "e164", "kind", "shown"),
    [
        ("06 12 34 56 78", "+33612345678", "mobile", "06 12 34 56 78"),
        ("+33 7 56 12 34 56", "+33756123456", "mobile", "07 56 12 34 56"),
        ("0033612345678", "+33612345678", "mobile", "06 12 34 56 78"),
        ("02.40.00.00.00", "+33240000000", "fixe", "02 40 00 00 00"),
        ("09 51 00 00 00", "+33951000000", "fixe", "09 51 00 00 00"),
        ("0 800 12 34 56", "+33800123456", "autre", "0 800 12 34 56"),
        ("+32 470 12 34 56", "+32470123456", "mobile", "+32 470 12 34 56"),
    ],
)
def test_numbers_people_type(typed: str, e164: str, kind: str, shown: str) -> None:
    phone = parse_phone(typed)
    assert (phone.e164, phone.kind, phone.display) == (e164, kind, shown)
    assert is_e164(e164) and to_e164(typed) == e164
    assert is_mobile(typed) is (kind == "mobile")


@pytest.mark.parametrize(
    "impossible",
    ["+33700000000", "+33 1 00 00 00 00 00", "06 12 34", "+3361234", "bonjour", "", "+" + "6" * 60],
)
def test_impossible_numbers_are_refused_in_french(impossible: str) -> None:
    with pytest.raises(PhoneError) as caught:
        parse_phone(impossible)
    assert str(caught.value) == phones.INVALID_FR
    assert to_e164(impossible) is None
    assert not is_e164(impossible) and not is_mobile(impossible)


def test_is_e164_wants_the_canonical_form() -> None:
    assert is_e164("+33612345678")
    assert not is_e164("0612345678")
    assert not is_e164("+33 6 12 34 56 78")
    assert not is_e164("+330612345678")


def test_display_leaves_what_is_not_a_number() -> None:
    assert display_phone("tg12345") == "tg12345"
    assert display_phone("+33240000000") == "02 40 00 00 00"


@pytest.mark.parametrize(
    ("caller", "possible"),
    [
        ("+33612345678", True),
        ("+447911123456", True),
        ("+33640000000", True),  # possible though perhaps not yet allotted: a caller is real
        ("+3361234567", False),  # a French number one digit short
        ("+336123456789", False),  # one digit too many
        ("+1234", False),
        ("0612345678", False),  # not E.164
        ("+33 6 12 34 56 78", False),
    ],
)
def test_a_callers_number_must_be_possible_in_its_country(caller: str, possible: bool) -> None:
    assert is_possible_e164(caller) is possible


def test_no_hand_written_phone_check_left() -> None:
    """Every phone check of the app and the channels goes through policies/phones.py."""
    root = Path(__file__).resolve().parents[3]
    hand_written = re.compile(r're\.compile\(r"\^\\\+|\\\+33\[|0\[1-9\]\\d\{8\}|\[1-9\]\\d\{[67],')
    offenders = [
        str(path.relative_to(root))
        for package in ("seniorplus", "channels", "actions")
        for path in (root / package).rglob("*.py")
        if hand_written.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
