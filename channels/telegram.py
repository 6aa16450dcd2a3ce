"""Telegram input channel (Bot API webhook), registered as ``telegram``.

POST /webhooks/telegram/webhook receives Telegram's Update objects. Unlike Rasa's stock
connector it checks the secret token Telegram sends back (``setWebhook(secret_token=…)``),
answers each update once, never blocks the event loop, and gives a French answer to what
it cannot read (voice notes, photos, stickers, documents…). Details: docs/channels.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Message

from channels import wording
from channels.rate_limits import SLOW_DOWN, Limits, Verdict
from channels.safety_net import after_turn, alert_team, failed_turn, turn_state
from channels.store import ChannelStore, Claim, claim_or_wait
from channels.telegram_output import (
    DEFAULT_API_URL,
    KeyboardMemory,
    TelegramOutput,
    TelegramSender,
    mask_id,
)
from channels.text_input import InvalidInput, check_message, clean_text, load_json
from policies.phones import display_phone
from policies.phones import to_e164 as phone_to_e164
from rendering.channels import catalogue_entry
from rendering.telegram import to_html

logger = logging.getLogger(__name__)

ENTRY = catalogue_entry("telegram")  # name, kind, labels, capabilities: rendering/channels.py
CHANNEL = ENTRY.name
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105  (a header name)
DEFAULT_MAX_MESSAGE_CHARS = 8000
DEFAULT_ANSWER_WITHIN_S = 10.0  # Telegram waits for our 200; past this the turn goes on alone
# A retried update whose receipt is older than this, never marked done, was cut off by a crash.
DEFAULT_LEASE_S = 120.0
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what setWebhook accepts
_COMMAND = re.compile(r"^/(?P<name>[A-Za-z0-9_]+)(?:@\w+)?(?:\s|$)")  # "/start@Bot payload"

# Commands: what the dialogue receives for each (None: handled by the channel).
COMMANDS: dict[str, str | None] = {
    "start": "/greet",
    "aide": "/help",
    "help": "/help",
    "numero": None,
}

# The channel's own sentences (channels/wording.py; the dialogue writes everything else).
CONTACT_OFFER = wording.TELEGRAM_CONTACT_OFFER
CONTACT_LINKED = wording.TELEGRAM_CONTACT_LINKED
CONTACT_NOT_YOURS = wording.TELEGRAM_CONTACT_NOT_YOURS
CONTACT_UNREADABLE = wording.TELEGRAM_CONTACT_UNREADABLE
TOO_LONG = wording.TELEGRAM_TOO_LONG
GROUP_ONLY = wording.TELEGRAM_GROUP_ONLY
ASK_IN_WORDS = wording.TELEGRAM_ASK_IN_WORDS
HUMAN = wording.TELEGRAM_HUMAN
# What the person sent that the assistant cannot read: (what we cannot do, extra advice).
MEDIA_ANSWERS = wording.TELEGRAM_MEDIA_ANSWERS
# Message attributes (Bot API names) → the answer given for them.
_MEDIA_KINDS: tuple[tuple[str, str], ...] = (
    ("voice", "voice"),
    ("audio", "voice"),
    ("video_note", "voice"),
    ("photo", "photo"),
    ("document", "document"),
    ("video", "video"),
    ("sticker", "sticker"),
    ("animation", "sticker"),
    ("dice", "sticker"),
    ("location", "location"),
    ("venue", "location"),
    ("poll", "other"),
    ("game", "other"),
    ("story", "other"),
    ("paid_media", "other"),
)


def to_e164(raw: str) -> str | None:
    """A shared phone number in E.164 (Telegram sends digits, with or without "+").

    Digits without "+" or a leading 0 are international ("447911123456"); the rest
    is read by `policies.phones` (French national forms, "0033…", "+33 0 6…").
    """
    compact = re.sub(r"[\s.\-()/]", "", raw or "")
    if compact.startswith("+330"):  # +33 0 6 … written with the 0
        compact = "+33" + compact[4:]
    if compact.isdigit() and not compact.startswith("0"):
        compact = "+" + compact
    return phone_to_e164(compact)


def media_kind(message: Message) -> str | None:
    """Which answer a message without text gets, or None for a service message."""
    for attribute, kind in _MEDIA_KINDS:
        if getattr(message, attribute, None):
            return kind
    return None


@dataclass(frozen=True)
class IncomingUpdate:
    """What the channel reads of an Update: its id, its new message if any, and its type."""

    update_id: int
    message: Message | None
    kind: str  # "message", "edited_message", "callback_query"…


def parse_update(body: bytes) -> IncomingUpdate:
    """The update in a request body, or InvalidInput (400, in French).

    Only ``message`` is parsed (with python-telegram-bot's Message); other update
    types are ignored without being parsed, so a new Bot API field never turns
    into an error that Telegram would retry.
    """
    payload = load_json(body, "Requête illisible : une mise à jour Telegram (JSON) est attendue.")
    if not isinstance(payload, dict):
        raise InvalidInput(
            "Requête illisible : une mise à jour Telegram (objet JSON) est attendue."
        )
    update_id = payload.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise InvalidInput("Mise à jour Telegram sans numéro (champ « update_id »).")
    kind = next((key for key in payload if key != "update_id"), "vide")
    raw = payload.get("message")
    if raw is None:
        return IncomingUpdate(update_id, None, kind)
    if not isinstance(raw, dict):
        raise InvalidInput("Mise à jour Telegram mal formée (champ « message »).")
    try:
        message = Message.de_json(raw, None)
    except Exception:  # whatever python-telegram-bot chokes on (missing chat, date…)
        message = None
    if message is None or not usable(message):
        # Acknowledged (200) and ignored: Telegram would send the same update again.
        return IncomingUpdate(update_id, None, "message_incomplet")
    return IncomingUpdate(update_id, message, "message")


def usable(message: Message) -> bool:
    """A message the channel can answer: a chat with an integer id, texts that are text."""
    chat = message.chat
    chat_id = getattr(chat, "id", None)
    if chat is None or not isinstance(chat_id, int) or isinstance(chat_id, bool):
        return False
    if not isinstance(getattr(chat, "type", None), str):
        return False
    sender = message.from_user
    if sender is not None and (not isinstance(sender.id, int) or isinstance(sender.id, bool)):
        return False
    return all(value is None or isinstance(value, str) for value in (message.text, message.caption))


class TelegramInput(InputChannel):
    """Telegram Bot API webhook, answered in French, one update at a time per chat."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramInput:
        credentials = credentials or {}
        missing = [key for key in ("bot_token", "secret_token") if not credentials.get(key)]
        if missing:
            raise ValueError(
                f"Telegram channel: missing {', '.join(missing)} in credentials.yml "
                "(TELEGRAM_BOT_TOKEN, TELEGRAM_SECRET_TOKEN)"
            )
        value = credentials.get("max_message_chars") or DEFAULT_MAX_MESSAGE_CHARS
        try:
            max_chars = int(value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"max_message_chars must be a number, got {value!r}") from error
        return cls(
            bot_token=str(credentials["bot_token"]),
            secret_token=str(credentials["secret_token"]),
            api_url=str(credentials.get("api_url") or DEFAULT_API_URL),
            max_message_chars=max_chars,
            phone_number=credentials.get("phone_number") or None,
        )

    def __init__(
        self,
        bot_token: str,
        secret_token: str,
        api_url: str = DEFAULT_API_URL,
        *,
        store: ChannelStore | None = None,
        max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
        answer_within: float = DEFAULT_ANSWER_WITHIN_S,
        phone_number: str | None = None,
        limits: Limits | None = None,
        lease_s: float = DEFAULT_LEASE_S,
    ) -> None:
        if not _SECRET.match(secret_token):
            raise ValueError(
                "Telegram secret token: 1 to 256 characters among A-Z, a-z, 0-9, _ and -"
            )
        if phone_number is not None and to_e164(phone_number) is None:
            raise ValueError("Telegram channel: phone_number must be a phone number (E.164)")
        self._secret = secret_token.encode()
        self.sender = TelegramSender(bot_token, api_url)
        self.store = store or ChannelStore()
        self.keyboards = KeyboardMemory()
        self.max_message_chars = max_message_chars
        self.answer_within = answer_within
        self.phone_number = to_e164(phone_number) if phone_number else None
        self.limits = limits or Limits()
        self.lease_s = lease_s
        self._tasks: set[asyncio.Task[None]] = set()
        self._chat_locks: dict[int, tuple[asyncio.Lock, int]] = {}

    # Authentication.
    def authentic(self, header: str | None) -> bool:
        """Constant-time check of Telegram's secret-token header."""
        return header is not None and hmac.compare_digest(header.encode(), self._secret)

    # Background work, awaited by tests and at shutdown.
    async def wait_idle(self, timeout: float | None = None) -> None:
        """Wait until every update received so far has been handled."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    @contextlib.asynccontextmanager
    async def _chat_turn(self, chat_id: int) -> AsyncIterator[None]:
        """Updates from one chat are handled one after the other, in arrival order."""
        lock, users = self._chat_locks.get(chat_id, (asyncio.Lock(), 0))
        self._chat_locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._chat_locks[chat_id]
            if users <= 1:
                del self._chat_locks[chat_id]
            else:
                self._chat_locks[chat_id] = (lock, users - 1)

    async def _store(self, method: str, *args: Any) -> Any:
        return await asyncio.to_thread(getattr(self.store, method), *args)

    async def conversation_id(self, chat_id: int) -> tuple[str, bool]:
        """The linked phone number, else "tg<chat id>"; and whether it is linked."""
        phone = await self._store("linked_phone", CHANNEL, str(chat_id))
        return (phone, True) if phone else (f"tg{chat_id}", False)

    async def chat_for(self, recipient_id: str) -> int | None:
        """The chat to write to for a conversation id (for Rasa's own output channel)."""
        if re.fullmatch(r"tg\d+", recipient_id):
            return int(recipient_id[2:])
        chats = await self._store("linked_addresses", CHANNEL, recipient_id)
        return int(chats[0]) if chats else None

    def get_output_channel(self) -> TelegramOutput:
        return TelegramOutput(self.sender, None, self.keyboards, resolve_chat=self.chat_for)

    # Handling one update.
    async def handle(
        self, update: IncomingUpdate, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """Everything an update leads to; never raises (the person gets an apology)."""
        message = update.message
        if message is None:
            return
        chat_id = message.chat.id
        output = TelegramOutput(self.sender, chat_id, self.keyboards, hold=True)
        receipt = str(update.update_id)
        try:
            async with self._chat_turn(chat_id):
                # A retry waits for the turn holding the update: done, or dead with its
                # process (the lease runs out and this one answers). In the background.
                claim = await claim_or_wait(
                    self.store, CHANNEL, receipt, self.lease_s, self.lease_s + 5
                )
                if claim in (Claim.DONE, Claim.BUSY):
                    logger.info("Telegram update %s: %s", update.update_id, claim.value)
                    return
                if message.chat.type != "private":
                    await self._answer_group(message, output)
                else:
                    await self._dispatch(update.update_id, message, output, on_new_message)
        except Exception:  # the person must get an answer, whatever broke (never "bien reçu")
            logger.exception(
                "Telegram update %s for chat %s failed", update.update_id, mask_id(chat_id)
            )
            for notice in failed_turn(message.text or message.caption or "", CHANNEL):
                await self.sender.send(chat_id, to_html(notice))
        try:  # answered: a retry of this update gets no second turn
            await self._store("finish_receipt", CHANNEL, receipt)
        except Exception:
            logger.warning("Telegram receipt %s not marked done (database)", update.update_id)

    async def _answer_group(self, message: Message, output: TelegramOutput) -> None:
        """Groups are not served (cases are personal); a command there gets one sentence."""
        logger.info("Telegram %s chat %s not served", message.chat.type, mask_id(message.chat.id))
        if (message.text or "").startswith("/"):
            await output.send_notice(message.chat.id, GROUP_ONLY)

    def _media_answer(self, kind: str, has_caption: bool) -> str:
        cannot, advice = MEDIA_ANSWERS[kind]
        parts = [cannot, advice] if advice else [cannot]
        if not has_caption:
            parts.append(ASK_IN_WORDS)
        if self.phone_number and kind == "voice":
            parts.append(wording.TELEGRAM_CALL_US.format(phone=display_phone(self.phone_number)))
        elif kind in {"voice", "other"}:
            parts.append(HUMAN)
        return " ".join(parts)

    async def _dispatch(
        self,
        update_id: int,
        message: Message,
        output: TelegramOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        chat_id = message.chat.id
        if message.contact is not None:
            await self._link_contact(message, output)
            return
        text = message.text
        if text is None:
            kind = media_kind(message)
            if kind is None:
                logger.debug("Telegram service message in chat %s ignored", mask_id(chat_id))
                return
            logger.info("Telegram %s from chat %s answered by the channel", kind, mask_id(chat_id))
            await output.send_notice(chat_id, self._media_answer(kind, bool(message.caption)))
            if not message.caption:
                return
            text = message.caption  # the words written under a photo go to the dialogue
        try:
            text = check_message(text, self.max_message_chars)
        except InvalidInput:
            await output.send_notice(chat_id, TOO_LONG)
            return
        sender_id, linked = await self.conversation_id(chat_id)
        offer_contact = False
        payload = await self.keyboards.payload_for(chat_id, text)
        command = _COMMAND.match(text)
        if payload is not None:  # a keyboard button: its title comes back as text
            text = payload
        elif command is not None and command["name"].lower() in COMMANDS:
            name = command["name"].lower()
            if name == "numero":
                await output.offer_contact(chat_id, CONTACT_OFFER)
                return
            offer_contact = name == "start" and not linked
            text = COMMANDS[name] or text
        elif text.startswith("/"):  # typed by the person: read as words, never as an intent
            text = clean_text(text.lstrip("/").replace("_", " "))
        await self.sender.typing(chat_id)
        try:
            await on_new_message(
                UserMessage(
                    text,
                    output,
                    sender_id,
                    input_channel=CHANNEL,
                    message_id=str(update_id),
                    metadata={"telegram_chat_id": chat_id},
                )
            )
        except Exception:  # not stored: danger still gets its lines, the team gets the words
            output.drop()
            logger.exception("Telegram turn for chat %s failed", mask_id(chat_id))
            await asyncio.to_thread(alert_team, self.store, sender_id, CHANNEL, text, "error")
            for notice in failed_turn(text, CHANNEL):
                await output.send_notice(chat_id, notice)
            return
        await output.release()
        paused, failed = turn_state(output)
        held = paused and await asyncio.to_thread(self.store.agent_surely_holds, sender_id)
        extra, alert = after_turn(
            text, output.said, CHANNEL, paused=paused, failed=failed, held=held
        )
        if alert:
            await asyncio.to_thread(alert_team, self.store, sender_id, CHANNEL, text, alert)
        for notice in extra:
            await output.send_notice(chat_id, notice)
        if offer_contact:
            await output.offer_contact(chat_id, CONTACT_OFFER)

    async def _link_contact(self, message: Message, output: TelegramOutput) -> None:
        """A shared contact: the person's own number links this chat to their phone identity."""
        chat_id = message.chat.id
        contact = message.contact
        own_id = message.from_user.id if message.from_user is not None else chat_id
        if contact is None or contact.user_id is None or contact.user_id != own_id:
            logger.info("Telegram chat %s shared someone else's contact", mask_id(chat_id))
            await output.offer_contact(chat_id, CONTACT_NOT_YOURS)
            return
        phone = to_e164(contact.phone_number)
        if phone is None:
            await output.send_notice(chat_id, CONTACT_UNREADABLE, restore_keyboard=True)
            return
        await self._store("link_identity", CHANNEL, str(chat_id), phone)
        logger.info("Telegram chat %s linked to %s", mask_id(chat_id), mask_id(phone))
        await output.send_notice(chat_id, CONTACT_LINKED, restore_keyboard=True)

    # The webhook.
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("senior_telegram_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.authentic(request.headers.get(SECRET_HEADER)):
                logger.warning("Telegram webhook refused: missing or wrong secret token")
                return response.json({"error": "Jeton secret absent ou invalide."}, status=403)
            try:
                update = parse_update(request.body)
            except InvalidInput as error:
                logger.warning("Telegram webhook refused: %s", error.message_fr)
                return response.json({"error": error.message_fr}, status=error.status)
            if update.message is None:
                logger.info("Telegram update %s (%s) ignored", update.update_id, update.kind[:32])
                return response.empty(status=200)
            message = update.message
            # Per chat only: the address is Telegram's, shared by every person.
            text = message.text or message.caption or ""
            verdict = await self.limits.check(CHANNEL, f"tg{message.chat.id}", None, text)
            if verdict is not Verdict.ALLOW:  # 200 all the same: a retry would not help
                if verdict is Verdict.REFUSE_WITH_NOTICE:
                    await self.sender.send(message.chat.id, to_html(SLOW_DOWN))
                return response.empty(status=200)
            task = asyncio.create_task(self.handle(update, on_new_message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            # Telegram retries an update until it gets a 2xx: answer once the turn is done,
            # or after answer_within seconds while the turn goes on in the background.
            await asyncio.wait({task}, timeout=self.answer_within)
            return response.empty(status=200)

        @webhook.listener("after_server_stop")
        async def close(*_: Any) -> None:
            await self.wait_idle(timeout=self.answer_within)
            await self.sender.close()

        return webhook
