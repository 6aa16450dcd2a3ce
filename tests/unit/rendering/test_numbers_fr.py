"""French number words (traditional spelling), ordinals, digit groups."""

from __future__ import annotations

import pytest

from rendering.numbers_fr import (
    decimal_to_words,
    digit_group_to_words,
    digits_to_words,
    number_to_words,
    ordinal_to_words,
)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zéro"),
        (1, "un"),
        (10, "dix"),
        (11, "onze"),
        (16, "seize"),
        (17, "dix-sept"),
        (20, "vingt"),
        (21, "vingt et un"),
        (22, "vingt-deux"),
        (31, "trente et un"),
        (61, "soixante et un"),
        (69, "soixante-neuf"),
        (70, "soixante-dix"),
        (71, "soixante et onze"),
        (72, "soixante-douze"),
        (77, "soixante-dix-sept"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (89, "quatre-vingt-neuf"),
        (90, "quatre-vingt-dix"),
        (91, "quatre-vingt-onze"),
        (99, "quatre-vingt-dix-neuf"),
        (100, "cent"),
        (101, "cent un"),
        (112, "cent douze"),
        (180, "cent quatre-vingts"),
        (200, "deux cents"),
        (201, "deux cent un"),
        (280, "deux cent quatre-vingts"),
        (999, "neuf cent quatre-vingt-dix-neuf"),
        (1000, "mille"),
        (1001, "mille un"),
        (1080, "mille quatre-vingts"),
        (2000, "deux mille"),
        (2026, "deux mille vingt-six"),
        (2080, "deux mille quatre-vingts"),
        (3977, "trois mille neuf cent soixante-dix-sept"),
        (16301, "seize mille trois cent un"),
        (44000, "quarante-quatre mille"),
        (80000, "quatre-vingt mille"),
        (200000, "deux cent mille"),
        (201000, "deux cent un mille"),
        (999999, "neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf"),
        (1_000_000, "un million"),
        (2_000_000, "deux millions"),
        (80_000_000, "quatre-vingts millions"),
        (200_000_000, "deux cents millions"),
        (1_000_000_000, "un milliard"),
        (1_200_001, "un million deux cent mille un"),
    ],
)
def test_cardinals(number: int, words: str) -> None:
    assert number_to_words(number) == words


@pytest.mark.parametrize(
    ("number", "words"),
    [(1, "une"), (21, "vingt et une"), (81, "quatre-vingt-une"), (2, "deux"), (11, "onze")],
)
def test_feminine_cardinals(number: int, words: str) -> None:
    assert number_to_words(number, feminine=True) == words


def test_out_of_range_numbers_are_refused() -> None:
    with pytest.raises(ValueError):
        number_to_words(-1)
    with pytest.raises(ValueError):
        number_to_words(10**12)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (1, "premier"),
        (2, "deuxième"),
        (3, "troisième"),
        (4, "quatrième"),
        (5, "cinquième"),
        (9, "neuvième"),
        (11, "onzième"),
        (21, "vingt et unième"),
        (80, "quatre-vingtième"),
        (100, "centième"),
        (200, "deux centième"),
        (1000, "millième"),
    ],
)
def test_ordinals(number: int, words: str) -> None:
    assert ordinal_to_words(number) == words


def test_feminine_first() -> None:
    assert ordinal_to_words(1, feminine=True) == "première"
    assert ordinal_to_words(2, feminine=True) == "deuxième"


def test_digits_and_groups() -> None:
    assert digits_to_words("0123") == "zéro un deux trois"
    assert digit_group_to_words("02") == "zéro deux"
    assert digit_group_to_words("00") == "zéro zéro"
    assert digit_group_to_words("40") == "quarante"
    assert digit_group_to_words("808") == "huit cent huit"
    assert decimal_to_words("4", "5") == "quatre virgule cinq"
    assert decimal_to_words("1", "05") == "un virgule zéro cinq"
