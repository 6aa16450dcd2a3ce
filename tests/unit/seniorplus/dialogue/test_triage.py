"""Triage: ages, postcodes, GIR bands in plain words, and recommended journeys."""

from __future__ import annotations

import pytest

from seniorplus.dialogue.triage import (
    Answers,
    Home,
    Need,
    gir_band,
    in_loire_atlantique,
    parse_age,
    parse_postcode,
    recommend,
)
from seniorplus.journeys import load_all


@pytest.mark.parametrize(
    ("text", "age"),
    [("82 ans", 82), ("elle a 91 ans", 91), ("j'ai 79", 79), ("quatre-vingt-sept ans", 87),
     ("soixante-dix ans", 70), ("quatre vingt douze", 92)],
)  # fmt: skip
def test_ages(text: str, age: int) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize("text", ["150 ans", "3 ans", "je sais pas", "", "vieux"])
def test_impossible_or_missing_ages(text: str) -> None:
    assert parse_age(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [("44000", "44000"), ("c'est le 44 110", "44110"), ("97400", "97400"), ("75015", "75015")],
)
def test_postcodes(text: str, code: str) -> None:
    assert parse_postcode(text) == code


@pytest.mark.parametrize("text", ["99000", "00100", "1234", "98000", "nantes"])
def test_postcodes_outside_france(text: str) -> None:
    assert parse_postcode(text) is None


def test_loire_atlantique() -> None:
    assert in_loire_atlantique("44300") and not in_loire_atlantique("49000")


def test_gir_band_is_explained_in_plain_words() -> None:
    band = gir_band(Need.DAILY_CARE)
    assert band is not None and band[0] == "3-4" and "niveau de besoin d'aide" in band[1]
    assert gir_band(Need.UNKNOWN) is None


def journeys(answers: Answers) -> list[str]:
    return [r.journey for r in recommend(answers)]


def test_daily_care_at_home_points_to_the_apa_first() -> None:
    answers = Answers(age=84, need=Need.DAILY_CARE, caregiver=True)
    assert journeys(answers) == ["apa_domicile", "services_domicile", "droits_aidant"]


def test_light_needs_point_to_the_caisse_de_retraite() -> None:
    assert journeys(Answers(age=72, need=Need.OCCASIONAL))[0] == "caisse_retraite"


def test_falls_bring_home_adaptation() -> None:
    assert "amenagement_logement" in journeys(Answers(age=80, need=Need.OCCASIONAL, falls=True))


def test_in_establishment() -> None:
    assert journeys(Answers(age=88, need=Need.CONSTANT, home=Home.IN_ESTABLISHMENT))[:2] == [
        "apa_etablissement",
        "ehpad",
    ]


def test_under_60_goes_to_the_mdph_never_the_apa() -> None:
    found = journeys(Answers(age=55, need=Need.DAILY_CARE))
    assert found[0] == "carte_mobilite" and "apa_domicile" not in found


def test_money_troubles_bring_legal_protection() -> None:
    found = journeys(Answers(age=85, need=Need.DAILY_CARE, cannot_manage_money=True))
    assert found[:2] == ["apa_domicile", "protection_juridique"]


def test_at_most_three_known_journeys_each_with_a_reason() -> None:
    known = set(load_all())
    every = Answers(
        age=90, need=Need.CONSTANT, caregiver=True, falls=True, cannot_manage_money=True
    )
    found = recommend(every)
    assert len(found) == 3
    assert all(r.journey in known and r.reason.endswith(".") for r in found)
    assert not any("éligible" in r.reason or "droit à l'APA" in r.reason for r in found)
