"""The APA estimate exchange: questions, year, and the answer with or without income."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from seniorplus.dialogue import apa_estimate as estimate
from seniorplus.dialogue.speaker import Speaker


def test_year_is_the_latest_known_not_after_today() -> None:
    assert estimate.estimate_year(date(2026, 11, 22)) == 2026
    assert estimate.estimate_year(date(2025, 3, 1)) == 2025
    assert estimate.estimate_year(date(2031, 1, 1)) == 2026
    assert estimate.estimate_year(date(2020, 1, 1)) == 2025


def test_the_gir_is_asked_in_plain_words_with_a_way_out() -> None:
    [question] = estimate.gir_question(Speaker())
    payloads = [b["payload"] for b in question.buttons]
    assert payloads == [f'/ask_cost{{"gir_band": "{band}"}}' for band in ("1-2", "3-4", "1-4")]
    assert "GIR" not in question.text
    assert question.buttons[-1]["title"] == "Je ne sais pas"
    assert question.text.endswith("décrit le mieux la personne ?")


def test_the_questions_speak_to_the_senior_or_of_the_relative() -> None:
    for_self, for_mother = Speaker("self"), Speaker("relative", "mère")
    assert estimate.gir_question(for_self)[0].text.endswith("quelle phrase vous décrit le mieux ?")
    assert "les revenus de votre mère par mois" in estimate.income_question(for_mother)[0].text
    assert "Quels sont vos revenus par mois" in estimate.income_question(for_self)[0].text
    assert "les revenus de la personne" in estimate.income_question(Speaker())[0].text


def test_with_income_the_estimate_is_figured() -> None:
    [answer] = estimate.result("3-4", Decimal(1500), 2026)
    assert "estimation" in answer.text and "2026" in answer.text
    assert "122 à 153 euros" in answer.text  # participation range of the tested module


def test_without_income_the_ceilings_and_the_rule() -> None:
    [answer] = estimate.result("1-4", None, 2026)
    assert "812 euros à 2 080 euros" in answer.text
    assert "934 euros" in answer.text and "Département qui décide" in answer.text


def test_an_unknown_band_counts_as_not_known() -> None:
    assert estimate.result("9-9", None, 2026) == estimate.result("1-4", None, 2026)


def test_the_household_is_asked_of_the_person_it_concerns() -> None:
    [mother] = estimate.household_question(Speaker("relative", "mère"))
    assert mother.text.startswith("Votre mère vit-elle seule ou en couple ?")
    assert estimate.household_question(Speaker("self"))[0].text.startswith("Vivez-vous seul")
    assert "vit-il seul" in estimate.household_question(Speaker("relative", "père"))[0].text
    assert [b["title"] for b in mother.buttons] == ["Seul(e)", "En couple", "Je ne sais pas"]


def test_a_typed_household_is_read() -> None:
    for text, expected in [("seule", "seul"), ("elle est veuve", "seul"),
                           ("avec mon mari", "couple"), ("on est deux", "couple"),
                           ("mes parents vivent ensemble", "couple"),
                           ("je sais pas", "inconnu"), ("bof", None)]:  # fmt: skip
        assert estimate.read_household(text) == expected, text


def test_the_estimate_says_back_what_it_used() -> None:
    said = estimate.situation(Decimal(1300), False, "seul", None)
    assert said == "Avec 1 300 euros par mois, seul(e)"
    yearly = estimate.situation(Decimal(1300), True, "couple", "votre mère")
    assert yearly == ("Avec 15 600 euros par an (1 300 euros par mois), en couple")
    [answer] = estimate.result("3-4", Decimal(1500), 2026, said="Avec 1 500 euros par mois, seul")
    assert answer.text.startswith("Avec 1 500 euros par mois, seul : selon notre estimation")
    [couple] = estimate.result("3-4", Decimal(1500), 2026, couple=True)
    assert "il ne resterait rien à payer" in couple.text  # 1 500 / 1.7 = 882, under 934
