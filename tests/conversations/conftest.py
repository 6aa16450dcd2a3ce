"""Start the real assistant (Rasa + action server) once for the conversation tests.

It runs on its own ports with its own SQLite files, so it never touches a
developer's running instance or data.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from devtools.fakes.twilio import FakeTwilioApi

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from services import (  # noqa: E402
    UNLIMITED,
    child_env,
    services,
    shifted_port,
    start,
    stop,
    wait_until_up,
)

Reply = list[dict[str, Any]]
FROZEN_DAY = "2026-12-05"  # the conversation's day, unless a test moves it (set_day)


@dataclass
class Assistant:
    """The running assistant as a person on the REST channel sees it."""

    rasa_url: str
    token: str
    app_database: Path
    client: httpx.Client
    clock: Path  # SENIORPLUS_FROZEN_NOW of the action server: the conversation's day
    twilio: FakeTwilioApi | None = None  # where the action server sends SMS (codes, notices)

    def set_day(self, day: str) -> None:
        """Move the conversation's day (ISO date); read by the action server at every turn."""
        self.clock.write_text(day, encoding="utf-8")

    def send(self, sender: str, message: object) -> httpx.Response:
        return self.client.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}
        )

    def say(self, sender: str, message: str) -> Reply:
        response = self.send(sender, message)
        assert response.status_code == 200, response.text
        reply: Reply = response.json()
        assert reply, f"no answer to {message!r}"
        return reply


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    work = tmp_path_factory.mktemp("assistant")
    app_db = work / "app.db"
    clock = work / "clock"
    clock.write_text(FROZEN_DAY, encoding="utf-8")
    twilio = FakeTwilioApi(
        os.environ.get("TWILIO_ACCOUNT_SID") or "AC" + "0" * 32,
        os.environ.get("TWILIO_AUTH_TOKEN") or uuid.uuid4().hex,
    )
    twilio.start()
    env = child_env(
        TWILIO_API_URL=twilio.url,
        TWILIO_ACCOUNT_SID=twilio.account_sid,
        TWILIO_AUTH_TOKEN=twilio.auth_token,
        RASA_PORT=shifted_port(5105),
        ACTIONS_PORT=shifted_port(5155),
        WEB_PORT=shifted_port(8100),
        RASA_TOKEN=uuid.uuid4().hex,
        DATABASE_URL=f"sqlite:///{app_db}",
        TRACKER_STORE_URL=f"sqlite:///{work / 'tracker.db'}",
        LOCK_STORE_TYPE="in_memory",
        SENIORPLUS_FROZEN_NOW=str(clock),
        APP_ENV="test",  # the REST channel is on in dev and tests only
        **UNLIMITED,
    )
    subprocess.run(
        [str(ROOT / ".venv-app" / "bin" / "alembic"), "upgrade", "head"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(  # demo sites and mediators, so that meetings can be booked
        [str(ROOT / ".venv-app" / "bin" / "python"), "-m", "devtools.seeds.booking"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    log = (work / "services.log").open("wb")
    processes = []
    try:
        for service in services(env)[:2]:  # actions, rasa
            process = start(service, env, stdout=log.fileno())
            processes.append(process)
            wait_until_up(service, process, timeout=240)
        with httpx.Client(timeout=60.0) as client:
            yield Assistant(
                f"http://127.0.0.1:{env['RASA_PORT']}", env["RASA_TOKEN"], app_db, client, clock,
                twilio,
            )  # fmt: skip
    except Exception:
        log.flush()
        print((work / "services.log").read_text(errors="replace")[-5000:])
        raise
    finally:
        stop(processes)
        log.close()
        twilio.stop()


@pytest.fixture
def new_sender() -> Callable[[], str]:
    """A fresh conversation id per call: every test starts as a new person."""
    return lambda: f"rest:test-{uuid.uuid4().hex[:12]}"  # the REST channel's namespace


def texts(reply: Reply) -> list[str]:
    return [str(message.get("text", "")) for message in reply]


def joined(reply: Reply) -> str:
    """Every text of a reply, in one string."""
    return " ".join(texts(reply))


def buttons(reply: Reply) -> list[str]:
    return [b["title"] for message in reply for b in message.get("buttons", [])]
