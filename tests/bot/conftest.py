"""Fixtures of the bot environment's tests: the settings read afresh for each test, and the
project's trained model loaded once for the tests that need it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.agent import Agent

from bot.settings import bot_settings

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"


@pytest.fixture(scope="session")
def trained_agent() -> Agent:
    """The project's model (about 30 s to load on 2 cores). Skipped when none has been
    trained yet (`make model`), except where the whole suite must run (REQUIRE_SERVICES=1)."""
    if not MODEL.exists() and not os.environ.get("REQUIRE_SERVICES"):
        pytest.skip("no trained model yet (make model)")
    return Agent.load(str(MODEL))


@pytest.fixture(autouse=True)
def fresh_bot_settings() -> Iterator[None]:
    """``bot_settings()`` is cached per process: a test sees the environment it set up.

    A test that changes the environment after reading the settings calls
    ``bot_settings.cache_clear()`` itself.
    """
    bot_settings.cache_clear()
    yield
    bot_settings.cache_clear()
