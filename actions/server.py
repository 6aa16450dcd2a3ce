"""The action server: rasa_sdk's executor behind our own, locked webhook.

Started instead of ``python -m rasa_sdk`` (scripts/services.py):

    python -m actions.server --port 5055

Compared with rasa_sdk's app (``rasa_sdk.endpoint.create_app``):

- ``POST /webhook`` and ``GET /actions`` need ``Authorization: Bearer <ACTION_SERVER_TOKEN>``
  (compared in constant time), else 401: only Rasa, which sends it
  (``bot/endpoints.yml``), runs actions;
- JSON only (``Content-Type: application/json``), else 415: a web page cannot post
  a "simple" cross-site request to it, and no CORS header is ever sent;
- the body is capped before and after decompression (``deflate``), else 413;
- errors never echo the request body or the tracker: a short French reason, and
  the log says which action failed, never what the person wrote.

In production (``APP_ENV`` other than dev or test, or unset), a missing or short
secret stops the start with a French message.
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import logging.config
import sys
import zlib
from collections.abc import Mapping
from typing import Any

import yaml
from rasa_sdk import utils
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions import operations
from observability.logs import log_format
from seniorplus.clock import frozen_day
from seniorplus.logsetup import configure_logging
from seniorplus.settings import (
    ActionServerSettings,
    Settings,
    SettingsError,
    environment,
    get_settings,
)

logger = logging.getLogger(__name__)

TOKEN_ENV = "ACTION_SERVER_TOKEN"  # noqa: S105  (the name of the variable, not a secret)
MIN_TOKEN_CHARS = 24
MAX_BODY_BYTES = 2 * 1024 * 1024  # a long conversation's tracker is well under 1 MiB
DEV_ENVS = ("dev", "test")

UNAUTHORIZED = "Accès refusé : jeton du serveur d'actions absent ou invalide."
NOT_JSON = "Type de contenu refusé : application/json attendu."
TOO_LARGE = "Requête trop volumineuse."
UNREADABLE = "Requête illisible : un objet JSON d'appel d'action est attendu."
INTERNAL = "Erreur interne du serveur d'actions."
MISSING_SECRET = (
    "Le serveur d'actions ne démarre pas : la variable ACTION_SERVER_TOKEN est absente ou trop "
    f"courte ({MIN_TOKEN_CHARS} caractères au moins). Réglez-la (la même pour Rasa, "
    "bot/endpoints.yml), puis relancez."
)


class ConfigurationError(RuntimeError):
    """The server cannot start safely; the message is in French, for the operator."""


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def secret_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """The shared secret; None only in dev and tests (where checks are then skipped)."""
    server = get_settings().action_server if env is None else ActionServerSettings.from_env(env)
    token = server.token
    if len(token) >= MIN_TOKEN_CHARS:
        return token
    if server.app_env in DEV_ENVS and not token:
        logger.warning("ACTION_SERVER_TOKEN unset: action server open (dev or test only)")
        return None
    raise ConfigurationError(MISSING_SECRET)


def _authorized(request: Request, secret: str | None) -> bool:
    if secret is None:
        return True
    header = request.headers.get("authorization") or ""
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), secret.encode())


def _is_json(request: Request) -> bool:
    media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    return media_type == "application/json"


def inflate(data: bytes, limit: int) -> bytes:
    """``deflate`` data, refused (413) past ``limit`` bytes once inflated, 400 if corrupt."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as error:
        raise Refused(400, UNREADABLE) from error
    if len(out) > limit or inflater.unconsumed_tail:
        raise Refused(413, TOO_LARGE)
    return out


def read_action_call(request: Request, limit: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """The action call in a request, or Refused (415, 413, 400)."""
    if not _is_json(request):
        raise Refused(415, NOT_JSON)
    body = request.body or b""
    if len(body) > limit:
        raise Refused(413, TOO_LARGE)
    encoding = (request.headers.get("content-encoding") or "identity").strip().lower()
    if encoding == "deflate":
        body = inflate(body, limit)
    elif encoding != "identity":
        raise Refused(415, NOT_JSON)
    try:
        call = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise Refused(400, UNREADABLE) from error
    if not isinstance(call, dict) or not _well_formed(call):
        raise Refused(400, UNREADABLE)
    return call


def _well_formed(call: dict[str, Any]) -> bool:
    """The shape rasa_sdk's Tracker.from_dict reads (Rasa always sends it so)."""
    if not isinstance(call.get("next_action"), str):
        return False
    tracker, domain = call.get("tracker"), call.get("domain", {})
    if not isinstance(tracker, dict) or not isinstance(domain, dict):
        return False
    if not isinstance(tracker.get("sender_id"), str):
        return False
    for key in ("slots", "latest_message", "active_loop"):
        if tracker.get(key) is not None and not isinstance(tracker[key], dict):
            return False
    events = tracker.get("events")
    events = [] if events is None else events
    return isinstance(events, list) and all(
        isinstance(event, dict) and isinstance(event.get("event"), str) for event in events
    )


def create_app(
    package: str = "actions",
    secret: str | None = None,
    max_body: int = MAX_BODY_BYTES,
    name: str = "senior_plus_actions",
) -> Sanic:
    """The action server's Sanic app (no CORS: only Rasa calls it)."""
    app = Sanic(name, configure_logging=False)
    app.config.REQUEST_MAX_SIZE = max_body  # Sanic refuses bigger bodies itself (413)
    executor = ActionExecutor()
    executor.register_package(package)

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    operations.install(app)  # /health/live, /health/ready, /metrics

    @app.get("/actions")
    async def actions(request: Request) -> HTTPResponse:
        if not _authorized(request, secret):
            return response.json({"error": UNAUTHORIZED}, status=401)
        return response.json([{"name": name} for name in executor.actions])

    @app.post("/webhook")
    async def webhook(request: Request) -> HTTPResponse:
        if not _authorized(request, secret):
            logger.warning("Action call refused: missing or wrong token")
            return response.json({"error": UNAUTHORIZED}, status=401)
        try:
            call = read_action_call(request, max_body)
        except Refused as refused:
            logger.warning("Action call refused (%s)", refused.status)
            return response.json({"error": refused.reason}, status=refused.status)
        version = call.get("version")
        utils.check_version_compatibility(version if isinstance(version, str) else None)
        try:
            result = await operations.run_with_request_id(call, executor.run)
        except ActionExecutionRejection as rejection:
            return response.json(
                {"error": "Action refusée.", "action_name": rejection.action_name}, 400
            )
        except ActionNotFoundException as missing:
            logger.error("Unknown action %s", missing.action_name)
            return response.json(
                {"error": "Action inconnue.", "action_name": missing.action_name}, 404
            )
        return response.json(result)

    async def failed(request: Request, error: Exception) -> HTTPResponse:
        # Only the type and the action's name: the body holds the tracker (the person's words).
        status = getattr(error, "status_code", 500)
        if not isinstance(status, int) or status < 400 or status > 599:
            status = 500
        name = _action_name(request)
        if status >= 500:
            operations.count_error(type(error).__name__)
            logger.error("Action %s failed: %s", name, type(error).__name__)
            return response.json({"error": INTERNAL}, status=500)
        return response.json({"error": _client_error(status)}, status=status)

    app.error_handler.add(Exception, failed)
    return app


def _action_name(request: Request) -> str:
    try:
        call = json.loads(request.body or b"")
        name = call.get("next_action") if isinstance(call, dict) else None
    except Exception:
        name = None
    return name[:64] if isinstance(name, str) else "?"


def _client_error(status: int) -> str:
    return {
        404: "Adresse inconnue.",
        405: "Méthode non autorisée.",
        413: TOO_LARGE,
    }.get(status, "Requête refusée.")


def start_problems(environ: Mapping[str, str]) -> list[str]:
    """Every reason why the action server cannot start (empty: it can), each named.

    The whole settings object is checked (a malformed value anywhere, a missing
    ``RASA_TOKEN`` in production), a frozen clock is refused in production (at start,
    not at a person's first question), and the secret shared with Rasa is required.
    """
    problems: list[str] = []
    try:
        Settings.from_env(environ)
        frozen_day(environ)
    except SettingsError as error:
        problems.extend(error.problems)
    except ConfigurationError as error:
        problems.append(str(error))
    try:
        secret_from_env(environ)
    except ConfigurationError as error:
        problems.append(str(error))
    return problems


def main(argv: list[str] | None = None) -> int:
    problems = start_problems(environment())
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    settings = get_settings()
    parser = argparse.ArgumentParser(description="Senior Plus action server")
    parser.add_argument("--port", type=int, default=settings.action_server.port)
    parser.add_argument("--actions", default="actions")
    parser.add_argument("--logging-config-file", default=None)
    args = parser.parse_args(argv)
    if args.logging_config_file and log_format(settings.observability.as_environ()) == "text":
        with open(args.logging_config_file, encoding="utf-8") as file:
            logging.config.dictConfig(yaml.safe_load(file))
    else:  # JSON lines with the request id (docs/deployment.md, « Exploitation »)
        configure_logging("actions")
        logging.getLogger("rasa_sdk").setLevel(logging.WARNING)
    app = create_app(args.actions, secret_from_env())
    app.run(settings.action_server.host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
