"""Replicas starting together on a new PostgreSQL database all start (bot/stores/tracker_store.py).

Each replica's tracker store creates its tables at start; without a lock, two ``CREATE TABLE``
at once make one of them fail in PostgreSQL's catalog (seen with `make bench --replicas 2`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from rasa.shared.core.domain import Domain
from sqlalchemy import create_engine, inspect

from bot.stores.tracker_store import StrictSQLTrackerStore

REPLICAS = 6


def start_together(url: str) -> list[BaseException]:
    barrier = threading.Barrier(REPLICAS)
    failures: list[BaseException] = []

    def replica() -> None:
        barrier.wait()
        try:
            StrictSQLTrackerStore(Domain.empty(), host=url).engine.dispose()
        except BaseException as error:  # collected for the assertion
            failures.append(error)

    threads = [threading.Thread(target=replica) for _ in range(REPLICAS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failures


def test_replicas_starting_at_once_on_a_new_database_all_start(
    postgres_databases: Callable[[], str],
) -> None:
    for _ in range(3):  # a race: a few fresh databases
        url = postgres_databases()
        assert start_together(url) == []
        engine = create_engine(url)
        assert {"events", "conversation_windows"} <= set(inspect(engine).get_table_names())
        engine.dispose()
