"""The console as a FastAPI application of its own, mounted at ``/console`` by the web app.

Its own error pages (French HTML, JSON for the pages' background refreshes),
its security headers, its static files. Building it does no I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from observability.mask import mask_url
from seniorplus.console.csrf import CsrfRefused, FormTooLarge
from seniorplus.console.deps import Forbidden, LoginRequired, PageNotFound, is_background
from seniorplus.console.render import BASE, page
from seniorplus.console.routes import (
    admin_accounts,
    admin_mediators,
    auth,
    booking,
    callbacks,
    cases,
    conversation,
    intervene,
    journal,
    journeys,
    queue,
)

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
CSRF_MESSAGE = (
    "Cette action a été refusée : la page était trop ancienne ou la demande ne venait pas de "
    "la console. Rechargez la page et recommencez."
)
FORBIDDEN_MESSAGE = (
    "Cette page est réservée à un autre rôle. Demandez à un administrateur si besoin."
)
SERVER_ERROR = "Une erreur est survenue : l'action n'a pas abouti. Réessayez dans un instant."
EXPIRED_JSON = "Votre session a expiré, reconnectez-vous."


def _error_page(request: Request, status_code: int, title: str, message: str) -> Response:
    if is_background(request):
        return JSONResponse({"erreur": message}, status_code=status_code)
    me = getattr(request.state, "me", None)
    return page(
        "error.html",
        me,
        status_code=status_code,
        title=title,
        message=message,
        link=f"{BASE}/",
        link_text="Revenir à la file d'attente",
    )


def _install_handlers(console: FastAPI) -> None:
    @console.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if is_background(request):
            return JSONResponse(
                {"erreur": EXPIRED_JSON, "connexion": f"{BASE}/login?expiree=1"}, status_code=401
            )
        target = request.url.path if request.method == "GET" else f"{BASE}/"
        if request.method == "GET" and request.url.query:
            target += f"?{request.url.query}"
        location = f"{BASE}/login?next={quote(target, safe='')}"
        if exc.expired:
            location += "&expiree=1"
        return RedirectResponse(location, status_code=303)

    @console.exception_handler(Forbidden)
    async def _forbidden(request: Request, _exc: Forbidden) -> Response:
        return _error_page(request, 403, "Accès refusé", FORBIDDEN_MESSAGE)

    @console.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _exc: CsrfRefused) -> Response:
        logger.info("console: CSRF check refused %s", mask_url(request.url.path))
        return _error_page(request, 403, "Action refusée", CSRF_MESSAGE)

    @console.exception_handler(FormTooLarge)
    async def _too_large(request: Request, _exc: FormTooLarge) -> Response:
        return _error_page(request, 413, "Envoi trop long", "Ce formulaire est trop long.")

    @console.exception_handler(PageNotFound)
    async def _not_found(request: Request, exc: PageNotFound) -> Response:
        return _error_page(request, 404, "Page introuvable", exc.message_fr)

    @console.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _error_page(request, 404, "Page introuvable", PageNotFound().message_fr)
        if exc.status_code == 405:
            return _error_page(request, 405, "Action impossible", "Cette action n'existe pas ici.")
        return _error_page(
            request, exc.status_code, "Demande refusée", "La demande n'a pas abouti."
        )

    @console.exception_handler(RequestValidationError)
    async def _invalid(request: Request, _exc: RequestValidationError) -> Response:
        return _error_page(
            request, 400, "Demande incomplète", "Une valeur manque ou n'est pas valable."
        )

    @console.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        logger.error(
            "console: %s on %s %s", type(exc).__name__, request.method, mask_url(request.url.path)
        )
        return _error_page(request, 500, "Erreur", SERVER_ERROR)


def create_console() -> FastAPI:
    """The console application (mount it at ``/console``)."""
    console = FastAPI(
        title="Senior Plus — console", docs_url=None, redoc_url=None, openapi_url=None
    )
    console.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @console.middleware("http")
    async def _headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        static = request.url.path.startswith(f"{BASE}/static/") or request.url.path.startswith(
            "/static/"
        )
        response.headers["Cache-Control"] = "no-cache" if static else "no-store"
        return response

    _install_handlers(console)
    for module in (
        auth,
        queue,
        conversation,
        cases,
        booking,
        callbacks,
        intervene,
        admin_accounts,
        admin_mediators,
        journal,
        journeys,
    ):
        console.include_router(module.router)
    return console
