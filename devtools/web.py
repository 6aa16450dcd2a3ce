"""The web app as development runs it: the product's app, plus the channel simulator in dev.

``scripts/services.py`` serves ``devtools.web:app`` when ``APP_ENV=dev`` and
``seniorplus.web.app:app`` otherwise; the product never imports this module.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from devtools import simulator
from seniorplus.web import app as product


def create_app(*, dev_tools: bool | None = None) -> FastAPI:
    """The product's web app; with the simulator (docs/channels.md) when ``dev_tools``.

    By default only when ``APP_ENV=dev`` is set, never in production (the default when unset).
    """
    app = product.create_app()
    if dev_tools if dev_tools is not None else simulator.dev_mode(os.environ):
        app.include_router(simulator.router)
    return app


app = create_app()
