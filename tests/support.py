"""Helpers shared by the test suites (both environments): real services, skipped or required."""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # imported where used: the bot environment has no psycopg
    import psycopg

POSTGRES_HOST = "127.0.0.1:5432"
POSTGRES_ADMIN_USERS = ("postgres", "root")
REDIS_ADDRESS = ("127.0.0.1", 6379)
RABBITMQ_ADDRESS = ("127.0.0.1", 5672)
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"


@contextlib.asynccontextmanager
async def local_http(path: str, handler: Callable[[Any], Awaitable[Any]]) -> AsyncIterator[str]:
    """An aiohttp server on a free loopback port whose POST ``path`` runs ``handler``; yields
    the URL of ``path`` (aiohttp is in both environments)."""
    from aiohttp import web

    app = web.Application()
    app.router.add_post(path, handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}{path}"
    finally:
        await runner.cleanup()


def service_missing(reason: str) -> None:
    """Skip with the reason, or fail when REQUIRE_SERVICES=1 (CI)."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def postgres_admin() -> tuple[psycopg.Connection[tuple[object, ...]], str]:
    """An autocommit connection to the server's maintenance database, and its user."""
    import psycopg

    errors: list[str] = []
    for user in POSTGRES_ADMIN_USERS:
        try:
            conn = psycopg.connect(
                f"postgresql://{user}@{POSTGRES_HOST}/postgres", autocommit=True, connect_timeout=3
            )
        except psycopg.Error as exc:
            errors.append(f"{user}: {' '.join(str(exc).split())}")
            continue
        return conn, user
    service_missing(f"PostgreSQL absent: cannot connect to {POSTGRES_HOST} ({'; '.join(errors)})")
    raise AssertionError("unreachable")


@contextmanager
def temporary_postgres_database(prefix: str = "seniorplus_test") -> Iterator[str]:
    """URL (plain ``postgresql://``) of a fresh database, dropped afterwards."""
    admin, user = postgres_admin()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        yield f"postgresql://{user}@{POSTGRES_HOST}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def redis_command(*words: str) -> str:
    """Send one inline command to Redis and return the raw answer (no client library)."""
    try:
        with socket.create_connection(REDIS_ADDRESS, timeout=3) as conn:
            conn.sendall((" ".join(words) + "\r\n").encode())
            conn.settimeout(0.5)
            chunks = b""
            with contextlib.suppress(TimeoutError):
                while data := conn.recv(65536):
                    chunks += data
            return chunks.decode(errors="replace")
    except OSError as exc:
        service_missing(f"Redis absent: cannot connect to {REDIS_ADDRESS} ({exc})")
        raise AssertionError("unreachable") from exc


def rabbitmq_url() -> str:
    """The test RabbitMQ's URL (guest on loopback), once its port answers; skip or fail if not."""
    try:
        with socket.create_connection(RABBITMQ_ADDRESS, timeout=3):
            pass
    except OSError as exc:
        service_missing(f"RabbitMQ absent: cannot connect to {RABBITMQ_ADDRESS} ({exc})")
    return RABBITMQ_URL


def unique_name(prefix: str) -> str:
    """A queue or exchange name no other test (or worker) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


REDIS_TEST_URL = "redis://127.0.0.1:6379/15"  # a database of its own: tests never touch db 0


def redis_client(url: str = REDIS_TEST_URL) -> Any:
    """A ``redis.Redis`` client of the test database, or skip (fail when REQUIRE_SERVICES=1)."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        service_missing(f"Redis absent: cannot connect to {url} ({exc})")
    return client
