"""The production configuration: PostgreSQL tracker and app database, Redis lock store.

A second assistant is started with the same model and the same endpoints.yml,
only the environment differs, as in production.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from safety.lines import NOT_STORED
from tests.conversations.conftest import ROOT, buttons, texts
from tests.support import postgres_admin, redis_command, temporary_postgres_database

from services import UNLIMITED, child_env, services, shifted_port, start, stop, wait_until_up  # isort: skip

pytestmark = [pytest.mark.conversation, pytest.mark.postgres]


def redis_commands_processed() -> int:
    match = re.search(r"total_commands_processed:(\d+)", redis_command("INFO", "stats"))
    assert match, "Redis INFO gave no command count"
    return int(match.group(1))


@pytest.fixture(scope="module")
def production_like(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    redis_commands_processed()  # skip (or fail in CI) now if Redis is absent
    work: Path = tmp_path_factory.mktemp("production")
    with (
        temporary_postgres_database("seniorplus_app") as app_url,
        temporary_postgres_database("seniorplus_tracker") as tracker_url,
    ):
        env = child_env(
            RASA_PORT=shifted_port(5305),
            ACTIONS_PORT=shifted_port(5355),
            WEB_PORT=shifted_port(8300),
            RASA_TOKEN=uuid.uuid4().hex,
            DATABASE_URL=app_url,
            TRACKER_STORE_URL=tracker_url,
            LOCK_STORE_TYPE="bot.stores.redis_lock_store.AtomicRedisLockStore",
            APP_ENV="test",
            **UNLIMITED,
        )
        subprocess.run(
            [str(ROOT / ".venv-app" / "bin" / "alembic"), "upgrade", "head"],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        processes = []
        with (work / "services.log").open("wb") as log:
            try:
                for service in services(env)[:2]:
                    process = start(service, env, stdout=log.fileno())
                    processes.append(process)
                    wait_until_up(service, process, timeout=240)
                yield f"http://127.0.0.1:{env['RASA_PORT']}", app_url, tracker_url
            finally:
                stop(processes)


def test_conversation_is_stored_in_postgresql_and_locked_in_redis(
    production_like: tuple[str, str, str],
) -> None:
    rasa_url, app_url, tracker_url = production_like
    person = f"rest:prod-{uuid.uuid4().hex[:12]}"
    before = redis_commands_processed()
    with httpx.Client(timeout=60.0) as client:
        replies = [
            client.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": person, "message": m})
            for m in ("bonjour", "2")
        ]
    assert all(r.status_code == 200 for r in replies)
    assert len(buttons(replies[0].json())) == 9
    assert "EHPAD" in " ".join(texts(replies[1].json()))
    assert redis_commands_processed() > before + 2  # the lock store took and released locks
    # The atomic lock store's ticket counter (hashed id), not Rasa's own "lock:<id>" keys.
    digest = hashlib.sha256(person.encode()).hexdigest()[:32]
    assert redis_command("EXISTS", f"seniorplus:lock:{{{digest}}}:next").startswith(":1")

    with psycopg.connect(tracker_url) as db:
        said = db.execute(
            "SELECT data::json->>'text' FROM events WHERE sender_id = %s AND type_name = 'user'"
            " ORDER BY id",
            (person,),
        ).fetchall()
    assert [row[0] for row in said] == ["bonjour", "2", "2"]  # typed, then replayed as chosen
    with psycopg.connect(app_url) as db:
        notices = db.execute(
            "SELECT channel FROM privacy_notices WHERE conversation_id = %s", (person,)
        ).fetchall()
    assert notices == [("rest",)]


def test_a_turn_whose_tracker_database_went_away_fails_and_the_person_is_told(
    production_like: tuple[str, str, str],
) -> None:
    """Last in this module: the tracker database is dropped. Rasa must not go on in memory."""
    rasa_url, _, tracker_url = production_like
    admin, _ = postgres_admin()
    try:
        admin.execute(f'DROP DATABASE "{tracker_url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        admin.close()
    person = f"rest:gone-{uuid.uuid4().hex[:12]}"
    with httpx.Client(timeout=60.0) as client:
        reply = client.post(
            f"{rasa_url}/webhooks/rest/webhook", json={"sender": person, "message": "bonjour"}
        )
    assert reply.status_code == 200
    assert [m.get("text") for m in reply.json()] == [NOT_STORED]  # no menu from memory
