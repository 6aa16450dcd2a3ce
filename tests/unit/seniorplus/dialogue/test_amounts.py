"""Amounts as seniors type or say them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from seniorplus.dialogue.amounts import parse_monthly_amount


@pytest.mark.parametrize(
    ("text", "euros"),
    [
        ("1200", "1200"), ("1 200 €", "1200"), ("1.200,50 euros", "1200.50"),
        ("1200,50", "1200.50"), ("environ 950 euros par mois", "950"),
        ("elle touche 1 350 euros de retraite", "1350"), ("mille deux cents", "1200"),
        ("mille deux cent cinquante euros", "1250"), ("deux mille", "2000"),
        ("neuf cent cinquante", "950"), ("quatre-vingt-dix", "90"),
        ("euh ben mille trois cents à peu près", "1300"), ("15 000 euros par an", "1250.00"),
        ("0", "0"), ("neuf cent vingt euros", "920"), ("mille deux cent vingt", "1220"),
        ("quatre-vingt-quinze euros", "95"), ("deux mille trois cent quarante euros", "2340"),
    ],
)  # fmt: skip
def test_amounts(text: str, euros: str) -> None:
    assert parse_monthly_amount(text) == Decimal(euros)


@pytest.mark.parametrize(
    "text", ["", "je ne sais pas", "beaucoup", "mardi matin", "999999999", "mille bananes"]
)
def test_not_an_amount(text: str) -> None:
    assert parse_monthly_amount(text) is None
