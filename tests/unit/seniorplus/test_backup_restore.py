"""PostgreSQL backup and restore as docs/deployment.md tells it: nothing lost.

A fresh application database (every migration) with rows in every table, and a tracker
database (Rasa's ``events`` table), each dumped with ``pg_dump -Fc`` and restored with
``pg_restore`` into another fresh database: the same tables, the same number of rows and the
same contents (an MD5 over each table's rows in a fixed order).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    Time,
    create_engine,
    inspect,
    text,
)
from sqlalchemy.engine import Connection, Engine

from seniorplus.history.transcripts import EVENTS
from seniorplus.settings import normalize_database_url
from tests.support import service_missing, temporary_postgres_database
from tests.unit.conftest import alembic_config

pytestmark = pytest.mark.postgres

WHEN = datetime(2026, 12, 5, 9, 30, tzinfo=timezone.utc)
ROWS_MD5 = "md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), ''))"
_CHOICES = re.compile(r"\(?\(?(\w+)\)?(?:::\w+)?\s*(?:=\s*ANY\s*\(\s*\(?ARRAY\[|IN \()(.*?)[\])]")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        service_missing(f"{name} absent (paquet Debian postgresql-client)")
    return str(path)


def engine_for(url: str) -> Engine:
    return create_engine(normalize_database_url(url))


def allowed_values(connection: Connection, table: str) -> dict[str, str]:
    """For each ``col IN ('a', 'b')`` check of ``table``: the first value allowed."""
    chosen: dict[str, str] = {}
    for check in inspect(connection).get_check_constraints(table):
        found = _CHOICES.search(check["sqltext"])
        if found:
            values = re.findall(r"'([^']*)'", found.group(2))
            if values:
                chosen[found.group(1)] = values[0]
    return chosen


def a_value(column: Any, n: int, position: int) -> Any:
    """A value of the column's type; times grow with the column's position (start < end)."""
    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return n
    if isinstance(kind, (Float, Numeric)):
        return n + 0.5
    if isinstance(kind, DateTime):
        return WHEN + timedelta(days=n, minutes=position)
    if isinstance(kind, Time):
        return time(min(6 + position, 23), 0)
    if isinstance(kind, Date):
        return WHEN.date()
    if isinstance(kind, LargeBinary):
        return b"\x00\x01"
    length = getattr(kind, "length", None) or 32
    if "json" in type(kind).__name__.lower():
        return {"n": n}
    return f"v{n}"[:length]


def fill_every_table(engine: Engine) -> list[str]:
    """One row (two where possible) in every table, parents first; the tables filled."""
    metadata = MetaData()
    metadata.reflect(engine)
    filled = []
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            choices = allowed_values(connection, table.name)
            keys = list(table.primary_key.columns)
            serial = keys[0] if len(keys) == 1 and keys[0].server_default is not None else None
            for n in (1, 2):
                row: dict[str, Any] = {}
                parents_used: dict[str, int] = {}
                for position, column in enumerate(table.columns):
                    if column is serial:
                        continue
                    if column.foreign_keys:
                        (key,) = column.foreign_keys
                        parent = key.column.table.name
                        offset = parents_used.get(parent, 0)  # two links: two parents
                        parents_used[parent] = offset + 1
                        row[column.name] = connection.execute(
                            text(
                                f'SELECT "{key.column.name}" FROM "{parent}"'
                                f" ORDER BY 1 LIMIT 1 OFFSET {offset}"
                            )
                        ).scalar_one()
                    elif column.name in choices:
                        row[column.name] = choices[column.name]
                    else:
                        row[column.name] = a_value(column, n, position)
                savepoint = connection.begin_nested()
                try:
                    connection.execute(table.insert().values(**row))
                    savepoint.commit()
                except Exception:
                    savepoint.rollback()  # a unique constraint on the second row, say
            if connection.execute(text(f'SELECT COUNT(*) FROM "{table.name}"')).scalar_one():
                filled.append(table.name)
    return filled


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Each table: number of rows and MD5 of its rows (as text, sorted)."""
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
            return {
                table: tuple(  # type: ignore[misc]
                    connection.execute(text(f'SELECT COUNT(*), {ROWS_MD5} FROM "{table}" t')).one()
                )
                for table in tables
            }
    finally:
        engine.dispose()


def dump_and_restore(source: str, target: str, dump: Path) -> None:
    """As docs/deployment.md says: custom format, then restore without owners."""
    subprocess.run(
        [tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), "--dbname", source],
        check=True, capture_output=True,
    )  # fmt: skip
    assert dump.stat().st_size > 0
    subprocess.run(
        [tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",
         "--dbname", target, str(dump)],
        check=True, capture_output=True,
    )  # fmt: skip


def test_the_app_database_survives_a_dump_and_a_restore(tmp_path: Path) -> None:
    with temporary_postgres_database("seniorplus_backup") as source:
        command.upgrade(alembic_config(source), "head")
        engine = engine_for(source)
        try:
            filled = fill_every_table(engine)
            tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        finally:
            engine.dispose()
        assert set(filled) == tables, f"tables left empty: {tables - set(filled)}"
        before = fingerprint(source)
        with temporary_postgres_database("seniorplus_restore") as target:
            dump_and_restore(source, target, tmp_path / "app.dump")
            after = fingerprint(target)
    assert after == before
    assert all(count > 0 for count, _ in before.values())
    assert len(before) >= 20  # every table of the migrations, alembic_version included


def test_the_tracker_database_survives_a_dump_and_a_restore(tmp_path: Path) -> None:
    with temporary_postgres_database("seniorplus_tracker_backup") as source:
        engine = engine_for(source)
        try:
            EVENTS.metadata.create_all(engine)
            with engine.begin() as connection:
                connection.execute(
                    EVENTS.insert(),
                    [
                        {"sender_id": f"sms:{n}", "type_name": "user", "timestamp": 1.0 + n,
                         "intent_name": "greet", "data": '{"text": "Bonjour é"}'}
                        for n in range(50)
                    ],
                )  # fmt: skip
        finally:
            engine.dispose()
        before = fingerprint(source)
        with temporary_postgres_database("seniorplus_tracker_restore") as target:
            dump_and_restore(source, target, tmp_path / "tracker.dump")
            after = fingerprint(target)
    assert after == before and before["events"][0] == 50
