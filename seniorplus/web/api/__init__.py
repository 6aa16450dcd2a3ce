"""The authenticated JSON API (``/api``) for the agent console and for evaluation.

A FastAPI application of its own, mounted at ``/api`` by ``seniorplus.web.app``:
its errors are ``{"erreur": "..."}`` in French (framework and validation errors
included), its OpenAPI document is ``/api/openapi.json`` and its docs
``/api/docs``. Every route needs a `Principal` (``auth.current_principal``);
changes need the role supervisor or admin. Documentation: docs/api.md.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from observability.mask import mask_url
from seniorplus import __version__
from seniorplus.web.api import agenda, appointments, availability, cases, free_slots, people
from seniorplus.web.api.auth import (
    DEFAULT_AUTHENTICATORS,
    Authenticator,
    Principal,
    authenticate,
    unauthorized,
)
from seniorplus.web.api.common import (
    HTTP_MESSAGES_FR,
    INTERNAL_ERROR_FR,
    ApiError,
    error_response,
    install_access_log_mask,
    validation_response,
)

__all__ = ["ApiError", "Authenticator", "Principal", "create_api"]

logger = logging.getLogger(__name__)

DESCRIPTION = """\
API JSON de Senior Plus, pour la console des conseillers et pour l'évaluation.

**Authentification** : `Authorization: Bearer <jeton>` (jeton de machine, rôle
administrateur). Sans jeton ou avec un mauvais jeton : 401. Les modifications
demandent le rôle superviseur ou administrateur (403 sinon).

**Erreurs** : toujours `{"erreur": "<phrase en français>"}`, avec `"champs"` pour
une requête invalide (422).

**Heures** : renvoyées à l'heure de Paris avec leur décalage ; une heure envoyée
sans décalage est lue comme heure de Paris.

Documentation complète : `docs/api.md`.
"""

TAGS = [
    {"name": "dossiers", "description": "Dossiers, pièces à fournir et historique."},
    {"name": "agenda", "description": "Sites, médiateurs, calendriers, rendez-vous, créneaux."},
]


def create_api(*, authenticators: Sequence[Authenticator] | None = None) -> FastAPI:
    """Build the API application (no I/O).

    ``authenticators``: how callers prove who they are, tried in order (default:
    machine tokens). Agent sessions will add theirs here.
    """
    api = FastAPI(
        title="Senior Plus — API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    api.state.authenticators = tuple(
        authenticators if authenticators is not None else DEFAULT_AUTHENTICATORS
    )
    api.include_router(cases.router)
    api.include_router(agenda.router)
    api.include_router(availability.router)
    api.include_router(appointments.router)
    api.include_router(free_slots.router)
    api.include_router(people.router)
    install_access_log_mask()

    @api.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @api.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # A caller who is not authenticated learns nothing, not even what was invalid.
        if await run_in_threadpool(authenticate, request) is None:
            return unauthorized().response()
        return validation_response(exc)

    @api.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = HTTP_MESSAGES_FR.get(exc.status_code, "La demande n'a pas abouti.")
        return error_response(exc.status_code, message, headers=exc.headers)

    @api.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.error(
            "api: %s on %s %s", type(exc).__name__, request.method, mask_url(request.url.path)
        )
        return error_response(status.HTTP_500_INTERNAL_SERVER_ERROR, INTERNAL_ERROR_FR)

    return api
