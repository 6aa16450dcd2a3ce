"""The console session as a way into the JSON API (``/api``): an `Authenticator`.

The ``sp_console`` cookie (path "/") of a live session gives
``Principal(kind="agent", name=<login>, role=<role>)``; the API routes apply
their own role rules (changes: supervisor or admin). A request that changes
something (not GET/HEAD/OPTIONS) must also carry the session's CSRF token in
``X-CSRF-Token`` and come from this site, as the console's own POSTs do:
otherwise the cookie is ignored (and the API answers 401).
"""

from __future__ import annotations

from typing import cast

from fastapi import Request

from seniorplus.console.csrf import CSRF_HEADER, same_origin, tokens_match
from seniorplus.console.deps import is_background, session_of
from seniorplus.web.api.auth import Principal, Role

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def console_session(request: Request) -> Principal | None:
    """The signed-in agent of the console cookie, or None."""
    me = session_of(request, touch=not is_background(request))
    if me is None:
        return None
    if request.method not in SAFE_METHODS and not (
        same_origin(request) and tokens_match(request.headers.get(CSRF_HEADER), me.csrf_token)
    ):
        return None
    return Principal(kind="agent", name=me.login, role=cast(Role, me.role))
