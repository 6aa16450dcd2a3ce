"""Fixtures of the bot environment's tests: the settings read afresh for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.settings import bot_settings


@pytest.fixture(autouse=True)
def fresh_bot_settings() -> Iterator[None]:
    """``bot_settings()`` is cached per process: a test sees the environment it set up.

    A test that changes the environment after reading the settings calls
    ``bot_settings.cache_clear()`` itself.
    """
    bot_settings.cache_clear()
    yield
    bot_settings.cache_clear()
