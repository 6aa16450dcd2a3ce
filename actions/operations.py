"""Liveness, readiness, request ids and metrics of the action server (Sanic).

- ``GET /health/live``: the process answers (no I/O); ``GET /health`` is kept for the images'
  health check and the web status page;
- ``GET /health/ready``: 200 when the app database answers ``SELECT 1`` (and Redis, when
  ``REDIS_URL`` is set), else 503 ``{"status": "unavailable", "missing": [...]}``;
- ``GET /metrics``: Prometheus text (actions run and their time, errors by kind); the action
  server is never behind the proxy, only Prometheus inside the network reads it;
- `run_with_request_id`: the id that the channel put in the message's metadata
  (``tracker.latest_message["metadata"]["request_id"]``) is set for the whole action call,
  so every log line of the turn on this side carries it too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
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
from sanic.response import HTTPResponse

from observability import request_id
from seniorplus.readiness import missing_services

logger = logging.getLogger(__name__)

REGISTRY = CollectorRegistry(auto_describe=True)
ACTIONS_RUN = Counter(
    "seniorplus_actions_run", "Action calls answered, by outcome", ["outcome"], registry=REGISTRY
)
ACTION_SECONDS = Histogram(
    "seniorplus_action_seconds",
    "Time to run one action call",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5),
    registry=REGISTRY,
)
ERRORS = Counter(
    "seniorplus_action_errors", "Action server errors by kind", ["kind"], registry=REGISTRY
)


def request_id_of(call: dict[str, Any]) -> str:
    """The channel's request id from the call's latest message, else a new one."""
    tracker = call.get("tracker")
    latest = tracker.get("latest_message") if isinstance(tracker, dict) else None
    metadata = latest.get("metadata") if isinstance(latest, dict) else None
    return request_id.from_metadata(metadata) or request_id.new_request_id()


async def run_with_request_id(
    call: dict[str, Any], run: Callable[[dict[str, Any]], Awaitable[Any]]
) -> Any:
    """``run(call)`` with the turn's request id in the logs, timed and counted."""
    started = time.perf_counter()
    outcome = "error"
    with request_id.scope(request_id_of(call)):
        try:
            result = await run(call)
            outcome = "ok"
            return result
        finally:
            elapsed = time.perf_counter() - started
            ACTIONS_RUN.labels(outcome).inc()
            ACTION_SECONDS.observe(elapsed)
            name = call.get("next_action")
            logger.info(
                "Action %s: %s in %.0f ms",
                name[:64] if isinstance(name, str) else "?",
                outcome,
                elapsed * 1000,
            )


def count_error(kind: str) -> None:
    ERRORS.labels(kind).inc()


def install(app: Sanic) -> None:
    """Register the operations routes on the action server."""

    @app.get("/health/live")
    async def live(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/health/ready")
    async def ready(_: Request) -> HTTPResponse:
        missing = await missing_services()
        if missing:
            return response.json({"status": "unavailable", "missing": missing}, status=503)
        return response.json({"status": "ok"})

    @app.get("/metrics")
    async def metrics(_: Request) -> HTTPResponse:
        return response.raw(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
