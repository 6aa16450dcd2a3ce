"""A replayed signed voice request (same call, same step, same answer) is not processed twice."""

from __future__ import annotations

from tests.bot.test_voice_channel import PUBLIC_BASE_URL, Line, line, said, twiml
from tests.bot.twilio_payloads import gather_params

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
