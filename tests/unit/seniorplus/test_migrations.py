"""Alembic migrations: upgrade and downgrade on SQLite and PostgreSQL, models in sync."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from seniorplus.db import make_engine
from seniorplus.settings import get_settings


def _tables(url: str) -> set[str]:
    engine = make_engine(url, pooled=False)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


AlembicConfigFactory = Callable[..., Config]


def test_single_head_is_the_latest(make_alembic_config: AlembicConfigFactory) -> None:
    script = ScriptDirectory.from_config(make_alembic_config())
    assert script.get_heads() == ["0007"]


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_upgrade_head_then_downgrade_base(
    request: pytest.FixtureRequest, backend: str, make_alembic_config: AlembicConfigFactory
) -> None:
    url: str = request.getfixturevalue(f"{backend}_url")
    cfg = make_alembic_config(url)
    command.upgrade(cfg, "head")
    assert {"alembic_version", "privacy_notices"} <= _tables(url)
    engine = make_engine(url, pooled=False)
    try:
        uniques = inspect(engine).get_unique_constraints("privacy_notices")
    finally:
        engine.dispose()
    assert [sorted(u["column_names"]) for u in uniques] == [["conversation_id", "notice_version"]]
    command.downgrade(cfg, "base")
    assert "privacy_notices" not in _tables(url)
    command.upgrade(cfg, "head")  # and back again
    assert "privacy_notices" in _tables(url)


def test_models_match_migrations(
    database_url: str, make_alembic_config: AlembicConfigFactory
) -> None:
    """`alembic check` finds nothing to autogenerate after upgrade head."""
    command.check(make_alembic_config(database_url))


def test_url_comes_from_settings_without_override(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, make_alembic_config: AlembicConfigFactory
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    command.upgrade(make_alembic_config(), "head")
    assert "privacy_notices" in _tables(sqlite_url)


def test_offline_sql_for_postgres(make_alembic_config: AlembicConfigFactory) -> None:
    buffer = io.StringIO()
    command.upgrade(make_alembic_config("postgresql://u@localhost/d", buffer), "head", sql=True)
    sql = buffer.getvalue()
    assert "CREATE TABLE privacy_notices" in sql
    assert "TIMESTAMP WITH TIME ZONE" in sql
    assert "uq_privacy_notices_conversation_id_notice_version" in sql
