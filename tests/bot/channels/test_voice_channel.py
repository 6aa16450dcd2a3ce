"""Phone channel: signed Twilio Voice webhooks, French TwiML, keypad and speech, a person."""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from channels.store import ChannelStore
from channels.voice import HINT, TRANSFER, VoiceInput, speech_meaning, spoken
from policies.hours import OpeningHours
from tests.bot.twilio_payloads import (
    AUTH_TOKEN,
    HANDOFF,
    HUMAN_EXAMPLE,
    MENU,
    OPENING_HOURS,
    PUBLIC_BASE_URL,
    TEAM_PHONE,
    ChannelClient,
    FakeAssistant,
    Posted,
    call_params,
    dial_params,
    gather_params,
    migrated_database,
    new_sid,
    status_params,
    twilio_signature,
)

PARIS = ZoneInfo("Europe/Paris")
MONDAY_10H = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)  # the team is there
SATURDAY_10H = datetime(2026, 11, 21, 10, 0, tzinfo=PARIS)  # closed until Monday 9:00
PATH = "/webhooks/voice/webhook"
STATUS_PATH = "/webhooks/voice/status"
ACTION = PUBLIC_BASE_URL + PATH
CALLER = "+33612345678"


@dataclass
class Line:
    """A caller on the phone channel, with the database and the clock of the test."""

    client: ChannelClient
    assistant: FakeAssistant
    database: Path
    clock: list[datetime]
    call_sid: str = ""
    caller: str = CALLER

    def call(self, caller: str = CALLER) -> ET.Element:
        self.call_sid, self.caller = new_sid("CA"), caller
        return twiml(self.client.post(PATH, call_params(self.call_sid, caller)))

    def press(self, key: str) -> ET.Element:
        return twiml(self.client.post(PATH, gather_params(self.call_sid, self.caller, digits=key)))

    def speak(self, words: str) -> ET.Element:
        return twiml(
            self.client.post(PATH, gather_params(self.call_sid, self.caller, speech=words))
        )

    def silence(self, count: int) -> ET.Element:
        posted = self.client.post(
            f"{PATH}?silence={count}", call_params(self.call_sid, self.caller)
        )
        return twiml(posted)

    def hang_up(self, status: str = "completed") -> Posted:
        return self.client.post(STATUS_PATH, status_params(self.call_sid, self.caller, status))

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql).fetchall()


@pytest.fixture
def line(tmp_path: Path) -> Line:
    url = migrated_database(tmp_path)
    clock = [MONDAY_10H]
    channel = VoiceInput(
        AUTH_TOKEN,
        PUBLIC_BASE_URL,
        TEAM_PHONE,
        OpeningHours.parse(OPENING_HOURS),
        store=ChannelStore(url),
        clock=lambda: clock[0],
    )
    assistant = FakeAssistant()
    return Line(ChannelClient(channel, assistant), assistant, tmp_path / "app.db", clock)


def twiml(posted: Posted) -> ET.Element:
    assert posted.status == 200, posted.text
    assert posted.content_type.startswith("text/xml")
    assert posted.text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(posted.text)
    assert root.tag == "Response"
    return root


def said(root: ET.Element) -> str:
    """Everything the caller hears, in order."""
    return " ".join("".join(say.itertext()) for say in root.iter("Say"))


def verbs(root: ET.Element) -> list[str]:
    return [child.tag for child in root]


def assert_question(root: ET.Element, silence: int = 1) -> ET.Element:
    """A Gather for speech and keys in French, then a redirect counting the silence."""
    assert verbs(root) == ["Gather", "Redirect"]
    gather, redirect = root
    action = gather.attrib["action"]
    assert re.fullmatch(re.escape(ACTION) + r"\?step=[0-9a-f]{12}", action)  # one step per question
    assert gather.attrib == {
        "input": "dtmf speech",
        "language": "fr-FR",
        "speechTimeout": "auto",
        "timeout": "6",
        "numDigits": "1",
        "finishOnKey": "",
        "action": action,
        "method": "POST",
    }
    [say] = gather
    assert say.attrib == {"language": "fr-FR", "voice": "Polly.Lea"}
    [prosody] = say
    assert prosody.tag == "prosody" and prosody.attrib == {"rate": "90%"}
    assert redirect.attrib == {"method": "POST"}
    assert redirect.text == f"{ACTION}?silence={silence}"
    return gather


# The call.


def test_an_incoming_call_is_greeted_in_french_with_speech_and_keys(line: Line) -> None:
    root = line.call()
    assert_question(root)
    text = said(root)
    assert text.startswith("Bonjour, je suis l'assistant de Senior Plus.")
    assert "Pour l'A P A à domicile, tapez un." in text
    assert "Pour parler à une personne, tapez trois." in text
    assert text.endswith(HINT)
    [greet] = line.assistant.received
    assert (greet.text, greet.sender_id, greet.input_channel) == ("/greet", CALLER, "voice")
    assert line.rows("SELECT call_sid, phone, ended_at FROM calls") == [
        (line.call_sid, CALLER, None)
    ]


def test_a_key_is_an_answer_and_the_next_question_follows(line: Line) -> None:
    line.call()
    root = line.press("1")
    assert_question(root)
    # The key is sent as the button's payload: the dialogue gets the choice itself.
    assert line.assistant.texts == ["/greet", MENU[0]["payload"]]
    assert line.assistant.received[-1].metadata == {
        "channel": "voice",
        "call_sid": line.call_sid,
        "input": "dtmf",
    }
    text = said(root)
    assert text.startswith("Étape un sur six : demandez le dossier d'A P A au Département")
    assert "zéro deux, quarante, quatre-vingt-dix-neuf, dix, zéro zéro" in text
    assert text.endswith("Pour étape suivante, tapez un.")
    assert HINT not in text  # the hint is for the greeting only


def test_speech_is_sent_as_said_and_references_are_spoken_digit_by_digit(line: Line) -> None:
    line.call()
    root = line.speak("dossier")
    assert_question(root)
    assert line.assistant.texts == ["/greet", "dossier"]
    assert line.assistant.received[-1].metadata["input"] == "speech"
    text = said(root)
    assert "S P, deux zéro deux six, zéro zéro zéro, un deux trois" in text
    assert "deux mille quatre-vingts euros et trente-trois centimes" in text
    assert "SP-2026" not in text and "2" not in text


@pytest.mark.parametrize(
    "answer", ["*", "répéter", "Répétez, s'il vous plaît.", "vous pouvez répéter"]
)
def test_star_or_repeat_says_the_last_answer_again(line: Line, answer: str) -> None:
    greeting = said(line.call())
    root = line.press(answer) if answer == "*" else line.speak(answer)
    assert_question(root)
    assert line.assistant.texts == ["/greet", "répétez"]
    assert said(root) == greeting.removesuffix(" " + HINT)


def test_hash_pressed_again_and_again_repeats_the_question_kindly(line: Line) -> None:
    question = said(line.call()).removesuffix(" " + HINT)
    for _ in range(5):
        root = line.press("#")
        assert_question(root, silence=1)
        assert (
            said(root) == f"Cette touche ne correspond à aucun choix. Je répète. {question} {HINT}"
        )
    assert line.assistant.texts == ["/greet"]  # the conversation is left as it was


def test_an_unexpected_key_string_is_not_a_crash(line: Line) -> None:
    line.call()
    for key in ("A", "12", "##"):
        root = line.press(key)
        assert said(root).startswith("Cette touche ne correspond à aucun choix.")
    assert line.assistant.texts == ["/greet"]


# Asking for a person.


@pytest.mark.parametrize("ask", ["key 0", "un conseiller", "Je voudrais parler à une conseillère"])
def test_zero_or_asking_for_an_adviser_during_opening_hours_dials_the_team(
    line: Line, ask: str
) -> None:
    line.call()
    root = line.press("0") if ask == "key 0" else line.speak(ask)
    assert verbs(root) == ["Say", "Dial"]
    assert "Je vous passe un conseiller" in said(root)
    dial = root.find("Dial")
    assert dial is not None and dial.text == TEAM_PHONE
    assert dial.attrib["action"] == f"{ACTION}?after=dial"
    assert line.rows("SELECT * FROM callback_requests") == []
    assert line.assistant.texts == ["/greet"]


def test_zero_out_of_hours_records_a_callback_and_says_when(line: Line) -> None:
    line.clock[0] = SATURDAY_10H
    line.call()
    root = line.press("0")
    assert verbs(root) == ["Say", "Hangup"]
    text = said(root)
    assert "du lundi au vendredi, de neuf heures à douze heures trente" in text
    assert "Un conseiller vous rappellera lundi à neuf heures" in text
    assert line.rows("SELECT phone, reason, status FROM callback_requests") == [
        (CALLER, "out_of_hours", "waiting")
    ]


def test_the_human_contact_answer_becomes_a_transfer(tmp_path: Path) -> None:
    human = FakeAssistant(
        script=lambda _sender, text: (
            [{"text": "Bonjour.", "buttons": [{"title": "Menu", "payload": "/menu"}]}]
            if text == "/greet"
            else [
                {"text": "Je ne comprends toujours pas, excusez-moi."},
                {"custom": HANDOFF},
                {"text": HUMAN_EXAMPLE},
            ]
        )
    )
    line = Line(
        ChannelClient(
            VoiceInput(
                AUTH_TOKEN,
                PUBLIC_BASE_URL,
                TEAM_PHONE,
                OpeningHours.parse(OPENING_HOURS),
                store=ChannelStore(migrated_database(tmp_path)),
                clock=lambda: MONDAY_10H,
            ),
            human,
        ),
        human,
        tmp_path / "app.db",
        [MONDAY_10H],
    )
    line.call()
    root = line.speak("je suis perdu")
    assert human.texts == ["/greet", "je suis perdu"]
    assert verbs(root) == ["Say", "Dial"]
    text = said(root)
    # The written contacts are not read: the caller is put through instead.
    assert text.startswith("Je ne comprends toujours pas, excusez-moi. Je vous passe un conseiller")
    assert "clic" not in text.lower()


def test_choosing_to_speak_to_a_person_in_the_menu_dials_the_team(line: Line) -> None:
    assert "Pour parler à une personne, tapez trois." in said(line.call())
    root = line.press("3")
    assert line.assistant.texts == ["/greet", "/request_human"]
    assert verbs(root) == ["Say", "Dial"]
    assert said(root) == TRANSFER


# Silence.


def test_silence_repeats_the_question_twice_then_dials_a_person(line: Line) -> None:
    question = said(line.call()).removesuffix(" " + HINT)
    first = line.silence(1)
    assert_question(first, silence=2)
    assert said(first) == f"Je n'ai rien entendu. Je répète. {question} {HINT}"
    second = line.silence(2)
    assert_question(second, silence=3)
    assert said(second).endswith(f"{question} {HINT}")
    offer = line.silence(3)
    assert verbs(offer) == ["Say", "Dial"]
    assert said(offer).startswith("Je n'entends pas de réponse. Je vous passe un conseiller")
    assert line.assistant.texts == ["/greet"]


def test_silence_out_of_hours_ends_with_a_callback_request(line: Line) -> None:
    line.clock[0] = SATURDAY_10H
    line.call()
    line.silence(1)
    line.silence(2)
    offer = line.silence(3)
    assert verbs(offer) == ["Say", "Hangup"]
    assert "rappellera lundi à neuf heures" in said(offer)
    assert line.rows("SELECT phone, reason FROM callback_requests") == [(CALLER, "silence")]


def test_a_withheld_number_gets_no_promise_of_a_callback(line: Line) -> None:
    line.clock[0] = SATURDAY_10H
    line.call(caller="+266696687")  # what Twilio sends for "anonymous"
    assert line.assistant.received[0].sender_id == line.call_sid
    root = line.press("0")
    assert "numéro est masqué" in said(root)
    assert verbs(root) == ["Say", "Hangup"]
    assert line.rows("SELECT * FROM callback_requests") == []


def test_when_the_team_does_not_answer_a_callback_is_recorded(line: Line) -> None:
    line.call()
    posted = line.client.post(f"{PATH}?after=dial", dial_params(line.call_sid, CALLER, "no-answer"))
    root = twiml(posted)
    assert verbs(root) == ["Say", "Hangup"]
    assert "rappellera dès que possible" in said(root)
    assert line.rows("SELECT reason FROM callback_requests") == [("no_answer",)]
    done = twiml(
        line.client.post(f"{PATH}?after=dial", dial_params(line.call_sid, CALLER, "completed"))
    )
    assert verbs(done) == ["Hangup"]
    assert line.rows("SELECT count(*) FROM callback_requests") == [(1,)]


# Hanging up.


def test_the_status_callback_marks_the_call_ended(line: Line) -> None:
    line.call()
    ringing = line.client.post(STATUS_PATH, status_params(line.call_sid, CALLER, "ringing"))
    assert ringing.status == 204
    assert line.rows("SELECT ended_at FROM calls") == [(None,)]
    posted = line.hang_up("completed")
    assert (posted.status, posted.text) == (204, "")
    [(ended_at, status)] = line.rows("SELECT ended_at, end_status FROM calls")
    assert ended_at is not None and status == "completed"
    # A late or replayed request for that call changes nothing.
    assert verbs(line.press("1")) == ["Hangup"]
    assert line.assistant.texts == ["/greet"]


def test_a_hang_up_mid_journey_loses_nothing(line: Line) -> None:
    line.call()
    line.press("1")  # the first journey starts
    assert line.hang_up("completed").status == 204
    root = line.call()  # later, a new call from the same number
    assert_question(root)
    text = said(root)
    assert text.startswith("Rebonjour ! Vous en étiez à l'étape un sur six")
    assert "Pour reprendre : A P A à domicile, tapez un." in text
    assert {r.sender_id for r in line.assistant.received} == {CALLER}


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled"])
def test_every_ending_status_is_recorded(line: Line, status: str) -> None:
    line.call()
    assert line.hang_up(status).status == 204
    assert line.rows("SELECT end_status FROM calls") == [(status,)]


# Signatures and malformed requests.


@pytest.mark.parametrize(
    "signature",
    [None, "", "Zm9yZ2Vk", twilio_signature(ACTION, call_params("CA" + "0" * 32), "other")],
)
def test_forged_or_unsigned_calls_are_refused(line: Line, signature: str | None) -> None:
    params = call_params(new_sid("CA"))
    refused = line.client.post(PATH, params, signature=signature)
    assert (refused.status, refused.text) == (403, "")
    assert line.assistant.received == []
    assert line.rows("SELECT * FROM calls") == []


def test_forged_status_callbacks_are_refused(line: Line) -> None:
    line.call()
    params = status_params(line.call_sid, CALLER, "completed")
    for signature in (None, "Zm9yZ2Vk", twilio_signature(ACTION, params)):  # wrong URL too
        refused = line.client.post(STATUS_PATH, params, signature=signature)
        assert (refused.status, refused.text) == (403, "")
    assert line.rows("SELECT ended_at FROM calls") == [(None,)]


def test_the_signature_covers_the_query_string(line: Line) -> None:
    line.call()
    params = call_params(line.call_sid)
    without_query = twilio_signature(ACTION, params)
    refused = line.client.post(f"{PATH}?silence=3", params, signature=without_query)
    assert refused.status == 403
    assert line.rows("SELECT * FROM callback_requests") == []


@pytest.mark.parametrize("missing", ["CallSid", "From"])
def test_malformed_call_requests_are_refused_in_french(line: Line, missing: str) -> None:
    params = {k: v for k, v in call_params(new_sid("CA")).items() if k != missing}
    refused = line.client.post(PATH, params)
    assert refused.status == 400 and f"« {missing} »" in refused.text
    assert line.assistant.received == []


def test_unreadable_form_is_refused(line: Line) -> None:
    refused = line.client.post(PATH, {}, signature="c2lnbmU=", raw=b"CallSid=%ff%fe")
    assert refused.status == 400
    assert line.assistant.received == []


def test_an_assistant_failure_apologises_and_offers_a_person(tmp_path: Path) -> None:
    broken = FakeAssistant(fail=True)
    channel = VoiceInput(
        AUTH_TOKEN,
        PUBLIC_BASE_URL,
        TEAM_PHONE,
        OpeningHours.parse(OPENING_HOURS),
        store=ChannelStore(migrated_database(tmp_path)),
        clock=lambda: MONDAY_10H,
    )
    root = twiml(ChannelClient(channel, broken).post(PATH, call_params(new_sid("CA"))))
    assert verbs(root) == ["Say", "Dial"]
    assert said(root).startswith("Désolé, un problème technique")


def test_a_database_failure_does_not_stop_the_call(tmp_path: Path) -> None:
    channel = VoiceInput(
        AUTH_TOKEN,
        PUBLIC_BASE_URL,
        TEAM_PHONE,
        OpeningHours.parse(OPENING_HOURS),
        store=ChannelStore(f"sqlite:///{tmp_path / 'missing' / 'app.db'}"),
        clock=lambda: SATURDAY_10H,
    )
    client = ChannelClient(channel, FakeAssistant())
    sid = new_sid("CA")
    assert_question(twiml(client.post(PATH, call_params(sid))))
    closed = twiml(client.post(PATH, gather_params(sid, digits="0")))
    assert "Rappelez-nous à ces heures-là" in said(closed)
    assert client.post(STATUS_PATH, status_params(sid, CALLER, "completed")).status == 204


# Pure parts.


def test_speech_meanings() -> None:
    assert speech_meaning("Répétez !") == "repeat"
    assert speech_meaning("pouvez-vous répéter s'il vous plaît") == "repeat"
    assert speech_meaning("un conseiller") == "person"
    assert speech_meaning("je veux parler à quelqu'un") == "person"
    assert speech_meaning("l'aide à domicile") == ""
    assert speech_meaning("mon conseiller départemental m'a dit de faire une demande d'APA") == ""


def test_only_the_last_choices_get_keys() -> None:
    prompt, handoff = spoken(
        [
            {"text": "Premier.", "buttons": [{"title": "A", "payload": "/a"}]},
            {"text": "Second.", "buttons": [{"title": "Menu", "payload": "/menu"}]},
        ]
    )
    assert not handoff
    assert prompt.text == "Premier. Second. Pour menu, tapez un."
    assert prompt.choices == (("1", "/menu"),)


def test_xml_special_characters_are_escaped(tmp_path: Path) -> None:
    assistant = FakeAssistant(script=lambda _s, _t: [{"text": "A < B & C > D \x0b fin"}])
    channel = VoiceInput(
        AUTH_TOKEN,
        PUBLIC_BASE_URL,
        TEAM_PHONE,
        OpeningHours.parse(OPENING_HOURS),
        store=ChannelStore(migrated_database(tmp_path)),
    )
    root = twiml(ChannelClient(channel, assistant).post(PATH, call_params(new_sid("CA"))))
    assert said(root).startswith("A B et C D fin.")


def test_from_credentials_fails_loudly() -> None:
    good = {
        "auth_token": "t",
        "public_base_url": "https://x.example",
        "team_phone": TEAM_PHONE,
        "opening_hours": OPENING_HOURS,
    }
    channel = VoiceInput.from_credentials(good)
    assert channel.action_url == "https://x.example/webhooks/voice/webhook"
    breakages: list[Callable[[dict[str, str]], None]] = [
        lambda c: c.pop("auth_token"),
        lambda c: c.update(team_phone="02 40 00 00 00"),
        lambda c: c.update(opening_hours="tous les jours"),
        lambda c: c.update(public_base_url=""),
    ]
    for breakage in breakages:
        credentials = dict(good)
        breakage(credentials)
        with pytest.raises(ValueError):
            VoiceInput.from_credentials(credentials)
