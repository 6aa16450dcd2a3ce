"""A paused conversation (a person of the team holds it): the assistant says nothing, yet words
of danger still get the emergency numbers on every channel, and a caller is put through."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from channels.paused import EMERGENCY, FORWARDED, is_emergency, safety_answer
from channels.rest import SeniorRestInput
from channels.sms import SmsInput, sms
from channels.store import ChannelStore
from channels.telegram import TelegramInput
from channels.voice import PAUSED, TRANSFER, VoiceInput
from policies.hours import OpeningHours
from tests.bot import telegram_payloads as tg
from tests.bot.test_telegram_channel import SECRET, TOKEN, post, running
from tests.bot.twilio_payloads import (
    AUTH_TOKEN,
    OPENING_HOURS,
    PUBLIC_BASE_URL,
    TEAM_PHONE,
    ChannelClient,
    FakeAssistant,
    call_params,
    gather_params,
    migrated_database,
    new_sid,
    sms_params,
)
from tests.fakes.telegram_api import FakeTelegramApi

ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")
MONDAY_10H = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
SATURDAY_10H = datetime(2026, 11, 21, 10, 0, tzinfo=PARIS)
CALLER = "+33612345678"
DANGER = ["je suis tombée", "Au secours !", "je suis tombée je peux pas me relever", "il me frappe"]
CALM = ["merci, j'attends le conseiller", "c'est urgent pour mon dossier ?", "la facture de gaz"]


def paused() -> FakeAssistant:
    """Rasa on a paused conversation: the message is kept, nothing is answered."""
    return FakeAssistant(script=lambda _sender, _text: [])


def test_the_emergency_text_is_the_domain_s_word_for_word() -> None:
    domain = yaml.safe_load((ROOT / "bot" / "domain" / "_core.yml").read_text())
    assert domain["responses"]["utter_emergency"] == [{"text": EMERGENCY}]


@pytest.mark.parametrize("text", DANGER)
def test_words_of_danger_are_read(text: str) -> None:
    assert is_emergency(text)
    assert safety_answer(text, answered=False) == [EMERGENCY, FORWARDED]
    assert safety_answer(text, answered=True) == []  # not paused: the emergency rule answered


@pytest.mark.parametrize("text", CALM)
def test_ordinary_words_while_paused_get_nothing(text: str) -> None:
    assert not is_emergency(text)
    assert safety_answer(text, answered=False) == []


# REST.
def rest_post(assistant: FakeAssistant, text: str) -> list[dict[str, Any]]:
    client = ChannelClient(SeniorRestInput(), assistant)
    body = json.dumps({"sender": "c1", "message": text}).encode()
    posted = asyncio.run(
        client._post("/webhooks/rest/webhook", body, {"content-type": "application/json"})
    )
    assert posted.status == 200, posted.text
    answer: list[dict[str, Any]] = json.loads(posted.text)
    return answer


def test_rest_paused_emergency_gets_the_numbers_and_calm_words_nothing() -> None:
    assistant = paused()
    assert rest_post(assistant, "au secours je suis tombée") == [
        {"recipient_id": "c1", "text": EMERGENCY},
        {"recipient_id": "c1", "text": FORWARDED},
    ]
    assert rest_post(assistant, "je patiente") == []
    assert assistant.texts == ["au secours je suis tombée", "je patiente"]  # both kept by Rasa


def test_rest_not_paused_answers_are_left_alone() -> None:
    answering = FakeAssistant(script=lambda _s, _t: [{"text": "Réponse de la règle d'urgence."}])
    assert [m["text"] for m in rest_post(answering, "au secours")] == [
        "Réponse de la règle d'urgence."
    ]


# SMS.
def sms_texts_for(tmp_path: Path, assistant: FakeAssistant, body: str) -> list[str]:
    channel = SmsInput(AUTH_TOKEN, PUBLIC_BASE_URL, store=ChannelStore(migrated_database(tmp_path)))
    posted = ChannelClient(channel, assistant).post("/webhooks/sms/webhook", sms_params(body))
    assert posted.status == 200, posted.text
    return [child.text or "" for child in ET.fromstring(posted.text)]


def test_sms_paused_emergency_gets_the_numbers(tmp_path: Path) -> None:
    assert sms_texts_for(tmp_path, paused(), "Je suis tombée") == [sms(EMERGENCY), sms(FORWARDED)]


def test_sms_paused_ordinary_message_gets_no_sms(tmp_path: Path) -> None:
    assert sms_texts_for(tmp_path, paused(), "d'accord merci") == []


# Telegram.
class PausedAgent:
    """The Rasa agent on a paused conversation: receives, answers nothing."""

    def __init__(self) -> None:
        self.received: list[str] = []

    async def handle_message(self, message: Any) -> None:
        self.received.append(message.text)


def test_telegram_paused_emergency_gets_the_numbers(tmp_path: Path) -> None:
    store = ChannelStore(migrated_database(tmp_path))
    with FakeTelegramApi(TOKEN) as api:
        channel = TelegramInput(TOKEN, SECRET, api.url, store=store)
        agent = PausedAgent()

        async def main() -> None:
            async with running(channel, agent) as client:  # type: ignore[arg-type]
                for text in ("je patiente", "au secours"):
                    response = await post(client, tg.text_update(111, text))
                    assert response.status_code == 200
                await channel.wait_idle(timeout=10)

        asyncio.run(main())
        sent = [m["text"] for m in api.messages]
    assert agent.received == ["je patiente", "au secours"]
    assert sent == [EMERGENCY, FORWARDED]


# Phone.
def voice_line(tmp_path: Path, when: datetime) -> tuple[ChannelClient, Path]:
    url = migrated_database(tmp_path)
    channel = VoiceInput(
        AUTH_TOKEN,
        PUBLIC_BASE_URL,
        TEAM_PHONE,
        OpeningHours.parse(OPENING_HOURS),
        store=ChannelStore(url),
        clock=lambda: when,
    )
    return ChannelClient(channel, paused()), tmp_path / "app.db"


def said(root: ET.Element) -> str:
    return " ".join("".join(say.itertext()) for say in root.iter("Say"))


def test_a_paused_caller_is_put_through_with_the_numbers_first(tmp_path: Path) -> None:
    client, _ = voice_line(tmp_path, MONDAY_10H)
    call = new_sid("CA")
    greeting = ET.fromstring(client.post("/webhooks/voice/webhook", call_params(call)).text)
    assert [child.tag for child in greeting] == ["Say", "Dial"]
    assert said(greeting) == TRANSFER
    posted = client.post("/webhooks/voice/webhook", gather_params(call, speech="je suis tombée"))
    root = ET.fromstring(posted.text)
    assert [child.tag for child in root] == ["Say", "Dial"]
    assert "le quinze" in said(root) and said(root).endswith(TRANSFER)
    assert root.find("Dial") is not None and TEAM_PHONE in "".join(root.find("Dial").itertext())


def test_a_paused_caller_out_of_hours_gets_a_callback(tmp_path: Path) -> None:
    client, database = voice_line(tmp_path, SATURDAY_10H)
    root = ET.fromstring(client.post("/webhooks/voice/webhook", call_params(new_sid("CA"))).text)
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert "Un conseiller vous rappellera lundi" in said(root)
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT phone, reason FROM callback_requests").fetchall()
    assert rows == [(CALLER, PAUSED)]


# Rasa's own tracker: after a pause and a resume, rules match the next message again.
def next_message_state(handoff_events: list[dict[str, Any]]) -> tuple[bool, dict[str, Any]]:
    """Whether the tracker is paused before the resume, and Rasa's state after it."""
    domain = Domain.from_dict(
        {"intents": ["greet", "request_human"], "actions": ["action_handoff"]}
    )
    asked = {
        "event": "user",
        "text": "/request_human",
        "parse_data": {"intent": {"name": "request_human"}},
    }
    waiting = {"event": "user", "text": "je patiente", "parse_data": {"intent": {"name": "greet"}}}
    hello = {"event": "user", "text": "bonjour", "parse_data": {"intent": {"name": "greet"}}}
    before = [
        {"event": "action", "name": "action_listen"},
        asked,
        {"event": "action", "name": "action_handoff"},
        {"event": "bot", "text": "Je transmets votre demande…"},
        *handoff_events,
        waiting,
    ]
    tracker = DialogueStateTracker.from_dict("c1", before, domain.slots)
    was_paused = tracker.is_paused()
    tracker = DialogueStateTracker.from_dict(
        "c1", [*before, {"event": "resume"}, hello], domain.slots
    )
    assert not tracker.is_paused()
    return was_paused, dict(domain.get_active_state(tracker))


def test_after_a_resume_the_next_message_follows_action_listen() -> None:
    # What action_handoff returns (tests/unit/test_actions_handoff.py checks it).
    paused_then_listen = [{"event": "pause"}, {"event": "action", "name": "action_listen"}]
    was_paused, state = next_message_state(paused_then_listen)
    assert was_paused
    assert state["prev_action"] == {"action_name": "action_listen"}  # as every rule expects
    assert state["user"]["intent"] == "greet"
    _, without = next_message_state([{"event": "pause"}])
    assert without["prev_action"] == {"action_name": "action_handoff"}  # no rule would match
