"""The SQL of a turn on Rasa's ``events`` table: SQLAlchemy Core statements built once.

Rasa's SQL tracker store builds an ORM query per load and an ORM object per stored event,
and our window (``bot/stores/window.py``) added a query before the events: under load, a
sixth of Rasa's CPU went to SQLAlchemy's ORM around three round trips per message
(docs/performance.md). The same rows are now read and written with statements built once:

- ``read``: the conversation's window row, if there is one, then in the same round trip the
  events of the latest session from the window's first event (from the session's start
  without a window). The session's start is Rasa's own rule (``SQLTrackerStore._event_query``:
  the latest ``session_started`` by timestamp, or every event without one).
- ``session``: the latest session's events alone, when a window turns out stale.
- ``insert``: the turn's events, their ids in the order of the events. On PostgreSQL, one
  ``INSERT … VALUES (…), (…) RETURNING id`` written once per number of rows and run by
  ``exec_driver_sql``: SQLAlchemy 1.4 compiled a multi-row ``INSERT`` afresh for every turn (a
  tenth of Rasa's CPU under load). It runs through SQLAlchemy's connection, like every other
  query of the store: its errors are SQLAlchemy's, and a connection lost with the database is
  handled the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from rasa.shared.core.events import SessionStarted

COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")


@dataclass(frozen=True)
class Read:
    """What ``read`` found: the window (its first event id and prefix JSON) and the event rows."""

    window: tuple[int, str] | None
    rows: list[Any]  # (id, data) from the window's first event, or the whole session


@dataclass(frozen=True)
class EventRows:
    events: sa.Table
    read_statement: Any
    session_statement: Any
    inserts: dict[int, str] = field(default_factory=dict)  # PostgreSQL INSERT per row count

    def read(self, connection: Any, sender_id: str) -> Read:
        found = list(connection.execute(self.read_statement, {"sender": sender_id}))
        if found and found[0].is_window:
            return Read((int(found[0].id), found[0].data), found[1:])
        return Read(None, found)

    def session(self, connection: Any, sender_id: str) -> list[Any]:
        return list(connection.execute(self.session_statement, {"sender": sender_id}))

    def insert(self, connection: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Insert the rows in one statement where the database returns their ids (PostgreSQL).

        The ids come from the table's sequence, drawn row after row as the statement inserts
        its values in order: sorted, they follow the rows. SQLite (SQLAlchemy 1.4 has no
        RETURNING there) inserts row by row, on a local file.
        """
        if not rows:
            return []
        if connection.dialect.name == "postgresql":
            values = tuple(row[name] for row in rows for name in COLUMNS)
            found = connection.exec_driver_sql(self._insert_sql(connection, len(rows)), values)
            return sorted(int(each[0]) for each in found)
        insert = self.events.insert()
        return [int(connection.execute(insert, row).inserted_primary_key[0]) for row in rows]

    def _insert_sql(self, connection: Any, count: int) -> str:
        statement = self.inserts.get(count)
        if statement is None:
            quote = connection.dialect.identifier_preparer
            row = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
            # Names from the table's definition, quoted by the dialect; values as parameters.
            statement = self.inserts[count] = (
                f"INSERT INTO {quote.format_table(self.events)} "  # noqa: S608
                f"({', '.join(quote.quote(name) for name in COLUMNS)}) "
                f"VALUES {', '.join([row] * count)} RETURNING {quote.quote('id')}"
            )
        return statement


def event_rows(events: sa.Table, windows: sa.Table) -> EventRows:
    sender = sa.bindparam("sender")
    session_start = (
        sa.select(sa.func.max(events.c.timestamp))
        .where(events.c.sender_id == sender, events.c.type_name == SessionStarted.type_name)
        .scalar_subquery()
    )
    in_session = sa.or_(events.c.timestamp >= session_start, session_start.is_(None))
    window_start = (
        sa.select(windows.c.first_event_id).where(windows.c.sender_id == sender).scalar_subquery()
    )
    window_row = sa.select(
        windows.c.first_event_id.label("id"),
        windows.c.prefix.label("data"),
        sa.literal(1).label("is_window"),
    ).where(windows.c.sender_id == sender)
    from_window = sa.select(events.c.id, events.c.data, sa.literal(0).label("is_window")).where(
        events.c.sender_id == sender,
        in_session,
        events.c.id >= sa.func.coalesce(window_start, 0),
    )
    union = sa.union_all(window_row, from_window).subquery()
    read = sa.select(union.c.id, union.c.data, union.c.is_window).order_by(
        union.c.is_window.desc(), union.c.id
    )
    session = (
        sa.select(events.c.id, events.c.data)
        .where(events.c.sender_id == sender, in_session)
        .order_by(events.c.id)
    )
    return EventRows(events, read, session)
