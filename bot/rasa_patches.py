"""Measured fixes to Rasa 3.6, applied by bot/server.py before Rasa starts.

1. Rasa validates every action-server response with `jsonschema.validate`, which
checks the (large) response schema against the JSON-Schema metaschema on each
call: about a quarter of the bot's CPU under load (py-spy, docs/performance.md).
The schema never changes, so it is checked once and its validator reused; the
responses are validated exactly as before.

2. The SQLite tracker store opens a new connection for every message (SQLAlchemy
1.4's NullPool) and commits, waiting for the disk, inside the event loop. It now
keeps its connections in a pool, in WAL mode with synchronous=NORMAL: a commit no
longer waits for the disk; a crash of the process loses nothing, only a power cut
may lose the last commits. PostgreSQL, used in production, is untouched.

3. Every stored event read back looks its class up by scanning all Event
subclasses (`Event.resolve_by_type`). The lookup is now a dictionary, rebuilt
when a name is missing, so it returns the same class as before.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from typing import Any

import jsonschema
from rasa.core import tracker_store
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core import events
from rasa.shared.utils.common import all_subclasses
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool


@lru_cache(maxsize=1)
def _action_response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = jsonschema.exceptions.best_match(_action_response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. See {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def _sqlite_wal(dbapi_connection: Any, _: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


_original_engine_kwargs = tracker_store.create_engine_kwargs


def _engine_kwargs(url: Any) -> dict[str, Any]:
    if str(url).startswith("sqlite:///") and str(url) != "sqlite:///:memory:":
        return {"poolclass": QueuePool, "connect_args": {"check_same_thread": False}}
    return dict(_original_engine_kwargs(url))


_event_types: dict[str, type[events.Event]] = {}
_original_resolve_by_type = events.Event.resolve_by_type


def _resolve_by_type(
    type_name: str, default: type[events.Event] | None = None
) -> type[events.Event] | None:
    if type_name not in _event_types:
        _event_types.clear()
        for cls in all_subclasses(events.Event):
            _event_types.setdefault(cls.type_name, cls)
    if type_name in _event_types:
        return _event_types[type_name]
    return _original_resolve_by_type(type_name, default)


def apply() -> None:
    """Install the fixes (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    tracker_store.create_engine_kwargs = _engine_kwargs
    events.Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign]
    if not event.contains(Engine, "connect", _sqlite_wal):
        event.listen(Engine, "connect", _sqlite_wal)
