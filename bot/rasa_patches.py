"""Two measured fixes to Rasa 3.6, applied by bot/server.py before Rasa starts.

1. Rasa validates every action-server response with `jsonschema.validate`, which
checks the (large) response schema against the JSON-Schema metaschema on each
call: about a quarter of the bot's CPU under load (py-spy, docs/performance.md).
The schema never changes, so it is checked once and its validator reused; the
responses are validated exactly as before.

2. The SQLite tracker store commits (and so waits for the disk) inside the
event loop after every message. In WAL mode with synchronous=NORMAL a commit
no longer waits for the disk; a crash of the process loses nothing, only a
power cut may lose the last commits. PostgreSQL, used in production, is untouched.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from typing import Any

import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from sqlalchemy import event
from sqlalchemy.engine import Engine


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


def apply() -> None:
    """Install the fixes (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    if not event.contains(Engine, "connect", _sqlite_wal):
        event.listen(Engine, "connect", _sqlite_wal)
