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


def test_a_connection_lost_with_the_database_leaves_the_pool(postgres_url: str) -> None:
    """After a database cut, the pool's dead connections are thrown out by the first failure:
    the next turn gets a new connection instead of failing again (the scale test)."""
    import asyncio

    import pytest
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from sqlalchemy import text

    store = StrictSQLTrackerStore(Domain.empty(), host=postgres_url)

    def cut() -> None:
        admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        admin.dispose()

    async def turn(words: str, cut_before_saving: bool = False) -> None:
        tracker = await store.get_or_create_tracker("coupure")
        tracker.update(UserUttered(words, {"name": "greet", "confidence": 1.0}))
        tracker.update(ActionExecuted("action_listen"))
        if cut_before_saving:
            cut()  # the save's insert is the first to meet the dead connection
        await store.save(tracker)

    asyncio.run(turn("avant"))
    with pytest.raises(Exception, match=r"closed|terminat"):
        asyncio.run(turn("pendant", cut_before_saving=True))
    asyncio.run(turn("après"))
    asyncio.run(turn("encore"))
    tracker = asyncio.run(store.get_or_create_tracker("coupure"))
    said = [e.text for e in tracker.events if isinstance(e, UserUttered)]
    assert said == ["avant", "après", "encore"]
    store.engine.dispose()
