"""Apply Rasa's events to the consumer's tables, once each (in the caller's transaction).

Idempotent: each event's digest goes into ``broker_events_seen`` in the same
transaction as its effects, so an event delivered twice (RabbitMQ redelivers what was
not acknowledged) is applied once. Two consumers applying the same event at the same
moment: the second waits on the digest's key, then skips it. The updates are relative
(``count + n``, "the later of"), never read-modify-write in Python, so concurrent
consumers lose nothing either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session

from seniorplus.events.models import ConversationActivity, JourneyProgress, SeenEvent
from seniorplus.events.parse import RasaEvent
from seniorplus.models import UTCDateTime

SEEN_KEPT = timedelta(days=2)
"""How long a digest is kept: redeliveries and Rasa's republishing after an outage come
within hours; the nightly purge deletes older ones (the table stays small)."""


@dataclass
class _Activity:
    """What a batch says of one conversation."""

    first_at: datetime
    last_at: datetime
    last_message_at: datetime | None = None
    last_user_at: datetime | None = None
    channel: str | None = None
    user_messages: int = 0
    bot_messages: int = 0

    def add(self, event: RasaEvent) -> None:
        self.first_at, self.last_at = min(self.first_at, event.at), max(self.last_at, event.at)
        if event.spoken is not None:
            self.last_message_at = _later(self.last_message_at, event.at)
        if event.spoken == "user":
            self.last_user_at = _later(self.last_user_at, event.at)
            self.user_messages += 1
        elif event.spoken == "bot":
            self.bot_messages += 1
        if event.channel is not None:
            self.channel = event.channel


@dataclass
class _Progress:
    step: int
    first_at: datetime
    reached_at: datetime

    def add(self, step: int, at: datetime) -> None:
        self.first_at = min(self.first_at, at)
        if step > self.step:
            self.step, self.reached_at = step, at


def _later(current: datetime | None, new: datetime) -> datetime:
    return new if current is None or new > current else current


def _at(value: datetime) -> ColumnElement[datetime]:
    return literal(value, UTCDateTime())


def _max(column: InstrumentedAttribute[datetime | None], value: datetime | None) -> object:
    if value is None:
        return column
    return case((column.is_(None), _at(value)), (column < _at(value), _at(value)), else_=column)


def _min(column: InstrumentedAttribute[datetime], value: datetime) -> object:
    return case((column > _at(value), _at(value)), else_=column)


def _claim(session: Session, events: Sequence[RasaEvent], now: datetime) -> list[RasaEvent]:
    """The events not applied before, their digests now recorded: one statement.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING``: a digest already there (or being
    written by another consumer, which it waits for) is not returned.
    """
    unique = {event.digest: event for event in events}
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(SeenEvent)
        .values([{"digest": digest, "seen_at": now} for digest in unique])
        .on_conflict_do_nothing()
        .returning(SeenEvent.digest)
    )
    claimed = set(session.scalars(statement))
    return [event for digest, event in unique.items() if digest in claimed]


def _save_activity(session: Session, conversation_id: str, batch: _Activity) -> None:
    row = ConversationActivity
    values: dict[str, object] = {
        "first_at": _min(row.first_at, batch.first_at),
        "last_at": _max(row.last_at, batch.last_at),
        "last_message_at": _max(row.last_message_at, batch.last_message_at),
        "last_user_at": _max(row.last_user_at, batch.last_user_at),
        "user_messages": row.user_messages + batch.user_messages,
        "bot_messages": row.bot_messages + batch.bot_messages,
    }
    if batch.channel is not None:
        values["channel"] = batch.channel
    changed = session.execute(
        update(row).where(row.conversation_id == conversation_id).values(values)
    )
    if not getattr(changed, "rowcount", 0):
        session.add(
            ConversationActivity(
                conversation_id=conversation_id,
                channel=batch.channel,
                first_at=batch.first_at,
                last_at=batch.last_at,
                last_message_at=batch.last_message_at,
                last_user_at=batch.last_user_at,
                user_messages=batch.user_messages,
                bot_messages=batch.bot_messages,
            )
        )


def _save_progress(session: Session, key: tuple[str, str], batch: _Progress) -> None:
    row = JourneyProgress
    further = row.furthest_step < batch.step
    changed = session.execute(
        update(row)
        .where(row.conversation_id == key[0], row.journey == key[1])
        .values(
            furthest_step=case((further, batch.step), else_=row.furthest_step),
            reached_at=case((further, _at(batch.reached_at)), else_=row.reached_at),
            first_at=_min(row.first_at, batch.first_at),
        )
    )
    if not getattr(changed, "rowcount", 0):
        session.add(
            JourneyProgress(
                conversation_id=key[0],
                journey=key[1],
                furthest_step=batch.step,
                first_at=batch.first_at,
                reached_at=batch.reached_at,
            )
        )


def apply_events(session: Session, events: Sequence[RasaEvent], now: datetime) -> int:
    """Apply the events not applied before; the number applied now.

    The activity and progress rows are written in one order (by conversation), so two
    consumers never wait on each other in a cycle.
    """
    if not events:
        return 0
    fresh = _claim(session, events, now)
    activity: dict[str, _Activity] = {}
    progress: dict[tuple[str, str], _Progress] = {}
    for event in fresh:
        activity.setdefault(event.sender_id, _Activity(event.at, event.at)).add(event)
        for journey, step in event.progress.items():
            key = (event.sender_id, journey)
            if key in progress:
                progress[key].add(step, event.at)
            else:
                progress[key] = _Progress(step, event.at, event.at)
    for conversation_id, batch in sorted(activity.items(), key=lambda item: item[0]):  # no deadlock
        _save_activity(session, conversation_id, batch)
    for key, reached in sorted(progress.items(), key=lambda item: item[0]):
        _save_progress(session, key, reached)
    session.flush()
    return len(fresh)


def forget_conversations(session: Session, conversation_ids: Iterable[str]) -> None:
    """Delete what the events said of these conversations (erasure of a person)."""
    ids = list(conversation_ids)
    if ids:
        session.execute(delete(JourneyProgress).where(JourneyProgress.conversation_id.in_(ids)))
        session.execute(
            delete(ConversationActivity).where(ConversationActivity.conversation_id.in_(ids))
        )


def forget_before(session: Session, cutoff: datetime, seen_cutoff: datetime) -> int:
    """Retention: conversations quiet since ``cutoff``; digests older than ``seen_cutoff``."""
    quiet = select(ConversationActivity.conversation_id).where(
        ConversationActivity.last_at < cutoff
    )
    session.execute(delete(JourneyProgress).where(JourneyProgress.conversation_id.in_(quiet)))
    result = session.execute(
        delete(ConversationActivity).where(ConversationActivity.last_at < cutoff)
    )
    session.execute(delete(SeenEvent).where(SeenEvent.seen_at < seen_cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
