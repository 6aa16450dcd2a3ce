"""A local fake of Twilio's Messaging REST API (standard library only, both environments).

Serves ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` like api.twilio.com:
HTTP basic auth (AccountSid, AuthToken), form fields ``To``, ``From``, ``Body``,
answer ``201`` with a Message resource (``sid`` "SM" + 32 hex, ``status`` "queued"),
and Twilio's JSON errors (``code``, ``message``, ``more_info``, ``status``)::

    with FakeTwilioApi("AC" + "0" * 32, "token") as api:
        ... post to api.url ...
        assert api.messages[0]["To"] == "+33612345678"
        api.fail_next(status=400, code=21610, message="Attempt to send to unsubscribed recipient")
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs

from rendering.gsm import sms_segments

API_VERSION = "2010-04-01"
_MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
MAX_BODY = 1600  # Twilio: error 21617 above 1,600 characters


@dataclass(frozen=True)
class _Failure:
    status: int
    code: int | None
    message: str
    delay: float


def twilio_error(status: int, code: int | None, message: str) -> dict[str, Any]:
    """Twilio's REST error body."""
    more_info = f"https://www.twilio.com/docs/errors/{code}" if code is not None else None
    return {"code": code, "message": message, "more_info": more_info, "status": status}


class FakeTwilioApi:
    """A threaded HTTP server on 127.0.0.1 (free port) answering like Twilio."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._lock = threading.Lock()
        self._messages: list[dict[str, str]] = []
        self._requests: list[dict[str, Any]] = []
        self._failures: list[_Failure] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle.
    def __enter__(self) -> FakeTwilioApi:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        self._server = server
        # A short poll interval: shutdown() waits for it (0.5 s by default, per test).
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def url(self) -> str:
        """Base URL, to use as TWILIO_API_URL (no trailing slash)."""
        if self._server is None:
            raise RuntimeError("FakeTwilioApi is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

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

    def _authorized(self, header: str | None, path_sid: str) -> bool:
        if not header or not header.startswith("Basic "):
            return False
        try:
            decoded = base64.b64decode(header[len("Basic ") :], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return False
        sid, _, token = decoded.partition(":")
        return (
            hmac.compare_digest(sid.encode(), self.account_sid.encode())
            and hmac.compare_digest(token.encode(), self.auth_token.encode())
            and path_sid == self.account_sid
        )

    def _message_resource(self, form: dict[str, str]) -> dict[str, Any]:
        sid = "SM" + uuid.uuid4().hex
        now = format_datetime(datetime.now(timezone.utc))  # "Thu, 30 Jul 2015 20:12:31 +0000"
        base = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": form["Body"],
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form["From"],
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": str(sms_segments(form["Body"]).segments),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {"media": f"{base}/Media.json"},
            "to": form["To"],
            "uri": f"{base}.json",
        }


def _validate(form: dict[str, str]) -> tuple[int, int, str] | None:
    """Twilio's checks on a new message, in its order; None when it is accepted."""
    to = form.get("To", "")
    if not to:
        return 400, 21604, "A 'To' phone number is required."
    if not form.get("From") and not form.get("MessagingServiceSid"):
        return 400, 21603, "A 'From' phone number is required."
    if not form.get("Body") and not form.get("MediaUrl"):
        return 400, 21602, "Message body is required."
    if not _E164.match(to):
        return 400, 21211, f"The 'To' number {to} is not a valid phone number."
    if len(form.get("Body", "")) > MAX_BODY:
        return 400, 21617, "The concatenated message body exceeds the 1600 character limit."
    return None


def _handler_for(api: FakeTwilioApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeTwilio/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet tests; never print numbers or texts

        def _answer(self, status: int, payload: dict[str, Any], **headers: str) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)  # unless the client gave up (timeout tests)

        def _read_form(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", errors="replace") if length else ""
            return {name: values[-1] for name, values in parse_qs(raw).items()}

        def do_GET(self) -> None:
            self._answer(405, twilio_error(405, 20004, "Method not allowed"))

        def do_POST(self) -> None:
            form = self._read_form()
            record: dict[str, Any] = {
                "method": "POST",
                "path": self.path,
                "headers": {name.lower(): value for name, value in self.headers.items()},
                "form": form,
            }
            status, payload, accepted = self._handle(form)
            record["status"] = status
            record["sid"] = payload.get("sid") if accepted else None
            api._record(record, form if accepted else None)
            headers = {"WWW_Authenticate": 'Basic realm="Twilio API"'} if status == 401 else {}
            self._answer(status, payload, **headers)

        def _handle(self, form: dict[str, str]) -> tuple[int, dict[str, Any], bool]:
            match = _MESSAGES_PATH.match(self.path)
            if match is None:
                message = f"The requested resource {self.path} was not found"
                return 404, twilio_error(404, 20404, message), False
            if not api._authorized(self.headers.get("Authorization"), match["sid"]):
                return 401, twilio_error(401, 20003, "Authenticate"), False
            failure = api._next_failure()
            if failure is not None:
                if failure.delay:
                    time.sleep(failure.delay)
                if failure.status:
                    error = twilio_error(failure.status, failure.code, failure.message)
                    return failure.status, error, False
            invalid = _validate(form)
            if invalid is not None:
                status, code, message = invalid
                return status, twilio_error(status, code, message), False
            return 201, api._message_resource(form), True

    return Handler
