"""bot/heap.py: what Rasa loaded is frozen out of the garbage collector once the server runs."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import Any

import pytest

from bot import heap, operations


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the other tests run with a collector as usual


class Node:
    def __init__(self) -> None:
        self.other: Any = None


def cycle() -> Node:
    first, second = Node(), Node()
    first.other, second.other = second, first
    return first


def test_what_is_alive_is_frozen_and_later_garbage_is_still_collected(unfrozen: None) -> None:
    model = [cycle() for _ in range(1000)]  # stands for what Rasa loaded
    frozen = heap.freeze_loaded_objects()
    assert frozen == gc.get_freeze_count() >= 2000
    # A full collection no longer walks the frozen objects…
    assert not any(obj is model for obj in gc.get_objects(generation=2))
    # …and a conversation's cycles made afterwards are still freed.
    for _ in range(100):
        cycle()
    assert gc.collect() >= 200
    assert gc.get_freeze_count() == frozen


def test_garbage_left_by_loading_is_collected_before_freezing(unfrozen: None) -> None:
    for _ in range(100):
        cycle()  # unreachable already: collected, not frozen forever
    gc.collect()
    alive = len(gc.get_objects())
    for _ in range(100):
        cycle()
    frozen = heap.freeze_loaded_objects()
    assert frozen <= alive + 50  # not the 200 unreachable nodes (a few frames' objects aside)


def test_rasas_app_freezes_once_its_server_has_started(unfrozen: None) -> None:
    from rasa.core import run

    operations.apply()
    app = run.configure_app(enable_api=False, port=5005, conversation_id="x")

    async def start() -> None:  # Sanic's "after_server_start" is its server.init.after signal
        app.signal_router.finalize()
        loop = asyncio.get_running_loop()
        await app.dispatch("server.init.after", context={"app": app, "loop": loop}, inline=True)

    assert gc.get_freeze_count() == 0
    asyncio.run(start())
    assert gc.get_freeze_count() > 0


def test_each_collection_is_timed_once_with_its_generation() -> None:
    kept = [hook for hook in gc.callbacks if isinstance(hook, heap.PauseClock)]
    for hook in kept:
        gc.callbacks.remove(hook)
    seen: list[tuple[int, float]] = []
    try:
        heap.time_pauses(lambda generation, seconds: seen.append((generation, seconds)))
        heap.time_pauses(lambda generation, seconds: seen.append((generation, seconds)))
        gc.collect()
        assert len(seen) == 1  # one hook, not two
        generation, seconds = seen[0]
        assert generation == 2 and 0 <= seconds < 5
    finally:
        for hook in [h for h in gc.callbacks if isinstance(h, heap.PauseClock)]:
            gc.callbacks.remove(hook)
        gc.callbacks.extend(kept)
