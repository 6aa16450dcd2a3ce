"""Twilio's Messaging REST API, faked: one set of rules for the tests and the channel simulator.

``MessagesApi`` answers ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` like
api.twilio.com: HTTP basic auth (AccountSid, AuthToken), form fields ``To``, ``From`` (or
``MessagingServiceSid``), ``Body``; ``201`` with a Message resource (``sid`` "SM" + 32 hex,
``status`` "queued"), or Twilio's JSON errors (``code``, ``message``, ``more_info``,
``status``) in Twilio's order of checks.

``signature`` is the ``X-Twilio-Signature`` Twilio puts on its webhooks (the simulator's
requests, the channel tests'), computed by hand, independently of twilio-python's validator
that the channels use.

``FakeTwilioApi`` serves it on a local port for the tests::

    with FakeTwilioApi("AC" + "0" * 32, "token") as api:
        ... post to api.url ...
        assert api.messages[0]["To"] == "+33612345678"
        api.fail_next(status=400, code=21610, message="Attempt to send to unsubscribed recipient")

The simulator serves it under ``/simulator/twilio`` (``devtools/simulator_vendor.py``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from devtools.fakes.params import BadParameters, read_parameters
from devtools.fakes.server import LocalServer
from rendering.gsm import sms_segments

API_VERSION = "2010-04-01"
MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
MAX_BODY = 1600  # Twilio: error 21617 above 1,600 characters


def signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """``X-Twilio-Signature``: base64 HMAC-SHA1 of the URL then each name+value, sorted by name.

    The URL is the one Twilio was given (scheme, host, port, path and query string).
    """
    payload = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    digest = hmac.new(auth_token.encode("utf-8"), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def twilio_error(status: int, code: int | None, message: str) -> dict[str, Any]:
    """Twilio's REST error body."""
    more_info = f"https://www.twilio.com/docs/errors/{code}" if code is not None else None
    return {"code": code, "message": message, "more_info": more_info, "status": status}


class TwilioError(Exception):
    """A Twilio REST error: HTTP ``status`` and Twilio's ``code``."""

    def __init__(self, status: int, code: int | None, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def payload(self) -> dict[str, Any]:
        return twilio_error(self.status, self.code, self.message)

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Basic realm="Twilio API"'} if self.status == 401 else {}


def _basic_auth(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def form_of(query: str, body: bytes, content_type: str) -> dict[str, str]:
    """A request's parameters as text fields, or TwilioError when Twilio could not read them."""
    try:
        params = read_parameters(query, body, content_type)
    except BadParameters as error:
        raise TwilioError(400, 20001, "Unable to read the request parameters.") from error
    return {name: str(value) for name, value in params.items()}


def check_message(form: Mapping[str, str]) -> None:
    """Twilio's checks on a new message, in its order; TwilioError for the first that fails."""
    to = form.get("To", "").strip()
    if not to:
        raise TwilioError(400, 21604, "A 'To' phone number is required.")
    if not form.get("From", "").strip() and not form.get("MessagingServiceSid", "").strip():
        raise TwilioError(400, 21603, "A 'From' phone number is required.")
    if not form.get("Body") and not form.get("MediaUrl"):
        raise TwilioError(400, 21602, "Message body is required.")
    if not _E164.match(to):
        raise TwilioError(400, 21211, f"The 'To' number {to} is not a valid phone number.")
    if len(form.get("Body", "")) > MAX_BODY:
        raise TwilioError(
            400, 21617, "The concatenated message body exceeds the 1600 character limit."
        )


class MessagesApi:
    """``Messages.json`` of one account: authenticates, checks, answers a Message resource.

    ``account_sid`` empty: any account whose auth token is right is accepted (the simulator
    before TWILIO_ACCOUNT_SID is set).
    """

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token

    def authenticate(self, path_sid: str, authorization: str | None) -> None:
        credentials = _basic_auth(authorization)
        if credentials is None:
            raise TwilioError(401, 20003, "Authenticate")
        user, password = credentials
        known = bool(self.auth_token) and hmac.compare_digest(
            password.encode(), self.auth_token.encode()
        )
        right_account = not self.account_sid or hmac.compare_digest(
            user.encode(), self.account_sid.encode()
        )
        if not known or not right_account or user != path_sid:
            raise TwilioError(401, 20003, "Authenticate")

    def create_message(self, path_sid: str, form: Mapping[str, str]) -> dict[str, Any]:
        """The Message resource Twilio answers (201), or TwilioError."""
        check_message(form)
        sid = "SM" + secrets.token_hex(16)
        now = format_datetime(datetime.now(timezone.utc))  # "Thu, 30 Jul 2015 20:12:31 +0000"
        base = f"/{API_VERSION}/Accounts/{path_sid}/Messages/{sid}"
        body = form.get("Body", "")
        sender = form.get("From", "").strip()
        service = form.get("MessagingServiceSid", "").strip()
        return {
            "account_sid": path_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": sender or None,
            "messaging_service_sid": service or None,
            "num_media": "0",
            "num_segments": str(sms_segments(body).segments),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "accepted" if service else "queued",
            "subresource_uris": {"media": f"{base}/Media.json"},
            "to": form["To"].strip(),
            "uri": f"{base}.json",
        }

    def answer(
        self, path: str, authorization: str | None, form: Mapping[str, str]
    ) -> dict[str, Any]:
        """A POST to ``path`` (from the API's root): the Message resource, or TwilioError."""
        match = MESSAGES_PATH.match(path)
        if match is None:
            raise TwilioError(404, 20404, f"The requested resource {path} was not found")
        self.authenticate(match["sid"], authorization)
        return self.create_message(match["sid"], form)


# --- The tests' door: a local server that records and can fail -------------------------------


@dataclass(frozen=True)
class _Failure:
    status: int
    code: int | None
    message: str
    delay: float


class FakeTwilioApi(LocalServer):
    """``MessagesApi`` on 127.0.0.1 (a free port), recording every request, failing on demand."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        super().__init__()
        self.messages_api = MessagesApi(account_sid, auth_token)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._lock = threading.Lock()
        self._messages: list[dict[str, str]] = []
        self._requests: list[dict[str, Any]] = []
        self._failures: list[_Failure] = []

    # What was received.
    @property
    def messages(self) -> list[dict[str, str]]:
        """Form fields of every message accepted (201), in order (a copy)."""
        with self._lock:
            return [dict(message) for message in self._messages]

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every request: method, path, headers (lowercased), form, answer status, sid."""
        with self._lock:
            return [dict(request) for request in self._requests]

    # Behaviour.
    def fail_next(
        self,
        status: int = 400,
        code: int | None = 21610,
        message: str = "Attempt to send to unsubscribed recipient",
        *,
        times: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Answer the next ``times`` message requests with this error (after ``delay`` s)."""
        with self._lock:
            self._failures.extend([_Failure(status, code, message, delay)] * times)

    def delay_next(self, seconds: float) -> None:
        """Wait ``seconds`` before answering the next request (client timeouts)."""
        self.fail_next(status=0, code=None, message="", delay=seconds)

    # Used by the handler.
    def _next_failure(self) -> _Failure | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def _record(self, request: dict[str, Any], message: dict[str, str] | None) -> None:
        with self._lock:
            self._requests.append(request)
            if message is not None:
                self._messages.append(message)

    def _answer(self, path: str, authorization: str | None, form: dict[str, str]) -> Any:
        """The Message resource, or TwilioError (an injected failure after authentication)."""
        match = MESSAGES_PATH.match(path)
        if match is None:
            return self.messages_api.answer(path, authorization, form)  # 404
        self.messages_api.authenticate(match["sid"], authorization)
        failure = self._next_failure()
        if failure is not None:
            if failure.delay:
                time.sleep(failure.delay)
            if failure.status:
                raise TwilioError(failure.status, failure.code, failure.message)
        return self.messages_api.create_message(match["sid"], form)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)


def _handler_for(api: FakeTwilioApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeTwilio/1.0"

        def log_message(self, format: str, *args: Any) -> None:  # stdlib's signature
            pass  # quiet tests; never print numbers or texts

        def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str]) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)  # unless the client gave up (timeout tests)

        def do_GET(self) -> None:
            self._send(405, twilio_error(405, 20004, "Method not allowed"), {})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            record: dict[str, Any] = {
                "method": "POST",
                "path": self.path,
                "headers": {name.lower(): value for name, value in self.headers.items()},
                "form": {},
            }
            try:
                form = form_of("", body, self.headers.get("Content-Type") or "")
                record["form"] = form
                message = api._answer(url.path, self.headers.get("Authorization"), form)
            except TwilioError as error:
                record.update(status=error.status, sid=None)
                api._record(record, None)
                self._send(error.status, error.payload(), error.headers())
                return
            record.update(status=201, sid=message["sid"])
            api._record(record, form)
            self._send(201, message, {})

    return Handler


__all__ = [
    "FakeTwilioApi",
    "MessagesApi",
    "TwilioError",
    "check_message",
    "form_of",
    "signature",
    "twilio_error",
]
