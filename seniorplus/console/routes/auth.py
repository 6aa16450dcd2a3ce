"""Login and logout pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seniorplus.console.config import COOKIE_NAME, LOGIN_CSRF_COOKIE, console_settings
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
from seniorplus.db import session_scope
from seniorplus.handoff.audit import audit
from seniorplus.handoff.models import Agent
from seniorplus.models import utcnow

router = APIRouter()

EXPIRED = "Votre session a expiré, reconnectez-vous."
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


@router.post("/login")
async def login_submit(request: Request) -> Response:
    if not same_origin(request):
        raise CsrfRefused()
    form = await read_form(request)
    if not tokens_match(form.get("csrf"), request.cookies.get(LOGIN_CSRF_COOKIE)):
        raise CsrfRefused()
    settings = console_settings()
    now = utcnow()
    address = request.client.host if request.client else "inconnu"
    login = form.get("login", "")
    with session_scope() as session:
        result = check_credentials(session, login, form.get("password", ""), address, now, settings)
        token = None
        if result.agent is not None:
            revoke_token(session, request.cookies.get(COOKIE_NAME), now)
            token = open_session(session, result.agent, now, settings)
    if token is None:
        return _login_page(
            next_url=safe_next(form.get("next")),
            login=login.strip()[:64],
            error=result.message_fr,
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
