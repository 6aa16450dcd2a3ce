"""The client's address of a Sanic request behind the reverse proxy.

The rule (``X-Forwarded-For`` believed only from ``TRUSTED_PROXIES``) is
``observability/client.py``, shared with the web app; the proxies are the bot's
(``bot/settings.py``), the same variable and value as the web app's.
"""

from __future__ import annotations

from sanic.request import Request

from bot.settings import bot_settings
from observability.client import real_client


def client_address(request: Request) -> str | None:
    """`real_client` of a Sanic request, with the proxies of ``TRUSTED_PROXIES``."""
    return real_client(
        request.ip,
        request.headers.getall("x-forwarded-for", []),
        bot_settings().trusted_proxies,
    )
