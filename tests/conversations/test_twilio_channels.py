"""The real assistant over the SMS and phone channels: signed Twilio webhooks, TwiML back."""

from __future__ import annotations

import os
import secrets
import sqlite3
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from policies.codes import find_code
from policies.hours import OpeningHours
from rendering import sms_segments
from tests.bot.twilio_payloads import (
    FORM,
    call_params,
    gather_params,
    new_sid,
    sms_params,
    status_params,
    twilio_signature,
)
from tests.conversations.conftest import Assistant

pytestmark = pytest.mark.conversation

SMS_PATH = "/webhooks/sms/webhook"
VOICE_PATH = "/webhooks/voice/webhook"
STATUS_PATH = "/webhooks/voice/status"


def new_number() -> str:
    return "+3361" + "".join(secrets.choice("0123456789") for _ in range(7))


def post(
    assistant: Assistant, path: str, params: dict[str, str], signed: bool = True
) -> httpx.Response:
    """POST as Twilio does: signed over PUBLIC_BASE_URL (not the address posted to)."""
    headers = {"content-type": FORM}
    if signed:
        headers["X-Twilio-Signature"] = twilio_signature(
            os.environ["PUBLIC_BASE_URL"] + path, params, os.environ["TWILIO_AUTH_TOKEN"]
        )
    return assistant.client.post(
        assistant.rasa_url + path, content=urlencode(params).encode(), headers=headers
    )


def sms(assistant: Assistant, sender: str, body: str) -> list[str]:
    answer = post(assistant, SMS_PATH, sms_params(body, sender))
    assert answer.status_code == 200, answer.text
    return [m.text or "" for m in ET.fromstring(answer.text).iter("Message")]


def said(answer: httpx.Response) -> str:
    assert answer.status_code == 200, answer.text
    return " ".join("".join(s.itertext()) for s in ET.fromstring(answer.text).iter("Say"))


def tracker_channels(assistant: Assistant, sender: str) -> set[Any]:
    tracker = assistant.client.get(
        f"{assistant.rasa_url}/conversations/{sender}/tracker",
        params={"token": assistant.token},
    ).json()
    return {e.get("input_channel") for e in tracker["events"] if e["event"] == "user"}


def rows(assistant: Assistant, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(assistant.app_database) as connection:
        return connection.execute(sql).fetchall()


def test_an_sms_conversation_with_numbered_choices(assistant: Assistant) -> None:
    person = new_number()
    first = sms(assistant, person, "Bonjour")
    assert first[-1].splitlines()[1] == "1 = L'aide à l'autonomie (APA)"
    answer = sms(assistant, person, "1")
    assert any("APA" in text for text in answer)
    for text in first + answer:
        info = sms_segments(text)
        assert info.encoding == "GSM-7" and info.segments <= 4
    assert tracker_channels(assistant, person) == {"sms"}


def test_stop_start_and_retries_with_the_real_assistant(assistant: Assistant) -> None:
    person = new_number()
    params = sms_params("Bonjour", person)
    assert post(assistant, SMS_PATH, params).status_code == 200
    retried = post(assistant, SMS_PATH, params)
    assert retried.status_code == 200 and "<Message>" not in retried.text
    forged = post(assistant, SMS_PATH, sms_params("Bonjour", person), signed=False)
    assert (forged.status_code, forged.text) == (403, "")

    assert sms(assistant, person, "STOP") == [
        "Vous ne recevrez plus de SMS de Senior Plus. Pour reprendre, écrivez START."
    ]
    assert rows(assistant, f"SELECT channel FROM channel_opt_outs WHERE address = '{person}'") == [
        ("sms",)
    ]
    assert sms(assistant, person, "Bonjour") == []
    assert sms(assistant, person, "START")
    assert sms(assistant, person, "Bonjour")


def test_a_phone_call_hung_up_mid_journey_resumes_on_the_next_call(assistant: Assistant) -> None:
    person = new_number()
    call = new_sid("CA")
    greeting = post(assistant, VOICE_PATH, call_params(call, person))
    assert 'language="fr-FR"' in greeting.text and 'input="dtmf speech"' in greeting.text
    assert "Pour l'aide à l'autonomie, A P A, tapez un." in said(greeting)
    apa = post(assistant, VOICE_PATH, gather_params(call, person, digits="1"))
    assert "pour vous-même ou pour un proche" in said(apa)
    post(assistant, VOICE_PATH, gather_params(call, person, speech="pour moi-même"))
    step = said(post(assistant, VOICE_PATH, gather_params(call, person, digits="1")))
    assert step.startswith("Les conditions à remplir : Avoir soixante ans ou plus.")  # who, first
    assert "Étape un sur" in step

    ended = post(assistant, STATUS_PATH, status_params(call, person, "completed"))
    assert ended.status_code == 204
    assert rows(assistant, f"SELECT end_status FROM calls WHERE call_sid = '{call}'") == [
        ("completed",)
    ]

    again = said(post(assistant, VOICE_PATH, call_params(new_sid("CA"), person)))
    assert "reprendre votre démarche" in again and "étape un sur" in again
    assert sms(assistant, person, "2")  # the same conversation goes on by SMS
    assert tracker_channels(assistant, person) == {"voice", "sms"}


def test_zero_reaches_a_person_or_a_callback(assistant: Assistant) -> None:
    person, call = new_number(), new_sid("CA")
    post(assistant, VOICE_PATH, call_params(call, person))
    answer = post(assistant, VOICE_PATH, gather_params(call, person, digits="0"))
    hours = OpeningHours.parse(os.environ["TEAM_OPENING_HOURS"])
    if hours.is_open(datetime.now(timezone.utc)):
        assert f">{os.environ['TEAM_PHONE']}</Dial>" in answer.text
    else:
        assert "<Hangup" in answer.text and "vous rappellera" in said(answer)
        assert rows(
            assistant, f"SELECT reason FROM callback_requests WHERE phone = '{person}'"
        ) == [("out_of_hours",)]


def sent_code(assistant: Assistant, person: str) -> str:
    """The one-time code the action server sent by SMS to ``person`` (fake Twilio)."""
    assert assistant.twilio is not None
    bodies = [m["Body"] for m in assistant.twilio.messages if m["To"] == person]
    assert bodies and bodies[-1].startswith("Senior Plus : votre code est")
    code = find_code(bodies[-1])
    assert code is not None
    return code


def test_my_data_over_sms_needs_the_code_sent_by_sms(assistant: Assistant) -> None:
    person = new_number()
    asked = " ".join(sms(assistant, person, "bonjour, qu'est ce que vous savez sur moi ?"))
    assert "code à 6 chiffres par SMS" in asked and "Je ne garde rien" not in asked
    code = sent_code(assistant, person)
    assert code not in asked
    wrong = "000000" if code != "000000" else "111111"
    assert "ne correspond pas" in " ".join(sms(assistant, person, wrong))
    shown = " ".join(sms(assistant, person, f"{code[:3]} {code[3:]}"))
    assert "Je ne garde rien sur vous" in shown


def test_erasing_on_the_phone_needs_the_code_said_or_keyed(assistant: Assistant) -> None:
    caller, call_sid = new_number(), new_sid("CA")
    post(assistant, VOICE_PATH, call_params(call_sid, caller))
    spoken = gather_params(call_sid, caller, speech="effacez mes données")
    asked = post(assistant, VOICE_PATH, spoken)
    assert "code à six chiffres" in said(asked)
    gather = ET.fromstring(asked.text).find("Gather")
    assert gather is not None and gather.attrib["numDigits"] == "6"
    code = sent_code(assistant, caller)
    question = post(assistant, VOICE_PATH, gather_params(call_sid, caller, digits=code))
    assert "Voulez-vous vraiment tout effacer" in said(question)


def tracker_intents(assistant: Assistant, sender: str) -> list[str]:
    tracker = assistant.client.get(
        f"{assistant.rasa_url}/conversations/{sender}/tracker",
        params={"token": assistant.token},
    ).json()
    return [e["parse_data"]["intent"]["name"] for e in tracker["events"] if e["event"] == "user"]


def test_a_call_opens_by_listening_then_offers_the_topics_a_few_at_a_time(
    assistant: Assistant,
) -> None:
    person, call = new_number(), new_sid("CA")
    opening = said(post(assistant, VOICE_PATH, call_params(call, person)))
    assert opening.startswith("Bonjour, ici Senior Plus, l'assistant du Département")
    assert opening.index("Dites-moi en quelques mots ce qui vous amène") < opening.index("tapez")
    assert "Pour l'aide à l'autonomie, A P A, tapez un." in opening
    assert "tapez quatre" not in opening and "Pour les autres sujets, tapez neuf." in opening
    assert "Répondez par un numéro" not in opening
    others = said(post(assistant, VOICE_PATH, gather_params(call, person, digits="9")))
    assert others.startswith("Voici les autres sujets. Pour adapter le logement, tapez un.")
    assert tracker_intents(assistant, person) == ["greet"]  # the pages are the channel's
    chosen = said(post(assistant, VOICE_PATH, gather_params(call, person, digits="2")))
    assert tracker_intents(assistant, person) == ["greet", "ask_home_services"]
    assert "rester chez soi" in chosen
    assert "tapez cinq" not in chosen  # five choices asked: three, then two


def test_a_caller_who_speaks_at_once_is_answered_with_at_most_four_keys(
    assistant: Assistant,
) -> None:
    person, call = new_number(), new_sid("CA")
    post(assistant, VOICE_PATH, call_params(call, person))
    words = "oui bonjour c'est pour ma mère elle a du mal à se laver toute seule"
    answer = said(post(assistant, VOICE_PATH, gather_params(call, person, speech=words)))
    assert "votre mère" in answer
    assert "tapez cinq" not in answer and "tapez six" not in answer
