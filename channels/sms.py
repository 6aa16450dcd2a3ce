"""SMS channel: Twilio Messaging webhooks, answered with TwiML (``name: sms``).

POST /webhooks/sms/webhook, signed by Twilio (channels/twilio_webhook.py). The
sender's E.164 number is the conversation id, shared with the phone channel.
A webhook Twilio retries (same MessageSid) is answered once. STOP, START and
AIDE are handled here, never by the assistant, and STOP is kept in the app
database (``channel_opt_outs``) so reminders and agents honour it too.
Everything else goes to Rasa; each bot message becomes one ``<Message>``,
choices numbered inside it (rendering/sms.py). See docs/channels.md.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from enum import Enum
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import wording
from channels.rate_limits import SLOW_DOWN, Limits, Verdict
from channels.safety_net import after_turn, alert_team, failed_turn, turn_state
from channels.store import ChannelStore, Claim, claim_or_wait
from channels.text_input import InvalidInput, clean_text
from channels.twilio_webhook import (
    Forbidden,
    MultiValueForm,
    SignatureChecker,
    check_e164,
    forbidden,
    mask_phone,
    normalise_words,
    refusal,
    require_base_url,
    require_setting,
    required,
    twiml,
)
from channels.twiml import empty_response, messages_response
from rendering import render_for_channel
from rendering.channels import catalogue_entry

logger = logging.getLogger(__name__)

ENTRY = catalogue_entry("sms")  # name, kind, labels, capabilities: rendering/channels.py
CHANNEL = ENTRY.name
DEFAULT_MAX_MESSAGE_CHARS = 1600  # what Twilio itself accepts in one (long) SMS
# Twilio waits 15 s for the TwiML answer: past this, the person is told to write again.
DEFAULT_TURN_TIMEOUT_S = 12.0
# A retry finding a receipt older than this, never marked done, was cut off by a crash.
DEFAULT_LEASE_S = 30.0
# A retry finding the receipt held waits this long for the holder to finish (or its lease to
# run out), then answers "renvoyez votre message": Twilio's 15 s must hold the wait.
DEFAULT_BUSY_WAIT_S = 8.0

STOPPED = wording.SMS_STOPPED
RESUMED = wording.SMS_RESUMED
HELP = wording.SMS_HELP
TOO_LONG = wording.SMS_TOO_LONG
STOP_NOT_SAVED = wording.SMS_STOP_NOT_SAVED


class Keyword(Enum):
    STOP = "stop"
    START = "start"
    HELP = "aide"


KEYWORDS = {
    "stop": Keyword.STOP,
    "stop sms": Keyword.STOP,
    "stopsms": Keyword.STOP,
    "arret": Keyword.STOP,
    "start": Keyword.START,
    "aide": Keyword.HELP,
}


def keyword(text: str) -> Keyword | None:
    """STOP, START or AIDE when that is the whole message (any case, accents, punctuation)."""
    return KEYWORDS.get(normalise_words(text))


class SmsCollector(CollectingOutputChannel):
    """Collects the bot's messages; named "sms" so responses may have SMS variants."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL


def sms_texts(messages: Iterable[Mapping[str, Any]]) -> list[str]:
    """One SMS per bot message: text and numbered choices (images as their address)."""
    texts = []
    for message in messages:
        parts = [message.get("text"), message.get("image"), message.get("attachment")]
        text = "\n".join(str(part) for part in parts if isinstance(part, str) and part.strip())
        buttons = message.get("buttons") or []
        if not text and not buttons:
            continue  # e.g. a custom payload meant for another channel
        rendered = render_for_channel(CHANNEL, text, buttons)
        if isinstance(rendered, str) and rendered.strip():
            texts.append(rendered)
    return texts


def sms(text: str) -> str:
    """A text of this channel, as it goes out (GSM-7)."""
    rendered = render_for_channel(CHANNEL, text)
    return rendered if isinstance(rendered, str) else text


class SmsInput(InputChannel):
    """Twilio Messaging webhook, registered as `sms`."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SmsInput:
        value = (credentials or {}).get("max_message_chars") or DEFAULT_MAX_MESSAGE_CHARS
        try:
            max_chars = int(value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"sms: max_message_chars must be a number, got {value!r}") from error
        timeout = (credentials or {}).get("turn_timeout_s") or DEFAULT_TURN_TIMEOUT_S
        try:
            turn_timeout = float(timeout)
        except (TypeError, ValueError) as error:
            raise ValueError(f"sms: turn_timeout_s must be a number, got {timeout!r}") from error
        return cls(
            auth_token=require_setting(credentials, "auth_token", CHANNEL),
            public_base_url=require_base_url(credentials, CHANNEL),
            max_message_chars=max_chars,
            turn_timeout_s=turn_timeout,
        )

    def __init__(
        self,
        auth_token: str,
        public_base_url: str,
        max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
        store: ChannelStore | None = None,
        turn_timeout_s: float = DEFAULT_TURN_TIMEOUT_S,
        *,
        limits: Limits | None = None,
        lease_s: float = DEFAULT_LEASE_S,
        busy_wait_s: float = DEFAULT_BUSY_WAIT_S,
    ) -> None:
        self.signatures = SignatureChecker(auth_token, public_base_url)
        self.limits = limits or Limits()
        self.lease_s = lease_s
        self.busy_wait_s = busy_wait_s
        self.max_message_chars = max_message_chars
        self.store = store or ChannelStore()
        self.turn_timeout_s = turn_timeout_s
        self._turns: set[asyncio.Task[Any]] = set()  # turns still running after a timeout

    def read_message(self, form: MultiValueForm) -> tuple[str, str, str, dict[str, Any]]:
        """Sender, text (cleaned, cut at the limit), MessageSid and metadata; or InvalidInput."""
        sender = check_e164(required(form, "From"))
        body = required(form, "Body")
        message_sid = form.first("MessageSid") or form.first("SmsSid")
        if not message_sid:
            raise InvalidInput("Champ « MessageSid » manquant.")
        text = clean_text(body)
        metadata: dict[str, Any] = {"channel": CHANNEL}
        num_media = form.first("NumMedia") or "0"
        if num_media.isdigit() and int(num_media) > 0:
            metadata["num_media"] = int(num_media)
        if len(text) > self.max_message_chars:
            metadata["original_length"] = len(text)
            text = text[: self.max_message_chars].rstrip()
        return sender, text, message_sid[:64], metadata

    async def answer(
        self,
        form: MultiValueForm,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> str:
        """The TwiML document for a signed, well-formed request (InvalidInput otherwise)."""
        sender, text, message_sid, metadata = self.read_message(form)
        word = keyword(text)
        try:
            claim = await claim_or_wait(
                self.store, CHANNEL, message_sid, self.lease_s, self.busy_wait_s
            )
            if claim in (Claim.DONE, Claim.BUSY):
                logger.info("SMS %s from %s: %s", message_sid, mask_phone(sender), claim.value)
            if claim is Claim.DONE:
                return empty_response()
            if claim is Claim.BUSY:  # its turn still runs, or died with its process
                return messages_response([sms(t) for t in failed_turn(text, CHANNEL, why="slow")])
            if claim is Claim.TAKEN_OVER:
                logger.warning("SMS %s retried after an unfinished turn", message_sid)
            if word is not None:
                answer = await self.keyword_answer(word, sender)
            elif await asyncio.to_thread(self.store.is_opted_out, CHANNEL, sender):
                answer = empty_response()  # STOP means nothing more, until START
            else:
                answer = None
        except Exception:  # the database is out of reach: say so, never crash
            logger.exception("SMS channel store failed for %s", mask_phone(sender))
            if word is Keyword.STOP:
                return messages_response([sms(STOP_NOT_SAVED)])
            return messages_response([sms(t) for t in failed_turn(text, CHANNEL)])
        if answer is None:
            # Per sender only: the address is Twilio's, shared by every person.
            verdict = await self.limits.check(CHANNEL, sender, None, text)
            if verdict is Verdict.ALLOW:
                answer = await self.converse(sender, text, message_sid, metadata, on_new_message)
            else:
                told = verdict is Verdict.REFUSE_WITH_NOTICE
                answer = messages_response([sms(SLOW_DOWN)] if told else [])
        await self._finish(message_sid)
        return answer

    async def _finish(self, message_sid: str) -> None:
        """Answered: a later retry of this MessageSid gets an empty answer, no second turn."""
        try:
            await asyncio.to_thread(self.store.finish_receipt, CHANNEL, message_sid)
        except Exception:  # the answer still goes out; a retry would be processed again
            logger.warning("SMS receipt %s not marked done (database)", message_sid)

    async def _alert(self, sender: str, text: str, why: str) -> None:
        await asyncio.to_thread(alert_team, self.store, sender, CHANNEL, text, why)

    async def keyword_answer(self, word: Keyword, sender: str) -> str:
        if word is Keyword.STOP:
            new = await asyncio.to_thread(self.store.opt_out, CHANNEL, sender)
            logger.info("SMS STOP from %s (%s)", mask_phone(sender), "new" if new else "again")
            return messages_response([sms(STOPPED)] if new else [])
        if word is Keyword.START:
            await asyncio.to_thread(self.store.opt_in, CHANNEL, sender)
            logger.info("SMS START from %s", mask_phone(sender))
            return messages_response([sms(RESUMED)])
        return messages_response([sms(HELP)])

    async def converse(
        self,
        sender: str,
        text: str,
        message_sid: str,
        metadata: dict[str, Any],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> str:
        collector = SmsCollector()
        message = UserMessage(
            text,
            collector,
            sender,
            input_channel=CHANNEL,
            message_id=message_sid,
            metadata=metadata,
        )
        turn = asyncio.ensure_future(on_new_message(message))
        self._turns.add(turn)
        turn.add_done_callback(self._turns.discard)
        try:
            await asyncio.wait_for(asyncio.shield(turn), self.turn_timeout_s)
        except asyncio.TimeoutError:  # it goes on; its answer cannot reach this webhook any more
            logger.warning("SMS turn for %s too slow", mask_phone(sender))
            await self._alert(sender, text, "slow")
            return messages_response([sms(t) for t in failed_turn(text, CHANNEL, why="slow")])
        except Exception:  # the person must get an answer, whatever broke
            logger.exception("SMS from %s failed", mask_phone(sender))
            await self._alert(sender, text, "error")
            return messages_response([sms(t) for t in failed_turn(text, CHANNEL)])
        texts = sms_texts(collector.messages)
        paused, failed = turn_state(collector)
        said = [str(m.get("text") or "") for m in collector.messages]
        held = paused and await asyncio.to_thread(self.store.agent_surely_holds, sender)
        extra, alert = after_turn(text, said, CHANNEL, paused=paused, failed=failed, held=held)
        if alert:
            await self._alert(sender, text, alert)
        texts += [sms(t) for t in extra]
        if "original_length" in metadata:
            texts.insert(0, sms(TOO_LONG.format(limit=self.max_message_chars)))
        return messages_response(texts)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("senior_sms_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                form = self.signatures.read(request)
                return twiml(await self.answer(form, on_new_message))
            except Forbidden as refused:
                logger.warning("SMS webhook refused: %s", refused)
                return forbidden()
            except InvalidInput as error:
                return refusal(error)

        return webhook
