"""Short replies map to the right choice, and only when a choice is pending."""

from __future__ import annotations

import pytest

from seniorplus.dialogue.replies import (
    choice_number,
    normalise,
    payload_entities,
    payload_intent,
    resolve_reply,
)

MENU = [
    {"title": "L'aide à l'autonomie (APA)", "payload": "/ask_apa"},
    {"title": "Une maison de retraite (EHPAD)", "payload": "/ask_nursing_home"},
    {"title": "Parler à une personne", "payload": "/request_human"},
]
YES_NO = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]


@pytest.mark.parametrize(
    ("text", "number"),
    [("2", 2), (" 2 ", 2), ("le deux", 2), ("Le 2.", 2), ("numéro 3", 3), ("la première", 1),
     ("euh le trois svp", 3), ("un", 1), ("2e", 2), ("10", 10)],
)  # fmt: skip
def test_choice_numbers(text: str, number: int) -> None:
    assert choice_number(text) == number


@pytest.mark.parametrize("text", ["", "bonjour", "2 enfants et 3 petits-enfants", "j'ai 82 ans"])
def test_not_a_choice(text: str) -> None:
    assert choice_number(text) is None


def test_normalise_drops_accents_case_and_punctuation() -> None:
    assert normalise("  Étape  PRÉCÉDENTE ! ") == "etape precedente"


def test_number_picks_the_button() -> None:
    assert resolve_reply("2", "inform", [], MENU) == MENU[1]


def test_entity_value_is_used_when_the_text_is_longer() -> None:
    entities = [{"entity": "choice", "value": "trois"}]
    assert resolve_reply("je prends le choix trois merci bien", "inform", entities, MENU) == MENU[2]


def test_title_typed_without_accents_picks_the_button() -> None:
    assert resolve_reply("parler a une personne", "request_human", [], MENU) == MENU[2]


def test_out_of_range_number_picks_nothing() -> None:
    assert resolve_reply("7", "inform", [], MENU) is None


def test_yes_and_no_pick_the_matching_button() -> None:
    assert resolve_reply("Oui.", "affirm", [], YES_NO) == YES_NO[0]
    assert resolve_reply("non merci", "deny", [], YES_NO) == YES_NO[1]
    assert resolve_reply("ouais", "affirm", [], MENU) is None


def test_nothing_pending_means_no_choice() -> None:
    assert resolve_reply("2", "inform", [], []) is None


def test_payload_intent() -> None:
    assert payload_intent("/ask_apa") == "ask_apa"
    assert payload_intent('/inform{"choice": "2"}') == "inform"
    assert payload_intent("ask_apa") is None
    assert payload_intent("/") is None


def test_payload_entities() -> None:
    assert payload_entities('/ask_apa{"journey": "apa_etablissement"}') == [
        {"entity": "journey", "value": "apa_etablissement"}
    ]
    assert payload_entities("/ask_apa") == []
    assert payload_entities("/ask_apa{broken") == []


def test_yes_and_no_pick_buttons_that_start_with_them() -> None:
    buttons = [
        {"title": "Oui, en ce moment", "payload": "/report_emergency"},
        {"title": "Non", "payload": "/danger_not_now"},
    ]
    assert resolve_reply("oui", "affirm", [], buttons) == buttons[0]
    assert resolve_reply("non", "deny", [], buttons) == buttons[1]
    assert resolve_reply("ouiii", "greet", [], buttons) is None
