"""Rasa's loaded model is kept out of Python's garbage collector's way.

Once Rasa has loaded its model (TensorFlow's graphs, spaCy, the domain, the policies), the
process holds about 580,000 Python objects that live as long as it does. Python's cyclic
collector walks all of them at each collection of its oldest generation: 250 ms of one core
here, during which the replica answers nobody. Under load such a collection comes whenever
enough objects have outlived two younger collections (conversations in progress, caches), and
every turn waiting behind it is late by as much.

``gc.freeze()`` (Python 3.7+) moves every object alive at that moment to a permanent
generation that collections skip; objects made afterwards (trackers, events) are collected as
before, and a full collection then walks only them. Called once when the server has started,
after Rasa has loaded the model (``rasa.core.run.load_agent_on_start`` runs before the server
starts). A model replaced at run time (``PUT /model``) is collected normally. What it bought
is in docs/performance.md (2026-12-07, fifth session).

The collector's pauses are also timed for ``/metrics`` (``seniorplus_gc_pause_seconds``, by
generation), so that a long pause in production is seen rather than guessed.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)


def freeze_loaded_objects() -> int:
    """Collect what loading left behind, then freeze the rest; returns how many were frozen."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    logger.info("Modèle chargé : %d objets Python mis hors du ramasse-miettes.", frozen)
    return frozen


async def after_server_start(*_: Any) -> None:
    """Sanic listener, installed by bot/operations.py on every app Rasa configures."""
    freeze_loaded_objects()


class PauseClock:
    """A ``gc.callbacks`` hook: each collection's duration and generation to ``observe``."""

    def __init__(self, observe: Callable[[int, float], None]) -> None:
        self.observe = observe
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.observe(info["generation"], time.perf_counter() - self._started)


def time_pauses(observe: Callable[[int, float], None]) -> None:
    """Time every collection of this process from now on (once per process)."""
    if not any(isinstance(hook, PauseClock) for hook in gc.callbacks):
        gc.callbacks.append(PauseClock(observe))
