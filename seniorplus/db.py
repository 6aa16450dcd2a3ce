"""Database plumbing: declarative base, lazy engine, transactional session scope.

The engine is built from settings on first use, never at import. Alembic owns
the schema: application code never calls ``create_all``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool, StaticPool

from seniorplus.errors import ConfigurationError
from seniorplus.settings import get_settings, normalize_database_url

# Stable constraint names: Alembic batch mode on SQLite needs them to alter tables.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BUSY_TIMEOUT_S = 15.0


class Base(DeclarativeBase):
    """Declarative base of every Senior Plus table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


_lock = threading.Lock()
_engine: Engine | None = None
_session_factory: sessionmaker[Session] | None = None


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys on, and transactions that SQLAlchemy (not pysqlite) begins.

    pysqlite's implicit BEGIN breaks SAVEPOINT; ``BEGIN IMMEDIATE`` takes the
    write lock up front so concurrent read-then-write transactions wait on the
    busy timeout instead of failing with "database is locked".
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _keep_first_line_of_server_errors(engine: Engine) -> None:
    """Drop the DETAIL, HINT and CONTEXT lines of a PostgreSQL error message.

    ``hide_parameters`` hides the values SQLAlchemy sent, but the server quotes them
    back ("DETAIL: Key (phone)=(+336…) already exists."): the first line says what
    failed without any value. The full diagnostic stays on ``orig.diag`` for code.
    """

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        original, wrapped = context.original_exception, context.sqlalchemy_exception
        message = str(original)
        if "\n" not in message:
            return
        first_line = message.split("\n", 1)[0]
        original.args = (first_line,)
        if wrapped is not None and wrapped.args and isinstance(wrapped.args[0], str):
            wrapped.args = (wrapped.args[0].replace(message, first_line), *wrapped.args[1:])


def make_engine(url: str, *, pooled: bool = True) -> Engine:
    """Create an engine for ``url`` (plain ``postgresql://`` goes through psycopg 3).

    SQLite file URLs get their parent directory created. ``hide_parameters``: a database
    error names the statement, never the values (docs/security.md).

    Raises:
        ConfigurationError: the URL cannot be parsed.
    """
    try:
        parsed = make_url(normalize_database_url(url))
    except ArgumentError as exc:
        raise ConfigurationError("DATABASE_URL is not a valid SQLAlchemy URL.") from exc
    # Bound parameters (phone numbers, names, messages) never go into an error or log line.
    kwargs: dict[str, Any] = {"hide_parameters": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        in_memory = database in ("", ":memory:") or "mode=memory" in database
        kwargs["connect_args"] = {
            "check_same_thread": False,
            "timeout": SQLITE_BUSY_TIMEOUT_S,
        }
        if in_memory:
            kwargs["poolclass"] = StaticPool
        elif not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs["pool_pre_ping"] = True
    if not pooled and "poolclass" not in kwargs:
        kwargs["poolclass"] = NullPool
    engine = create_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    else:
        _keep_first_line_of_server_errors(engine)
    return engine


def get_engine() -> Engine:
    """Engine of this process, created from settings on first call."""
    global _engine, _session_factory
    with _lock:
        if _engine is None:
            _engine = make_engine(get_settings().database.url)
            _session_factory = sessionmaker(bind=_engine, expire_on_commit=False)
        return _engine


def _get_session_factory() -> sessionmaker[Session]:
    get_engine()
    assert _session_factory is not None
    return _session_factory


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on error."""
    session = _get_session_factory()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def reset_engine() -> None:
    """Dispose the engine so the next use rebuilds it from current settings (tests)."""
    global _engine, _session_factory
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine = None
        _session_factory = None
