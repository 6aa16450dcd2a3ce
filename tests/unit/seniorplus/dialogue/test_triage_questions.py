"""Triage questions: asked in order, worded for the senior or the relative, then a plan."""

from __future__ import annotations

import pytest

from seniorplus.dialogue import triage_questions as triage
from seniorplus.journeys import load_all

JOURNEYS = load_all()


def test_questions_come_in_order_and_skip_what_is_known() -> None:
    assert triage.next_stage({}) == "for_whom"
    assert triage.next_stage({"for_whom": "relative"}) == "age"
    assert triage.next_stage({"for_whom": "self", "age": triage.SKIPPED}) == "home"
    full = {
        "for_whom": "self",
        "age": 80,
        "home": "at_home",
        "need": "daily_care",
        "postcode": "44000",
    }
    assert triage.next_stage(full) is None


def test_wording_for_the_senior_and_for_a_relative() -> None:
    assert triage.question("age", True, None)[0].text == "Quel âge avez-vous ?"
    assert triage.question("age", False, "votre mère")[0].text == "Quel âge a votre mère ?"
    assert triage.question("home", False, None)[0].text == "Où vit la personne ?"


def test_every_question_has_a_way_out() -> None:
    for stage in ("age", "need", "postcode"):
        titles = [b["title"] for r in triage.question(stage, False, None) for b in r.buttons]
        assert "Je ne sais pas" in titles, stage


def test_choice_buttons_carry_the_answer() -> None:
    [reply] = triage.question("home", False, "votre père")
    assert reply.buttons[1]["payload"] == '/report_autonomy_loss{"home": "in_establishment"}'


def test_plan_explains_the_band_and_lists_journeys_with_reasons() -> None:
    answers = {"for_whom": "relative", "age": 87, "home": "at_home", "need": "daily_care",
               "postcode": "44110"}  # fmt: skip
    replies = triage.plan(answers, JOURNEYS)
    assert "GIR 3 ou 4" in replies[0].text and "décide" in replies[0].text
    assert "1. L'APA à domicile" in replies[-1].text
    assert replies[-1].buttons[0]["payload"] == '/ask_apa{"journey": "apa_domicile"}'
    assert "droits" in replies[-1].text.lower()


def test_plan_outside_loire_atlantique_says_so_and_unknown_need_has_no_band() -> None:
    answers = {"for_whom": "self", "age": triage.SKIPPED, "home": "at_home", "need": "unknown",
               "postcode": "75015"}  # fmt: skip
    replies = triage.plan(answers, JOURNEYS)
    assert "Loire-Atlantique" in replies[0].text
    assert "GIR" not in " ".join(r.text for r in replies[:-1])


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("il a besoin d'aide pour se laver chaque matin", "daily_care"),
        ("quelqu'un pour la douche et l'habillage", "daily_care"),
        ("pour le coucher le soir", "daily_care"),
        ("elle est au lit jour et nuit", "constant"),
        ("juste un peu pour le ménage", "occasional"),
    ],
)
def test_a_need_said_in_ones_own_words_is_the_choice_it_means(text: str, need: str) -> None:
    assert triage.read_choice("need", text) == need
