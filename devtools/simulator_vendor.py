"""Fake Twilio Messaging API of the channel simulator (dev only), and what it records.

In dev, ``TWILIO_API_URL`` and ``TELEGRAM_API_URL`` point at the web app, so the bot
and the app "send" messages without leaving the machine:

- ``/simulator/twilio/2010-04-01/Accounts/{sid}/Messages.json`` (here) answers like
  Twilio (201 and a Message resource with an ``SM…`` sid, or a JSON error with
  Twilio's code), after checking HTTP basic auth, and records the SMS for its
  recipient;
- ``/simulator/telegram/bot{token}/{method}``: ``simulator_telegram_api``.

What is recorded lives in memory, bounded (``Transcripts``): the simulator page
reads it back. Parameters come as the vendors accept them (``read_parameters``):
query string, JSON, urlencoded form (python-telegram-bot sends JSON-encoded values
in a form), or multipart.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import secrets
import threading
from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.parser import BytesParser
from email.policy import HTTP
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from policies.phones import is_e164
from rendering.gsm import sms_segments

MAX_CONVERSATIONS = 300
MAX_ENTRIES_PER_CONVERSATION = 300
MAX_BODY_BYTES = 256 * 1024

TWILIO_MAX_BODY = 1600


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


# --- Request parameters as the vendors accept them ------------------------------------------


class BadParameters(ValueError):
    """A body the vendor could not read."""


def _multipart(body: bytes, content_type: str) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        if part.get_filename():
            fields[name] = "<fichier>"
            continue
        payload = part.get_payload(decode=True)
        fields[name] = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return fields


async def read_parameters(request: Request) -> dict[str, Any]:
    """Query string, then the body (JSON, urlencoded or multipart) on top of it."""
    params: dict[str, Any] = dict(request.query_params)
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise BadParameters("body too large")
    if not body:
        return params
    content_type = request.headers.get("content-type", "")
    kind = content_type.split(";")[0].strip().lower()
    try:
        if kind == "application/json":
            data = json.loads(body)
            if not isinstance(data, dict):
                raise BadParameters("a JSON object is expected")
            params.update(data)
        elif kind == "multipart/form-data":
            params.update(_multipart(body, content_type))
        else:
            text = body.decode("utf-8")
            params.update(parse_qsl(text, keep_blank_values=True, strict_parsing=True))
    except (ValueError, UnicodeDecodeError) as error:
        raise BadParameters(str(error)) from error
    return params


# --- Twilio Messaging REST API -------------------------------------------------------------


class TwilioError(Exception):
    """A Twilio REST error: ``{"code", "message", "more_info", "status"}``."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> JSONResponse:
        return JSONResponse(
            {
                "code": self.code,
                "message": self.message,
                "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
                "status": self.status,
            },
            status_code=self.status,
        )


def _basic_auth(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


class FakeTwilio:
    """``Messages.json``: checks what Twilio checks, records the SMS, answers a Message."""

    def __init__(self, transcripts: Transcripts, account_sid: str, auth_token: str) -> None:
        self.transcripts = transcripts
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
        if not known or user != path_sid or (self.account_sid and user != self.account_sid):
            raise TwilioError(401, 20003, "Authenticate")

    def create_message(self, account_sid: str, params: Mapping[str, Any]) -> dict[str, Any]:
        to = str(params.get("To") or "").strip()
        sender = str(params.get("From") or "").strip()
        service = str(params.get("MessagingServiceSid") or "").strip()
        body = str(params.get("Body") or "")
        if not to:
            raise TwilioError(400, 21604, "A 'To' phone number is required.")
        if not is_e164(to):
            raise TwilioError(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if not sender and not service:
            raise TwilioError(400, 21603, "A 'From' phone number is required.")
        if not body and not params.get("MediaUrl"):
            raise TwilioError(400, 21602, "Message body is required.")
        if len(body) > TWILIO_MAX_BODY:
            raise TwilioError(
                400, 21617, "The concatenated message body exceeds the 1600 character limit."
            )
        sid = "SM" + secrets.token_hex(16)
        info = sms_segments(body)
        self.transcripts.add(sms_key(to), sms_entry("out", body, "api", sid=sid, sender=sender))
        now = format_datetime(datetime.now(timezone.utc), usegmt=True)
        uri = f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json"
        return {
            "account_sid": account_sid,
            "api_version": "2010-04-01",
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
            "num_segments": str(info.segments),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "accepted" if service else "queued",
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": to,
            "uri": uri,
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


@router.post("/twilio/2010-04-01/Accounts/{account_sid}/Messages.json")
async def twilio_create_message(
    account_sid: str,
    request: Request,
    transcripts: Transcripts = Depends(get_transcripts),  # noqa: B008
) -> JSONResponse:
    """Create a Message (send an SMS), answered like api.twilio.com."""
    secrets_ = VendorSecrets.from_env(os.environ)
    fake = FakeTwilio(transcripts, secrets_.twilio_account_sid, secrets_.twilio_auth_token)
    try:
        fake.authenticate(account_sid, request.headers.get("authorization"))
        try:
            params = await read_parameters(request)
        except BadParameters as error:
            raise TwilioError(400, 20001, "Unable to read the request parameters.") from error
        message = fake.create_message(account_sid, params)
    except TwilioError as error:
        return error.response()
    return JSONResponse(message, status_code=201)
