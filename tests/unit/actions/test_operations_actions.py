"""Action server operations: the turn's request id in every log line, readiness, metrics."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import httpx
import pytest
from sanic import Sanic

from actions.server import create_app
from observability.logs import make_handler
from observability.mask import mask_text
from seniorplus.db import reset_engine
from seniorplus.settings import get_settings
from tests.unit.actions.test_server import SECRET, WORDS, body, call

_apps = iter(range(1_000_000))
RID = "0123456789abcdef0123456789abcdef"


async def request(
    method: str, path: str, content: bytes = b"", log: io.StringIO | None = None
) -> httpx.Response:
    Sanic.test_mode = True
    app = create_app("actions", SECRET, name=f"actions_ops_{next(_apps)}")
    await app._startup()
    if log is not None:  # only what the call itself logs
        log.seek(0)
        log.truncate()
    headers = {"content-type": "application/json", "authorization": f"Bearer {SECRET}"}
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://actions") as client:
        return await client.request(method, path, content=content, headers=headers)


def call_with_request_id(action: str = "action_repeat") -> dict[str, Any]:
    payload = call(action)
    payload["tracker"]["latest_message"]["metadata"] = {"channel": "sms", "request_id": RID}
    return payload


@pytest.fixture
def json_log() -> Any:
    """Every log line of the process, as the production handler writes it."""
    stream = io.StringIO()
    handler = make_handler("json", "actions", mask_text, stream)
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


async def test_every_log_line_of_the_call_carries_the_channels_request_id(json_log: Any) -> None:
    answered = await request("POST", "/webhook", body(call_with_request_id()), json_log)
    assert answered.status_code == 200
    logging.getLogger("actions.after_test").info("after the call")  # outside: no id
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    *during, after = lines
    assert len(during) >= 2, "the action's own lines and the call's outcome"
    assert all(line["request_id"] == RID for line in during)
    assert during[-1]["message"].startswith("Action action_repeat: ok in ")
    assert after["message"] == "after the call" and "request_id" not in after
    text = json_log.getvalue()
    assert "0612345678" not in text and "06 12 34 56 78" not in text and WORDS not in text
    assert "+33612345678" not in text


async def test_a_failing_action_logs_the_request_id_and_counts_the_error(json_log: Any) -> None:
    payload = call_with_request_id()
    payload["tracker"]["slots"] = None
    payload["tracker"]["events"] = [{"event": "user"}]  # the action reads text: it breaks
    await request("POST", "/webhook", body(payload), json_log)
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert any(line.get("request_id") == RID for line in lines)


async def test_without_a_request_id_the_call_gets_one(json_log: Any) -> None:
    await request("POST", "/webhook", body(call()), json_log)
    (line,) = [json.loads(x) for x in json_log.getvalue().splitlines() if "action_repeat" in x]
    assert len(line["request_id"]) == 32 and line["request_id"] != RID


async def test_liveness_and_readiness(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (await request("GET", "/health/live")).json() == {"status": "ok"}
    ready = await request("GET", "/health/ready")  # the tests' SQLite in memory
    assert (ready.status_code, ready.json()) == (200, {"status": "ok"})
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody:hunter2@127.0.0.1:1/none")
    get_settings.cache_clear()
    reset_engine()
    down = await request("GET", "/health/ready")
    assert down.status_code == 503
    assert down.json() == {"status": "unavailable", "missing": ["database"]}
    assert "hunter2" not in down.text
    assert (await request("GET", "/health")).status_code == 200  # the image's check: alive


async def test_metrics_count_the_actions_run() -> None:
    def ran(text: str) -> float:
        for line in text.splitlines():
            if line.startswith('seniorplus_actions_run_total{outcome="ok"}'):
                return float(line.split()[-1])
        return 0.0

    before = ran((await request("GET", "/metrics")).text)
    await request("POST", "/webhook", body(call_with_request_id()))
    after = (await request("GET", "/metrics")).text
    assert ran(after) == before + 1
    assert "seniorplus_action_seconds_bucket" in after
