"""A local fake of the Telegram Bot API (standard library only, both environments).

Serves ``/bot<token>/<method>`` like api.telegram.org (GET or POST; parameters in the
query string, a JSON body, a form or multipart form, as the real API accepts) and
answers ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ...,
"description": ...}`` with the HTTP status equal to the error code::

    with FakeTelegramApi() as api:
        bot = Bot(token, base_url=f"{api.url}/bot")  # api.url is TELEGRAM_API_URL
        ...
        assert api.calls[0] == ("sendMessage", {"chat_id": 42, "text": "Bonjour", ...})
        api.fail_next(error_code=403, description="Forbidden: bot was blocked by the user")
        api.fail_next(429, "Too Many Requests: retry after 7", retry_after=7)
        api.fail_next(disconnect=True)  # a network error
        api.delay_next(2.0)  # a slow answer (client timeouts)

``sendMessage`` is checked like the real API: chat id and text required, at most 4,096
characters once the HTML (``parse_mode="HTML"``) is parsed, only Telegram's HTML tags,
and a reply markup that is a JSON object.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

BOT_USER = {
    "id": 1000000000,
    "is_bot": True,
    "first_name": "Senior Plus",
    "username": "SeniorPlusBot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
MAX_TEXT = 4096
_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)$")
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
# Parameters the Bot API reads as JSON when they come in a form or a query string.
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
        "allowed_updates",
        "commands",
        "scope",
    }
)
# https://core.telegram.org/bots/api#html-style
_HTML_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
        "br",
    }
)
_VOID_TAGS = frozenset({"br"})


class ApiError(Exception):
    """An answer ``{"ok": false}`` with this error code and description."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass(frozen=True)
class _Failure:
    method: str | None
    error_code: int
    description: str
    retry_after: int | None
    delay: float
    disconnect: bool


class _TelegramHtml(HTMLParser):
    """Plain text of a Telegram HTML message, or ApiError like Telegram's parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"'
            )
        if tag == "a" and not dict(attrs).get("href"):
            raise ApiError(400, "Bad Request: can't parse entities: Link URL is empty")
        if tag not in _VOID_TAGS:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS:
            return
        if not self.stack or self.stack[-1] != tag:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @classmethod
    def plain_text(cls, text: str) -> str:
        parser = cls()
        parser.feed(text)
        parser.close()
        if parser.stack:
            raise ApiError(
                400,
                "Bad Request: can't parse entities: Can't find end tag corresponding to "
                f'start tag "{parser.stack[-1]}"',
            )
        return "".join(parser.parts)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_value(name: str, value: Any) -> Any:
    """A form or query value as the Bot API reads it (numbers and JSON objects decoded)."""
    if not isinstance(value, str):
        return value
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError as error:
            raise ApiError(
                400, f"Bad Request: can't parse {name.replace('_', ' ')} JSON object"
            ) from error
    if name in {"chat_id", "message_id", "reply_to_message_id"} and re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


def _check_reply_markup(markup: Any) -> None:
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "keyboard" in markup:
        rows = markup["keyboard"]
        valid = isinstance(rows, list) and all(
            isinstance(row, list)
            and all(
                isinstance(button, str)
                or (isinstance(button, dict) and isinstance(button.get("text"), str))
                for button in row
            )
            for row in rows
        )
        if not valid:
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    elif not (
        markup.get("remove_keyboard") is True
        or "inline_keyboard" in markup
        or markup.get("force_reply") is True
    ):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")


class FakeTelegramApi:
    """A threaded HTTP server on 127.0.0.1 (free port) answering like the Bot API.

    ``token``: when given, any other bot token gets 401 Unauthorized; else any
    well-formed token is accepted.
    """

    def __init__(self, token: str | None = None) -> None:
        self.token = token
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._calls: list[tuple[str, dict[str, Any]]] = []
        self._messages: list[dict[str, Any]] = []
        self._failures: list[_Failure] = []
        self._next_message_id = 1
        self._webhook: dict[str, Any] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle.
    def __enter__(self) -> FakeTelegramApi:
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
        """Base URL, to use as TELEGRAM_API_URL (methods at ``{url}/bot<token>/<method>``)."""
        if self._server is None:
            raise RuntimeError("FakeTelegramApi is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # What was received.
    @property
    def calls(self) -> list[tuple[str, dict[str, Any]]]:
        """Every call, failed ones included: (method as written, parameters), in order."""
        with self._lock:
            return [(method, dict(params)) for method, params in self._calls]

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Parameters of every sendMessage that succeeded, in order (a copy)."""
        with self._lock:
            return [dict(params) for params in self._messages]

    def methods(self) -> list[str]:
        """Names of the methods called, in order."""
        return [method for method, _ in self.calls]

    def wait_for_messages(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Block until ``count`` messages were sent (or ``timeout`` s), then return them all."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
            return [dict(params) for params in self._messages]

    # Behaviour.
    def fail_next(
        self,
        error_code: int = 403,
        description: str = "Forbidden: bot was blocked by the user",
        *,
        method: str | None = "sendMessage",
        times: int = 1,
        retry_after: int | None = None,
        delay: float = 0.0,
        disconnect: bool = False,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (None: any) with this error.

        ``retry_after`` adds ``parameters.retry_after`` (use with error 429);
        ``disconnect`` closes the connection without an answer (a network error);
        ``delay`` waits that many seconds first (client timeouts).
        """
        failure = _Failure(method, error_code, description, retry_after, delay, disconnect)
        with self._lock:
            self._failures.extend([failure] * times)

    def delay_next(self, seconds: float, *, method: str | None = "sendMessage") -> None:
        """Wait ``seconds`` before answering the next call of ``method`` normally."""
        with self._lock:
            self._failures.append(_Failure(method, 0, "", None, seconds, False))

    # Used by the handler.
    def _take_failure(self, method: str) -> _Failure | None:
        with self._lock:
            for index, failure in enumerate(self._failures):
                if failure.method is None or failure.method.lower() == method.lower():
                    return self._failures.pop(index)
        return None

    def _record(self, method: str, params: dict[str, Any]) -> None:
        with self._changed:
            self._calls.append((method, params))
            self._changed.notify_all()

    def _check_token(self, token: str) -> None:
        if not _TOKEN.match(token):
            raise ApiError(404, "Not Found")
        if self.token is not None and token != self.token:
            raise ApiError(401, "Unauthorized")

    def _handle(self, method: str, params: dict[str, Any]) -> Any:
        name = method.lower()
        if name == "getme":
            return dict(BOT_USER)
        if name == "sendmessage":
            return self._send_message(params)
        if name == "sendchataction":
            if "chat_id" not in params:
                raise ApiError(400, "Bad Request: chat_id is empty")
            if not params.get("action"):
                raise ApiError(400, "Bad Request: action is empty")
            return True
        if name == "setwebhook":
            with self._lock:
                self._webhook = {
                    "url": params.get("url", ""),
                    "secret_token": params.get("secret_token"),
                    "allowed_updates": params.get("allowed_updates"),
                }
            return True
        if name == "deletewebhook":
            with self._lock:
                self._webhook = {}
            return True
        if name == "getwebhookinfo":
            with self._lock:
                info = {
                    "url": self._webhook.get("url", ""),
                    "has_custom_certificate": False,
                    "pending_update_count": 0,
                }
                if self._webhook.get("allowed_updates"):
                    info["allowed_updates"] = self._webhook["allowed_updates"]
            return info
        if name == "setmycommands":
            return True
        raise ApiError(404, "Not Found: method not found")

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise ApiError(400, "Bad Request: chat_id is empty")
        raw = params.get("text")
        if not isinstance(raw, str) or not raw.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        html_mode = str(params.get("parse_mode") or "").upper() == "HTML"
        text = _TelegramHtml.plain_text(raw) if html_mode else raw  # Markdown is not checked
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16_length(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        _check_reply_markup(params.get("reply_markup"))
        with self._changed:
            message_id = self._next_message_id
            self._next_message_id += 1
            self._messages.append(dict(params))
            self._changed.notify_all()
        numeric = isinstance(chat_id, int)
        chat: dict[str, Any] = {"id": chat_id if numeric else 0, "type": "private"}
        if numeric and chat_id < 0:
            chat = {"id": chat_id, "type": "group", "title": "Groupe"}
        return {
            "message_id": message_id,
            "from": dict(BOT_USER),
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        if part.get_filename():
            fields[name] = {"filename": part.get_filename(), "size": len(payload)}
        else:
            fields[name] = payload.decode("utf-8", errors="replace")
    return fields


def _handler_for(api: FakeTelegramApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeTelegram/1.0"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # stdlib's signature
            pass  # quiet tests; never print chat ids, tokens or texts

        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            body = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _params(self) -> dict[str, Any]:
            query = urlsplit(self.path).query
            raw: dict[str, Any] = {name: values[-1] for name, values in parse_qs(query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            content_type = self.headers.get("Content-Type") or ""
            if body and content_type.startswith("application/json"):
                try:
                    decoded = json.loads(body)
                except ValueError as error:
                    raise ApiError(400, "Bad Request: invalid JSON in request body") from error
                if not isinstance(decoded, dict):
                    raise ApiError(400, "Bad Request: parameters must be a JSON object")
                raw.update(decoded)
            elif body and content_type.startswith("multipart/form-data"):
                raw.update(_parse_multipart(content_type, body))
            elif body:
                text = body.decode("utf-8", errors="replace")
                raw.update({name: values[-1] for name, values in parse_qs(text).items()})
            return {name: _decode_value(name, value) for name, value in raw.items()}

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def _serve(self) -> None:
            match = _PATH.match(urlsplit(self.path).path)
            if match is None:
                self._answer(404, ApiError(404, "Not Found").payload())
                return
            method = match["method"]
            try:
                params = self._params()
            except ApiError as error:
                api._record(method, {})
                self._answer(error.error_code, error.payload())
                return
            api._record(method, params)
            try:
                api._check_token(match["token"])
                failure = api._take_failure(method)
                if failure is not None:
                    if failure.delay:
                        time.sleep(failure.delay)
                    if failure.disconnect:
                        self.close_connection = True
                        self.connection.close()
                        return
                if failure is not None and failure.error_code:
                    extra = (
                        {"retry_after": failure.retry_after}
                        if failure.retry_after is not None
                        else None
                    )
                    raise ApiError(failure.error_code, failure.description, extra)
                result = api._handle(method, params)
            except ApiError as error:
                self._answer(error.error_code, error.payload())
                return
            self._answer(200, {"ok": True, "result": result})

    return Handler


__all__ = ["BOT_USER", "MAX_TEXT", "ApiError", "FakeTelegramApi"]
