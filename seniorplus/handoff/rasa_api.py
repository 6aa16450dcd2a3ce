"""Pause and resume a conversation in Rasa (HTTP API of ``rasa run --enable-api``).

``POST {RASA_URL}/conversations/{id}/tracker/events?token=…&include_events=NONE``
with ``{"event": "pause"}`` or ``{"event": "resume"}``: Rasa appends the event to
the tracker under the conversation's lock and saves it. Without
``execute_side_effects`` nothing is sent to the person (no output channel is
used), so what the person is told is sent by :mod:`seniorplus.handoff.operations`.
``include_events=NONE`` keeps Rasa from sending the whole history back.

While paused, Rasa stores what the person writes (user events) but predicts
nothing: the assistant stays silent until ``resume``.
"""

from __future__ import annotations

import logging
from typing import Literal
from urllib.parse import quote

import httpx

from observability.mask import mask_identifier
from seniorplus.handoff.service import HandoffError
from seniorplus.settings import get_settings

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 5.0
UNAVAILABLE_FR = "L'assistant ne répond pas pour le moment : réessayez dans un instant."


class RasaUnavailable(HandoffError):
    """Rasa could not be reached, or refused the event (network error, timeout, non-2xx).

    ``result`` carries what the operation did before (the handoff or the reply,
    already committed) when :mod:`seniorplus.handoff.operations` raises it.
    """

    def __init__(self, message_fr: str = UNAVAILABLE_FR, result: object = None) -> None:
        super().__init__(message_fr)
        self.result = result


class RasaClient:
    """A small async client for the tracker events endpoint."""

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        settings = get_settings()
        self.base_url = (base_url or settings.rasa.url).rstrip("/")
        self._token = token if token is not None else settings.rasa.token
        self._transport = transport
        self._timeout = timeout

    def events_url(self, conversation_id: str) -> str:
        """The endpoint of this conversation.

        Rasa's server (Sanic) does not decode the path: ``%2B336…`` would name another
        conversation than ``+336…``. So the characters a conversation id may hold and a
        path allows (``+ : @``, letters, digits, ``- . _``) stay as they are.
        """
        return f"{self.base_url}/conversations/{quote(conversation_id, safe='+:@')}/tracker/events"

    async def append(self, conversation_id: str, event: Literal["pause", "resume"]) -> None:
        """Append ``event`` to the conversation's tracker.

        Raises:
            RasaUnavailable: network error, timeout, or an answer other than 2xx.
        """
        params = {"include_events": "NONE"}
        if self._token:
            params["token"] = self._token
        try:
            async with httpx.AsyncClient(
                transport=self._transport, timeout=self._timeout
            ) as client:
                response = await client.post(
                    self.events_url(conversation_id), params=params, json={"event": event}
                )
        except httpx.HTTPError as error:
            logger.warning(
                "Rasa %s of %s failed: %s",
                event,
                mask_identifier(conversation_id),
                type(error).__name__,
            )
            raise RasaUnavailable() from error
        if not response.is_success:
            logger.warning(
                "Rasa %s of %s refused: HTTP %s",
                event,
                mask_identifier(conversation_id),
                response.status_code,
            )
            raise RasaUnavailable()

    async def pause(self, conversation_id: str) -> None:
        """The assistant stops answering this conversation (what the person writes is kept)."""
        await self.append(conversation_id, "pause")

    async def resume(self, conversation_id: str) -> None:
        """The assistant answers this conversation again."""
        await self.append(conversation_id, "resume")


async def pause(conversation_id: str) -> None:
    """Pause with this process's settings (``RASA_URL``, ``RASA_TOKEN``)."""
    await RasaClient().pause(conversation_id)


async def resume(conversation_id: str) -> None:
    """Resume with this process's settings (``RASA_URL``, ``RASA_TOKEN``)."""
    await RasaClient().resume(conversation_id)
