"""A message of Rasa's event broker, read into what the consumer needs (pure).

Body: what ``TrackerStore._stream_new_events`` publishes, ``{"sender_id": …}``
updated with ``event.as_dict()``: ``event`` (``user``, ``bot``, ``slot``, ``action``,
``session_started``, ``pause``…), ``timestamp`` (Unix seconds), then the fields of the
type (``text``, ``input_channel``, ``parse_data`` for ``user``; ``name``, ``value``
for ``slot``; ``metadata``). See tests/fixtures/rasa_events.json.

Rasa's events carry no id: the SHA-256 of the body is the event's identity. A
redelivery, or the broker republishing an event it kept while RabbitMQ was away, is
the same bytes, hence the same digest.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

from seniorplus.errors import SeniorPlusError

PROGRESS_SLOT = "journey_progress"  # {journey id: step last shown}, actions/journeys.py
SPOKEN = ("user", "bot")
MAX_SENDER_CHARS = 255  # the columns of seniorplus/events/models.py
MAX_CHANNEL_CHARS = 32
MAX_JOURNEY_CHARS = 64


class MalformedEvent(SeniorPlusError):
    """Not an event of Rasa's broker; ``reason`` says why in a word, never with content."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RasaEvent:
    """What the consumer keeps of one event."""

    digest: str
    sender_id: str
    kind: str
    at: datetime
    channel: str | None = None  # input_channel of a user message
    spoken: Literal["user", "bot"] | None = None  # a message with text (the transcript's lines)
    progress: dict[str, int] = field(default_factory=dict)  # from the journey_progress slot


def digest_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _progress(data: dict[str, Any]) -> dict[str, int]:
    if data.get("name") != PROGRESS_SLOT or not isinstance(data.get("value"), dict):
        return {}
    return {
        str(journey): step
        for journey, step in data["value"].items()
        if isinstance(step, int)
        and not isinstance(step, bool)
        and len(str(journey)) <= MAX_JOURNEY_CHARS
    }


def _spoken(kind: str, data: dict[str, Any]) -> Literal["user", "bot"] | None:
    text = data.get("text")
    if kind not in SPOKEN or not isinstance(text, str) or not text.strip():
        return None
    return "user" if kind == "user" else "bot"


def parse_event(body: bytes) -> RasaEvent:
    """The event in ``body``.

    Raises:
        MalformedEvent: not JSON, not an object, or without a usable ``sender_id``,
            ``event`` or ``timestamp``.
    """
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise MalformedEvent("json") from None
    if not isinstance(data, dict):
        raise MalformedEvent("not_object")
    sender_id, kind, timestamp = data.get("sender_id"), data.get("event"), data.get("timestamp")
    if not isinstance(sender_id, str) or not sender_id or len(sender_id) > MAX_SENDER_CHARS:
        raise MalformedEvent("sender_id")
    if not isinstance(kind, str) or not kind:
        raise MalformedEvent("event")
    if (
        not isinstance(timestamp, (int, float))
        or isinstance(timestamp, bool)
        or not math.isfinite(timestamp)
        or not 0 <= timestamp < 32_503_680_000  # before the year 3000
    ):
        raise MalformedEvent("timestamp")
    channel = data.get("input_channel") if kind == "user" else None
    return RasaEvent(
        digest=digest_of(body),
        sender_id=sender_id,
        kind=kind,
        at=datetime.fromtimestamp(timestamp, timezone.utc),
        channel=channel
        if isinstance(channel, str) and 0 < len(channel) <= MAX_CHANNEL_CHARS
        else None,
        spoken=_spoken(kind, data),
        progress=_progress(data) if kind == "slot" else {},
    )
