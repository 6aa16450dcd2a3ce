"""REST channel for tests, the terminal chat and the channel simulator.

On only when ``APP_ENV`` is ``dev`` or ``test``: elsewhere (production, or
``APP_ENV`` unset) its routes answer 404 and one log line says so at start. Its
conversation ids live in their own namespace, ``rest:<sender>``: a REST request
can never speak as a phone number (``+33…``) or a Telegram chat (``tg…``), and
nothing derives a phone number from a ``rest:`` id (no SMS is ever sent to it).

Same contract as Rasa's stock REST channel (POST /webhooks/rest/webhook with
{"sender": ..., "message": ...}, answer: list of bot messages) but it never
answers 500: malformed requests get a 4xx with a French explanation, a failure
inside the assistant gets a French apology, and nothing is logged in clear.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import bot_settings
from channels.addresses import client_address
from channels.rate_limits import SLOW_DOWN, Limits, Verdict
from channels.safety_net import after_turn, alert_team, failed_turn, turn_state
from channels.store import ChannelStore
from channels.text_input import InvalidInput, check_message, check_sender, load_json
from rendering.channels import catalogue_entry

logger = logging.getLogger(__name__)

ENTRY = catalogue_entry("rest")  # name, kind, labels, capabilities: rendering/channels.py
DEFAULT_MAX_MESSAGE_CHARS = 8000
NAMESPACE = "rest:"
MAX_CONVERSATION_ID = 128
ENABLED_IN = ("dev", "test")
MAX_METADATA_KEYS = 20
MAX_METADATA_VALUE_CHARS = 200
OFF = "Le canal REST est désactivé dans cet environnement."


def namespaced(sender: str) -> str:
    """The conversation id of a REST sender: always ``rest:<sender>``."""
    return sender if sender.startswith(NAMESPACE) else NAMESPACE + sender


def small_metadata(metadata: object) -> dict[str, Any] | None:
    """Metadata passed on only when small and shallow (a flat dict of short values)."""
    if not isinstance(metadata, dict) or len(metadata) > MAX_METADATA_KEYS:
        return None
    for value in metadata.values():
        if not (value is None or isinstance(value, (str, int, float, bool))):
            return None
        if isinstance(value, str) and len(value) > MAX_METADATA_VALUE_CHARS:
            return None
    return metadata


def enabled_here() -> bool:
    """On in dev and tests only; production is the default when APP_ENV is unset."""
    return bot_settings().app_env in ENABLED_IN


def _mask(sender: str) -> str:
    return sender[:2] + "***" + sender[-2:] if len(sender) > 6 else "***"


class SeniorRestInput(InputChannel):
    """Hardened REST input channel, registered as `rest`."""

    @classmethod
    def name(cls) -> str:
        return ENTRY.name

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SeniorRestInput:
        value = (credentials or {}).get("max_message_chars") or DEFAULT_MAX_MESSAGE_CHARS
        try:
            max_chars = int(value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"max_message_chars must be a number, got {value!r}") from error
        enabled = enabled_here()
        if not enabled:
            logger.warning("REST channel off: APP_ENV is not dev or test (its routes answer 404)")
        return cls(max_message_chars=max_chars, enabled=enabled)

    def __init__(
        self,
        max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
        store: ChannelStore | None = None,
        *,
        enabled: bool = True,
        limits: Limits | None = None,
    ) -> None:
        self.max_message_chars = max_message_chars
        self.store = store or ChannelStore()
        self.enabled = enabled
        self.limits = limits or Limits()

    async def _alert(self, sender: str, text: str, why: str) -> None:
        await asyncio.to_thread(alert_team, self.store, sender, self.name(), text, why)

    def parse(self, body: bytes) -> tuple[str, str, dict[str, Any] | None]:
        """Sender, text and metadata of a request body, or InvalidInput."""
        payload = load_json(body, "Requête illisible : un objet JSON est attendu.")
        if not isinstance(payload, dict):
            raise InvalidInput("Requête illisible : un objet JSON est attendu.")
        sender = namespaced(check_sender(payload.get("sender")))
        if len(sender) > MAX_CONVERSATION_ID:  # what the app's tables keep
            raise InvalidInput("Identifiant d'expéditeur trop long (123 caractères au plus).")
        text = check_message(payload.get("message"), self.max_message_chars)
        return sender, text, small_metadata(payload.get("metadata"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("senior_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            if not self.enabled:
                return response.json({"error": OFF}, status=404)
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.json({"error": OFF}, status=404)
            try:
                sender, text, metadata = self.parse(request.body)
            except InvalidInput as error:
                return response.json({"error": error.message_fr}, status=error.status)
            verdict = await self.limits.check(self.name(), sender, client_address(request), text)
            if verdict is not Verdict.ALLOW:
                told = verdict is Verdict.REFUSE_WITH_NOTICE
                notice = [{"recipient_id": sender, "text": SLOW_DOWN}] if told else []
                return response.json(notice, status=429)
            collector = CollectingOutputChannel()
            message = UserMessage(
                text, collector, sender, input_channel=self.name(), metadata=metadata
            )
            try:
                await on_new_message(message)
            except Exception:  # the person must get an answer, whatever broke
                logger.exception("REST message from %s failed", _mask(sender))
                await self._alert(sender, text, "error")
                return response.json(
                    [{"recipient_id": sender, "text": t} for t in failed_turn(text, self.name())]
                )
            paused, failed = turn_state(collector)
            said = [str(m.get("text") or "") for m in collector.messages]
            held = paused and await asyncio.to_thread(self.store.agent_surely_holds, sender)
            extra, alert = after_turn(
                text, said, self.name(), paused=paused, failed=failed, held=held
            )
            if alert:
                await self._alert(sender, text, alert)
            collector.messages.extend({"recipient_id": sender, "text": t} for t in extra)
            return response.json(collector.messages)

        return webhook
