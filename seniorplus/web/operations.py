"""Liveness, readiness, request ids and Prometheus metrics of the web app.

- ``GET /health/live``: the process answers (no I/O);
- ``GET /health/ready``: 200 when the database answers ``SELECT 1`` and Redis (when
  ``REDIS_URL`` is set) answers ``PING``; else 503 ``{"status": "unavailable",
  "missing": ["database"]}`` — names only, never an address or a secret;
- ``GET /metrics``: Prometheus text; handoffs waiting and late scheduled jobs are counted
  from the database at each scrape (two indexed ``COUNT``); internal only, the proxy never
  forwards it (docs/deployment.md, « Exploitation »);
- a middleware gives each request its id (``X-Request-Id`` if well formed, else new), sends
  it back, counts errors.

``GET /health`` (the status JSON, always 200) is unchanged: the proxy's check uses it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import bindparam, text

from observability import request_id
from seniorplus.db import get_engine
from seniorplus.models import UTCDateTime, utcnow
from seniorplus.readiness import missing_services

logger = logging.getLogger(__name__)

LATE_AFTER = timedelta(minutes=5)  # the scheduler polls every few seconds

REGISTRY = CollectorRegistry(auto_describe=True)
ERRORS = Counter("seniorplus_web_errors", "Web app errors by kind", ["kind"], registry=REGISTRY)


def waiting_counts() -> tuple[int, int]:
    """Handoffs waiting for a person, scheduled jobs past due (both on indexed columns)."""
    late_before = utcnow() - LATE_AFTER
    with get_engine().connect() as connection:
        handoffs = connection.execute(
            text("SELECT COUNT(*) FROM handoffs WHERE status = 'en_attente'")
        ).scalar_one()
        late = connection.execute(
            text(
                "SELECT COUNT(*) FROM scheduled_jobs"
                " WHERE status = 'en_attente' AND run_at < :before"
            ).bindparams(bindparam("before", late_before, type_=UTCDateTime())),
        ).scalar_one()
    return int(handoffs), int(late)


class DatabaseGauges(Collector):
    """Gauges read from the database at each scrape (absent when it does not answer)."""

    def collect(self):  # type: ignore[no-untyped-def]
        try:
            handoffs, late = waiting_counts()
        except Exception as error:
            ERRORS.labels("metrics_database").inc()
            logger.warning("Metrics: database unavailable (%s)", type(error).__name__)
            return
        yield GaugeMetricFamily(
            "seniorplus_handoffs_waiting", "Handoffs waiting for a person", value=handoffs
        )
        yield GaugeMetricFamily(
            "seniorplus_scheduled_jobs_late",
            "Scheduled jobs (confirmations, reminders) more than 5 minutes past due",
            value=late,
        )


REGISTRY.register(DatabaseGauges())

router = APIRouter()


@router.get("/health/live", include_in_schema=False)
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health/ready", include_in_schema=False)
async def ready() -> JSONResponse:
    missing = await missing_services()
    if missing:
        return JSONResponse({"status": "unavailable", "missing": missing}, status_code=503)
    return JSONResponse({"status": "ok"})


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    body = await asyncio.to_thread(generate_latest, REGISTRY)  # the gauges read the database
    return Response(body, media_type=CONTENT_TYPE_LATEST)


async def request_id_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Each request's id in the logs and in the answer; 5xx counted."""
    rid = request_id.from_headers(request.headers)
    with request_id.scope(rid):
        try:
            answer = await call_next(request)
        except Exception:
            ERRORS.labels("exception").inc()
            raise
    if answer.status_code >= 500:
        ERRORS.labels("http_5xx").inc()
    answer.headers[request_id.HEADER] = rid
    return answer


def install(app: FastAPI) -> None:
    """Register the routes and the middleware on the web app."""
    app.include_router(router)
    app.middleware("http")(request_id_middleware)
