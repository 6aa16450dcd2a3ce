"""Who is speaking: read from slots and typed answers, and how the senior is named."""

from __future__ import annotations

import pytest

from seniorplus.dialogue import speaker as who
from seniorplus.dialogue.speaker import Speaker


def test_a_named_relative_makes_a_caregiver_even_before_the_question() -> None:
    assert Speaker.from_slots(None, "mère") == Speaker("relative", "mère")
    assert Speaker.from_slots(None, None) == Speaker()
    assert not Speaker().known
    # the senior speaking of their daughter stays the senior
    assert Speaker.from_slots("self", "fille") == Speaker("self")


def test_the_senior_is_named_as_the_caregiver_calls_them() -> None:
    assert Speaker("relative", "grand-mère").relative == "votre grand-mère"
    assert Speaker("relative", "voisin").relative == "votre proche"
    assert Speaker("relative").relative == "votre proche"
    assert Speaker("self").relative is None
    assert Speaker().relative is None


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        ("pour moi", [], Speaker("self")),
        ("Moi-même.", [], Speaker("self")),
        ("c'est moi", [], Speaker("self")),
        (
            "c pr ma maman",
            [{"entity": "relationship", "value": "mère"}],
            Speaker("relative", "mère"),
        ),
        ("pour un proche", [], Speaker("relative")),
        ("quelqu'un d'autre", [], Speaker("relative")),
        ("je ne sais pas", [], None),
        ("combien ça coûte", [], None),
    ],
)
def test_typed_answers_to_the_question(
    text: str, entities: list[dict[str, str]], expected: Speaker | None
) -> None:
    assert who.from_reply(text, entities) == expected


def test_the_question_is_recognised_by_its_buttons() -> None:
    question = who.question()
    assert question.text.endswith("pour vous-même ou pour un proche ?")
    assert who.is_speaker_question(list(question.buttons))
    assert not who.is_speaker_question([{"title": "Oui", "payload": "/affirm"}])
    assert question.buttons[1]["payload"] == (
        '/set_speaker{"for_whom": "relative", "relationship": "mère"}'
    )


def test_acknowledgement_names_the_relative() -> None:
    assert who.acknowledgement(Speaker("relative", "père")) == (
        "C'est noté : je vous parlerai de votre père."
    )
    assert who.acknowledgement(Speaker("self")) == "C'est noté, merci."


@pytest.mark.parametrize(
    "texts",
    [
        ["j'ai 84 ans, j'ai du mal pour faire ma toilette, c'est quoi l'apa"],
        ["c'est quoi l'apa", "et qui c'est qui décide combien je touche ?"],
        ["j'ai quatre-vingt-sept ans et je vis seule"],
        ["je n'arrive plus à me laver toute seule"],
        ["la carte pour me garer, j'ai du mal à marcher depuis mon opération"],
        ["avec ma canne je ne peux plus prendre le bus"],
    ],
)
def test_the_senior_telling_of_their_own_situation_speaks_for_themselves(
    texts: list[str],
) -> None:
    assert who.speaks_of_self(texts)


@pytest.mark.parametrize(
    "texts",
    [
        ["j'ai 45 ans et je m'occupe de ma mère"],  # the caregiver's age
        ["je suis épuisée, je voudrais un congé"],
        ["c'est quoi l'apa"],
        ["elle touche 1 200 euros"],
    ],
)
def test_a_caregiver_s_own_words_do_not_make_a_senior(texts: list[str]) -> None:
    assert not who.speaks_of_self(texts)


@pytest.mark.parametrize(
    ("text", "own_life"),
    [
        ("jai 86 ans je vis seule a st nazaire", True),  # SMS, no apostrophe
        ("je suis veuve depuis deux ans", True),
        ("je touche 1100 euros de retraite", True),
        ("je n'arrive plus à monter l'escalier", False),  # a tired caregiver says it too
        ("je ne peux plus continuer comme ça", False),
        ("j'ai 52 ans et ma mère vit chez moi", False),
    ],
)
def test_the_own_life_is_told_surely_a_difficulty_less_so(text: str, own_life: bool) -> None:
    assert who.tells_own_life([text]) is own_life
