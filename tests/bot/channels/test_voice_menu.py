"""On the phone, listen first: a short opening that asks what brings the caller, then at most
four choices at a time, nine for the others (issue 12, point 8)."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from channels.shared_state import MemoryState
from channels.store import ChannelStore
from channels.voice import HINT, VoiceInput, menu_of, spoken
from channels.voice_menu import LISTEN_FIRST, OPENING, CallMenus, opening, spoken_key
from policies.hours import OpeningHours
from rendering.voice_pages import FIRST_PAGE, MORE_CHOICES, MORE_TOPICS, VoiceMenu, page_sizes
from tests.bot.channels.test_voice_channel import MONDAY_10H, PATH, Line, said, twiml
from tests.bot.channels.test_voice_channel import line as line  # the fixture
from tests.bot.twilio_payloads import (
    AUTH_TOKEN,
    OPENING_HOURS,
    PUBLIC_BASE_URL,
    TEAM_PHONE,
    ChannelClient,
    FakeAssistant,
    Reply,
    call_params,
    gather_params,
    migrated_database,
    new_sid,
)

# The real /greet turn of a first call: three responses, the menu of nine topics.
WELCOME_FIRST_TIME = (
    "Bonjour, je suis Senior Plus, l'assistant du Département pour les démarches liées à "
    "l'autonomie des personnes âgées, pour vous ou un proche."
)
PRIVACY = (
    "Je garde nos messages pour suivre votre démarche, rien d'autre. Pour les voir ou les "
    "effacer, écrivez : mes données."
)
MAIN_MENU_TEXT = "Que puis-je faire pour vous ? Répondez par un numéro ou en quelques mots."
TOPICS = [
    ("L'aide à l'autonomie (APA)", "/ask_apa"),
    ("Une maison de retraite (EHPAD)", "/ask_nursing_home"),
    ("L'aide de la caisse de retraite", "/ask_retirement_fund_help"),
    ("Adapter le logement", "/ask_home_adaptation"),
    ("Les services à domicile", "/ask_home_services"),
    ("Les droits de l'aidant", "/ask_caregiver_support"),
    ("Tutelle, curatelle", "/ask_legal_protection"),
    ("Carte de stationnement", "/ask_mobility_card"),
    ("Parler à une personne", "/request_human"),
]
MAIN_MENU = [{"title": t, "payload": p} for t, p in TOPICS]
STEP_CHOICES = [
    {"title": "Étape suivante", "payload": '/next_step{"journey": "ehpad"}'},
    {"title": "Quels papiers ?", "payload": "/ask_documents"},
    {"title": "Combien ?", "payload": "/ask_cost"},
    {"title": "Tout sur cette aide", "payload": "/ask_nursing_home"},
    {"title": "Prendre rendez-vous", "payload": "/book_appointment"},
    {"title": "Le menu", "payload": "/help"},
]


def script(_sender: str, text: str) -> list[Reply]:
    if text == "/greet":
        return [
            {"text": WELCOME_FIRST_TIME, "response": "utter_welcome_first_time"},
            {"text": PRIVACY, "response": "utter_privacy_notice"},
            {"text": MAIN_MENU_TEXT, "buttons": MAIN_MENU, "response": "utter_main_menu"},
        ]
    if text == "/ask_nursing_home":
        return [{"text": "Entrer en EHPAD, en six étapes.", "buttons": STEP_CHOICES}]
    if text == "/ask_home_services":
        return [{"text": "Des services aident à rester chez soi."}]
    if text == "/book_appointment":
        return [{"text": "Quel jour vous convient ?"}]
    if text == "répétez":
        return [{"text": MAIN_MENU_TEXT, "buttons": MAIN_MENU}]
    return [{"text": "Pardon ?", "buttons": MAIN_MENU[:2]}]


@pytest.fixture
def menu_line(line: Line) -> Line:
    line.assistant.script = script
    return line


def gather(root: ET.Element) -> ET.Element:
    found = root.find("Gather")
    assert found is not None
    return found


def test_the_opening_asks_what_brings_the_caller_then_offers_three_topics(
    menu_line: Line,
) -> None:
    text = said(menu_line.call())
    assert text.startswith(OPENING)
    assert WELCOME_FIRST_TIME not in text and "Répondez par un numéro" not in text
    assert "Pour les voir ou les effacer, dites : mes données." in text  # the notice stays
    # speech first, then the keys
    assert text.index("Dites-moi en quelques mots ce qui vous amène") < text.index("tapez un")
    assert "Pour l'aide à l'autonomie, A P A, tapez un." in text
    assert "Pour l'aide de la caisse de retraite, tapez trois." in text
    assert "tapez quatre" not in text and "logement" not in text
    assert text.endswith(f"{MORE_TOPICS} {HINT}")


def test_nine_reads_the_other_topics_without_a_turn_then_goes_back_to_the_first(
    menu_line: Line,
) -> None:
    menu_line.call()
    second = said(menu_line.press("9"))
    assert second == (
        "Voici les autres sujets. Pour adapter le logement, tapez un. Pour les services à "
        "domicile, tapez deux. Pour les droits de l'aidant, tapez trois. " + MORE_TOPICS
    )
    third = said(menu_line.press("9"))
    assert third.startswith("Voici les autres sujets. Pour tutelle, curatelle, tapez un.")
    assert "Pour parler à une personne, tapez trois." in third and third.endswith(FIRST_PAGE)
    first = said(menu_line.press("9"))
    assert first.startswith("Voici les premiers choix. Pour l'aide à l'autonomie, A P A, tapez un.")
    assert menu_line.assistant.texts == ["/greet"]  # pages are the channel's: no turn


def test_a_key_on_the_second_page_sends_that_choice_s_payload(menu_line: Line) -> None:
    menu_line.call()
    menu_line.press("9")
    answer = menu_line.press("2")
    assert menu_line.assistant.texts == ["/greet", "/ask_home_services"]
    assert menu_line.assistant.received[-1].metadata == {
        "channel": "voice", "call_sid": menu_line.call_sid, "input": "dtmf",
    }  # fmt: skip
    assert said(answer) == "Des services aident à rester chez soi."


def test_a_key_said_aloud_is_read_on_the_page_the_caller_hears(menu_line: Line) -> None:
    menu_line.call()
    menu_line.speak("neuf")
    menu_line.speak("la touche deux")
    assert menu_line.assistant.texts == ["/greet", "/ask_home_services"]


def test_a_number_said_that_is_not_a_key_on_the_page_goes_to_the_assistant(
    menu_line: Line,
) -> None:
    menu_line.call()
    menu_line.speak("quatre")  # three choices on the first page: words, not a key
    assert menu_line.assistant.texts == ["/greet", "quatre"]


def test_a_key_not_on_the_page_says_the_page_again(menu_line: Line) -> None:
    menu_line.call()
    page = said(menu_line.press("9"))
    root = menu_line.press("4")  # three choices on this page
    assert said(root) == f"Cette touche ne correspond à aucun choix. Je répète. {page} {HINT}"
    assert menu_line.assistant.texts == ["/greet"]


def test_a_silence_repeats_the_page_the_caller_was_on(menu_line: Line) -> None:
    menu_line.call()
    page = said(menu_line.press("9"))
    assert said(menu_line.silence(1)) == f"Je n'ai rien entendu. Je répète. {page} {HINT}"
    menu_line.press("1")
    assert menu_line.assistant.texts == ["/greet", "/ask_home_adaptation"]


def test_every_question_with_buttons_is_paged_not_only_the_greeting(menu_line: Line) -> None:
    menu_line.call()
    steps = said(menu_line.press("2"))
    assert menu_line.assistant.texts == ["/greet", "/ask_nursing_home"]
    assert steps == (
        "Entrer en é-pade, en six étapes. Pour étape suivante, tapez un. Pour quels papiers, "
        "tapez deux. Pour combien, tapez trois. " + MORE_CHOICES
    )
    other = said(menu_line.press("9"))
    assert other.startswith("Voici les autres choix. Pour tout sur cette aide, tapez un.")
    menu_line.press("2")
    assert menu_line.assistant.texts[-1] == "/book_appointment"
    # a question without choices: a key is the number keyed, as before
    menu_line.press("5")
    assert menu_line.assistant.texts[-1] == "5"


def test_star_and_zero_keep_their_meaning_on_any_page(menu_line: Line) -> None:
    menu_line.call()
    menu_line.press("9")
    again = said(menu_line.press("*"))
    assert menu_line.assistant.texts == ["/greet", "répétez"]
    assert again.startswith("Que puis-je faire pour vous ?")  # the dialogue's turn, page one
    assert "tapez un" in again and MORE_TOPICS in again
    transfer = menu_line.press("0")
    assert transfer.find("Dial") is not None


def test_another_replica_reads_the_page_and_the_key(tmp_path: Path) -> None:
    url = migrated_database(tmp_path)
    assistant = FakeAssistant(script=script)
    menus, questions = MemoryState(), MemoryState()  # what Redis holds for every process

    def replica() -> ChannelClient:
        channel = VoiceInput(
            AUTH_TOKEN,
            PUBLIC_BASE_URL,
            TEAM_PHONE,
            OpeningHours.parse(OPENING_HOURS),
            store=ChannelStore(url),
            clock=lambda: MONDAY_10H,
        )
        channel.menus = CallMenus(menus)
        channel.questions.state = questions
        return ChannelClient(channel, assistant)

    first, second = replica(), replica()
    sid = new_sid("CA")
    twiml(first.post(PATH, call_params(sid)))
    page = said(twiml(second.post(PATH, gather_params(sid, digits="9"))))
    assert page.startswith("Voici les autres sujets.")
    twiml(first.post(PATH, gather_params(sid, digits="3")))
    assert assistant.texts == ["/greet", "/ask_caregiver_support"]


def test_a_lost_menu_sends_the_key_as_the_number_it_is(menu_line: Line) -> None:
    menu_line.call()
    channel: VoiceInput = menu_line.client.channel
    asyncio.run(channel.menus.forget(menu_line.call_sid))  # Redis restarted, say
    menu_line.press("2")
    assert menu_line.assistant.texts == ["/greet", "2"]  # the dialogue maps it to its list


def test_a_code_question_with_many_buttons_keeps_six_keys(menu_line: Line) -> None:
    def coded(_sender: str, text: str) -> list[Reply]:
        if text == "mes données":
            return [
                {"text": "Je vous envoie un code à 6 chiffres par SMS.", "buttons": MAIN_MENU[:5]},
                {"custom": {"expects": "code", "digits": 6}},
            ]
        return [{"text": "Bonjour."}]

    menu_line.assistant.script = coded
    menu_line.call()
    asked = menu_line.speak("mes données")
    assert gather(asked).attrib["numDigits"] == "6" and MORE_TOPICS in said(asked)
    assert gather(menu_line.press("9")).attrib["numDigits"] == "6"  # still a code awaited
    menu_line.press("482913")
    assert menu_line.assistant.texts[-1] == "482913"


# Pure parts.


def test_pages_hold_four_choices_at_most_and_are_balanced() -> None:
    assert page_sizes(0) == []
    assert page_sizes(4) == [4]
    assert page_sizes(5) == [3, 2]
    assert page_sizes(8) == [4, 4]
    assert page_sizes(9) == [3, 3, 3]
    assert page_sizes(13) == [4, 3, 3, 3]
    assert all(max(page_sizes(n)) <= 4 for n in range(1, 30))


def test_four_choices_or_fewer_need_no_other_key() -> None:
    menu = VoiceMenu.of(MAIN_MENU[:4])
    assert menu.pages == 1 and "neuf" not in menu.said()
    assert menu.offered[-1] == ("4", "/ask_home_adaptation")
    assert menu.turned() == menu


def test_a_menu_survives_its_json_and_bad_values_read_as_none() -> None:
    menu = VoiceMenu.of(MAIN_MENU).turned()
    assert VoiceMenu.from_json(menu.to_json()) == menu
    for bad in ("", "[]", '{"choices": []}', '{"choices": [["a"]]}', "{"):
        assert VoiceMenu.from_json(bad) is None


def test_spoken_keys() -> None:
    assert spoken_key("Deux.") == "2"
    assert spoken_key("la touche neuf") == "9"
    assert spoken_key("euh un") == "1"
    assert spoken_key("deux enfants") is None
    assert spoken_key("un conseiller") is None
    assert spoken_key("cinq") is None


def test_the_opening_changes_only_the_welcome_and_the_menu_text() -> None:
    messages = script("x", "/greet")
    said_messages = opening(messages)
    assert [m["text"] for m in said_messages] == [OPENING, PRIVACY, LISTEN_FIRST]
    assert said_messages[2]["buttons"] == MAIN_MENU
    back = [{"text": "Bonjour, ravi de vous retrouver.", "response": "utter_welcome_back"}]
    assert opening(back) == back


def test_spoken_offers_the_first_page_of_the_last_choices() -> None:
    messages = [
        {"text": "Premier.", "buttons": STEP_CHOICES[:1]},
        {"text": "Second.", "buttons": STEP_CHOICES},
    ]
    prompt, handoff = spoken(messages)
    assert not handoff
    assert prompt.choices == (("1", STEP_CHOICES[0]["payload"]), ("2", "/ask_documents"),
                              ("3", "/ask_cost"))  # fmt: skip
    assert prompt.text.startswith("Premier. Second. Pour étape suivante, tapez un.")
    menu = menu_of(messages)
    assert menu is not None and len(menu.choices) == 6 and menu.page == 0
    assert menu_of([{"text": "Sans choix."}]) is None
