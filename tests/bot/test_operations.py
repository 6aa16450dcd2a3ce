"""Rasa's operations routes: readiness (model, stores), metrics, request ids to the actions."""

from __future__ import annotations

import asyncio
import gc
import io
import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import create_engine

from bot import operations
from channels.sms import SmsInput
from channels.store import ChannelStore
from observability import request_id
from observability.logs import make_handler
from tests.bot.twilio_payloads import (
    AUTH_TOKEN,
    PUBLIC_BASE_URL,
    ChannelClient,
    FakeAssistant,
    migrated_database,
    sms_params,
    twilio_signature,
)

PATH = "/webhooks/sms/webhook"
SENDER = "+33612345678"


class FakeAgent:
    def __init__(self, ready: bool = True, url: str | None = None, red: Any = None) -> None:
        self.ready = ready
        self.tracker_store = _Wrapped(create_engine(url)) if url else None
        self.lock_store = type("Lock", (), {"red": red})() if red is not None else None

    def is_ready(self) -> bool:
        return self.ready


class _Engine:
    def __init__(self, engine: Any) -> None:
        self.engine = engine


class _Wrapped:  # like Rasa's FailSafeTrackerStore around the SQL store
    def __init__(self, engine: Any) -> None:
        self._tracker_store = _Engine(engine)


class DeadRedis:
    def ping(self) -> bool:
        raise ConnectionError("redis://:secret@10.0.0.9:6379")


@pytest.fixture
def client(tmp_path: Path) -> tuple[ChannelClient, FakeAssistant]:
    operations.apply()  # the request id in every UserMessage, as bot/server.py does
    assistant = FakeAssistant()
    channel = SmsInput(AUTH_TOKEN, PUBLIC_BASE_URL, store=ChannelStore(migrated_database(tmp_path)))
    sms = ChannelClient(channel, assistant)
    operations.install(sms.app)
    return sms, assistant


def call(
    sms: ChannelClient, method: str, path: str, text: str = "bonjour", **headers: str
) -> httpx.Response:
    async def go() -> httpx.Response:
        if not sms._started:
            await sms.app._startup()
            sms._started = True
        transport = httpx.ASGITransport(app=sms.app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:5005") as c:
            if method == "GET":
                return await c.get(path, headers=headers)
            params = sms_params(text, SENDER)
            signed = {
                "content-type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": twilio_signature(PUBLIC_BASE_URL + path, params),
                **headers,
            }
            return await c.post(path, content=urlencode(params).encode(), headers=signed)

    return asyncio.run(go())


def test_the_proxys_request_id_reaches_the_message_metadata(client: Any) -> None:
    sms, assistant = client
    answer = call(sms, "POST", PATH, **{"X-Request-Id": "hap-0123456789abcdef"})
    assert answer.status_code == 200
    assert answer.headers["x-request-id"] == "hap-0123456789abcdef"
    (received,) = assistant.received
    assert received.metadata is not None
    assert received.metadata["request_id"] == "hap-0123456789abcdef"
    assert received.metadata["channel"] == "sms"  # the channel's own metadata kept


def test_without_a_proxy_id_the_webhook_makes_one(client: Any) -> None:
    sms, assistant = client
    answer = call(sms, "POST", PATH, **{"X-Request-Id": SENDER})  # never a phone number
    (received,) = assistant.received
    made = received.metadata["request_id"]
    assert made != SENDER and len(made) == 32 and answer.headers["x-request-id"] == made


def test_the_channels_log_lines_carry_the_request_id(client: Any) -> None:
    sms, _ = client
    stream = io.StringIO()
    handler = make_handler("json", "rasa", stream=stream)
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    try:
        call(sms, "POST", PATH, "STOP", **{"X-Request-Id": "hap-fedcba9876543210"})
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    channel_lines = [line for line in lines if line["logger"].startswith("channels.")]
    assert channel_lines, "the SMS channel logs a STOP (masked number)"
    assert all(line["request_id"] == "hap-fedcba9876543210" for line in channel_lines)
    assert SENDER not in stream.getvalue() and "612345678" not in stream.getvalue()


def test_metrics_count_messages_by_channel_and_time_the_turns(client: Any) -> None:
    sms, _ = client

    def count(text: str) -> float:
        for line in text.splitlines():
            if line.startswith('seniorplus_webhook_requests_total{channel="sms"}'):
                return float(line.split()[-1])
        return 0.0

    before = count(call(sms, "GET", "/metrics").text)
    call(sms, "POST", PATH)
    after = call(sms, "GET", "/metrics")
    assert after.headers["content-type"].startswith("text/plain")
    assert count(after.text) == before + 1
    assert 'seniorplus_turn_seconds_count{channel="sms"}' in after.text
    assert "/metrics" not in after.text  # GET routes are not counted as messages


def test_metrics_show_the_garbage_collectors_pauses(client: Any) -> None:
    sms, _ = client
    gc.collect()
    text = call(sms, "GET", "/metrics").text
    counts = [
        float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith('seniorplus_gc_pause_seconds_count{generation="2"}')
    ]
    assert counts and counts[0] >= 1


def test_liveness_needs_nothing(client: Any) -> None:
    sms, _ = client
    assert call(sms, "GET", "/health/live").json() == {"status": "ok"}


def test_readiness_needs_the_model_and_the_stores(client: Any, tmp_path: Path) -> None:
    sms, _ = client

    def ready(agent: Any) -> httpx.Response:
        sms.app.ctx.agent = agent
        return call(sms, "GET", "/health/ready")

    assert ready(None).json() == {"status": "unavailable", "missing": ["model"]}
    assert ready(FakeAgent(ready=False)).status_code == 503
    good = f"sqlite:///{tmp_path / 'tracker.db'}"
    answer = ready(FakeAgent(url=good))
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})
    down = ready(FakeAgent(url="postgresql://rasa:hunter2@127.0.0.1:1/tracker", red=DeadRedis()))
    assert down.status_code == 503
    assert down.json() == {"status": "unavailable", "missing": ["tracker_store", "redis"]}
    assert "hunter2" not in down.text and "secret" not in down.text


def test_rasa_builds_its_app_with_the_operations_routes() -> None:
    from rasa.core import run

    operations.apply()
    operations.apply()  # idempotent
    app = run.configure_app(enable_api=False, port=5005, conversation_id="x")
    paths = {route.path for route in app.router.routes}
    assert {"health/live", "health/ready", "metrics"} <= paths


def test_the_request_id_scope_restores_the_previous_one() -> None:
    with request_id.scope("outer-0123456789"):
        with request_id.scope("inner-0123456789"):
            assert request_id.get() == "inner-0123456789"
        assert request_id.get() == "outer-0123456789"


def test_rasas_own_handlers_get_the_json_format() -> None:
    from observability.logs import reformat_existing_handlers

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # as Rasa sets up its console handler
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        reformat_existing_handlers("rasa", env={"APP_ENV": "production"})
        with request_id.scope("hap-0123456789abcdef"):
            logging.getLogger("rasa.core.processor").warning("Action failed")
    finally:
        root.removeHandler(handler)
    (line,) = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert line["request_id"] == "hap-0123456789abcdef" and line["process"] == "rasa"
    before = handler.formatter
    reformat_existing_handlers("rasa", env={"APP_ENV": "dev"})  # dev: Rasa's format kept
    assert handler.formatter is before


@pytest.mark.parametrize("env", [{"APP_ENV": "production"}, {"APP_ENV": "dev"}])
def test_rasas_own_lines_never_show_a_conversations_phone_number(env: dict[str, str]) -> None:
    from observability.logs import reformat_existing_handlers

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # as Rasa sets up its console handler
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s - %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        reformat_existing_handlers("rasa", env=env)
        # Rasa's own warning (rasa/core/processor.py) names the conversation, here an SMS one.
        logging.getLogger("rasa.core.processor").warning(
            "Circuit breaker tripped. Stopped predicting more actions for sender '%s'.",
            "+33612345678",
        )
    finally:
        root.removeHandler(handler)
    written = stream.getvalue()
    assert "Circuit breaker tripped" in written
    assert "+33612345678" not in written and "+336******78" in written
