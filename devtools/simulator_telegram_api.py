"""Fake Telegram Bot API of the channel simulator (dev only).

``/simulator/telegram/bot{token}/{method}`` answers like api.telegram.org:
``{"ok": true, "result": ...}``, or ``{"ok": false, "error_code", "description"}``
with that HTTP status. ``sendMessage`` is checked like the real API (token, chat
id, text of 1 to 4,096 characters, Telegram's HTML subset) and recorded for its
chat, with its reply keyboard, in the simulator's transcripts; a message Telegram
would refuse shows there as a note.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import time
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from devtools.simulator_vendor import (
    BadParameters,
    Transcripts,
    VendorSecrets,
    get_transcripts,
    read_parameters,
    telegram_key,
)

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
TELEGRAM_MAX_TEXT = 4096


# https://core.telegram.org/bots/api#html-style
TELEGRAM_TAGS = frozenset(
    [
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
    ]
)
_TELEGRAM_ENTITIES = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")


class TelegramError(Exception):
    """An answer ``{"ok": false}``: HTTP status = error code."""

    def __init__(self, error_code: int, description: str) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description

    def response(self) -> JSONResponse:
        return JSONResponse(
            {"ok": False, "error_code": self.error_code, "description": self.description},
            status_code=self.error_code,
        )


def _entities_error(reason: str) -> TelegramError:
    return TelegramError(400, f"Bad Request: can't parse entities: {reason}")


class _TelegramHtml(HTMLParser):
    """Telegram's HTML subset: known tags only, balanced, only its named entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
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


def telegram_plain_text(text: str, parse_mode: str | None) -> str:
    """The text a Telegram user sees, or TelegramError as the API would answer."""
    if not parse_mode:
        return text
    if parse_mode.upper() != "HTML":
        raise TelegramError(400, f"Bad Request: unsupported parse_mode {parse_mode!r}")
    for match in re.finditer(r"&", text):
        if not _TELEGRAM_ENTITIES.match(text, match.start()):
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


def _json_field(value: Any, name: str) -> Any:
    """A JSON-serialized field as a form or query string carries it."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as error:
            raise TelegramError(400, f"Bad Request: can't parse {name} JSON object") from error
    return value


def _chat_id(params: Mapping[str, Any]) -> int:
    value = params.get("chat_id")
    if value is None or value == "":
        raise TelegramError(400, "Bad Request: chat_id is empty")
    try:
        chat_id = int(value)
    except (TypeError, ValueError) as error:
        raise TelegramError(400, "Bad Request: chat not found") from error
    if chat_id == 0:
        raise TelegramError(400, "Bad Request: chat not found")
    return chat_id


def _keyboard(markup: Any) -> dict[str, Any]:
    """What the page shows of a reply_markup: reply keyboard, inline keyboard or removal."""
    if markup is None:
        return {}
    if not isinstance(markup, dict):
        raise TelegramError(400, "Bad Request: object expected as reply markup")
    if markup.get("remove_keyboard"):
        return {"remove_keyboard": True}
    shown: dict[str, Any] = {}
    for kind in ("keyboard", "inline_keyboard"):
        rows = markup.get(kind)
        if rows is None:
            continue
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise TelegramError(400, f'Bad Request: field "{kind}" must be an Array')
        buttons = []
        for row in rows:
            cells = []
            for button in row:
                cell = {"text": button} if isinstance(button, str) else button
                if not isinstance(cell, dict) or not str(cell.get("text") or "").strip():
                    raise TelegramError(400, "Bad Request: can't parse keyboard button")
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
    return shown


class FakeTelegram:
    """The Bot API methods the bot and the app call, answered from memory."""

    def __init__(self, transcripts: Transcripts, token: str | None) -> None:
        self.transcripts = transcripts
        self.token = token

    def check_token(self, token: str) -> None:
        if self.token and not hmac.compare_digest(token.encode(), self.token.encode()):
            raise TelegramError(401, "Unauthorized")

    def call(self, method: str, params: Mapping[str, Any]) -> Any:
        """The ``result`` of ``method``, or TelegramError."""
        name = method.lower()
        if name == "getme":
            return BOT_USER
        if name == "sendmessage":
            return self.send_message(params)
        if name in ("sendphoto", "senddocument", "sendvoice", "sendaudio", "sendsticker"):
            return self.send_media(method, params)
        if name in (
            "sendchataction",
            "setwebhook",
            "deletewebhook",
            "setmycommands",
            "deletemycommands",
            "answercallbackquery",
            "logout",
            "close",
        ):
            return True
        if name == "getwebhookinfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        raise TelegramError(404, "Not Found")

    def _message(self, chat_id: int, **fields: Any) -> dict[str, Any]:
        message_id = self.transcripts.next_id(telegram_key(chat_id))
        chat: dict[str, Any] = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        if chat_id > 0:
            chat["first_name"] = "Simulateur"
        return {
            "message_id": message_id,
            "from": BOT_USER,
            "chat": chat,
            "date": int(time.time()),
            **fields,
        }

    def send_message(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat_id = _chat_id(params)
        text = str(params.get("text") or "")
        parse_mode = params.get("parse_mode")
        plain = telegram_plain_text(text, str(parse_mode) if parse_mode else None)
        if not plain.strip():
            raise TelegramError(400, "Bad Request: message text is empty")
        if len(plain.encode("utf-16-le")) // 2 > TELEGRAM_MAX_TEXT:
            raise TelegramError(400, "Bad Request: message is too long")
        markup = _json_field(params.get("reply_markup"), "reply_markup")
        keyboard = _keyboard(markup)
        html = text if parse_mode else _escape(text)
        message = self._message(chat_id, text=plain)
        if keyboard.get("inline_keyboard"):
            message["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        self.transcripts.add(
            telegram_key(chat_id),
            {
                "direction": "out",
                "kind": "text",
                "html": html,
                "message_id": message["message_id"],
                **keyboard,
            },
        )
        return message

    def send_media(self, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
        chat_id = _chat_id(params)
        caption = str(params.get("caption") or "")
        message = self._message(chat_id, caption=caption) if caption else self._message(chat_id)
        self.transcripts.add(
            telegram_key(chat_id),
            {
                "direction": "out",
                "kind": "media",
                "method": method,
                "html": _escape(caption),
                "message_id": message["message_id"],
            },
        )
        return message


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


router = APIRouter(prefix="/simulator/telegram", include_in_schema=False)


@router.api_route("/bot{token}/{method}", methods=["GET", "POST"])
async def telegram_method(
    token: str,
    method: str,
    request: Request,
    transcripts: Transcripts = Depends(get_transcripts),  # noqa: B008
) -> JSONResponse:
    """A Bot API method, answered like api.telegram.org."""
    fake = FakeTelegram(transcripts, VendorSecrets.from_env(os.environ).telegram_bot_token)
    params: dict[str, Any] | None = None
    try:
        fake.check_token(token)
        try:
            params = await read_parameters(request)
        except BadParameters as error:
            raise TelegramError(400, "Bad Request: can't parse request parameters") from error
        result = fake.call(method, params)
    except TelegramError as error:
        _note_refusal(transcripts, method, params, error)
        return error.response()
    return JSONResponse({"ok": True, "result": result})


def _note_refusal(
    transcripts: Transcripts, method: str, params: Mapping[str, Any] | None, error: TelegramError
) -> None:
    """A message Telegram would have refused shows in its chat, so nobody wonders why."""
    if params is None or error.error_code == 401 or not method.lower().startswith("send"):
        return
    try:
        chat_id = _chat_id(params)
    except TelegramError:
        return
    note = f"Telegram a refusé un message du bot ({method}) : {error.description}"
    transcripts.add(telegram_key(chat_id), {"direction": "note", "text": note})
