"""Operations routes and middleware on Rasa's own Sanic app (installed by `bot.rasa_patches`).

- ``GET /health/live``: the process answers (no I/O);
- ``GET /health/ready``: 200 when the model is loaded, the tracker store's database answers
  ``SELECT 1`` and the Redis lock store (when configured) answers ``PING``; else 503 with
  ``{"status": "unavailable", "missing": [...]}`` (names only, never an address or a secret);
- ``GET /metrics``: Prometheus text (internal: the proxy never forwards it);
- every request gets a request id (``X-Request-Id`` if well formed, else new), sent back in
  the answer and put in the metadata of each message a channel builds (so the action server
  logs it too); webhook calls are counted and timed per channel.

Rasa's ``/`` (always 200) stays for the proxy's and the images' health checks.
Once the server has started, the loaded model is frozen out of the garbage collector, and the
collector's pauses are timed for ``/metrics`` (``bot/heap.py``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse

from bot import heap
from observability import request_id
from observability.logs import reformat_existing_handlers

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 2.0
WEBHOOK_PREFIX = "/webhooks/"

REGISTRY = CollectorRegistry(auto_describe=True)
MESSAGES = Counter(
    "seniorplus_webhook_requests",
    "Webhook calls received, by channel",
    ["channel"],
    registry=REGISTRY,
)
TURN_SECONDS = Histogram(
    "seniorplus_turn_seconds",
    "Time to answer a webhook call (the whole turn for SMS, voice and REST)",
    ["channel"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20),
    registry=REGISTRY,
)
GC_PAUSE_SECONDS = Histogram(
    "seniorplus_gc_pause_seconds",
    "Pauses of Python's garbage collector in this process, by generation (bot/heap.py)",
    ["generation"],
    buckets=(0.001, 0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1),
    registry=REGISTRY,
)
ERRORS = Counter(
    "seniorplus_errors",
    "Errors by kind (http_5xx, http_4xx, exception)",
    ["kind", "channel"],
    registry=REGISTRY,
)


def channel_of(path: str) -> str | None:
    """``/webhooks/sms/webhook`` → ``sms``; None for any other path."""
    if not path.startswith(WEBHOOK_PREFIX):
        return None
    name = path[len(WEBHOOK_PREFIX) :].split("/", 1)[0]
    return name if name.isidentifier() and len(name) <= 32 else None


def _unwrap(store: Any, attribute: str) -> Any:
    """Rasa wraps its stores (fail-safe, awaitable): find the one that holds ``attribute``."""
    for _ in range(5):
        if store is None or hasattr(store, attribute):
            return store
        store = getattr(store, "_tracker_store", None) or getattr(store, "tracker_store", None)
    return None


def _ping_sql(engine: Any) -> None:
    from sqlalchemy import text

    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


async def _check(name: str, probe: Callable[[], Any]) -> str | None:
    """None when ``probe`` succeeds in a worker thread within the timeout, else ``name``."""
    try:
        await asyncio.wait_for(asyncio.to_thread(probe), CHECK_TIMEOUT_S)
    except Exception as error:  # readiness reports, it does not raise
        logger.warning("Readiness: %s unavailable (%s)", name, type(error).__name__)
        return name
    return None


async def missing_for(agent: Any) -> list[str]:
    """What keeps this Rasa from serving a turn (empty when ready)."""
    if agent is None or not agent.is_ready():
        return ["model"]
    checks = []
    store = _unwrap(getattr(agent, "tracker_store", None), "engine")
    if store is not None:
        checks.append(_check("tracker_store", lambda: _ping_sql(store.engine)))
    red = getattr(getattr(agent, "lock_store", None), "red", None)
    if red is not None:
        checks.append(_check("redis", red.ping))
    return [name for name in await asyncio.gather(*checks) if name]


async def _start_request(request: Request) -> None:
    rid = request_id.from_headers(request.headers)
    request.ctx.request_id = rid
    request.ctx.started = time.perf_counter()
    request_id.current.set(rid)  # the handler runs in this task: its log lines carry it


async def _finish_request(request: Request, answer: BaseHTTPResponse) -> None:
    rid = getattr(request.ctx, "request_id", None)
    if rid:
        answer.headers[request_id.HEADER] = rid
    channel = channel_of(request.path)
    if channel is None or request.method != "POST":
        return
    MESSAGES.labels(channel).inc()
    started = getattr(request.ctx, "started", None)
    if started is not None:
        TURN_SECONDS.labels(channel).observe(time.perf_counter() - started)
    if answer.status >= 500:
        ERRORS.labels("http_5xx", channel).inc()
    elif answer.status >= 400:
        ERRORS.labels("http_4xx", channel).inc()


def install(app: Sanic) -> Sanic:
    """Add the operations routes and middleware to Rasa's app (once)."""
    if getattr(app.ctx, "senior_plus_operations", False):
        return app
    app.ctx.senior_plus_operations = True
    app.register_middleware(_start_request, "request")
    app.register_middleware(_finish_request, "response")

    @app.get("/health/live", name="senior_plus_live")
    async def live(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/health/ready", name="senior_plus_ready")
    async def ready(request: Request) -> HTTPResponse:
        missing = await missing_for(getattr(request.app.ctx, "agent", None))
        if missing:
            return response.json({"status": "unavailable", "missing": missing}, status=503)
        return response.json({"status": "ok"})

    @app.get("/metrics", name="senior_plus_metrics")
    async def metrics(_: Request) -> HTTPResponse:
        return response.raw(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)

    async def json_logs(*_: Any) -> None:
        # Rasa (then Sanic) set up logging before this point: give their handlers our format.
        reformat_existing_handlers("rasa")

    app.register_listener(json_logs, "after_server_start")
    app.register_listener(heap.after_server_start, "after_server_start")

    return app


def with_request_id(metadata: dict[str, Any] | None) -> dict[str, Any] | None:
    """A message's metadata with the current request id (when a request is being served)."""
    rid = request_id.get()
    if rid is None or (metadata is not None and request_id.METADATA_KEY in metadata):
        return metadata
    return {**(metadata or {}), request_id.METADATA_KEY: rid}


def apply() -> None:
    """Install the routes on every app Rasa configures, and the request id in every message.

    Called by `bot.server` before Rasa starts (idempotent).
    """
    from rasa.core import run
    from rasa.core.channels.channel import UserMessage

    if getattr(run.configure_app, "senior_plus", False):
        return
    heap.time_pauses(
        lambda generation, seconds: GC_PAUSE_SECONDS.labels(str(generation)).observe(seconds)
    )
    original_configure = run.configure_app
    original_init = UserMessage.__init__

    def configure_app(*args: Any, **kwargs: Any) -> Sanic:
        return install(original_configure(*args, **kwargs))

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.metadata = with_request_id(self.metadata)

    configure_app.senior_plus = True  # type: ignore[attr-defined]
    run.configure_app = configure_app
    UserMessage.__init__ = init
