"""Sending to Telegram: python-telegram-bot's async ``Bot`` against a configurable API URL.

``api_url`` is the Bot API root (``https://api.telegram.org`` in production, the channel
simulator or a test fake elsewhere): methods are called at ``{api_url}/bot<token>/<method>``
(ptb appends the token to ``base_url`` and ``/<method>`` to that). Sending never raises:
a refusal (bot blocked, 429, network error) is logged, masked, and the remaining messages
of the turn are dropped so the person never gets a later message without an earlier one.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from rasa.core.channels.channel import OutputChannel
from telegram import Bot, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from channels import wording
from channels.shared_state import SharedState, shared_state
from rendering import render_for_channel
from rendering.channels import catalogue_entry
from rendering.telegram import TelegramMessage, to_html

logger = logging.getLogger(__name__)

ENTRY = catalogue_entry("telegram")  # name, kind, labels, capabilities: rendering/channels.py

# httpx logs every request URL at INFO, and the Bot API URL carries the bot token;
# ptb logs message parameters at DEBUG. Neither belongs in our logs.
for _noisy in ("httpx", "httpcore", "telegram"):
    logging.getLogger(_noisy).setLevel(logging.WARNING)

DEFAULT_API_URL = "https://api.telegram.org"
CONTACT_TITLE = wording.TELEGRAM_CONTACT_TITLE
MAX_RETRY_WAIT_S = 5.0  # a 429 asking to wait longer drops the message rather than block
KEYBOARDS_KEPT = 1000  # chats whose last keyboard is remembered (least recently used dropped)

Markup = ReplyKeyboardMarkup | ReplyKeyboardRemove | None
_E164 = re.compile(r"\+\d{8,15}")
_LONG_NUMBER = re.compile(r"\d{6,}")
_TAG = re.compile(r"<[^>]+>")


def mask_id(value: object) -> str:
    """A chat id, conversation id or phone number for the logs (same rule as the app's)."""
    text = str(value)
    if _E164.fullmatch(text):
        return text[:4] + "*" * (len(text) - 6) + text[-2:]
    if len(text) < 7:
        return "*" * len(text)
    return text[:2] + "*" * (len(text) - 4) + text[-2:]


def plain_from_html(text: str) -> str:
    """The readable text of our Telegram HTML (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub("", text))


# The keyboard last shown in each chat, to read a tapped title back as its payload.
@dataclass(frozen=True)
class Keyboard:
    rows: tuple[tuple[str, ...], ...]
    payloads: Mapping[str, str]
    turn: str  # which bot turn sent it: a later turn's first plain message removes it

    def dumps(self) -> str:
        return json.dumps({"rows": self.rows, "payloads": dict(self.payloads), "turn": self.turn})

    @classmethod
    def loads(cls, text: str) -> Keyboard:
        data = json.loads(text)
        rows = tuple(tuple(str(title) for title in row) for row in data["rows"])
        return cls(rows, {str(k): str(v) for k, v in data["payloads"].items()}, str(data["turn"]))


class KeyboardMemory:
    """Last keyboard per chat (channels/shared_state.py: Redis, or memory for one process)."""

    TTL_S = 30 * 24 * 3600.0  # a person may answer the last question days later

    def __init__(self, state: SharedState | None = None, size: int = KEYBOARDS_KEPT) -> None:
        self.state = state or shared_state("telegram_keyboard", size)

    @staticmethod
    def new_turn() -> str:
        """A turn id unique across processes (a counter would repeat on another replica)."""
        return secrets.token_hex(8)

    async def get(self, chat_id: int) -> Keyboard | None:
        text = await self.state.get(str(chat_id))
        if text is None:
            return None
        try:
            return Keyboard.loads(text)
        except (ValueError, KeyError, TypeError, AttributeError):
            logger.warning("Keyboard of chat %s unreadable: dropped", mask_id(chat_id))
            return None

    async def remember(self, chat_id: int, keyboard: Keyboard) -> None:
        await self.state.put(str(chat_id), keyboard.dumps(), self.TTL_S)

    async def forget(self, chat_id: int) -> None:
        await self.state.delete(str(chat_id))

    async def payload_for(self, chat_id: int, text: str) -> str | None:
        """The payload of the button titled ``text`` in the chat's last keyboard."""
        keyboard = await self.get(chat_id)
        return keyboard.payloads.get(text) if keyboard is not None else None


def reply_keyboard(
    rows: Sequence[Sequence[str]], *, with_contact: bool = False
) -> ReplyKeyboardMarkup:
    """Our reply keyboard: fitted to the buttons, hidden once used (the person can reopen it)."""
    keyboard: list[list[str | KeyboardButton]] = [list(row) for row in rows]
    if with_contact:
        keyboard.append([KeyboardButton(CONTACT_TITLE, request_contact=True)])
    return ReplyKeyboardMarkup(keyboard, resize_keyboard=True, one_time_keyboard=True)


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    """One Bot API client for the channel; every method logs failures and never raises."""

    def __init__(self, bot_token: str, api_url: str = DEFAULT_API_URL) -> None:
        self._token = bot_token
        self.api_url = api_url.rstrip("/")
        self.bot = Bot(bot_token, base_url=f"{self.api_url}/bot")

    def _describe(self, error: Exception) -> str:
        """The error for the logs: its class, and Telegram's reason without ids or token."""
        if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
            return type(error).__name__  # httpx details may carry the URL, hence the token
        reason = str(error).replace(self._token, "***")
        return f"{type(error).__name__}: {_LONG_NUMBER.sub('…', reason)}"

    async def send(self, chat_id: int, text_html: str, reply_markup: Markup = None) -> bool:
        """Send one HTML message; True when Telegram accepted it."""
        try:
            return await self._send(chat_id, text_html, reply_markup)
        except Exception as error:  # a send must never break the turn
            logger.warning(
                "Telegram message to chat %s not sent: %s", mask_id(chat_id), self._describe(error)
            )
            return False

    async def _send(self, chat_id: int, text_html: str, reply_markup: Markup) -> bool:
        try:
            await self.bot.send_message(
                chat_id=chat_id,
                text=text_html,
                parse_mode=ParseMode.HTML,
                reply_markup=reply_markup,
            )
        except RetryAfter as error:
            wait = _seconds(error.retry_after)
            if wait > MAX_RETRY_WAIT_S:
                raise
            logger.info("Telegram asks to wait %.0f s before the next message", wait)
            await asyncio.sleep(wait)
            await self.bot.send_message(
                chat_id=chat_id,
                text=text_html,
                parse_mode=ParseMode.HTML,
                reply_markup=reply_markup,
            )
        except BadRequest as error:
            if "parse entities" not in str(error).lower():
                raise
            # Our HTML is escaped by rendering/telegram.py; if Telegram still refuses it,
            # the words matter more than the formatting.
            logger.warning("Telegram refused our HTML (%s): sent as plain text", error)
            await self.bot.send_message(
                chat_id=chat_id, text=plain_from_html(text_html), reply_markup=reply_markup
            )
        return True

    async def typing(self, chat_id: int) -> None:
        """Show « en train d'écrire… » while the assistant prepares its answer."""
        try:
            await self.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
        except (TelegramError, OSError) as error:
            logger.debug("Telegram typing indicator failed: %s", self._describe(error))

    async def close(self) -> None:
        try:
            await self.bot.shutdown()
        except Exception:  # closing a client at shutdown
            logger.debug("Telegram client did not close cleanly")


class TelegramOutput(OutputChannel):
    """The bot's answers for one chat during one turn, rendered for Telegram, in order.

    ``hold``: the answers of a person's turn wait until the turn is stored (``release``), as a
    text message's or a call's answers do in the webhook's response. Sent as they came, they
    could reach the person before the conversation's database refused the turn, then be
    followed by "il n'a pas été enregistré, renvoyez-le": an answer to a message the
    assistant does not remember. A refused turn's answers are dropped (``drop``); the safety
    net's notices follow (channels/safety_net.py).
    """

    def __init__(
        self,
        sender: TelegramSender,
        chat_id: int | None,
        keyboards: KeyboardMemory,
        resolve_chat: Callable[[str], Awaitable[int | None]] | None = None,
        hold: bool = False,
    ) -> None:
        self.sender = sender
        self.chat_id = chat_id
        self.keyboards = keyboards
        self.turn = keyboards.new_turn()
        self.stopped = False  # a refused message ends the turn
        self.sent = 0
        self.said: list[str] = []  # the plain texts of this turn, for the safety net
        self._resolve_chat = resolve_chat  # for an output made without a chat (Rasa's own)
        self.hold = hold
        self._held: list[tuple[int, TelegramMessage]] = []

    @classmethod
    def name(cls) -> str:
        return ENTRY.name

    async def _chat(self, recipient_id: str) -> int | None:
        if self.chat_id is None and self._resolve_chat is not None:
            self.chat_id = await self._resolve_chat(recipient_id)
        return self.chat_id

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """A Rasa bot message: text and buttons (or quick replies); an image as its link."""
        text = message.get("text")
        buttons = message.get("buttons") or message.get("quick_replies") or []
        image = message.get("image")
        if isinstance(image, str) and image:
            text = f"{text}\n{image}" if text else image
        if isinstance(text, str):
            self.said.append(text)
        chat_id = await self._chat(recipient_id)
        if chat_id is None:
            logger.warning("No Telegram chat for conversation %s", mask_id(recipient_id))
            return
        rendered = render_for_channel(ENTRY.name, text, buttons)
        if not isinstance(rendered, list):  # pragma: no cover - "telegram" renders a list
            return
        for part in rendered:
            if self.hold:
                self._held.append((chat_id, part))
            else:
                await self.send_part(chat_id, part)

    async def release(self) -> None:
        """The turn is stored: its answers go, in order."""
        held, self._held = self._held, []
        for chat_id, part in held:
            await self.send_part(chat_id, part)

    def drop(self) -> None:
        """The turn was refused: its answers are not sent."""
        self._held = []

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_response(recipient_id, {"text": text, "buttons": buttons})

    async def send_part(self, chat_id: int, part: TelegramMessage) -> None:
        """One rendered message; its keyboard replaces the last one, or a stale one goes."""
        if self.stopped:
            return
        markup: Markup = None
        previous = await self.keyboards.get(chat_id)
        if part.keyboard:
            markup = reply_keyboard(part.keyboard)
        elif previous is not None and previous.turn != self.turn:
            markup = ReplyKeyboardRemove()  # choices of an earlier question are no longer valid
        if not await self.sender.send(chat_id, part.html, markup):
            self.stopped = True
            return
        self.sent += 1
        if part.keyboard:
            await self.keyboards.remember(
                chat_id, Keyboard(part.keyboard, part.payloads, self.turn)
            )
        elif isinstance(markup, ReplyKeyboardRemove):
            await self.keyboards.forget(chat_id)

    async def send_notice(self, chat_id: int, text: str, *, restore_keyboard: bool = False) -> None:
        """A message of the channel itself (not the dialogue's), in plain French.

        ``restore_keyboard``: show the last choices again without the contact button,
        or no keyboard if there were none.
        """
        if self.stopped:
            return
        markup: Markup = None
        if restore_keyboard:
            previous = await self.keyboards.get(chat_id)
            markup = reply_keyboard(previous.rows) if previous else ReplyKeyboardRemove()
        if not await self.sender.send(chat_id, to_html(text), markup):
            self.stopped = True
            return
        self.sent += 1

    async def offer_contact(self, chat_id: int, text: str) -> None:
        """``text`` with the « share my number » button under this turn's choices, if any."""
        if self.stopped:
            return
        previous = await self.keyboards.get(chat_id)
        rows = previous.rows if previous is not None and previous.turn == self.turn else ()
        markup = reply_keyboard(rows, with_contact=True)
        if not await self.sender.send(chat_id, to_html(text), markup):
            self.stopped = True
            return
        self.sent += 1
        if previous is not None and previous.turn != self.turn:
            await self.keyboards.forget(chat_id)  # the earlier choices were replaced
