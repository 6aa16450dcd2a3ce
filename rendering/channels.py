"""One content, three renderings: the channel a person is on picks the rendering.

Channel names (the `input_channel` Rasa records): "sms" (and "twilio", Rasa's
SMS channel), "voice" (and "twilio_voice"), "telegram". Any other channel
("rest", "cmdline", "socketio"…) gets the message unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from rendering.message import Message, clean_buttons
from rendering.sms import render_sms
from rendering.telegram import TelegramMessage, render_telegram
from rendering.voice import VoicePrompt, render_voice

Rendered = str | VoicePrompt | list[TelegramMessage] | Message
Renderer = Callable[[str | None, Sequence[Mapping[str, str]]], Rendered]

RENDERERS: Mapping[str, Renderer] = MappingProxyType(
    {
        "sms": render_sms,
        "twilio": render_sms,
        "voice": render_voice,
        "twilio_voice": render_voice,
        "telegram": render_telegram,
    }
)


def render_for_channel(
    channel: str | None, text: str | None, buttons: Sequence[Mapping[str, object]] | None = None
) -> Rendered:
    """SMS text, VoicePrompt or Telegram messages; a Message unchanged for other channels."""
    cleaned = clean_buttons(buttons)
    renderer = RENDERERS.get((channel or "").strip().lower())
    if renderer is None:
        return Message(text, cleaned)
    return renderer(text, cleaned)
