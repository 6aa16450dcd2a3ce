"""Login and logout pages."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from seniorplus.console.addresses import request_address
from seniorplus.console.config import (
    COOKIE_NAME,
    LOGIN_CSRF_COOKIE,
    ConsoleSettings,
    console_settings,
)
from seniorplus.console.csrf import CsrfRefused, new_token, read_form, same_origin, tokens_match
from seniorplus.console.deps import Form, Me, session_of
from seniorplus.console.login import check_credentials
from seniorplus.console.render import BASE, notice_of, page
from seniorplus.console.sessions import (
    clear_session_cookie,
    open_session,
    revoke,
    revoke_token,
    set_session_cookie,
)
from seniorplus.console.throttle import LOGINS
from seniorplus.db import session_scope
from seniorplus.models import utcnow
from seniorplus.staff.audit import audit
from seniorplus.staff.models import Agent

router = APIRouter()

EXPIRED = "Votre session a expiré, reconnectez-vous."
wait = asyncio.sleep  # the login delays; tests replace it to record them
LOGIN_CSRF_MAX_AGE_S = 3600


def safe_next(target: str | None) -> str:
    """Where to go after login: a console page of this site, never elsewhere."""
    if (
        target
        and target.startswith(f"{BASE}/")
        and not target.startswith("//")
        and "\\" not in target
        and "://" not in target
    ):
        return target
    return f"{BASE}/"


def _login_page(
    *,
    next_url: str,
    login: str = "",
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    token = new_token()
    response = page(
        "login.html",
        None,
        status_code=status_code,
        title="Connexion",
        error=error,
        notice=notice,
        login_csrf=token,
        next=next_url,
        login=login,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=LOGIN_CSRF_MAX_AGE_S,
        path=f"{BASE}/login",
        httponly=True,
        samesite="strict",
        secure=console_settings().secure_cookie,
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request,
    next_url: Annotated[str | None, Query(alias="next")] = None,
    expiree: str | None = None,
    fait: str | None = None,
) -> Response:
    if session_of(request, touch=False) is not None:
        return RedirectResponse(safe_next(next_url), status_code=303)
    return _login_page(
        next_url=safe_next(next_url),
        error=EXPIRED if expiree else None,
        notice=notice_of(fait),
    )


def _sign_in(
    login: str, password: str, address: str, old_token: str | None, settings: ConsoleSettings
) -> tuple[str | None, str | None]:
    """Check the form and open a session (worker thread: Argon2 and the database).

    Returns the new session token, or None and the French message to show.
    """
    now = utcnow()
    blocked = LOGINS.address_blocked(address, now, settings.ip_max_failures, settings.ip_window)
    with session_scope() as session:
        result = check_credentials(session, login, password, now, address_blocked=blocked)
        if result.agent is None:
            return None, result.message_fr
        revoke_token(session, old_token, now)
        token = open_session(session, result.agent, now, settings)
    LOGINS.succeeded(login)
    return token, None


@router.post("/login")
async def login_submit(request: Request) -> Response:
    if not same_origin(request):
        raise CsrfRefused()
    form = await read_form(request)
    if not tokens_match(form.get("csrf"), request.cookies.get(LOGIN_CSRF_COOKIE)):
        raise CsrfRefused()
    settings = console_settings()
    address = request_address(request, settings.trusted_proxies)
    login = form.get("login", "")
    delay_s = await run_in_threadpool(  # Redis in production: not in the event loop
        LOGINS.begin,
        login,
        address,
        utcnow(),
        window=settings.ip_window,
        free=settings.free_attempts,
        cap_s=settings.max_delay_s,
    )
    if delay_s:
        await wait(delay_s)  # asyncio.sleep: other requests go on meanwhile
    token, message = await run_in_threadpool(
        _sign_in,
        login,
        form.get("password", ""),
        address,
        request.cookies.get(COOKIE_NAME),
        settings,
    )
    if token is None:
        return _login_page(
            next_url=safe_next(form.get("next")),
            login=login.strip()[:64],
            error=message,
            status_code=401,
        )
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    set_session_cookie(response, token, settings)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=f"{BASE}/login")
    return response


@router.get("/logout", response_class=HTMLResponse)
def logout_page(me: Me) -> HTMLResponse:
    return page("logout.html", me, title="Se déconnecter")


@router.post("/logout")
def logout(me: Me, _form: Form) -> Response:
    now = utcnow()
    with session_scope() as session:
        revoke(session, me.session_id, now)
        audit(session, session.get(Agent, me.agent_id), "deconnexion", f"agent:{me.login}", at=now)
    response = RedirectResponse(f"{BASE}/login?fait=deconnecte", status_code=303)
    clear_session_cookie(response, console_settings())
    return response
