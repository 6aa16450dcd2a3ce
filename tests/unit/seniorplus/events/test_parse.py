"""Rasa's broker messages read into events (pure); malformed ones named, never quoted."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from seniorplus.events.parse import MalformedEvent, parse_event
from tests.unit.events_helpers import SMS, TELEGRAM, body, rasa_events


def test_every_rasa_event_of_the_fixtures_is_read() -> None:
    events = [parse_event(body(e)) for e in rasa_events()]
    assert [e.kind for e in events[:5]] == ["session_started", "action", "user", "action", "bot"]
    user = events[2]
    assert (user.sender_id, user.spoken, user.channel) == (SMS, "user", "sms")
    assert user.at == datetime.fromtimestamp(1_796_000_002, timezone.utc)
    assert events[4].spoken == "bot" and events[4].channel is None
    assert events[1].spoken is None  # an action is no line of the transcript


def test_the_journey_progress_slot_gives_the_steps_and_nothing_else_does() -> None:
    events = [parse_event(body(e)) for e in rasa_events()]
    progress = [(e.sender_id, e.progress) for e in events if e.progress]
    assert progress == [
        (SMS, {"apa_domicile": -1}),
        (SMS, {"apa_domicile": 0}),
        (SMS, {"apa_domicile": 1}),
        (TELEGRAM, {"ehpad": 0, "apa_domicile": -1}),
    ]


def test_odd_progress_values_are_left_out() -> None:
    event = {"sender_id": "x", "event": "slot", "timestamp": 1.0, "name": "journey_progress"}
    value = {"a": 2, "b": "3", "c": True, "d": None, "e": 1.5, "f" * 65: 1}
    assert parse_event(body({**event, "value": value})).progress == {"a": 2}
    assert parse_event(body({**event, "value": [1, 2]})).progress == {}
    assert parse_event(body({**event, "name": "journey_step", "value": 4})).progress == {}


def test_the_same_bytes_are_the_same_event_and_another_time_is_another() -> None:
    event = rasa_events()[2]
    assert parse_event(body(event)).digest == parse_event(body(event)).digest
    later = {**event, "timestamp": event["timestamp"] + 0.001}
    assert parse_event(body(later)).digest != parse_event(body(event)).digest


def test_an_empty_text_is_no_line() -> None:
    event = {"sender_id": "x", "event": "user", "timestamp": 1.0, "text": "  "}
    assert parse_event(body(event)).spoken is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe", "json"),
        (b"not json", "json"),
        (b"[1, 2]", "not_object"),
        (json.dumps({"event": "user", "timestamp": 1.0}).encode(), "sender_id"),
        (json.dumps({"sender_id": "", "event": "user", "timestamp": 1.0}).encode(), "sender_id"),
        (json.dumps({"sender_id": "x" * 256, "event": "u", "timestamp": 1}).encode(), "sender_id"),
        (json.dumps({"sender_id": "x", "timestamp": 1.0}).encode(), "event"),
        (json.dumps({"sender_id": "x", "event": "user"}).encode(), "timestamp"),
        (json.dumps({"sender_id": "x", "event": "user", "timestamp": "1"}).encode(), "timestamp"),
        (json.dumps({"sender_id": "x", "event": "user", "timestamp": True}).encode(), "timestamp"),
        (b'{"sender_id": "x", "event": "user", "timestamp": NaN}', "timestamp"),
        (json.dumps({"sender_id": "x", "event": "user", "timestamp": -5}).encode(), "timestamp"),
    ],
)
def test_what_is_not_a_rasa_event_is_named_without_its_content(raw: bytes, reason: str) -> None:
    with pytest.raises(MalformedEvent) as caught:
        parse_event(raw)
    assert caught.value.reason == reason and str(caught.value) == reason
