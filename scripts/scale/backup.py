"""The backup of docs/deployment.md after the faults: pg_dump, pg_restore, nothing lost.

Each database (the app's, the tracker's) is dumped in pg_dump's custom format, restored
into a new database with ``pg_restore --single-transaction --exit-on-error``, and each
table compared: number of rows and an MD5 over its rows, as text, in a fixed order
(the same fingerprint as tests/unit/test_backup_restore.py).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROWS_MD5 = "md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), ''))"


@dataclass(frozen=True)
class RoundTrip:
    database: str
    tables: int
    rows: int
    differing: list[str]


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Each table of the public schema: its number of rows and the MD5 of its rows."""
    with psycopg.connect(url) as db:
        tables = [
            str(row[0])
            for row in db.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        result = {}
        for table in tables:
            # Table names come from the catalogue, not from anyone's input.
            query = f'SELECT count(*), {ROWS_MD5} FROM "{table}" t'  # noqa: S608
            row = db.execute(query).fetchone()
            assert row is not None
            result[table] = (int(row[0]), str(row[1]))
    return result


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} absent (paquet Debian postgresql-client)")
    return path


def round_trip(source_url: str, target_url: str, dump: Path) -> RoundTrip:
    """Dump ``source_url``, restore into the (empty) ``target_url``, compare every table."""
    before = fingerprint(source_url)
    subprocess.run(
        [
            tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--file",
            str(dump),
            "--dbname",
            source_url,
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            target_url,
            str(dump),
        ],
        check=True,
        capture_output=True,
    )
    after = fingerprint(target_url)
    differing = sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
    return RoundTrip(
        source_url.rsplit("/", 1)[1],
        len(before),
        sum(count for count, _ in before.values()),
        differing,
    )
