"""Telegram messages through the Bot API's ``sendMessage``, from async code (httpx).

``POST {TELEGRAM_API_URL}/bot{token}/sendMessage`` with a JSON body: ``chat_id``,
``text`` in HTML (``parse_mode`` "HTML", rendered by ``rendering``), and the
choices as a reply keyboard on the last part. Telegram answers
``{"ok": true, "result": Message}`` or ``{"ok": false, "error_code",
"description", "parameters": {"retry_after"}}``:

- 403 (the person blocked the bot, deleted their account, never opened the chat):
  ``failed``, final;
- 400 "chat not found": ``failed``, final; other 400: ``failed``, final;
- 401 / 404 (wrong token): ``failed``, configuration;
- 429 (``retry_after`` seconds), 5xx, timeouts, network errors: ``failed``,
  ``retryable``.

The bot token is part of the URL: httpx's request log (INFO) would print it, so
the ``httpx`` logger is set to WARNING, and errors are logged by type only.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.exc import SQLAlchemyError

from observability.mask import mask_identifier
from rendering import TelegramMessage, render_for_channel
from seniorplus.outbound import store
from seniorplus.outbound.base import (
    REASON_DB_DOWN,
    REASON_EMPTY,
    REASON_TELEGRAM_BLOCKED,
    REASON_TELEGRAM_CONFIG,
    REASON_TELEGRAM_DOWN,
    REASON_TELEGRAM_NO_CHAT,
    REASON_TELEGRAM_NOT_LINKED,
    REASON_TELEGRAM_REJECTED,
    REASON_TELEGRAM_UNREACHABLE,
    Buttons,
    Delivery,
    Kind,
)
from seniorplus.outbound.http import HttpSender, client_scope, int_field, read_json
from seniorplus.outbound.policy import decide
from seniorplus.outbound.sms import is_phone_number
from seniorplus.settings import OutboundSettings

logger = logging.getLogger(__name__)
logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines hold the token

CHANNEL = "telegram"
_CHAT_ADDRESS = re.compile(r"^tg(-?\d{1,20})$")  # conversation id of an unlinked chat


def chat_of(address: str) -> str | None:
    """The chat id in a conversation id ``tg<chat_id>``, else None."""
    match = _CHAT_ADDRESS.fullmatch(address)
    return match.group(1) if match else None


def reply_markup(message: TelegramMessage) -> dict[str, Any] | None:
    """A ReplyKeyboardMarkup for the message's choices (None without choices)."""
    if not message.keyboard:
        return None
    return {
        "keyboard": [[{"text": title} for title in row] for row in message.keyboard],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }


def _failed(
    reason: str, *, retryable: bool = False, code: int | None = None, after: datetime | None = None
) -> Delivery:
    return Delivery(
        "failed", CHANNEL, not_before=after, reason_fr=reason, retryable=retryable, error_code=code
    )


class TelegramSender(HttpSender):
    """Sends the Telegram rendering of a message (HTML, split under 4,096, keyboard)."""

    channel = CHANNEL

    def require(self, settings: OutboundSettings) -> None:
        settings.require_telegram()

    @property
    def _send_url(self) -> str:
        s = self._settings
        return f"{s.telegram_api_url}/bot{s.telegram_bot_token}/sendMessage"

    async def send(self, address: str, text: str, buttons: Buttons = (), *, kind: Kind) -> Delivery:
        """Send to ``tg<chat_id>``, or to the chat linked to the E.164 number ``address``."""
        messages = render_for_channel(CHANNEL, text, buttons)
        assert isinstance(messages, list)
        if not messages:
            return _failed(REASON_EMPTY)
        try:
            chat_id = chat_of(address)
            if chat_id is None and is_phone_number(address):
                chat_id = await store.run_in_session(store.linked_telegram_chat, address)
                if chat_id is None:
                    return _failed(REASON_TELEGRAM_NOT_LINKED)
            if chat_id is None:
                return _failed(REASON_TELEGRAM_NO_CHAT)
            opted_out = await store.run_in_session(store.is_opted_out, CHANNEL, chat_id)
        except SQLAlchemyError as exc:
            logger.error("Telegram message not sent, database: %s", type(exc).__name__)
            return _failed(REASON_DB_DOWN, retryable=True)
        verdict = decide(CHANNEL, kind=kind, opted_out=opted_out, at=self._clock())
        if verdict.decision == "refuse":
            return Delivery("refused", CHANNEL, reason_fr=verdict.reason_fr)
        if verdict.decision == "defer":
            return Delivery(
                "deferred", CHANNEL, not_before=verdict.not_before, reason_fr=verdict.reason_fr
            )
        delivery = Delivery("sent", CHANNEL)
        async with client_scope(self._client, self._timeout) as client:
            for message in messages:  # in order; stop at the first part that fails
                delivery = await self._post(client, chat_id, message)
                if delivery.status != "sent":
                    break
        return delivery

    async def _post(
        self, client: httpx.AsyncClient, chat_id: str, message: TelegramMessage
    ) -> Delivery:
        body: dict[str, Any] = {"chat_id": int(chat_id), "text": message.html, "parse_mode": "HTML"}
        markup = reply_markup(message)
        if markup is not None:
            body["reply_markup"] = markup
        masked = mask_identifier(chat_id)
        try:
            response = await client.post(self._send_url, json=body, timeout=self._timeout)
        except httpx.HTTPError as exc:
            logger.warning("Telegram message to %s not sent: %s", masked, type(exc).__name__)
            return _failed(REASON_TELEGRAM_DOWN, retryable=True)
        payload = read_json(response)
        result = payload.get("result")
        if response.status_code == 200 and payload.get("ok") is True and isinstance(result, dict):
            message_id = result.get("message_id")
            logger.info("Telegram message %s sent to %s", message_id, masked)
            return Delivery(
                "sent", CHANNEL, vendor_id=None if message_id is None else str(message_id)
            )
        return self._error(masked, response.status_code, payload)

    def _error(self, masked: str, status: int, payload: dict[str, Any]) -> Delivery:
        code = int_field(payload, "error_code") or status
        description = str(payload.get("description") or "").lower()
        logger.warning("Telegram refused a message to %s: %s", masked, code)
        if code == 403:
            reason = (
                REASON_TELEGRAM_BLOCKED if "blocked" in description else REASON_TELEGRAM_UNREACHABLE
            )
            return _failed(reason, code=code)
        if code == 400 and "chat not found" in description:
            return _failed(REASON_TELEGRAM_NO_CHAT, code=code)
        if code in (401, 404):
            return _failed(REASON_TELEGRAM_CONFIG, code=code)
        if code == 429 or status >= 500:
            parameters = payload.get("parameters")
            wait = int_field(parameters, "retry_after") if isinstance(parameters, dict) else None
            after = self._clock() + timedelta(seconds=wait) if wait is not None else None
            return _failed(REASON_TELEGRAM_DOWN, retryable=True, code=code, after=after)
        return _failed(REASON_TELEGRAM_REJECTED, code=code)
