"""The fake vendor APIs in the channel simulator (dev only), and what they record.

In dev, ``TWILIO_API_URL`` and ``TELEGRAM_API_URL`` point at the web app, so the bot
and the app "send" messages without leaving the machine. The vendors' rules are the
tests' own fakes (``devtools/fakes/``); these routes only record what was sent:

- ``/simulator/twilio/2010-04-01/Accounts/{sid}/Messages.json`` answers like Twilio
  (``devtools.fakes.twilio.MessagesApi``) and records the SMS for its recipient;
- ``/simulator/telegram/bot{token}/{method}`` answers like the Bot API
  (``devtools.fakes.telegram.BotApi``) and records each message, with its keyboard,
  in its chat; a message Telegram would refuse shows there as a note.

What is recorded lives in memory, bounded (``Transcripts``): the simulator page
reads it back.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from devtools.fakes import telegram, twilio
from rendering.gsm import sms_segments

MAX_CONVERSATIONS = 300
MAX_ENTRIES_PER_CONVERSATION = 300


# --- What was said, per conversation -------------------------------------------------------


class Transcripts:
    """Entries per conversation key (``"sms:+336…"``, ``"telegram:123"``), in memory.

    Each entry gets a sequence number, increasing across all conversations, so a
    page asks "what is new after n". At most ``max_conversations`` (the least
    recently written are dropped) of ``max_entries`` each.
    """

    def __init__(
        self,
        max_conversations: int = MAX_CONVERSATIONS,
        max_entries: int = MAX_ENTRIES_PER_CONVERSATION,
    ) -> None:
        self._max_conversations = max_conversations
        self._max_entries = max_entries
        self._items: OrderedDict[str, deque[dict[str, Any]]] = OrderedDict()
        self._seq = 0
        self._counters: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, key: str, entry: Mapping[str, Any]) -> dict[str, Any]:
        """Record ``entry`` (copied, with ``seq`` and ``at`` added) and return it."""
        with self._lock:
            self._seq += 1
            stored = {**entry, "seq": self._seq, "at": datetime.now(timezone.utc).isoformat()}
            entries = self._items.pop(key, None)
            if entries is None:
                entries = deque(maxlen=self._max_entries)
            entries.append(stored)
            self._items[key] = entries
            while len(self._items) > self._max_conversations:
                self._items.popitem(last=False)
            return dict(stored)

    def since(self, key: str, after: int = 0) -> list[dict[str, Any]]:
        """Entries of ``key`` whose sequence number is above ``after``, oldest first."""
        with self._lock:
            return [dict(e) for e in self._items.get(key, ()) if e["seq"] > after]

    def last(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            entries = self._items.get(key)
            return dict(entries[-1]) if entries else None

    def next_id(self, key: str) -> int:
        """1, 2, 3… per key: Telegram's message ids in a chat."""
        with self._lock:
            value = self._counters.get(key, 0) + 1
            if key not in self._counters and len(self._counters) >= 4 * self._max_conversations:
                self._counters.clear()  # bounded too; ids restart, as in a new chat
            self._counters[key] = value
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._counters.clear()

    def __len__(self) -> int:
        return len(self._items)


TRANSCRIPTS = Transcripts()


def get_transcripts() -> Transcripts:
    """The process's transcripts (a FastAPI dependency, replaced in tests)."""
    return TRANSCRIPTS


def sms_key(number: str) -> str:
    return f"sms:{number}"


def telegram_key(chat_id: int | str) -> str:
    return f"telegram:{chat_id}"


def sms_entry(direction: str, text: str, via: str, **extra: Any) -> dict[str, Any]:
    """An SMS as the phone shows it, with what it costs: encoding and parts."""
    info = sms_segments(text)
    return {
        "direction": direction,
        "text": text,
        "via": via,
        "encoding": info.encoding,
        "characters": info.characters,
        "segments": info.segments,
        **extra,
    }


# --- Routes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VendorSecrets:
    """What the fake vendors check, read from the environment at each request."""

    telegram_bot_token: str
    twilio_account_sid: str
    twilio_auth_token: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> VendorSecrets:
        return cls(
            telegram_bot_token=environ.get("TELEGRAM_BOT_TOKEN", "").strip(),
            twilio_account_sid=environ.get("TWILIO_ACCOUNT_SID", "").strip(),
            twilio_auth_token=environ.get("TWILIO_AUTH_TOKEN", "").strip(),
        )


router = APIRouter(prefix="/simulator", include_in_schema=False)


@router.post("/twilio/{path:path}")
async def twilio_create_message(
    path: str,
    request: Request,
    transcripts: Transcripts = Depends(get_transcripts),  # noqa: B008
) -> JSONResponse:
    """Create a Message (send an SMS), answered like api.twilio.com."""
    secrets_ = VendorSecrets.from_env(os.environ)
    api = twilio.MessagesApi(secrets_.twilio_account_sid, secrets_.twilio_auth_token)
    authorization = request.headers.get("authorization")
    try:
        match = twilio.MESSAGES_PATH.match("/" + path)
        if match is not None:  # Twilio authenticates before reading the form
            api.authenticate(match["sid"], authorization)
        form = twilio.form_of("", await request.body(), request.headers.get("content-type", ""))
        message = api.answer("/" + path, authorization, form)
    except twilio.TwilioError as error:
        return JSONResponse(error.payload(), status_code=error.status, headers=error.headers())
    sender = message["from"] or ""
    sent = sms_entry("out", message["body"], "api", sid=message["sid"], sender=sender)
    transcripts.add(sms_key(message["to"]), sent)
    return JSONResponse(message, status_code=201)


def telegram_call(
    transcripts: Transcripts, method: str, params: Mapping[str, Any], token: str | None = None
) -> Any:
    """``method`` answered by the fake Bot API; what it sends is recorded in its chat.

    Message ids are those of the page's chats (the person's messages count too).
    """
    api = telegram.BotApi(token, lambda chat: transcripts.next_id(telegram_key(chat)))
    result = api.call(method, params)
    name = method.lower()
    if name == "sendmessage":
        text = str(params.get("text") or "")
        html = text if params.get("parse_mode") else _escape(text)
        entry = {"direction": "out", "kind": "text", "html": html}
        entry.update(telegram.keyboard_shown(params.get("reply_markup")))
        entry["message_id"] = result["message_id"]
        transcripts.add(telegram_key(result["chat"]["id"]), entry)
    elif isinstance(result, dict) and "message_id" in result:  # a photo, a document…
        entry = {
            "direction": "out",
            "kind": "media",
            "method": method,
            "html": _escape(str(params.get("caption") or "")),
            "message_id": result["message_id"],
        }
        transcripts.add(telegram_key(result["chat"]["id"]), entry)
    return result


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@router.api_route("/telegram/bot{token}/{method}", methods=["GET", "POST"])
async def telegram_method(
    token: str,
    method: str,
    request: Request,
    transcripts: Transcripts = Depends(get_transcripts),  # noqa: B008
) -> JSONResponse:
    """A Bot API method, answered like api.telegram.org."""
    bot_token = VendorSecrets.from_env(os.environ).telegram_bot_token or None
    params: dict[str, Any] | None = None
    try:
        telegram.BotApi(bot_token).check_token(token)
        params = telegram.parameters_of(
            request.url.query, await request.body(), request.headers.get("content-type", "")
        )
        result = telegram_call(transcripts, method, params, bot_token)
    except telegram.ApiError as error:
        _note_refusal(transcripts, method, params, error)
        return JSONResponse(error.payload(), status_code=error.error_code)
    return JSONResponse({"ok": True, "result": result})


def _note_refusal(
    transcripts: Transcripts,
    method: str,
    params: Mapping[str, Any] | None,
    error: telegram.ApiError,
) -> None:
    """A message Telegram would have refused shows in its chat, so nobody wonders why."""
    if params is None or error.error_code == 401 or not method.lower().startswith("send"):
        return
    try:
        chat_id = telegram.chat_id_of(params)
    except telegram.ApiError:
        return
    note = f"Telegram a refusé un message du bot ({method}) : {error.description}"
    transcripts.add(telegram_key(chat_id), {"direction": "note", "text": note})
