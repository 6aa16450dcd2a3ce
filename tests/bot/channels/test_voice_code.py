"""On the phone, a one-time code is said or keyed: 6 keys make one answer while it is awaited."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from channels.voice import expects_code
from tests.bot.channels.test_voice_channel import Line, said
from tests.bot.channels.test_voice_channel import line as line  # the fixture
from tests.bot.twilio_payloads import Reply

CODE_PROMPT = "Je vous envoie un code à 6 chiffres par SMS. Dites-le, ou tapez-le sur le clavier."
NEW_CODE = {"title": "Recevoir un nouveau code", "payload": "/delete_my_data"}
MARKER = {"expects": "code", "digits": 6}


def script(sender: str, text: str) -> list[Reply]:
    if text == "/greet":
        return [{"text": "Bonjour. Que puis-je pour vous ?"}]
    if text == "mes données":
        return [{"text": CODE_PROMPT, "buttons": [NEW_CODE]}, {"custom": MARKER}]
    if text == "482913":
        return [{"text": "Voici ce que je sais sur vous."}]
    return [{"text": "Pardon ?"}]


def gather(root: ET.Element) -> ET.Element:
    found = root.find("Gather")
    assert found is not None
    return found


@pytest.fixture
def coded(line: Line) -> Line:
    line.assistant.script = script
    line.call()
    return line


def test_a_question_awaiting_a_code_takes_six_keys_then_one_again(coded: Line) -> None:
    asked = coded.speak("mes données")
    assert gather(asked).attrib["numDigits"] == "6"
    assert "un code à six chiffres" in said(asked) and "nouveau code, tapez un" in said(asked)
    shown = coded.press("482913")
    assert coded.assistant.texts[-1] == "482913"
    assert "Voici ce que je sais sur vous" in said(shown)
    assert gather(shown).attrib["numDigits"] == "1"  # back to one key per choice


def test_a_code_may_be_said_too(coded: Line) -> None:
    coded.speak("mes données")
    coded.speak("quatre huit deux neuf un trois")
    assert coded.assistant.texts[-1] == "quatre huit deux neuf un trois"


def test_six_keys_outside_a_code_are_not_a_crash(coded: Line) -> None:
    coded.press("12")
    assert coded.assistant.texts == ["/greet"]  # two keys: not a choice, not a code


def test_the_marker_is_read_only_from_the_custom_part() -> None:
    assert expects_code([{"text": "x"}, {"custom": MARKER}])
    assert not expects_code([{"text": "code", "custom": {"handoff": "human"}}])


def test_silence_or_a_wrong_key_while_a_code_is_awaited_still_takes_six_keys(
    coded: Line,
) -> None:
    coded.speak("mes données")
    again = coded.silence(1)
    assert gather(again).attrib["numDigits"] == "6" and "un code à six chiffres" in said(again)
    wrong = coded.press("12")  # neither a choice nor a code
    assert gather(wrong).attrib["numDigits"] == "6"
    assert coded.assistant.texts == ["/greet", "mes données"]
