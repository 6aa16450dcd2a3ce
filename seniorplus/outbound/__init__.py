"""Outbound messages (reminders, agents' replies) on the person's own channel.

One small sender per channel, all with the same call::

    delivery = await sender_for(conversation_id, channel).send(
        conversation_id, "Bonjour, ...", buttons, kind="reply"
    )

STOP and quiet hours are checked before any vendor call (:mod:`.policy`); vendor
errors and outages come back as a :class:`Delivery`, never as an exception.
See docs/channels.md, "Envoi sortant".
"""

from seniorplus.outbound.base import Delivery, DeliveryStatus, Kind, Sender
from seniorplus.outbound.routing import NoChannelSender, send_message, sender_for

__all__ = [
    "Delivery",
    "DeliveryStatus",
    "Kind",
    "NoChannelSender",
    "Sender",
    "send_message",
    "sender_for",
]
