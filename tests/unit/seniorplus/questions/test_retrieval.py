"""The question bank's retrieval: the question a message asks, or none when it is general."""

from __future__ import annotations

from pathlib import Path

import pytest

from seniorplus.questions import Question, QuestionIndex, load_bank
from seniorplus.questions.bank import BankError


def question(qid: str, topic: str, asked: str, *asks: str) -> Question:
    return Question(qid, "j", topic, asked, tuple(asks), "Réponse.", "source", "confirmed")


BANK = [
    question("apa_recuperation", "ask_apa", "L'APA est-elle récupérée après le décès ?",
             "est-ce qu'on devra rembourser l'APA", "l'apa est reprise sur l'héritage ?",
             "apa recuperee sur la succession"),
    question("apa_delai", "ask_apa", "Combien de temps pour avoir l'APA ?",
             "quel est le délai de réponse pour l'apa", "ça prend combien de temps l'apa",
             "on attend la réponse de l'apa depuis longtemps c'est normal"),
    question("apa_refus", "ask_apa", "Que faire si l'APA est refusée ?",
             "l'apa a été refusée on peut contester", "recours contre un refus d'apa",
             "ils ont dit non pour l'apa"),
    question("ehpad_prix", "ask_nursing_home", "Combien coûte un EHPAD ?",
             "le prix d'une maison de retraite", "c'est cher l'ehpad par mois ?",
             "tarif hébergement ehpad nantes"),
]  # fmt: skip


@pytest.fixture(scope="module")
def index() -> QuestionIndex:
    return QuestionIndex(BANK)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("est-ce qu'on devra rembourser l'APA de maman après son décès ?", "apa_recuperation"),
        ("les enfants doivent rendre l'apa quand la personne meurt ?", "apa_recuperation"),
        ("ca fait 3 mois qu on attend la reponse pour l apa", "apa_delai"),
        ("l'APA de mon père a été refusée, que faire ?", "apa_refus"),
        ("combien ça coûte une maison de retraite à Nantes", "ehpad_prix"),
    ],
)
def test_the_question_asked_is_found(index: QuestionIndex, text: str, expected: str) -> None:
    assert index.ranked(text)[0][0].id == expected  # thresholds are set on the real bank


def test_a_general_message_about_the_topic_matches_no_question(index: QuestionIndex) -> None:
    assert index.best("c'est quoi l'APA ?", topic="ask_apa") is None
    assert index.best("bonjour") is None


def test_the_topic_heard_tips_the_balance(index: QuestionIndex) -> None:
    ranked = index.ranked("le prix", topic="ask_nursing_home")
    assert ranked[0][0].id == "ehpad_prix"


def test_the_real_bank_loads_and_each_phrasing_finds_its_question() -> None:
    bank = load_bank()
    if not bank:
        pytest.fail("data/questions is empty")
    index = QuestionIndex(bank)
    found = sum(
        1 for q in bank for ask in q.asks if (m := index.best(ask)) and m.question.id == q.id
    )
    total = sum(len(q.asks) for q in bank)
    assert (
        found / total >= 0.8
    )  # its own phrasings: a regression floor; held-out: docs/questions.md


def test_every_source_read_to_people_is_plain_words() -> None:
    """« Source : … » is said to the person: no internal name of a figure (``apa_seuil_*``);
    a Cerfa number keeps its star (16301*01)."""
    import re

    internal = re.compile(r"\w_\w|(?<!\d)\*|\*(?!\d)|\.py\b")
    for question in load_bank():
        assert not internal.search(question.source), (question.id, question.source)


def test_a_broken_bank_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(
        "journey: a\ntopic: ask_apa\nquestions:\n  - id: Bad Id\n    question: q\n"
        "    asks: [a, b, c]\n    answer: r\n    source: s\n"
    )
    with pytest.raises(BankError):
        load_bank(tmp_path)


@pytest.fixture(scope="module")
def bank() -> QuestionIndex:
    return QuestionIndex(load_bank())


@pytest.mark.parametrize(
    "text",
    [
        "je voudrais l'APA pour ma belle-mère",  # who it is for, not a question
        "je voudrais revoir l'APA",  # to see it again
        "comment ça marche l'APA pour mon père ?",
    ],
)
def test_the_people_named_and_the_wish_to_see_again_ask_nothing(
    bank: QuestionIndex, text: str
) -> None:
    assert not bank.asks_something(text, "apa_domicile")
    assert bank.sure(text, "ask_apa", "apa_domicile") is None


def test_the_plan_to_be_reviewed_is_a_question(bank: QuestionIndex) -> None:
    text = "le plan d'aide de mon père est trop petit, il faut le revoir"
    ranked = [q for q, _ in bank.ranked(text, "ask_apa") if q.journey == "apa_domicile"]
    assert ranked[0].id == "apa_revision"


@pytest.mark.parametrize(
    ("text", "journey", "expected"),
    [
        ("c'est long pour l'avoir ?", "carte_mobilite", "cmi_delai"),
        ("c'est très long pour avoir l'apa ?", "apa_domicile", "apa_delai"),
        ("mon père est en long séjour, il a droit à l'apa ?", "apa_etablissement", "apae_droit"),
    ],
)
def test_is_it_long_asks_for_the_wait_but_a_long_stay_does_not(
    bank: QuestionIndex, text: str, journey: str, expected: str
) -> None:
    found = bank.sure(text, None, journey)
    assert found is not None and found.question.id == expected


def test_a_question_not_surely_found_gets_its_two_nearest_of_the_journey(
    bank: QuestionIndex,
) -> None:
    text = (
        "mon père ne marche presque plus depuis sa chute, pour avoir la carte de "
        "stationnement, on la demande où exactement ?"
    )
    assert bank.best_or_close(text, "ask_mobility_card", "carte_mobilite") is None
    nearest = bank.nearest(text, "ask_mobility_card", "carte_mobilite")
    assert [q.journey for q in nearest] == ["carte_mobilite"] * 2
    assert "cmi_ou_demander" in [q.id for q in nearest]
    assert bank.nearest("la carte mobilité ?", "ask_mobility_card", "carte_mobilite") == []
