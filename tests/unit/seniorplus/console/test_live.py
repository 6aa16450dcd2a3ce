"""The live transcript with the event broker on: polls answered from what the consumer wrote.

With ``EVENT_BROKER_TYPE=pika`` a poll reads Rasa's ``events`` table only when the
consumer saw a new message; with the broker off (dev) it reads it at every poll, as before.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from seniorplus.db import session_scope
from seniorplus.events.parse import parse_event
from seniorplus.events.store import apply_events
from seniorplus.models import utcnow
from seniorplus.settings import get_settings
from tests.unit.console_helpers import (
    Tracker,
    add_agent,
    add_handoff,
    fresh_throttle,
    signed_in,
    tracker,
)

pytestmark = pytest.mark.usefixtures("database_url", "fresh_throttle")
_ = (fresh_throttle, tracker)

PHONE = "+33612345678"


class Reads:
    """Counts the tracker store's reads."""

    def __init__(self, tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = tracker.store.read

        def counted(sender_ids: list[str]) -> object:
            self.count += 1
            return original(sender_ids)

        monkeypatch.setattr(tracker.store, "read", counted)


def consumer_saw(sender: str, speaker: str, timestamp: float) -> None:
    """What `python -m seniorplus.events` writes when Rasa publishes this message."""
    event = {"sender_id": sender, "event": speaker, "timestamp": timestamp, "text": "…"}
    with session_scope() as session:
        apply_events(session, [parse_event(json.dumps(event).encode())], utcnow())


def poll(handoff_id: int, after: float) -> list[str]:
    moment = datetime.fromtimestamp(after, timezone.utc).isoformat()
    answer = signed_in("camille").get(
        f"/console/conversations/{handoff_id}/lines",
        params={"after": moment},
        headers={"X-Console-Poll": "1"},
    )
    assert answer.status_code == 200 and answer.json()["complet"] is True
    return [line["texte"] for line in answer.json()["lignes"]]


def test_with_the_broker_a_poll_reads_the_tracker_only_when_something_was_said(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENT_BROKER_TYPE", "pika")
    get_settings.cache_clear()
    add_agent("camille", name="Camille")
    reads = Reads(tracker, monkeypatch)
    first = tracker.say(PHONE, "user", "premier")
    consumer_saw(PHONE, "user", first)
    handoff_id = add_handoff(PHONE)
    page = signed_in("camille").get(f"/console/conversations/{handoff_id}")
    assert "premier" in page.text and reads.count == 1  # the first display reads it all

    for _ in range(5):
        assert poll(handoff_id, first) == []
    assert reads.count == 1  # five polls, nothing said: the tracker table untouched

    second = tracker.say(PHONE, "bot", "Une personne va vous répondre.")
    assert poll(handoff_id, first) == []  # in the tracker, not yet through the consumer
    consumer_saw(PHONE, "bot", second)
    assert poll(handoff_id, first) == ["Une personne va vous répondre."]
    assert reads.count == 2
    assert poll(handoff_id, second) == [] and reads.count == 2


def test_with_the_broker_off_every_poll_reads_the_tracker_as_before(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENT_BROKER_TYPE", "bot.event_broker.Off")
    get_settings.cache_clear()
    add_agent("camille", name="Camille")
    reads = Reads(tracker, monkeypatch)
    first = tracker.say(PHONE, "user", "premier")
    handoff_id = add_handoff(PHONE)
    tracker.say(PHONE, "user", "deuxième")
    assert poll(handoff_id, first) == ["deuxième"]
    assert poll(handoff_id, first) == ["deuxième"]
    assert reads.count == 2


def test_with_the_broker_the_intervene_list_comes_from_the_consumer(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_agent("sophie", "supervisor", name="Sophie")
    seen_at = tracker.say(PHONE, "user", "je cherche une aide", channel="sms")
    consumer_saw(PHONE, "user", seen_at)
    tracker.say("+33687654321", "user", "pas encore passé par le consommateur", channel="sms")
    reads = Reads(tracker, monkeypatch)

    monkeypatch.setenv("EVENT_BROKER_TYPE", "pika")
    get_settings.cache_clear()
    html = signed_in("sophie").get("/console/intervenir").text
    assert "je cherche une aide" in html and "pas encore passé" not in html
    monkeypatch.setenv("EVENT_BROKER_TYPE", "bot.event_broker.Off")
    get_settings.cache_clear()
    html = signed_in("sophie").get("/console/intervenir").text
    assert "je cherche une aide" in html and "pas encore passé" in html
    assert reads.count == 0  # neither reads whole transcripts
