"""Voice doors: a replayed signed answer runs no second turn; a flooding caller is held back,
the others are not."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from channels.rate_limits import Limits
from channels.store import ChannelStore, Claim
from channels.voice import VoiceInput, answer_receipt
from policies.hours import OpeningHours
from tests.bot.channels.test_voice_channel import (
    MONDAY_10H,
    PUBLIC_BASE_URL,
    Line,
    line,
    said,
    twiml,
)
from tests.bot.twilio_payloads import (
    AUTH_TOKEN,
    OPENING_HOURS,
    TEAM_PHONE,
    ChannelClient,
    FakeAssistant,
    gather_params,
    migrated_database,
)

__all__ = ["line"]


def answer_path(root: object) -> str:
    """The path and query Twilio posts the answer to: the Gather's action."""
    action = root.find("Gather").attrib["action"]  # type: ignore[attr-defined]
    assert action.startswith(PUBLIC_BASE_URL)
    return action[len(PUBLIC_BASE_URL) :]


def press(line: Line, path: str, key: str) -> object:
    return twiml(line.client.post(path, gather_params(line.call_sid, line.caller, digits=key)))


def test_a_replayed_answer_hears_the_question_and_runs_no_turn(line: Line) -> None:
    menu = line.call()
    path = answer_path(menu)
    first = press(line, path, "1")
    turns = len(line.assistant.received)
    replayed = press(line, path, "1")  # the same signed request, again
    assert len(line.assistant.received) == turns  # no second turn
    assert "Et ensuite" in said(first) and "Et ensuite" in said(replayed)  # the last question
    assert "?step=" in replayed.find("Gather").attrib["action"]  # type: ignore[attr-defined]
    # the next question has its own step: the same key there is a new answer
    press(line, answer_path(first), "1")
    assert len(line.assistant.received) == turns + 1


def test_speech_replays_are_caught_too(line: Line) -> None:
    path = answer_path(line.call())
    speak = gather_params(line.call_sid, line.caller, speech="je voudrais l'APA")
    twiml(line.client.post(path, speak))
    turns = len(line.assistant.received)
    twiml(line.client.post(path, speak))
    assert len(line.assistant.received) == turns


def replaying_line(tmp_path: Path, *, lease_s: float, busy_wait_s: float) -> Line:
    """A line whose channel waits ``busy_wait_s`` for a replayed answer's running turn."""
    channel = VoiceInput(
        AUTH_TOKEN, PUBLIC_BASE_URL, TEAM_PHONE, OpeningHours.parse(OPENING_HOURS),
        store=ChannelStore(migrated_database(tmp_path)), clock=lambda: MONDAY_10H,
        lease_s=lease_s, busy_wait_s=busy_wait_s,
    )  # fmt: skip
    assistant = FakeAssistant()
    return Line(ChannelClient(channel, assistant), assistant, tmp_path / "app.db", [MONDAY_10H])


def held_by_a_turn(line: Line, path: str, speech: str) -> ChannelStore:
    """The first delivery of this answer took its receipt and has not finished (still running,
    or its process was killed): what Twilio's retry finds."""
    store: ChannelStore = line.client.channel.store
    step = path.split("step=")[1]
    receipt = answer_receipt(line.call_sid, step, "", speech)
    assert store.claim_receipt("voice", receipt, lease_s=30) is Claim.NEW
    return store


@pytest.mark.parametrize("speech", ["je voudrais l'APA", "au secours mon mari ne respire plus"])
def test_a_replay_while_its_turn_still_holds_it_asks_to_say_it_again(
    tmp_path: Path, speech: str
) -> None:
    """The turn may never be stored (its replica was killed): the caller must not hear the
    question as if the answer had been taken, nor lose a danger's line."""
    line = replaying_line(tmp_path, lease_s=30.0, busy_wait_s=0.3)
    path = answer_path(line.call())
    held_by_a_turn(line, path, speech)
    replayed = twiml(
        line.client.post(path, gather_params(line.call_sid, line.caller, speech=speech))
    )
    text = said(replayed)
    assert "trop de temps" in text and "Redites-la" in text
    assert "Et ensuite" not in text  # the question of the turn that did not answer
    assert replayed.find("Gather") is not None  # type: ignore[attr-defined]
    assert line.assistant.received[-1].text == "/greet"  # no turn run twice
    if "respire" in speech:
        assert "quinze" in text or "15" in text


def test_a_replay_waits_for_its_turn_to_finish_then_hears_what_followed(tmp_path: Path) -> None:
    line = replaying_line(tmp_path, lease_s=30.0, busy_wait_s=10.0)
    path = answer_path(line.call())
    store = held_by_a_turn(line, path, "je voudrais l'APA")
    step = path.split("step=")[1]
    receipt = answer_receipt(line.call_sid, step, "", "je voudrais l'APA")
    finisher = threading.Timer(0.5, store.finish_receipt, ("voice", receipt))
    finisher.start()
    replayed = twiml(
        line.client.post(
            path, gather_params(line.call_sid, line.caller, speech="je voudrais l'APA")
        )
    )
    finisher.join()
    assert "trop de temps" not in said(replayed)
    assert [r.text for r in line.assistant.received] == ["/greet"]


def test_a_replay_takes_over_an_answer_whose_replica_was_killed(tmp_path: Path) -> None:
    """kill -9 of a Rasa replica mid-turn: Twilio's retry, on the other replica, runs the turn
    once the dead turn's lease is over (what scripts/scale_test.py provokes)."""
    line = replaying_line(tmp_path, lease_s=1.0, busy_wait_s=4.0)
    path = answer_path(line.call())
    held_by_a_turn(line, path, "1")  # speech "1": what the dead turn received
    replayed = twiml(line.client.post(path, gather_params(line.call_sid, line.caller, speech="1")))
    assert "trop de temps" not in said(replayed) and "Et ensuite" in said(replayed)
    assert [r.text for r in line.assistant.received][-1] != "/greet"


def test_a_flooding_caller_is_told_once_then_hung_up_but_danger_passes(tmp_path: Path) -> None:
    channel = VoiceInput(
        AUTH_TOKEN, PUBLIC_BASE_URL, TEAM_PHONE, OpeningHours.parse(OPENING_HOURS),
        store=ChannelStore(migrated_database(tmp_path)), clock=lambda: MONDAY_10H,
        limits=Limits(per_sender="2/minute", per_address="1000/minute", storage="memory://"),
    )  # fmt: skip
    assistant = FakeAssistant()
    flood = Line(ChannelClient(channel, assistant), assistant, tmp_path / "app.db", [MONDAY_10H])
    flood.call()
    flood.press("1")
    told = flood.press("2")
    assert [child.tag for child in told] == ["Say", "Hangup"] and "Rappelez" in said(told)
    assert [child.tag for child in flood.press("3")] == ["Hangup"]  # told once
    assert len(assistant.received) == 2
    danger = flood.speak("au secours mon mari ne respire plus")
    assert "quinze" in said(danger) or "15" in said(danger)
    assert assistant.received[-1].text == "au secours mon mari ne respire plus"


def test_callers_through_twilios_one_address_are_each_counted_alone(tmp_path: Path) -> None:
    # Every call's requests come from Twilio (or the proxy): one address for all the callers.
    channel = VoiceInput(
        AUTH_TOKEN, PUBLIC_BASE_URL, TEAM_PHONE, OpeningHours.parse(OPENING_HOURS),
        store=ChannelStore(migrated_database(tmp_path)), clock=lambda: MONDAY_10H,
        limits=Limits(per_sender="3/minute", per_address="1/minute", storage="memory://"),
    )  # fmt: skip
    assistant = FakeAssistant()
    client = ChannelClient(channel, assistant)
    for n in range(3):
        caller = Line(client, assistant, tmp_path / "app.db", [MONDAY_10H])
        caller.call(f"+3361234560{n}")
        assert "Hangup" not in [child.tag for child in caller.press("1")]
    assert len(assistant.received) == 6
