"""The Telegram Bot API, faked: one set of rules for the tests and the channel simulator.

``BotApi`` answers the methods Senior Plus calls like api.telegram.org: the ``result`` of a
method, or ``ApiError`` (``{"ok": false, "error_code", "description"}`` with that HTTP
status). ``sendMessage`` is checked like the real API: chat id, text of 1 to 4,096 characters
once Telegram's HTML is parsed (known tags only, balanced, only its named entities), a reply
markup that is a keyboard Telegram can show. Message ids count from 1 in each chat.

``FakeTelegramApi`` serves it on a local port for the tests (``/bot<token>/<method>``, GET or
POST, parameters in the query string, a JSON body, a form or a multipart form)::

    with FakeTelegramApi(token) as api:
        bot = Bot(token, base_url=f"{api.url}/bot")  # api.url is TELEGRAM_API_URL
        ...
        assert api.calls[0] == ("sendMessage", {"chat_id": 42, "text": "Bonjour", ...})
        api.fail_next(error_code=403, description="Forbidden: bot was blocked by the user")
        api.fail_next(429, "Too Many Requests: retry after 7", retry_after=7)
        api.fail_next(disconnect=True)  # a network error
        api.delay_next(2.0)  # a slow answer (client timeouts)

The simulator serves it under ``/simulator/telegram`` (``devtools/simulator_vendor.py``).
"""

from __future__ import annotations

import hmac
import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from devtools.fakes.params import BadParameters, read_parameters
from devtools.fakes.server import LocalServer

BOT_ID = 1000000000
BOT_USER: dict[str, Any] = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Senior Plus",
    "username": "SeniorPlusBot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
MAX_TEXT = 4096
MAX_CHATS = 1200  # message id counters kept; beyond, ids restart as in a new chat
PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)$")
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
HTML_TAGS = frozenset(
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
    }
)
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_MEDIA_METHODS = frozenset({"sendphoto", "senddocument", "sendvoice", "sendaudio", "sendsticker"})
_ACCEPTED_METHODS = frozenset(
    {"setmycommands", "deletemycommands", "answercallbackquery", "logout", "close"}
)


class ApiError(Exception):
    """An answer ``{"ok": false}`` with this error code (the HTTP status) and description."""

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


def _entities_error(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {reason}")


class _TelegramHtml(HTMLParser):
    """Telegram's HTML subset: known tags only, balanced, only its named entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS:
            raise _entities_error(f'Unsupported start tag "{tag}"')
        if tag == "a" and not (dict(attrs).get("href") or "").strip():
            raise _entities_error("Link URL is empty")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise _entities_error(f'Unsupported start tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise _entities_error(f'Unmatched end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def plain_text(text: str, parse_mode: str | None) -> str:
    """The text a Telegram user sees, or ApiError as the API would answer.

    HTML is checked like Telegram's parser; Markdown and MarkdownV2 are passed as they are.
    """
    if not parse_mode:
        return text
    mode = parse_mode.upper()
    if mode in ("MARKDOWN", "MARKDOWNV2"):
        return text
    if mode != "HTML":
        raise ApiError(400, "Bad Request: unsupported parse_mode")
    for match in re.finditer(r"&", text):
        if not _ENTITY.match(text, match.start()):
            offset = len(text[: match.start()].encode("utf-8"))
            raise _entities_error(f"Character entity expected at byte offset {offset}")
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise _entities_error(
            f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"'
        )
    if parser.rawdata:  # a "<" that opens nothing
        raise _entities_error("Unsupported start tag")
    return "".join(parser.text)


def utf16_length(text: str) -> int:
    """Telegram counts a text's length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def decode_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as the Bot API reads them: JSON fields and numeric ids decoded from text."""
    return {name: _decode_value(name, value) for name, value in params.items()}


def _decode_value(name: str, value: Any) -> Any:
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


def parameters_of(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    """A request's parameters (query string, JSON, form or multipart), decoded, or ApiError."""
    try:
        raw = read_parameters(query, body, content_type)
    except BadParameters as error:
        raise ApiError(400, "Bad Request: can't parse request parameters") from error
    return decode_parameters(raw)


def chat_id_of(params: Mapping[str, Any]) -> int | str:
    """The chat a method addresses: a number, or a channel's ``@username``; else ApiError."""
    value = params.get("chat_id")
    if value is None or value == "":
        raise ApiError(400, "Bad Request: chat_id is empty")
    if isinstance(value, str) and re.fullmatch(r"@[A-Za-z][A-Za-z0-9_]{3,}", value):
        return value
    try:
        chat_id = int(value)
    except (TypeError, ValueError) as error:
        raise ApiError(400, "Bad Request: chat not found") from error
    if chat_id == 0:
        raise ApiError(400, "Bad Request: chat not found")
    return chat_id


def keyboard_shown(markup: Any) -> dict[str, Any]:
    """What the person sees of a ``reply_markup``, or ApiError when Telegram would refuse it.

    ``{}`` (none), ``{"remove_keyboard": True}``, ``{"force_reply": True}``, or the buttons of
    ``keyboard`` (with ``one_time_keyboard``) and of ``inline_keyboard``.
    """
    if markup is None:
        return {}
    refused = ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if not isinstance(markup, dict):
        raise refused
    if markup.get("remove_keyboard") is True:
        return {"remove_keyboard": True}
    shown: dict[str, Any] = {}
    for kind in ("keyboard", "inline_keyboard"):
        rows = markup.get(kind)
        if rows is None:
            continue
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise ApiError(400, f'Bad Request: field "{kind}" must be an Array')
        buttons = []
        for row in rows:
            cells = []
            for button in row:
                cell = {"text": button} if isinstance(button, str) else button
                if not isinstance(cell, dict) or not str(cell.get("text") or "").strip():
                    raise ApiError(400, "Bad Request: can't parse keyboard button")
                cells.append(
                    {
                        key: cell[key]
                        for key in ("text", "request_contact", "callback_data", "url")
                        if key in cell
                    }
                )
            buttons.append(cells)
        shown[kind] = buttons
        if kind == "keyboard":
            shown["one_time_keyboard"] = bool(markup.get("one_time_keyboard"))
    if not shown and markup.get("force_reply") is True:
        return {"force_reply": True}
    if not shown:
        raise refused
    return shown


def _chat(chat_id: int | str) -> dict[str, Any]:
    if isinstance(chat_id, str):  # "@name": a public channel
        name = chat_id[1:]
        return {"id": -1001000000000, "type": "channel", "title": name, "username": name}
    if chat_id < 0:
        return {"id": chat_id, "type": "group", "title": "Groupe"}
    return {"id": chat_id, "type": "private", "first_name": "Simulateur"}


class BotApi:
    """The Bot API methods the bot and the app call, answered from memory (thread-safe).

    ``token``: when given, any other bot token gets 401 Unauthorized; else any well-formed
    token is accepted. ``message_ids``: the next message id of a chat (default: 1, 2, 3… per
    chat, kept here).
    """

    def __init__(
        self,
        token: str | None = None,
        message_ids: Callable[[int | str], int] | None = None,
    ) -> None:
        self.token = token or None
        self._lock = threading.Lock()
        self._counters: dict[int | str, int] = {}
        self._message_ids = message_ids or self._next_message_id
        self._webhook: dict[str, Any] = {}

    def check_token(self, token: str) -> None:
        if not _TOKEN.match(token):
            raise ApiError(404, "Not Found")
        if self.token is not None and not hmac.compare_digest(token.encode(), self.token.encode()):
            raise ApiError(401, "Unauthorized")

    def call(self, method: str, params: Mapping[str, Any]) -> Any:
        """The ``result`` of ``method`` (any case, as Telegram accepts), or ApiError."""
        name = method.lower()
        if name == "getme":
            return dict(BOT_USER)
        if name == "sendmessage":
            return self.send_message(params)
        if name in _MEDIA_METHODS:
            return self.send_media(params)
        if name == "sendchataction":
            chat_id_of(params)
            if not params.get("action"):
                raise ApiError(400, "Bad Request: action is empty")
            return True
        if name in ("setwebhook", "deletewebhook", "getwebhookinfo"):
            return self._webhook_method(name, params)
        if name in _ACCEPTED_METHODS:
            return True
        raise ApiError(404, "Not Found")

    def send_message(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat_id = chat_id_of(params)
        raw = params.get("text")
        text = raw if isinstance(raw, str) else ""
        parse_mode = params.get("parse_mode")
        plain = plain_text(text, str(parse_mode) if parse_mode else None)
        if not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_length(plain) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        shown = keyboard_shown(markup)
        message = self._message(chat_id, text=plain)
        if shown.get("inline_keyboard") and isinstance(markup, dict):
            message["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        return message

    def send_media(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat_id = chat_id_of(params)
        caption = str(params.get("caption") or "")
        return self._message(chat_id, caption=caption) if caption else self._message(chat_id)

    def _message(self, chat_id: int | str, **fields: Any) -> dict[str, Any]:
        return {
            "message_id": self._message_ids(chat_id),
            "from": dict(BOT_USER),
            "chat": _chat(chat_id),
            "date": int(time.time()),
            **fields,
        }

    def _next_message_id(self, chat_id: int | str) -> int:
        with self._lock:
            if chat_id not in self._counters and len(self._counters) >= MAX_CHATS:
                self._counters.clear()
            self._counters[chat_id] = self._counters.get(chat_id, 0) + 1
            return self._counters[chat_id]

    def _webhook_method(self, name: str, params: Mapping[str, Any]) -> Any:
        with self._lock:
            if name == "setwebhook":
                self._webhook = {
                    "url": params.get("url", ""),
                    "secret_token": params.get("secret_token"),
                    "allowed_updates": params.get("allowed_updates"),
                }
                return True
            if name == "deletewebhook":
                self._webhook = {}
                return True
            info: dict[str, Any] = {
                "url": self._webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": 0,
            }
            if self._webhook.get("allowed_updates"):
                info["allowed_updates"] = self._webhook["allowed_updates"]
            return info


# --- The tests' door: a local server that records and can fail -------------------------------


@dataclass(frozen=True)
class _Failure:
    method: str | None
    error_code: int
    description: str
    retry_after: int | None
    delay: float
    disconnect: bool


class FakeTelegramApi(LocalServer):
    """``BotApi`` on 127.0.0.1 (a free port), recording every call, failing on demand."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.bot_api = BotApi(token)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._calls: list[tuple[str, dict[str, Any]]] = []
        self._messages: list[dict[str, Any]] = []
        self._failures: list[_Failure] = []

    @property
    def token(self) -> str | None:
        return self.bot_api.token

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

    def _answered(self, method: str, params: dict[str, Any]) -> Any:
        result = self.bot_api.call(method, params)
        if method.lower() == "sendmessage":
            with self._changed:
                self._messages.append(dict(params))
                self._changed.notify_all()
        return result

    def handler(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)


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

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def _serve(self) -> None:
            url = urlsplit(self.path)
            match = PATH.match(url.path)
            if match is None:
                self._answer(404, ApiError(404, "Not Found").payload())
                return
            method = match["method"]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                params = parameters_of(url.query, body, self.headers.get("Content-Type") or "")
            except ApiError as error:
                api._record(method, {})
                self._answer(error.error_code, error.payload())
                return
            api._record(method, params)
            try:
                api.bot_api.check_token(match["token"])
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
                result = api._answered(method, params)
            except ApiError as error:
                self._answer(error.error_code, error.payload())
                return
            self._answer(200, {"ok": True, "result": result})

    return Handler


__all__ = [
    "BOT_USER",
    "MAX_TEXT",
    "ApiError",
    "BotApi",
    "FakeTelegramApi",
    "chat_id_of",
    "keyboard_shown",
    "parameters_of",
    "plain_text",
]
