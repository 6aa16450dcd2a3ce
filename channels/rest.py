"""REST channel for tests, the terminal chat and the channel simulator.

Same contract as Rasa's stock REST channel (POST /webhooks/rest/webhook with
{"sender": ..., "message": ...}, answer: list of bot messages) but it never
answers 500: malformed requests get a 4xx with a French explanation, a failure
inside the assistant gets a French apology, and nothing is logged in clear.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.paused import safety_answer
from channels.text_input import InvalidInput, check_message, check_sender

logger = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_CHARS = 8000
APOLOGY = (
    "Désolé, un problème technique m'empêche de répondre. Votre message est bien reçu. "
    "Réessayez dans un instant, ou appelez le CLIC de votre secteur."
)


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

    def __init__(self, max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS) -> None:
        self.max_message_chars = max_message_chars

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
                return response.json([{"recipient_id": sender, "text": APOLOGY}])
            for extra in safety_answer(text, bool(collector.messages)):  # paused
                collector.messages.append({"recipient_id": sender, "text": extra})
            return response.json(collector.messages)

        return webhook
