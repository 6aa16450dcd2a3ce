"""The request of a long message, read alone and weighed with the whole message."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.request_focus import (
    FOCUS_KEY,
    FOCUS_OF_KEY,
    RequestFocusMerger,
    RequestFocusSplitter,
    merged_ranking,
    request_part,
)

LETTER = (
    "Bonjour, mon père a 88 ans et vit seul dans sa maison de Bouaye depuis la mort de ma "
    "mère. Il est tombé deux fois cet automne et l'infirmière passe tous les matins. Nous "
    "avons fait la demande d'aide au Département en octobre. Au bout de combien de temps "
    "devrait-on avoir une réponse ? Merci d'avance, bonne soirée."
)


def test_a_letter_s_request_is_its_last_question_without_the_courtesy() -> None:
    assert request_part(LETTER) == ("Au bout de combien de temps devrait-on avoir une réponse ?")


def test_a_short_question_takes_the_sentence_before_it() -> None:
    text = (
        "Ma belle-mère vit chez nous depuis deux ans et nous n'arrivons plus à la laisser "
        "seule la journée, même une heure. Nous avons entendu parler d'un accueil de jour "
        "près de Clisson. Comment faire ?"
    )
    assert request_part(text) == (
        "Nous avons entendu parler d'un accueil de jour près de Clisson. Comment faire ?"
    )


def test_a_question_of_four_words_and_a_question_mark_takes_the_sentence_before_it() -> None:
    text = (
        "Ma tante a 90 ans et vit seule à Guérande depuis la mort de son mari. Sa voisine lui "
        "dit que l'aide du Département sera reprise sur sa maison. Est-ce bien vrai ?"
    )
    assert request_part(text) == (
        "Sa voisine lui dit que l'aide du Département sera reprise sur sa maison. "
        "Est-ce bien vrai ?"
    )


def test_a_message_without_punctuation_asks_from_its_last_opening_word() -> None:
    text = (
        "bonsoir ma tante a 90 ans elle habite seule a nort sur erdre elle mange plus bien "
        "et elle oublie ses cachets on voudrait pas la mettre en maison combien ca coute "
        "quelqu un qui passe le midi"
    )
    assert request_part(text) == "combien ca coute quelqu un qui passe le midi"


def test_a_transcript_keeps_its_whole_request() -> None:
    text = (
        "allo oui bonjour euh c est pour mon mari il a quatre vingt un ans il a eu un avc "
        "au printemps et depuis il marche avec une canne euh je voudrais savoir si on peut "
        "avoir une aide pour mettre une douche a la place de la baignoire"
    )
    part = request_part(text)
    assert part is not None
    assert part.startswith("je voudrais savoir si on peut avoir une aide")
    assert part.endswith("a la place de la baignoire")


@pytest.mark.parametrize(
    "text",
    [
        "comment faire la demande d'APA pour ma mère ?",  # short: read once, as before
        # a story that asks nothing: the whole message is its own request
        "Ma mère a 91 ans, elle vit seule à Vertou. Elle est tombée deux fois ce mois-ci. "
        "Elle ne peut plus faire sa toilette seule et elle oublie de manger le midi.",
        # the question is most of the message
        "Est-ce que ma mère qui a 84 ans et qui vit seule dans sa maison à Rezé depuis la "
        "mort de mon père pourrait avoir droit à une aide pour payer une aide à domicile ?",
    ],
)
def test_no_request_part_when_the_message_is_its_own_request(text: str) -> None:
    assert request_part(text) is None


def test_words_of_the_story_are_not_taken_for_a_question() -> None:
    text = (
        "Je voudrais vous parler de ma grand-mère. Elle a 93 ans et vit dans une maison où "
        "elle a toujours vécu, avec une voisine qui passe le soir quand elle peut. "
        "Elle ne sort plus du tout depuis l'hiver et ses jambes gonflent beaucoup."
    )
    assert request_part(text) is None


def _ranking(*pairs: tuple[str, float]) -> list[dict[str, Any]]:
    return [{"name": name, "confidence": value} for name, value in pairs]


def test_the_merged_ranking_is_the_mean_of_both_readings() -> None:
    ranking = merged_ranking(
        _ranking(("report_autonomy_loss", 0.6), ("ask_apa", 0.3), ("ask_cost", 0.1)),
        _ranking(("ask_apa", 0.7), ("check_case_status", 0.3)),
    )
    assert [r["name"] for r in ranking][:2] == ["ask_apa", "report_autonomy_loss"]
    assert ranking[0]["confidence"] == pytest.approx(0.5)
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


def _classified(text: str, ranking: list[dict[str, Any]], **data: Any) -> Message:
    message = Message(data={TEXT: text, **data})
    message.set(INTENT, dict(ranking[0]))
    message.set(INTENT_RANKING_KEY, ranking)
    return message


def test_the_splitter_adds_one_message_per_long_request_and_the_merger_removes_it() -> None:
    short = Message(data={TEXT: "bonjour"})
    long = Message(data={TEXT: LETTER})
    batch = RequestFocusSplitter().process([short, long])
    assert len(batch) == 3
    assert batch[2].get(FOCUS_OF_KEY) == 1
    assert batch[2].get(TEXT).startswith("Au bout de combien de temps")

    whole = _ranking(("report_autonomy_loss", 0.55), ("check_case_status", 0.35), ("ask_apa", 0.1))
    part = _ranking(("check_case_status", 0.9), ("ask_cost", 0.1))
    classified = [
        _classified("bonjour", _ranking(("greet", 0.99))),
        _classified(LETTER, whole),
        _classified(batch[2].get(TEXT), part, **{FOCUS_OF_KEY: 1}),
    ]
    result = RequestFocusMerger().process(classified)
    assert [m.get(TEXT) for m in result] == ["bonjour", LETTER]
    assert result[0].get(INTENT)["name"] == "greet"
    assert result[1].get(INTENT)["name"] == "check_case_status"
    assert result[1].get(FOCUS_KEY)["name"] == "check_case_status"


def test_danger_read_on_the_whole_message_is_never_reweighed() -> None:
    whole = _ranking(("report_emergency", 0.5), ("ask_apa", 0.4), ("ask_cost", 0.1))
    part = _ranking(("ask_apa", 0.95), ("ask_cost", 0.05))
    result = RequestFocusMerger().process(
        [_classified(LETTER, whole), _classified("part", part, **{FOCUS_OF_KEY: 0})]
    )
    assert result[0].get(INTENT)["name"] == "report_emergency"
    assert result[0].get(INTENT_RANKING_KEY) == whole
