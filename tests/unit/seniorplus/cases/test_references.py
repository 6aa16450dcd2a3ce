"""Case and appointment references: format and tolerant parsing (pure)."""

from __future__ import annotations

import pytest

from seniorplus.cases.references import (
    APPOINTMENT_ALPHABET,
    find_case_reference,
    format_case_reference,
    new_appointment_reference,
    parse_appointment_reference,
    parse_case_reference,
)


def test_format_pads_the_number_to_six_digits() -> None:
    assert format_case_reference(2026, 123) == "SP-2026-000123"
    assert format_case_reference(2027, 999999) == "SP-2027-999999"


@pytest.mark.parametrize(("year", "number"), [(2026, 0), (2026, 1_000_000), (1999, 1), (2100, 5)])
def test_format_refuses_out_of_range(year: int, number: int) -> None:
    with pytest.raises(ValueError):
        format_case_reference(year, number)


@pytest.mark.parametrize(
    "typed",
    [
        "SP-2026-000123",
        "sp 2026 123",
        "SP2026000123",
        "sp-2026-000123",
        "  Sp 2026-123 ",
        "SP–2026–000123",  # dashes turned typographic by the phone
        "s.p. 2026 000 123",
        "SP/2026/123",
        "SP 2026 0 0 0 1 2 3",
    ],
)
def test_parse_is_tolerant(typed: str) -> None:
    assert parse_case_reference(typed) == "SP-2026-000123"


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "bonjour",
        "SP-2026",
        "SP-2026-0001234",  # seven digits
        "SP-2026-000000",  # number zero
        "XP-2026-000123",
        "SP-1926-000123",
        "2026-000123",
        "SP-2026-00A123",
        "mon dossier SP-2026-000123",  # a sentence is not a reference: see find
    ],
)
def test_parse_refuses_a_wrong_format(garbage: str) -> None:
    assert parse_case_reference(garbage) is None


def test_find_picks_the_reference_out_of_a_sentence() -> None:
    assert find_case_reference("mon dossier sp 2026 12 svp") == "SP-2026-000012"
    assert find_case_reference("Où en est SP-2026-000123 ?") == "SP-2026-000123"
    assert find_case_reference("j'ai 2 dossiers") is None
    assert find_case_reference("WSP-2026-000123") is None  # glued to another word
    assert find_case_reference("SP-2026-1234567") is None  # too many digits


def test_appointment_references_are_random_and_parse_back() -> None:
    made = {new_appointment_reference() for _ in range(200)}
    assert len(made) == 200
    for reference in made:
        prefix, code = reference.split("-")
        assert prefix == "RDV"
        assert len(code) == 6
        assert set(code) <= set(APPOINTMENT_ALPHABET)
        assert parse_appointment_reference(reference.lower().replace("-", " ")) == reference
    assert not set("ILO01") & set(APPOINTMENT_ALPHABET)  # no look-alikes to misread


@pytest.mark.parametrize(
    "garbage", ["", "RDV", "RDV-7KQ4M", "RDV-7KQ4MXX", "RDV-7KQ4M0", "ABC-7KQ4MX"]
)
def test_appointment_parse_refuses_a_wrong_format(garbage: str) -> None:
    assert parse_appointment_reference(garbage) is None
