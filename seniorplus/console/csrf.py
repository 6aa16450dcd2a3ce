"""CSRF protection: a per-session token in every form and fetch, and a same-origin check.

Every POST of the console carries the session's token, in the hidden field
``csrf`` of a form or the ``X-CSRF-Token`` header of a fetch; the comparison is
constant-time. The login form, which has no session yet, uses a token from a
short-lived cookie (double submit). On top, a POST whose ``Origin`` (or, without
it, ``Referer``) names another host than the request's is refused. The session
cookie is also SameSite=Strict.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request

CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
MAX_FORM_BYTES = 64 * 1024


class CsrfRefused(Exception):
    """A POST without the right token, or from another site: a French 403 page."""


class FormTooLarge(Exception):
    """A form body larger than `MAX_FORM_BYTES`."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(sent: str | None, expected: str | None) -> bool:
    """Constant-time comparison; a missing token never matches."""
    if not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))


def same_origin(request: Request) -> bool:
    """False when ``Origin`` or (without it) ``Referer`` names another host than ``Host``.

    A request with neither (not a browser) is left to the token check.
    """
    host = request.headers.get("host", "").lower()
    origin = request.headers.get("origin")
    if origin is not None:
        return origin != "null" and urlsplit(origin).netloc.lower() == host
    referer = request.headers.get("referer")
    if referer is not None:
        return urlsplit(referer).netloc.lower() == host
    return True


async def read_form(request: Request) -> dict[str, str]:
    """The fields of an ``application/x-www-form-urlencoded`` body (last value wins).

    Cached on the request: the CSRF check and the route read it once.

    Raises:
        FormTooLarge: a body over 64 KiB.
    """
    cached = getattr(request.state, "console_form", None)
    if isinstance(cached, dict):
        return cached
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise FormTooLarge()
    form: dict[str, str] = {}
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            form[key] = value
    request.state.console_form = form
    return form


async def check_post(request: Request, expected: str | None) -> dict[str, str]:
    """The form of a POST whose token matches ``expected`` and whose origin is ours.

    Raises:
        CsrfRefused: wrong or missing token, or another site.
    """
    if not same_origin(request):
        raise CsrfRefused()
    sent = request.headers.get(CSRF_HEADER)
    form = await read_form(request)
    if sent is None:
        sent = form.get(CSRF_FIELD)
    if not tokens_match(sent, expected):
        raise CsrfRefused()
    return form
