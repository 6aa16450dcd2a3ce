"""FastAPI application: health JSON and a French status page.

``app`` is built at import without any I/O: settings, the database engine and
HTTP clients are only touched when a request arrives, or at startup by the
appointment scheduler (`seniorplus.scheduler.lifespan`, ``SCHEDULER_ENABLED``) after the
configuration check (`seniorplus.web.startup`).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Literal

import httpx
import jinja2
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy import text

from seniorplus import __version__
from seniorplus.console.web import create_console
from seniorplus.db import get_engine
from seniorplus.settings import Settings, get_settings
from seniorplus.web import operations
from seniorplus.web.api import create_api
from seniorplus.web.api.auth import DEFAULT_AUTHENTICATORS
from seniorplus.web.api.console_auth import console_session
from seniorplus.web.startup import app_lifespan

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 1.0
DATABASE_TIMEOUT_S = 3.0
TEMPLATES_DIR = Path(__file__).parent / "templates"


class HealthReport(BaseModel):
    """Body of ``GET /health``."""

    status: Literal["ok", "degraded"]
    database: bool
    rasa: bool
    actions: bool
    version: str


def action_server_health_url(action_server_url: str) -> str:
    """``http://host:5055/webhook`` → ``http://host:5055/health``."""
    base = action_server_url.rstrip("/")
    base = base.removesuffix("/webhook")
    return f"{base}/health"


def _ping_database() -> bool:
    with get_engine().connect() as connection:
        return bool(connection.execute(text("SELECT 1")).scalar_one() == 1)


async def check_database() -> bool:
    """``SELECT 1`` in a worker thread, so the event loop never blocks on the driver."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(_ping_database), DATABASE_TIMEOUT_S)
    except Exception as exc:  # a status page reports failures, it does not raise them
        logger.warning("Database health check failed: %s", type(exc).__name__)
        return False


async def check_http(client: httpx.AsyncClient, name: str, url: str) -> bool:
    """True when ``GET url`` answers 2xx within the client's timeout."""
    try:
        response = await client.get(url)
    except httpx.HTTPError as exc:
        logger.info("%s health check failed: %s", name, type(exc).__name__)
        return False
    return response.is_success


async def collect_health(settings: Settings) -> HealthReport:
    """Probe the database, Rasa and the action server concurrently."""
    async with httpx.AsyncClient(timeout=PROBE_TIMEOUT_S) as client:
        database, rasa, actions = await asyncio.gather(
            check_database(),
            check_http(client, "rasa", settings.rasa.url.rstrip("/") + "/"),
            check_http(
                client, "actions", action_server_health_url(settings.rasa.action_server_url)
            ),
        )
    return HealthReport(
        status="ok" if database and rasa and actions else "degraded",
        database=database,
        rasa=rasa,
        actions=actions,
        version=__version__,
    )


def create_app() -> FastAPI:
    """Build the web application (no I/O).

    The channel simulator is not part of it: `devtools.web` adds it in development.
    """
    app = FastAPI(title="Senior Plus", version=__version__, lifespan=app_lifespan)
    # JSON API, in every environment (docs/api.md): machine tokens, or a console session.
    app.mount("/api", create_api(authenticators=(*DEFAULT_AUTHENTICATORS, console_session)))
    app.mount("/console", create_console())  # agents' console (docs/console.md)
    operations.install(app)  # /health/live, /health/ready, /metrics, request ids
    templates = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )

    @app.get("/health", response_model=HealthReport)
    async def health() -> HealthReport:
        """Always 200: the body says what works."""
        return await collect_health(get_settings())

    @app.get("/", response_class=HTMLResponse)
    async def status_page() -> HTMLResponse:
        settings = get_settings()
        report = await collect_health(settings)
        html = templates.get_template("health.html").render(
            report=report,
            rest_webhook_url=settings.rasa.url.rstrip("/") + "/webhooks/rest/webhook",
        )
        return HTMLResponse(html)

    return app


app = create_app()
