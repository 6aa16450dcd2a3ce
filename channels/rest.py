"""REST channel for tests, the terminal chat and the channel simulator.

Same contract as Rasa's stock REST channel (POST /webhooks/rest/webhook with
{"sender": ..., "message": ...}, answer: list of bot messages) but it never
answers 500: malformed requests get a 4xx with a French explanation, a failure
inside the assistant gets a French apology, and nothing is logged in clear.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.safety_net import after_turn, alert_team, failed_turn, turn_state
from channels.store import ChannelStore
from channels.text_input import InvalidInput, check_message, check_sender

logger = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_CHARS = 8000


def _mask(sender: str) -> str:
    return sender[:2] + "***" + sender[-2:] if len(sender) > 6 else "***"


class SeniorRestInput(InputChannel):
    """Hardened REST input channel, registered as `rest`."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SeniorRestInput:
        value = (credentials or {}).get("max_message_chars") or DEFAULT_MAX_MESSAGE_CHARS
        try:
            max_chars = int(value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"max_message_chars must be a number, got {value!r}") from error
        return cls(max_message_chars=max_chars)

    def __init__(
        self, max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS, store: ChannelStore | None = None
    ) -> None:
        self.max_message_chars = max_message_chars
        self.store = store or ChannelStore()

    async def _alert(self, sender: str, text: str, why: str) -> None:
        await asyncio.to_thread(alert_team, self.store, sender, self.name(), text, why)

    def parse(self, body: bytes) -> tuple[str, str, dict[str, Any] | None]:
        """Sender, text and metadata of a request body, or InvalidInput."""
        try:
            payload = json.loads(body or b"")
        except (ValueError, UnicodeDecodeError) as error:
            raise InvalidInput("Requête illisible : un objet JSON est attendu.") from error
        if not isinstance(payload, dict):
            raise InvalidInput("Requête illisible : un objet JSON est attendu.")
        sender = check_sender(payload.get("sender"))
        text = check_message(payload.get("message"), self.max_message_chars)
        metadata = payload.get("metadata")
        return sender, text, metadata if isinstance(metadata, dict) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("senior_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata = self.parse(request.body)
            except InvalidInput as error:
                return response.json({"error": error.message_fr}, status=error.status)
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
            held = paused and await asyncio.to_thread(self.store.holds_or_unknown, sender)
            extra, alert = after_turn(
                text, said, self.name(), paused=paused, failed=failed, held=held
            )
            if alert:
                await self._alert(sender, text, alert)
            collector.messages.extend({"recipient_id": sender, "text": t} for t in extra)
            return response.json(collector.messages)

        return webhook
