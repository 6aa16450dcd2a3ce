"""The core conversation, end to end through the REST channel."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from tests.conversations.conftest import Assistant, buttons, texts

pytestmark = pytest.mark.conversation
MENU_SIZE = 9


def test_first_contact_gives_the_privacy_notice_once(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    first = assistant.say(person, "Bonjour madame")
    joined = " ".join(texts(first))
    assert "Senior Plus" in joined
    assert "mes données" in joined  # how to see or erase one's data
    assert len(buttons(first)) == MENU_SIZE
    again = assistant.say(person, "bonjour")
    assert "mes données" not in " ".join(texts(again))
    assert len(buttons(again)) == MENU_SIZE
    with sqlite3.connect(assistant.app_database) as db:
        rows = db.execute(
            "SELECT channel FROM privacy_notices WHERE conversation_id = ?", (person,)
        ).fetchall()
    assert rows == [("rest",)]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("2", "EHPAD"),
        ("le un", "APA"),
        ("numéro 4", "logement"),
        ("Parler à une personne", "conseiller"),
    ],
)
def test_menu_answers_by_number_or_title(
    assistant: Assistant, new_sender: Callable[[], str], answer: str, expected: str
) -> None:
    person = new_sender()
    assistant.say(person, "bonjour")
    reply = assistant.say(person, answer)
    assert expected in " ".join(texts(reply))


def test_number_out_of_range_shows_the_menu_again(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    assistant.say(person, "bonjour")
    reply = assistant.say(person, "12")
    assert len(buttons(reply)) == MENU_SIZE


def test_help_explains_and_shows_the_menu(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    reply = assistant.say(new_sender(), "je suis perdu, vous pouvez m'aider à quoi exactement ?")
    assert "étape par étape" in " ".join(texts(reply))
    assert len(buttons(reply)) == MENU_SIZE


def test_repeat_says_the_last_answer_again(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    answer = assistant.say(person, "qu'est-ce que l'allocation personnalisée d'autonomie ?")
    assert "APA" in " ".join(texts(answer))
    for request in ("pouvez-vous répéter s'il vous plaît", "repetez"):
        again = assistant.say(person, request)
        assert texts(again) == texts(answer)
        assert buttons(again) == buttons(answer)


def test_repeat_with_nothing_said_yet(assistant: Assistant, new_sender: Callable[[], str]) -> None:
    reply = assistant.say(new_sender(), "vous pouvez répéter ?")
    assert "rien dit" in " ".join(texts(reply))


def test_emergency_numbers_come_first(assistant: Assistant, new_sender: Callable[[], str]) -> None:
    person = new_sender()
    assistant.say(person, "bonjour")
    reply = assistant.say(
        person, "ma mère est tombée, elle est par terre et n'arrive pas à se relever"
    )
    first, second = texts(reply)[:2]
    assert "15" in first and "112" in first
    assert "114" in second  # by SMS, for someone who cannot call
    assert "3977" not in " ".join(texts(reply))  # a fall is not maltreatment


def test_suicidal_words_get_the_3114(assistant: Assistant, new_sender: Callable[[], str]) -> None:
    reply = assistant.say(new_sender(), "je n'en peux plus je veux mourir")
    assert "3114" in texts(reply)[0]


# Made-up words: what the model makes of each one changes from one training to the next.
NONSENSE = ("xkcd qwpz mmf", "zorglub frimousse patapouf", "flimp zort grabuge",
            "blorp zzkx wq", "gnagna trulu", "vrountch plik zap", "qsdf jklm wxcv",
            "brzzt kroump", "tagada pouet pouet", "wkkw zzpl ffrt", "glorbinette spunk",
            "poum tchak bzz")  # fmt: skip


def not_understood(assistant: Assistant, count: int) -> list[str]:
    """``count`` of the made-up messages this model does not understand (nlu_fallback)."""
    found = []
    for text in NONSENSE:
        parsed = assistant.client.post(
            f"{assistant.rasa_url}/model/parse", params={"token": assistant.token},
            json={"text": text},
        ).json()  # fmt: skip
        if parsed["intent"]["name"] == "nlu_fallback":
            found.append(text)
    assert len(found) >= count, f"the model guesses an intent for all but {found}"
    return found[:count]


def test_two_stage_fallback_then_a_person(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    gibberish, more = not_understood(assistant, 2)
    first = assistant.say(person, gibberish)
    assert "pas bien compris" in " ".join(texts(first))
    assert "Parler à une personne" in buttons(first)
    second = assistant.say(person, more)
    joined = " ".join(texts(second))
    assert "toujours pas" in joined and "conseiller" in joined
    # waiting for a person of the team: each message is acknowledged, never met by silence,
    # and emergency words still get the numbers
    waiting = " ".join(texts(assistant.say(person, "bonjour")))
    assert "transmis à l'équipe" in waiting and "15" in waiting
    assert "15" in " ".join(texts(assistant.say(person, "au secours je suis tombée")))


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("est-ce que vous êtes une vraie personne ?", "assistant automatique"),
        ("donnez-moi la météo de demain à Nantes", "ne peux pas vous aider"),
        ("merci pour tout, bonne soirée, au revoir", "Au revoir"),
        ("je voudrais parler à un conseiller s'il vous plaît", "Vos messages lui sont transmis"),
        ("merci bien", "Avec plaisir"),
        ("et après, je dois faire quoi ?", "pas encore de démarche"),
        ("il faut quels papiers ?", "pièce d'identité"),
    ],
)
def test_short_honest_answers(
    assistant: Assistant, new_sender: Callable[[], str], message: str, expected: str
) -> None:
    assert expected in " ".join(texts(assistant.say(new_sender(), message)))


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("mon père n'arrive plus à s'habiller tout seul le matin", "Quel âge a votre père"),
        # the steps asked: step 1 at once, for her (issue 12)
        ("comment faire une demande d'allocation autonomie pour ma mère", "Étape 1 sur"),
        ("la carsat peut-elle financer des heures de ménage ?", "heures d'aide à domicile"),
        ("nous cherchons une maison de retraite pour papa", "EHPAD"),
        ("on veut mettre une douche à la place de la baignoire", "MaPrimeAdapt'"),
        ("j'aimerais un bouton d'alarme pour ma grand-mère", "téléassistance"),
        # the bank's answer to an exhausted caregiver: respite first
        ("je m'occupe de ma mère tous les jours et je suis épuisée", "répit"),
        ("comment demander une curatelle pour mon frère", "juge"),
        ("une carte pour se garer sur les places handicapés", "stationnement"),
    ],
)
def test_each_topic_gets_a_first_answer(
    assistant: Assistant, new_sender: Callable[[], str], message: str, expected: str
) -> None:
    assert expected in " ".join(texts(assistant.say(new_sender(), message)))


def test_every_reply_fits_a_text_message(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    for message in ("bonjour", "2", "aide", "au revoir", "je veux parler à quelqu'un"):
        for text in texts(assistant.say(person, message)):
            assert len(text) <= 459, text  # three parts of a text message at most


def test_yes_no_and_facts_without_a_question_are_not_dead_ends(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    assistant.say(person, "bonjour")
    assert len(buttons(assistant.say(person, "oui d'accord"))) == MENU_SIZE
    assert "Je reste là" in " ".join(texts(assistant.say(person, "non")))
    assert "noté" in " ".join(texts(assistant.say(person, "j'ai 84 ans")))
