"""Events applied to the consumer's tables: once each, in any batch, in any order (SQLite, PG)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from seniorplus.cases import contact_for_conversation
from seniorplus.cases.audit import SYSTEM
from seniorplus.cases.models import Contact
from seniorplus.data_rights.erasure import erase_person
from seniorplus.db import session_scope
from seniorplus.events.models import ConversationActivity, JourneyProgress, SeenEvent
from seniorplus.events.parse import RasaEvent, parse_event
from seniorplus.events.store import apply_events, forget_before, forget_conversations
from tests.unit.events_helpers import SMS, TELEGRAM, body, rasa_events

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=timezone.utc)


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(1_796_000_000 + seconds, timezone.utc)


def parsed() -> list[RasaEvent]:
    return [parse_event(body(event)) for event in rasa_events()]


def snapshot() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], int]:
    with session_scope() as session:
        activity = [
            (
                a.conversation_id,
                a.channel,
                a.first_at,
                a.last_at,
                a.last_message_at,
                a.last_user_at,
                a.user_messages,
                a.bot_messages,
            )
            for a in session.scalars(
                select(ConversationActivity).order_by(ConversationActivity.conversation_id)
            )
        ]
        progress = [
            (p.conversation_id, p.journey, p.furthest_step, p.first_at, p.reached_at)
            for p in session.scalars(
                select(JourneyProgress).order_by(
                    JourneyProgress.conversation_id, JourneyProgress.journey
                )
            )
        ]
        seen = session.scalar(select(func.count()).select_from(SeenEvent)) or 0
    return activity, progress, seen


def apply(events: list[RasaEvent]) -> int:
    with session_scope() as session:
        return apply_events(session, events, NOW)


def test_the_fixtures_give_each_conversation_its_activity_and_steps(database_url: str) -> None:
    assert apply(parsed()) == 21
    activity, progress, seen = snapshot()
    assert activity == [
        (SMS, "sms", at(0), at(17), at(15), at(13), 3, 3),
        (TELEGRAM, "telegram", at(18), at(20), at(19), at(18), 1, 1),
    ]
    assert progress == [
        (SMS, "apa_domicile", 1, at(7), at(14)),
        (TELEGRAM, "apa_domicile", -1, at(20), at(20)),
        (TELEGRAM, "ehpad", 0, at(20), at(20)),
    ]
    assert seen == 21


def test_an_event_delivered_again_changes_nothing(database_url: str) -> None:
    events = parsed()
    apply(events)
    before = snapshot()
    assert apply(events) == 0
    assert apply(events[2:4] + events[2:4]) == 0
    assert snapshot() == before


def test_a_batch_holding_the_same_event_twice_counts_it_once(database_url: str) -> None:
    events = parsed()
    assert apply(events + events) == 21
    assert snapshot()[0][0][6:] == (3, 3)


def test_any_batching_and_any_order_give_the_same_rows(database_url: str) -> None:
    events = parsed()
    apply(events)
    expected = snapshot()
    with session_scope() as session:
        for table in (SeenEvent, JourneyProgress, ConversationActivity):
            session.query(table).delete()
    shuffled = events[:]
    random.Random(14).shuffle(shuffled)
    for start in range(0, len(shuffled), 4):
        apply(shuffled[start : start + 4])
    assert snapshot() == expected


def test_going_back_a_step_keeps_the_furthest(database_url: str) -> None:
    base = {"sender_id": SMS, "event": "slot", "name": "journey_progress"}
    apply([parse_event(body({**base, "timestamp": 10.0, "value": {"ehpad": 3}}))])
    apply([parse_event(body({**base, "timestamp": 20.0, "value": {"ehpad": 1}}))])
    _, progress, _ = snapshot()
    reached = datetime.fromtimestamp(10, timezone.utc)
    assert progress == [(SMS, "ehpad", 3, reached, reached)]


def test_erasure_and_retention_forget_the_conversations(database_url: str) -> None:
    apply(parsed())
    with session_scope() as session:
        forget_conversations(session, [SMS])
    activity, progress, _ = snapshot()
    assert [row[0] for row in activity] == [TELEGRAM]
    assert {row[0] for row in progress} == {TELEGRAM}
    with session_scope() as session:
        assert forget_before(session, at(21), NOW + timedelta(seconds=1)) == 1
    assert snapshot() == ([], [], 0)


def test_erasing_a_person_erases_what_the_consumer_wrote_of_them(database_url: str) -> None:
    with session_scope() as session:
        person_id = contact_for_conversation(session, SMS, "sms").id
    apply(parsed())
    with session_scope() as session:
        person = session.get(Contact, person_id)
        assert person is not None
        erase_person(session, person, actor=SYSTEM, now=NOW, history_delay_s=60)
    activity, progress, _ = snapshot()
    assert [row[0] for row in activity] == [TELEGRAM]
    assert {row[0] for row in progress} == {TELEGRAM}
