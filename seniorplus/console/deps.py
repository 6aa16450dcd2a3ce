"""FastAPI dependencies of the console: who is signed in, role checks, checked forms.

`current_agent` reads the ``sp_console`` cookie; without a live session it
raises `LoginRequired` (a redirect to the login page, or a 401 JSON answer for
the pages' background refreshes). `require_role` answers 403 with a French page.
`posted_form` is the form of a POST that passed the CSRF check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from seniorplus.console.config import COOKIE_NAME, console_settings
from seniorplus.console.csrf import check_post
from seniorplus.console.sessions import SignedIn, find_session
from seniorplus.db import session_scope
from seniorplus.models import utcnow

POLL_HEADER = "X-Console-Poll"


class LoginRequired(Exception):
    """No live session; ``expired`` when the browser had one that ended."""

    def __init__(self, expired: bool) -> None:
        super().__init__("login required")
        self.expired = expired


class Forbidden(Exception):
    """Signed in, but this page is not for this role (French 403 page)."""


class PageNotFound(Exception):
    """Unknown, or not visible to this agent (French 404 page, the same for both)."""

    def __init__(
        self, message_fr: str = "Cette page n'existe pas ou ne vous est pas accessible."
    ) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr


def is_background(request: Request) -> bool:
    """A refresh made by the page's script, not by the agent."""
    return request.headers.get(POLL_HEADER) == "1"


def session_of(request: Request, *, touch: bool) -> SignedIn | None:
    """The signed-in agent of this request's cookie, or None."""
    token = request.cookies.get(COOKIE_NAME)
    if not token:
        return None
    with session_scope() as session:
        return find_session(session, token, utcnow(), console_settings(), touch=touch)


def current_agent(request: Request) -> SignedIn:
    """The signed-in agent; `LoginRequired` otherwise."""
    me = session_of(request, touch=not is_background(request))
    if me is None:
        raise LoginRequired(expired=COOKIE_NAME in request.cookies)
    request.state.me = me
    return me


Me = Annotated[SignedIn, Depends(current_agent)]


def require_role(*roles: str) -> Callable[[SignedIn], SignedIn]:
    """A dependency: the signed-in agent if their role is one of ``roles``, else 403."""

    def dependency(me: Me) -> SignedIn:
        if me.role not in roles:
            raise Forbidden()
        return me

    return dependency


Supervisor = Annotated[SignedIn, Depends(require_role("supervisor", "admin"))]
Admin = Annotated[SignedIn, Depends(require_role("admin"))]


async def posted_form(request: Request, me: Me) -> dict[str, str]:
    """The POSTed form, once the CSRF token and the origin are checked."""
    return await check_post(request, me.csrf_token)


Form = Annotated[dict[str, str], Depends(posted_form)]
