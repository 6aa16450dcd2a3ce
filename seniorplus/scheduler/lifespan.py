"""The scheduler inside the web app: started with it, stopped cleanly with it.

On when ``SCHEDULER_ENABLED`` (default: on, except with ``APP_ENV=test``);
ticks every ``SCHEDULER_INTERVAL_S`` seconds (default 30). Several web workers
may each run one: the claim sends every job once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from seniorplus.scheduler.runner import Scheduler, run_forever
from seniorplus.settings import get_settings

logger = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT_S = 15.0  # a send in progress ends within its HTTP timeout (10 s)


@asynccontextmanager
async def scheduler_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the scheduler loop as a background task while the app serves."""
    settings = get_settings()
    if not settings.scheduler.enabled:
        yield
        return
    scheduler = Scheduler()
    app.state.scheduler = scheduler
    stop = asyncio.Event()
    task = asyncio.create_task(run_forever(scheduler, settings.scheduler.interval_s, stop))
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, SHUTDOWN_TIMEOUT_S)
        except asyncio.TimeoutError:
            logger.warning("Scheduler did not stop within %s s: cancelled", SHUTDOWN_TIMEOUT_S)
