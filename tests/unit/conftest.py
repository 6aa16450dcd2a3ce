"""Fixtures of the app unit tests: isolated settings, SQLite and PostgreSQL databases."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import pytest
from alembic import command
from alembic.config import Config

from seniorplus.db import reset_engine
from seniorplus.history.transcripts import default_store
from seniorplus.settings import get_settings
from tests.support import temporary_postgres_database

REPO_ROOT = Path(__file__).resolve().parents[2]
SETTINGS_ENV = (
    "APP_ENV",
    "DATABASE_URL",
    "RASA_URL",
    "ACTION_SERVER_URL",
    "RASA_TOKEN",
    "PRIVACY_NOTICE_VERSION",
    "TRACKER_STORE_URL",
    "EVENT_BROKER_TYPE",  # off unless a test turns it on (seniorplus/events)
)
POSTGRES_HOST = "127.0.0.1:5432"
POSTGRES_ADMIN_USERS = ("postgres", "root")


def alembic_config(url: str | None = None, output_buffer: TextIO | None = None) -> Config:
    """Alembic config of the repository; ``url`` is passed like ``-x url=...``."""
    x_args = [f"url={url}"] if url is not None else []
    cfg = Config(
        str(REPO_ROOT / "alembic.ini"),
        cmd_opts=argparse.Namespace(x=x_args),
        output_buffer=output_buffer,
    )
    cfg.attributes["configure_logger"] = False
    return cfg


@pytest.fixture
def make_alembic_config() -> Callable[..., Config]:
    """Factory of Alembic configs, see :func:`alembic_config`."""
    return alembic_config


FROZEN_DAY = "2026-12-05"


@pytest.fixture(autouse=True)
def isolated_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No setting leaks from the developer's shell; engine and cache rebuilt per test."""
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("APP_ENV", "test")
    # The conversation's day is frozen: dated figures never depend on when tests run
    # (test_content_freshness.py alone reads today's date, on purpose).
    monkeypatch.setenv("SENIORPLUS_FROZEN_NOW", FROZEN_DAY)
    # Never touch the real var/app.db: tests that need a database say which.
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    get_settings.cache_clear()
    default_store.cache_clear()
    reset_engine()
    yield
    reset_engine()
    default_store.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'app.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """URL (plain ``postgresql://``) of a fresh database, dropped afterwards."""
    with temporary_postgres_database() as url:
        try:
            yield url
        finally:
            reset_engine()  # release pooled connections before the drop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated database (SQLite, then PostgreSQL) that the settings point at."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    command.upgrade(alembic_config(url), "head")
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    reset_engine()
    return url
