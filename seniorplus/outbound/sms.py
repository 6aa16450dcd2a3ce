"""SMS through Twilio's Messaging REST API, from async code (httpx).

``POST {TWILIO_API_URL}/2010-04-01/Accounts/{AccountSid}/Messages.json`` with
HTTP basic auth (AccountSid, AuthToken) and the form fields ``To``, ``From``,
``Body``. Twilio answers 201 with a Message resource (its ``sid`` is kept), or
a JSON error ``{"code", "message", "more_info", "status"}`` read here:

- 21610 (the person replied STOP to our number, Twilio blocks it): the opt-out
  is recorded, so nothing is tried again; ``refused``;
- 21211 (invalid "To"), 21614 / 21635 (not a mobile, landline): ``failed``, final;
- 401 / 20003 and sender errors (21212, 21606, 21408): ``failed``, configuration;
- 429 / 20429, 5xx, timeouts and network errors: ``failed``, ``retryable``.
  A timeout may hide a message Twilio did take: a retry can then send it twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.exc import SQLAlchemyError

from observability.mask import mask_identifier
from policies.phones import is_e164, is_mobile
from rendering import render_for_channel
from seniorplus.outbound import store
from seniorplus.outbound.base import (
    REASON_DB_DOWN,
    REASON_EMPTY,
    REASON_INVALID_NUMBER,
    REASON_LANDLINE,
    REASON_NOT_A_MOBILE,
    REASON_SMS_CONFIG,
    REASON_SMS_DOWN,
    REASON_SMS_REJECTED,
    REASON_SMS_TOO_LONG,
    REASON_STOP,
    Buttons,
    Delivery,
    Kind,
)
from seniorplus.outbound.http import HttpSender, client_scope, int_field, read_json
from seniorplus.outbound.policy import decide
from seniorplus.settings import OutboundSettings

logger = logging.getLogger(__name__)

CHANNEL = "sms"
MAX_BODY = 1600  # Twilio refuses longer bodies (error 21617)

# Twilio REST error codes (https://www.twilio.com/docs/api/errors).
UNSUBSCRIBED = 21610
INVALID_TO = frozenset({21211})
NOT_A_MOBILE = frozenset({21614, 21635})
CONFIGURATION = frozenset({20003, 21212, 21408, 21606})
TOO_MANY_REQUESTS = 20429


def is_phone_number(address: str) -> bool:
    """A valid number written in E.164, such as ``+33612345678`` (`policies.phones`)."""
    return is_e164(address)


def _failed(reason: str, *, retryable: bool = False, code: int | None = None) -> Delivery:
    return Delivery("failed", CHANNEL, reason_fr=reason, retryable=retryable, error_code=code)


def _retry_after(response: httpx.Response, now: datetime) -> datetime | None:
    value = response.headers.get("Retry-After", "")
    return now + timedelta(seconds=int(value)) if value.isdigit() else None


class SmsSender(HttpSender):
    """Sends one SMS per message: the text and its numbered choices, in GSM-7."""

    channel = CHANNEL

    def require(self, settings: OutboundSettings) -> None:
        settings.require_twilio()

    @property
    def messages_url(self) -> str:
        s = self._settings
        return f"{s.twilio_api_url}/2010-04-01/Accounts/{s.twilio_account_sid}/Messages.json"

    async def send(self, address: str, text: str, buttons: Buttons = (), *, kind: Kind) -> Delivery:
        """Send ``text`` to the E.164 number ``address``, unless STOP or quiet hours."""
        if not is_phone_number(address):
            return _failed(REASON_INVALID_NUMBER)
        if not is_mobile(address):  # a landline or a service number never gets an SMS
            return _failed(REASON_NOT_A_MOBILE)
        body = render_for_channel(CHANNEL, text, buttons)
        assert isinstance(body, str)
        if not body.strip():
            return _failed(REASON_EMPTY)
        if len(body) > MAX_BODY:
            return _failed(REASON_SMS_TOO_LONG)
        try:
            opted_out = await store.run_in_session(store.is_opted_out, CHANNEL, address)
        except SQLAlchemyError as exc:
            # Unable to check STOP: sending anyway could write to someone who said stop.
            logger.error("SMS not sent, opt-out check failed: %s", type(exc).__name__)
            return _failed(REASON_DB_DOWN, retryable=True)
        verdict = decide(CHANNEL, kind=kind, opted_out=opted_out, at=self._clock())
        if verdict.decision == "refuse":
            return Delivery("refused", CHANNEL, reason_fr=verdict.reason_fr)
        if verdict.decision == "defer":
            return Delivery(
                "deferred", CHANNEL, not_before=verdict.not_before, reason_fr=verdict.reason_fr
            )
        return await self._post(address, body)

    async def _post(self, address: str, body: str) -> Delivery:
        s = self._settings
        form = {"To": address, "From": s.twilio_sms_number, "Body": body}
        masked = mask_identifier(address)
        try:
            async with client_scope(self._client, self._timeout) as client:
                response = await client.post(
                    self.messages_url,
                    data=form,
                    auth=(s.twilio_account_sid, s.twilio_auth_token),
                    headers={"Accept": "application/json"},
                    timeout=self._timeout,
                )
        except httpx.HTTPError as exc:  # timeouts, refused connections, protocol errors
            logger.warning("SMS to %s not sent: %s", masked, type(exc).__name__)
            return _failed(REASON_SMS_DOWN, retryable=True)
        payload = read_json(response)
        if response.status_code in (200, 201):
            sid = payload.get("sid")
            vendor_id = sid if isinstance(sid, str) else None
            logger.info("SMS to %s accepted by Twilio (%s)", masked, vendor_id)
            return Delivery("sent", CHANNEL, vendor_id=vendor_id)
        return await self._error(address, response, payload)

    async def _error(
        self, address: str, response: httpx.Response, payload: dict[str, Any]
    ) -> Delivery:
        status = response.status_code
        code = int_field(payload, "code")
        logger.warning(
            "SMS to %s refused by Twilio: HTTP %s, code %s", mask_identifier(address), status, code
        )
        if code == UNSUBSCRIBED:
            try:
                await store.run_in_session(store.record_opt_out, CHANNEL, address)
            except SQLAlchemyError as exc:
                logger.error("Opt-out from Twilio 21610 not recorded: %s", type(exc).__name__)
            return Delivery("refused", CHANNEL, reason_fr=REASON_STOP, error_code=code)
        if code in INVALID_TO:
            return _failed(REASON_INVALID_NUMBER, code=code)
        if code in NOT_A_MOBILE:
            return _failed(REASON_LANDLINE, code=code)
        if status in (401, 403) or code in CONFIGURATION:
            return _failed(REASON_SMS_CONFIG, code=code)
        if status == 429 or code == TOO_MANY_REQUESTS or status >= 500:
            retry = _retry_after(response, self._clock())
            return Delivery(
                "failed",
                CHANNEL,
                not_before=retry,
                reason_fr=REASON_SMS_DOWN,
                retryable=True,
                error_code=code,
            )
        return _failed(REASON_SMS_REJECTED, code=code)
