"""Fresh PostgreSQL databases for the tracker store's tests (psycopg2, the bot's driver)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from tests.support import POSTGRES_ADMIN_USERS, POSTGRES_HOST, service_missing


def _admin() -> tuple[Engine, str]:
    for user in POSTGRES_ADMIN_USERS:
        admin = create_engine(
            f"postgresql://{user}@{POSTGRES_HOST}/postgres", isolation_level="AUTOCOMMIT"
        )
        try:
            with admin.connect():
                return admin, user
        except SQLAlchemyError:
            admin.dispose()
    service_missing(f"PostgreSQL absent: cannot connect to {POSTGRES_HOST}")
    raise AssertionError("unreachable")


@pytest.fixture
def postgres_databases() -> Iterator[Callable[[], str]]:
    """Makes fresh databases on demand; all dropped afterwards."""
    admin: Engine | None = None
    names: list[str] = []

    def new() -> str:
        nonlocal admin
        if admin is None:
            admin, new.user = _admin()  # type: ignore[attr-defined]
        name = f"seniorplus_tracker_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        return f"postgresql://{new.user}@{POSTGRES_HOST}/{name}"  # type: ignore[attr-defined]

    try:
        yield new
    finally:
        if admin is not None:
            with admin.connect() as connection:
                for name in names:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


@pytest.fixture
def postgres_url(postgres_databases: Callable[[], str]) -> str:
    """A fresh PostgreSQL database, dropped afterwards."""
    return postgres_databases()
