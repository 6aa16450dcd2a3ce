"""Every channel's safety net: danger gets its lines whatever happened in the turn.

A paused conversation (a person of the team holds it), an assistant that answered
nothing, a turn that raised (not stored) or was too slow: words of danger still
get the lines of their kind, nothing is called "bien reçu" that was not stored,
and the team is told, with the person's words.
"""

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
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from channels.rest import SeniorRestInput
from channels.safety_net import after_turn, failed_turn, has_read
from channels.sms import SmsInput, sms
from channels.store import ChannelStore
from channels.telegram import TelegramInput
from channels.voice import PAUSED, TRANSFER, VoiceInput
from devtools.fakes.telegram import FakeTelegramApi
from policies.hours import OpeningHours
from safety import Danger
from safety.lines import (
    ALARM,
    FORWARDED,
    NO_ANSWER,
    NOT_STORED,
    RELAY,
    RELAY_FIRST,
    TOO_SLOW,
    WAITING,
)
from tests.bot import telegram_payloads as tg
from tests.bot.channels.test_telegram_channel import SECRET, TOKEN, post, running
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

ROOT = Path(__file__).resolve().parents[3]
PARIS = ZoneInfo("Europe/Paris")
MONDAY_10H = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
SATURDAY_10H = datetime(2026, 11, 21, 10, 0, tzinfo=PARIS)
CALLER = "+33612345678"
FALL = "je suis tombée je peux pas me relever"
MEDICAL = [ALARM[Danger.MEDICAL], RELAY]
CALM = ["merci, j'attends le conseiller", "c'est urgent pour mon dossier ?", "la facture de gaz"]


def paused() -> FakeAssistant:
    """Rasa on a paused conversation: the message is kept, nothing is answered."""
    return FakeAssistant(script=lambda _sender, _text: [], paused=True)


def handoffs(database: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT conversation_id, reason, summary FROM handoffs ORDER BY id"
        ).fetchall()


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (FALL, MEDICAL),
        ("Au secours, il me frappe !", [ALARM[Danger.VIOLENCE], RELAY]),
        (
            "je veux en finir, j'ai gardé tous mes cachets",
            [ALARM[Danger.SUICIDE_PLAN], ALARM[Danger.SUICIDE], RELAY],
        ),
        ("je suis sourde, mon mari me bat", [RELAY_FIRST, ALARM[Danger.VIOLENCE_COUPLE]]),
    ],
)
def test_paused_danger_gets_the_lines_of_its_kind(text: str, lines: list[str]) -> None:
    extra, alert = after_turn(text, [], "rest", paused=True)
    assert extra == [*lines, FORWARDED]
    assert alert == "paused"


@pytest.mark.parametrize("text", CALM)
def test_ordinary_words_to_an_agent_holding_the_conversation_get_nothing_more(text: str) -> None:
    assert after_turn(text, [], "rest", paused=True, held=True) == ([], None)


@pytest.mark.parametrize("text", CALM)
def test_ordinary_words_waiting_for_an_agent_are_acknowledged(text: str) -> None:
    assert after_turn(text, [], "rest", paused=True, held=False) == ([WAITING], None)


def hold(database: Path, conversation_id: str) -> None:
    """A person of the team takes the conversation (its handoff is claimed)."""
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE handoffs SET status = 'prise' WHERE conversation_id = ?", (conversation_id,)
        )


def test_lines_already_given_are_not_repeated() -> None:
    given = [ALARM[Danger.MEDICAL], RELAY]
    assert after_turn(FALL, given, "sms", paused=False) == ([], None)


def test_an_answer_without_the_lines_gets_them() -> None:
    extra, alert = after_turn(FALL, ["Voici l'APA."], "sms", paused=False)
    assert extra == MEDICAL and alert is None


def test_an_empty_turn_that_is_not_paused_says_so_and_alerts_the_team() -> None:
    assert after_turn("c'est quoi l'APA", [], "rest", paused=False) == ([NO_ANSWER], "silent")
    assert after_turn(FALL, [], "rest", paused=False) == ([*MEDICAL, NO_ANSWER], "silent")


def test_a_failed_turn_never_says_received_and_gives_the_lines() -> None:
    assert failed_turn("bonjour", "sms") == [NOT_STORED]
    assert failed_turn(FALL, "sms") == [*MEDICAL, NOT_STORED]
    assert failed_turn(FALL, "sms", why="slow") == [*MEDICAL, TOO_SLOW]
    assert "bien reçu" not in " ".join(failed_turn(FALL, "sms"))


def test_voice_lines_have_no_sms_relay() -> None:
    extra, _ = after_turn(FALL, [], "voice", paused=True)
    assert not has_read(extra, ["114"])
    assert has_read(extra, ["15|112"])


# REST.
def rest_post(assistant: FakeAssistant, text: str, tmp_path: Path) -> list[dict[str, Any]]:
    if not (tmp_path / "app.db").exists():
        migrated_database(tmp_path)
    store = ChannelStore(f"sqlite:///{tmp_path / 'app.db'}")
    client = ChannelClient(SeniorRestInput(store=store), assistant)
    body = json.dumps({"sender": "c1", "message": text}).encode()
    posted = asyncio.run(
        client._post("/webhooks/rest/webhook", body, {"content-type": "application/json"})
    )
    assert posted.status == 200, posted.text
    answer: list[dict[str, Any]] = json.loads(posted.text)
    return answer


def test_rest_paused_danger_gets_the_lines_and_the_handoff_becomes_urgent(tmp_path: Path) -> None:
    assistant = paused()
    assert [m["text"] for m in rest_post(assistant, "au secours je suis tombée", tmp_path)] == [
        *MEDICAL,
        FORWARDED,
    ]
    assert [m["text"] for m in rest_post(assistant, "je patiente", tmp_path)] == [WAITING]
    hold(tmp_path / "app.db", "rest:c1")
    assert rest_post(assistant, "merci", tmp_path) == []  # the agent answers it
    assert assistant.texts == ["au secours je suis tombée", "je patiente", "merci"]  # all kept
    [(conversation, reason, summary)] = handoffs(tmp_path / "app.db")
    assert (conversation, reason) == ("rest:c1", "urgence")  # the REST namespace
    assert "au secours je suis tombée" in summary


def test_rest_answers_with_the_lines_are_left_alone(tmp_path: Path) -> None:
    answering = FakeAssistant(script=lambda _s, _t: [{"text": t} for t in MEDICAL])
    assert [m["text"] for m in rest_post(answering, FALL, tmp_path)] == MEDICAL


def test_rest_broken_turn_is_not_called_received_and_the_team_gets_the_words(
    tmp_path: Path,
) -> None:
    broken = FakeAssistant(fail=True)
    assert [m["text"] for m in rest_post(broken, FALL, tmp_path)] == [*MEDICAL, NOT_STORED]
    [(_, reason, summary)] = handoffs(tmp_path / "app.db")
    assert reason == "urgence" and FALL in summary
    assert [m["text"] for m in rest_post(broken, "et pour l'APA ?", tmp_path)] == [NOT_STORED]
    [(_, _, summary)] = handoffs(tmp_path / "app.db")  # the same handoff, one note more
    assert "et pour l'APA ?" in summary


def test_rest_silent_turn_says_so_and_opens_an_incident(tmp_path: Path) -> None:
    silent = FakeAssistant(script=lambda _s, _t: [])
    assert [m["text"] for m in rest_post(silent, "c'est quoi l'APA", tmp_path)] == [NO_ANSWER]
    [(_, reason, summary)] = handoffs(tmp_path / "app.db")
    assert reason == "incident" and "c'est quoi l'APA" in summary


# SMS.
def sms_texts_for(tmp_path: Path, assistant: FakeAssistant, body: str, **options: Any) -> list[str]:
    channel = SmsInput(
        AUTH_TOKEN, PUBLIC_BASE_URL, store=ChannelStore(migrated_database(tmp_path)), **options
    )
    posted = ChannelClient(channel, assistant).post("/webhooks/sms/webhook", sms_params(body))
    assert posted.status == 200, posted.text
    return [child.text or "" for child in ET.fromstring(posted.text)]


def test_sms_paused_danger_gets_the_lines(tmp_path: Path) -> None:
    assert sms_texts_for(tmp_path, paused(), "Je suis tombée, je ne peux pas me relever") == [
        sms(t) for t in [*MEDICAL, FORWARDED]
    ]


def test_sms_paused_ordinary_message_waiting_for_an_agent_is_acknowledged(
    tmp_path: Path,
) -> None:
    assert sms_texts_for(tmp_path, paused(), "d'accord merci") == [sms(WAITING)]


def test_sms_too_slow_turn_gives_the_lines_and_asks_to_write_again(tmp_path: Path) -> None:
    slow = FakeAssistant(delay_s=0.5)
    texts = sms_texts_for(tmp_path, slow, FALL, turn_timeout_s=0.05)
    assert texts == [sms(t) for t in [*MEDICAL, TOO_SLOW]]
    [(_, reason, _)] = handoffs(tmp_path / "app.db")
    assert reason == "urgence"


# Telegram.
class PausedAgent:
    """The Rasa agent on a paused conversation: receives, answers nothing."""

    def __init__(self) -> None:
        self.received: list[str] = []

    async def handle_message(self, message: Any) -> None:
        self.received.append(message.text)
        message.output_channel.turn_paused = True  # as bot/rasa_patches.py marks it


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
    assert sent == [WAITING, ALARM[Danger.GENERAL], RELAY, FORWARDED]


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
    assert "un, un, deux" in said(root)  # the 112, digit by digit
    assert "cent quatorze" not in said(root) and "un, un, quatre" not in said(root)
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
    # What action_handoff returns (tests/unit/actions/test_handoff.py checks it).
    paused_then_listen = [{"event": "pause"}, {"event": "action", "name": "action_listen"}]
    was_paused, state = next_message_state(paused_then_listen)
    assert was_paused
    assert state["prev_action"] == {"action_name": "action_listen"}  # as every rule expects
    assert state["user"]["intent"] == "greet"
    _, without = next_message_state([{"event": "pause"}])
    assert without["prev_action"] == {"action_name": "action_handoff"}  # no rule would match
