"""Rasa's SQL tracker store, failing loudly instead of waiting or forgetting.

Rasa 3.6's ``SQLTrackerStore`` retries its first connection every 5 s forever (a replica
that never serves nor says why), and its agent wraps every store in a
``FailSafeTrackerStore`` that goes on in memory when the database fails (RasaHQ/rasa#3243):
a turn would start a conversation from nothing and its events would be lost with the
process. Here:

- at start, the database gets ``TRACKER_STORE_CONNECT_TIMEOUT_S`` seconds (default 15)
  to answer, then Rasa stops with a message saying so (French, then the technical detail);
- during a turn, a failure of the database fails the turn (``fail_loudly``, installed by
  ``bot/rasa_patches.py``): the channel's safety net answers the person
  (channels/safety_net.py), nothing is kept in memory.

Plugged with ``tracker_store: type: bot.stores.tracker_store.StrictSQLTrackerStore``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.exceptions import ConnectionException

from bot.settings import bot_settings

logger = logging.getLogger(__name__)

DEFAULT_CONNECT_TIMEOUT_S = 15.0


class TrackerStoreUnavailable(ConnectionException):
    """The conversation history's database does not answer."""


def describe(error: BaseException) -> str:
    """The error's class and first line: no SQL parameters, no message text."""
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first_line}"[:300]


def fail_loudly(error: Exception) -> None:
    """The ``on_tracker_store_error`` of Rasa's wrapper: never go on in memory."""
    logger.error(
        "Historique des conversations injoignable : ce tour échoue, rien n'est gardé en "
        "mémoire. Tracker store failed: %s",
        describe(error),
    )
    raise error


def _wait_for_database(url: Any, timeout_s: float) -> None:
    engine = sa.create_engine(url, **create_engine_kwargs(url))
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                with engine.connect() as connection:
                    connection.execute(sa.text("SELECT 1"))
                return
            except sa.exc.SQLAlchemyError as error:
                if time.monotonic() >= deadline:
                    safe_url = sa.engine.make_url(url).__repr__()  # password hidden
                    raise TrackerStoreUnavailable(
                        "Historique des conversations injoignable : l'assistant ne démarre "
                        f"pas (base {safe_url}, attendue {timeout_s:.0f} s). "
                        f"Tracker store unreachable: {describe(error)}"
                    ) from error
                time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
    finally:
        engine.dispose()


class StrictSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that refuses to start without its database."""

    def __init__(self, *args: Any, connect_timeout_s: float | str | None = None, **kwargs: Any):
        timeout = float(
            connect_timeout_s
            or bot_settings().tracker_store_connect_timeout_s
            or DEFAULT_CONNECT_TIMEOUT_S
        )
        url = self.get_db_url(
            **{
                name: kwargs[name]
                for name in ("dialect", "host", "port", "db", "username", "password", "query")
                if kwargs.get(name) is not None
            }
        )
        _wait_for_database(url, timeout)
        super().__init__(*args, **kwargs)
