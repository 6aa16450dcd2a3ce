"""The action server's door: shared secret, JSON only, capped bodies, errors without echo."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import zlib
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker
from sanic import Sanic

from actions.conversation import ActionRepeat
from actions.server import (
    INTERNAL,
    MISSING_SECRET,
    NOT_JSON,
    TOO_LARGE,
    UNAUTHORIZED,
    ConfigurationError,
    create_app,
    secret_from_env,
)
from tests.unit.conftest import REPO_ROOT

SECRET = "s3cret-for-the-action-server-tests-0123"
WORDS = "Je m'appelle Jeanne Martin, 06 12 34 56 78"
_apps = iter(range(1_000_000))


def call(action: str = "action_repeat", text: str = WORDS) -> dict[str, Any]:
    """An action call as Rasa 3.6 posts it (trimmed to what the executor reads)."""
    return {
        "next_action": action,
        "sender_id": "+33612345678",
        "version": "3.6.21",
        "tracker": {
            "sender_id": "+33612345678",
            "slots": {},
            "latest_message": {"text": text, "intent": {}, "entities": []},
            "events": [{"event": "user", "text": text, "timestamp": 1.0}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
        "domain": {},
    }


async def post(
    content: bytes,
    *,
    token: str | None = SECRET,
    content_type: str = "application/json",
    encoding: str | None = None,
    max_body: int = 64 * 1024,
    path: str = "/webhook",
) -> httpx.Response:
    Sanic.test_mode = True
    name = f"actions_test_{next(_apps)}"
    app = create_app("actions", SECRET, max_body=max_body, name=name)
    await app._startup()  # what the ASGI lifespan would do
    headers = {"content-type": content_type}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    if encoding:
        headers["content-encoding"] = encoding
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://actions") as client:
        if path == "/webhook":
            return await client.post(path, content=content, headers=headers)
        return await client.get(path, headers=headers)


def body(payload: object) -> bytes:
    return json.dumps(payload).encode()


async def test_rasa_with_the_secret_runs_the_action() -> None:
    answered = await post(body(call()))
    assert answered.status_code == 200
    assert answered.json()["responses"][0]["response"] == "utter_nothing_to_repeat"


@pytest.mark.parametrize("token", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
async def test_without_the_secret_nothing_runs(token: str | None) -> None:
    refused = await post(body(call()), token=token)
    assert refused.status_code == 401 and refused.json() == {"error": UNAUTHORIZED}
    listed = await post(b"", token=token, path="/actions")
    assert listed.status_code == 401


async def test_the_list_of_actions_needs_the_secret_too() -> None:
    listed = await post(b"", path="/actions")
    assert {"action_repeat", "action_my_data"} <= {a["name"] for a in listed.json()}


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""]
)
async def test_json_only(content_type: str) -> None:
    refused = await post(body(call()), content_type=content_type)
    assert refused.status_code == 415 and refused.json() == {"error": NOT_JSON}


async def test_a_compressed_call_is_read() -> None:
    answered = await post(zlib.compress(body(call())), encoding="deflate")
    assert answered.status_code == 200


async def test_a_decompression_bomb_is_413_not_inflated() -> None:
    bomb = zlib.compress(b"[" + b" " * (50 * 1024 * 1024) + b"]", 9)
    assert len(bomb) < 64 * 1024  # small on the wire
    refused = await post(bomb, encoding="deflate")
    assert refused.status_code == 413 and refused.json() == {"error": TOO_LARGE}


async def test_a_big_body_is_413() -> None:
    refused = await post(body({**call(), "pad": "x" * 70_000}))
    assert refused.status_code == 413


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (b"{not json", None),
        (b"[" * 100_000, None),
        (b"[]", None),
        (b'{"next_action": 5}', None),
        (b'{"next_action": "action_repeat", "tracker": {"events": []}}', None),
        (b'{"next_action": "action_repeat", "tracker": {"sender_id": "a", "events": [1]}}', None),
        (b'{"next_action": "action_repeat", "tracker": {"sender_id": "a", "slots": []}}', None),
        (b"not deflate at all", "deflate"),
        (body(call()), "gzip"),
    ],
)
async def test_malformed_calls_are_4xx_without_echo(content: bytes, encoding: str | None) -> None:
    refused = await post(content, encoding=encoding)
    assert 400 <= refused.status_code < 500
    assert "request_body" not in refused.text and "next_action" not in refused.text


async def test_a_failing_action_answers_500_without_the_tracker(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def breaks(self: object, dispatcher: object, tracker: Tracker, domain: object) -> None:
        raise RuntimeError(f"broke on {tracker.latest_message.get('text')}")

    monkeypatch.setattr(ActionRepeat, "run", breaks)
    with caplog.at_level(logging.DEBUG):
        failed = await post(body(call()))
    assert failed.status_code == 500 and failed.json() == {"error": INTERNAL}
    assert "Jeanne" not in failed.text
    assert "Jeanne" not in caplog.text and "06 12" not in caplog.text
    assert "action_repeat" in caplog.text  # which action, never what was said


async def test_an_unknown_action_is_404_without_echo() -> None:
    missing = await post(body(call("action_nobody_wrote")))
    assert missing.status_code == 404 and "Jeanne" not in missing.text


def test_the_secret_is_required_outside_dev_and_tests() -> None:
    assert secret_from_env({"APP_ENV": "production", "ACTION_SERVER_TOKEN": SECRET}) == SECRET
    assert secret_from_env({"APP_ENV": "dev"}) is None  # open, with a warning, in dev only
    for env in ({"APP_ENV": "production"}, {}, {"ACTION_SERVER_TOKEN": "court"},
                {"APP_ENV": "dev", "ACTION_SERVER_TOKEN": "court"}):  # fmt: skip
        with pytest.raises(ConfigurationError, match="ACTION_SERVER_TOKEN"):
            secret_from_env(env)


def test_the_server_does_not_start_in_production_without_the_secret() -> None:
    env = {"APP_ENV": "production", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT)}
    started = subprocess.run(
        [sys.executable, "-m", "actions.server", "--port", "1"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert started.returncode == 2
    assert MISSING_SECRET in started.stderr
