"""Which sender for a conversation: read from its id and the channel last used.

Conversation ids (see docs/channels.md): SMS and phone use the caller's E.164
number; Telegram uses ``tg<chat_id>``, or the person's phone number once the
chat is linked to it. So:

- ``tg<chat_id>`` → Telegram;
- an E.164 number → the channel the person last wrote or called from
  (``preferred_channel``, the tracker's latest ``input_channel``): Telegram
  (to the chat linked to that number), phone (SMS, or a callback for a
  landline), otherwise SMS;
- anything else (``rest`` test conversations…) → no channel: ``failed``.
"""

from __future__ import annotations

import httpx

from rendering.channels import Names
from seniorplus.outbound.base import REASON_NO_CHANNEL, Buttons, Delivery, Kind, Sender
from seniorplus.outbound.http import Clock, utcnow
from seniorplus.outbound.sms import SmsSender, is_phone_number
from seniorplus.outbound.telegram import TelegramSender, chat_of
from seniorplus.outbound.voice import VoiceSender
from seniorplus.settings import OutboundSettings

TELEGRAM_CHANNELS = frozenset({"telegram"})
VOICE_CHANNELS = Names(lambda channel: channel.kind == "voice")


class NoChannelSender:
    """For a conversation nobody can be written to outside it (REST, tests)."""

    channel = "none"

    async def send(self, address: str, text: str, buttons: Buttons = (), *, kind: Kind) -> Delivery:
        return Delivery("failed", self.channel, reason_fr=REASON_NO_CHANNEL)


def sender_for(
    address: str,
    preferred_channel: str | None = None,
    *,
    settings: OutboundSettings | None = None,
    client: httpx.AsyncClient | None = None,
    clock: Clock = utcnow,
) -> Sender:
    """The sender for conversation ``address``.

    Raises:
        ConfigurationError: the chosen channel's vendor settings are missing.
    """
    channel = (preferred_channel or "").strip().lower()
    if chat_of(address) is not None:
        return TelegramSender(settings, client=client, clock=clock)
    if not is_phone_number(address):
        return NoChannelSender()
    if channel in TELEGRAM_CHANNELS:
        return TelegramSender(settings, client=client, clock=clock)
    sms = SmsSender(settings, client=client, clock=clock)
    return VoiceSender(sms) if channel in VOICE_CHANNELS else sms


async def send_message(
    address: str,
    preferred_channel: str | None,
    text: str,
    buttons: Buttons = (),
    *,
    kind: Kind,
) -> Delivery:
    """Send through :func:`sender_for` with the settings of this process."""
    return await sender_for(address, preferred_channel).send(address, text, buttons, kind=kind)
