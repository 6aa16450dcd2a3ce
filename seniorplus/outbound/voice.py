"""Writing to a person who called: an SMS to their number, or a callback for a landline.

No outbound call is placed: a synthetic voice reading an agent's answer to
someone who did not expect a call would confuse more than help. So:

- a mobile number gets the message as an SMS (same rules: STOP, quiet hours);
- a French landline (01 to 05, 08, 09), or a number Twilio says cannot take an
  SMS (21614, 21635), gets a callback request for the agents when the message
  is a reply (``callback``): they call back during opening hours; a reminder to
  a landline cannot be delivered (``failed``, final).
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from observability.mask import mask_identifier
from policies.phones import is_e164, is_mobile
from seniorplus.outbound import store
from seniorplus.outbound.base import (
    REASON_CALLBACK,
    REASON_DB_DOWN,
    REASON_LANDLINE,
    Buttons,
    Delivery,
    Kind,
)
from seniorplus.outbound.sms import NOT_A_MOBILE, SmsSender

logger = logging.getLogger(__name__)

CHANNEL = "voice"
CALLBACK_REASON = "agent_reply"  # callback_requests.reason


def is_landline(phone: str) -> bool:
    """A valid number that cannot receive SMS (fixed line, service number): `policies.phones`."""
    return is_e164(phone) and not is_mobile(phone)


class VoiceSender:
    """The sender for a conversation held on the phone line."""

    channel = CHANNEL

    def __init__(self, sms: SmsSender | None = None) -> None:
        """Raises ConfigurationError when the Twilio settings are missing."""
        self._sms = sms or SmsSender()

    async def send(self, address: str, text: str, buttons: Buttons = (), *, kind: Kind) -> Delivery:
        if is_landline(address):
            return await self._landline(address, kind)
        delivery = await self._sms.send(address, text, buttons, kind=kind)
        if delivery.status == "failed" and delivery.error_code in NOT_A_MOBILE:
            return await self._landline(address, kind, delivery.error_code)
        return delivery

    async def _landline(self, phone: str, kind: Kind, code: int | None = None) -> Delivery:
        if kind != "reply":
            return Delivery("failed", CHANNEL, reason_fr=REASON_LANDLINE, error_code=code)
        try:
            await store.run_in_session(store.request_callback, phone, CALLBACK_REASON)
        except SQLAlchemyError as exc:
            logger.error("Callback request not recorded: %s", type(exc).__name__)
            return Delivery("failed", CHANNEL, reason_fr=REASON_DB_DOWN, retryable=True)
        logger.info("Landline %s: callback requested instead of an SMS", mask_identifier(phone))
        return Delivery("callback", CHANNEL, reason_fr=REASON_CALLBACK, error_code=code)
