"""Phone channel: a French voice server on Twilio Voice, in TwiML (``name: voice``).

POST /webhooks/voice/webhook receives the call and every answer; POST
/webhooks/voice/status receives the call status callback. Both are signed by
Twilio (channels/twilio_webhook.py). The caller's E.164 number is the
conversation id, shared with the SMS channel.

Every question is a ``<Gather input="dtmf speech" language="fr-FR">`` said by a
French voice at a calm pace. The opening asks the caller to say what brings them;
choices are offered four at a time (channels/voice_menu.py): keys 1 to 4 answer
(sent to the assistant as the button's payload), 9 says the other choices, *
repeats, 0 asks for a person, # or any other key says the question again.
Silence: the question is said again twice, then a person is offered: ``<Dial>``
to the team during opening hours, otherwise a callback request for the agents
and a goodbye. A conversation a person of the team holds (paused: the assistant
says nothing) is put through the same way, after the emergency lines if the
caller said words of danger (channels/safety_net.py). See
docs/channels.md and docs/handoff.md.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import wording
from channels.rate_limits import SLOW_DOWN_VOICE, Limits, Verdict
from channels.safety_net import after_turn, alert_team, failed_turn, turn_state
from channels.shared_state import SharedState, shared_state
from channels.store import ChannelStore, Claim, claim_or_wait
from channels.text_input import InvalidInput, clean_text
from channels.twilio_webhook import (
    WITHHELD_NUMBERS,
    Forbidden,
    MultiValueForm,
    SignatureChecker,
    forbidden,
    mask_phone,
    normalise_words,
    refusal,
    require_base_url,
    require_setting,
    required,
    twiml,
)
from channels.twiml import GatherSettings, Voice, VoiceResponse
from channels.voice_menu import GREET, CallMenus, opening, spoken_key
from policies.codes import CODE_LENGTH as CODE_DIGITS
from policies.hours import HoursError, OpeningHours, say_moment
from policies.phones import is_e164, is_possible_e164
from rendering import VoicePrompt, render_for_channel
from rendering.channels import catalogue_entry
from rendering.message import clean_buttons
from rendering.voice import speak
from rendering.voice_pages import MORE_KEY, VoiceMenu
from safety.lines import FORWARDED, HANG_UP, NO_ANSWER

logger = logging.getLogger(__name__)

ENTRY = catalogue_entry("voice")  # name, kind, labels, capabilities: rendering/channels.py
CHANNEL = ENTRY.name
WEBHOOK_PATH = ENTRY.webhook_path
MAX_SILENCES = 2  # the question is said again twice, then a person is offered
MAX_SPEECH_CHARS = 500
ENDED_STATUSES = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
_STEP = re.compile(r"^[0-9a-f]{12}$")  # the step of a Gather action URL (ask)
# A replayed answer finding a receipt older than this, never marked done, is processed.
DEFAULT_LEASE_S = 30.0
# A replayed answer finding the receipt held waits this long for the holder to finish (or its
# lease to run out), then asks the caller to say it again: Twilio's 15 s must hold the wait.
DEFAULT_BUSY_WAIT_S = 8.0
VOICE_PER_CALLER = "40/minute;600/hour"
DIAL_ANSWERED = frozenset({"completed", "answered"})
_CALL_SID = re.compile(r"^[A-Za-z0-9]{2,64}$")

HINT = wording.VOICE_HINT
NOT_A_CHOICE = wording.VOICE_NOT_A_CHOICE
SILENCES = wording.VOICE_SILENCES
GENERIC_QUESTION = wording.VOICE_GENERIC_QUESTION
TRANSFER = wording.VOICE_TRANSFER
NO_REPLY = wording.VOICE_NO_REPLY
CLOSED = wording.VOICE_CLOSED
CALLBACK = wording.VOICE_CALLBACK
CALLBACK_IMPOSSIBLE = wording.VOICE_CALLBACK_IMPOSSIBLE
HIDDEN_NUMBER = wording.VOICE_HIDDEN_NUMBER
NOBODY_ANSWERED = wording.VOICE_NOBODY_ANSWERED
SAY_IT_AGAIN = wording.VOICE_SAY_IT_AGAIN
PAUSED = "conversation_paused"  # callback reason: the assistant is silent, a person holds it

# Not said before a transfer: the transfer says itself that a person takes the call.
SILENT_TEXTS = frozenset({FORWARDED, NO_ANSWER, HANG_UP})

_REPEAT_WORDS = re.compile(r"\b(?:repet\w*|reecout\w*)\b")
_PERSON_WORDS = re.compile(r"\b(?:conseill\w*|quelqu un|une personne|un humain|operat\w*)\b")


@dataclass(frozen=True)
class Call:
    """One call: Twilio's CallSid, the conversation id and the number to call back."""

    sid: str
    conversation: str
    phone: str | None  # None when the number is withheld


class VoiceCollector(CollectingOutputChannel):
    """Collects the bot's messages; named "voice" so responses may have phone variants."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Collected as Rasa sends it, each message with the name of its response."""
        response_name = message.get("utter_action")
        before = len(self.messages)
        await super().send_response(recipient_id, message)
        if isinstance(response_name, str):
            for collected in self.messages[before:]:
                collected["response"] = response_name


@dataclass(frozen=True)
class Asked:
    """The question last asked on a call, and how many keys make its answer (6 for a code)."""

    question: str
    digits: int = 1


class LastQuestions:
    """What was last asked on each call, to say it again (channels/shared_state.py).

    Lost (restart without Redis, Redis down): the caller hears a generic prompt.
    """

    TTL_S = 4 * 3600.0  # longer than any call

    def __init__(self, state: SharedState | None = None) -> None:
        self.state = state or shared_state("voice_question")

    async def remember(self, call_sid: str, question: str, digits: int = 1) -> None:
        value = json.dumps({"question": question, "digits": digits}, ensure_ascii=False)
        await self.state.put(call_sid, value, self.TTL_S)

    async def asked(self, call_sid: str) -> Asked | None:
        """The last question and its number of keys; a plain text (older value) is a question."""
        value = await self.state.get(call_sid)
        if value is None:
            return None
        try:
            data = json.loads(value)
        except ValueError:
            return Asked(value)
        if not isinstance(data, dict) or not isinstance(data.get("question"), str):
            return Asked(value)
        digits = data.get("digits")
        return Asked(data["question"], digits if digits in (1, CODE_DIGITS) else 1)

    async def forget(self, call_sid: str) -> None:
        await self.state.delete(call_sid)


def wants_handoff(message: Mapping[str, Any]) -> bool:
    """The marker the dialogue adds to its "speak to a person" answer."""
    custom = message.get("custom")
    return isinstance(custom, Mapping) and custom.get("handoff") == "human"


def expects_code(messages: Iterable[Mapping[str, Any]]) -> bool:
    """The marker of a message waiting for a one-time code: the caller may key its digits."""
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, Mapping) and custom.get("expects") == "code":
            return True
    return False


def spoken(messages: Iterable[Mapping[str, Any]]) -> tuple[VoicePrompt, bool]:
    """What to say for the bot's messages, and whether it hands the caller to a person.

    Only the last message with buttons offers keys (the dialogue maps a number
    to the buttons of its last message), four at a time (the first page of
    `menu_of`). The handoff marker is the phone variant of the dialogue's "speak
    to a person" answer: what came before it is said, what comes after it
    (written contacts) gives way to the transfer.
    """
    messages, handoff = _before_handoff(messages)
    texts: list[str] = []
    for message in messages:
        text = message.get("text")
        if isinstance(text, str) and text.strip():
            prompt = render_for_channel(CHANNEL, text)
            if isinstance(prompt, VoicePrompt):
                texts.append(prompt.text)
    menu = menu_of(messages)
    if menu is not None:
        texts.append(menu.said())
    choices = menu.offered if menu is not None else ()
    return VoicePrompt(" ".join(t for t in texts if t), choices), handoff


def _before_handoff(messages: Iterable[Mapping[str, Any]]) -> tuple[list[Mapping[str, Any]], bool]:
    messages = list(messages)
    handoff_at = next((i for i, m in enumerate(messages) if wants_handoff(m)), None)
    return (messages, False) if handoff_at is None else (messages[:handoff_at], True)


def menu_of(messages: Iterable[Mapping[str, Any]]) -> VoiceMenu | None:
    """The choices of the last message with buttons (first page), None when there are none."""
    messages, _ = _before_handoff(messages)
    with_buttons = [m for m in messages if m.get("buttons")]
    if not with_buttons:
        return None
    buttons = with_buttons[-1]["buttons"]
    cleaned = clean_buttons([b for b in buttons if isinstance(b, Mapping)])
    return VoiceMenu.of(cleaned) if cleaned else None


def speech_meaning(speech: str) -> str:
    """ "repeat", "person" or "" (anything else is sent to the assistant as said)."""
    words = normalise_words(speech)
    if len(words.split()) > 8:  # a sentence about something else, for the assistant
        return ""
    if _REPEAT_WORDS.search(words):
        return "repeat"
    return "person" if _PERSON_WORDS.search(words) else ""


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def answer_receipt(call_sid: str, step: str, digits: str, speech: str) -> str:
    """The receipt of one answer to one question (a step) of a call, the same for its replays."""
    said = hashlib.sha256(f"{digits}\n{speech}".encode()).hexdigest()[:8]
    return f"{call_sid}:{step}:{said}"


class VoiceInput(InputChannel):
    """Twilio Voice webhook (TwiML), registered as `voice`."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> VoiceInput:
        team_phone = require_setting(credentials, "team_phone", CHANNEL)
        if not is_e164(team_phone):
            raise ValueError("voice: team_phone must be an E.164 number, e.g. +33240000000")
        spec = require_setting(credentials, "opening_hours", CHANNEL)
        try:
            hours = OpeningHours.parse(spec)
        except HoursError as error:
            raise ValueError(f"voice: opening_hours cannot be read: {error}") from error
        return cls(
            auth_token=require_setting(credentials, "auth_token", CHANNEL),
            public_base_url=require_base_url(credentials, CHANNEL),
            team_phone=team_phone,
            opening_hours=hours,
        )

    def __init__(
        self,
        auth_token: str,
        public_base_url: str,
        team_phone: str,
        opening_hours: OpeningHours,
        store: ChannelStore | None = None,
        clock: Callable[[], datetime] = utc_now,
        voice: Voice | None = None,
        limits: Limits | None = None,
        *,
        lease_s: float = DEFAULT_LEASE_S,
        busy_wait_s: float = DEFAULT_BUSY_WAIT_S,
    ) -> None:
        self.signatures = SignatureChecker(auth_token, public_base_url)
        self.lease_s = lease_s
        self.busy_wait_s = busy_wait_s
        # A call posts a request every few seconds: wider windows than for messages.
        self.limits = limits or Limits(per_sender=VOICE_PER_CALLER)
        self.base_url = public_base_url.rstrip("/")
        self.team_phone = team_phone
        self.hours = opening_hours
        self.store = store or ChannelStore()
        self.clock = clock
        self.voice = voice or Voice()
        self.questions = LastQuestions()
        self.menus = CallMenus()

    # URLs Twilio calls back (signed over exactly these, query string included).
    @property
    def action_url(self) -> str:
        return self.base_url + WEBHOOK_PATH

    def silence_url(self, count: int) -> str:
        return f"{self.action_url}?silence={count}"

    @property
    def dial_url(self) -> str:
        return f"{self.action_url}?after=dial"

    # What Twilio sent.
    @staticmethod
    def read_call(form: MultiValueForm) -> Call:
        sid = required(form, "CallSid")
        if not _CALL_SID.match(sid):
            raise InvalidInput("Champ « CallSid » invalide.")
        caller = required(form, "From")
        if is_possible_e164(caller) and caller not in WITHHELD_NUMBERS:
            return Call(sid, caller, caller)
        return Call(sid, sid, None)  # a withheld number: this call is its own conversation

    # Answers.
    async def ask(
        self,
        call: Call,
        question: str,
        preface: str = "",
        silence: int = 1,
        hint: bool = False,
        digits: int = 1,
    ) -> str:
        """Say `question` in a Gather (the keys' hint after it); silence leads to a re-prompt.

        ``digits`` is how many keys make one answer: 1 for a choice, 6 for a code.
        """
        await self.questions.remember(call.sid, question, digits)
        said = " ".join(part for part in (preface, question, HINT if hint else "") if part)
        # A fresh step per question: Twilio posts the answer to this exact (signed) URL,
        # so a replayed answer names a step already answered (see answer_once).
        step = f"{self.action_url}?step={secrets.token_hex(6)}"
        settings = GatherSettings(action=step, num_digits=digits)
        return (
            VoiceResponse(self.voice)
            .gather(said, settings)
            .redirect(self.silence_url(silence))
            .to_xml()
        )

    async def to_assistant(
        self,
        call: Call,
        text: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        metadata: dict[str, Any],
        hint: bool = False,
    ) -> str:
        collector = VoiceCollector()
        message = UserMessage(
            text, collector, call.conversation, input_channel=CHANNEL, metadata=metadata
        )
        try:
            await on_new_message(message)
        except Exception:  # the caller must hear something, whatever broke
            logger.exception("Call %s from %s failed", call.sid, mask_phone(call.phone))
            await self._alert(call, text, "error")
            failed = spoken({"text": t} for t in failed_turn(text, CHANNEL))[0]
            return await self.transfer(call, "technical_error", before=failed.text)
        paused, failed_action = turn_state(collector)
        said = [str(m.get("text") or "") for m in collector.messages]
        extra, alert = after_turn(text, said, CHANNEL, paused=paused, failed=failed_action)
        if alert:
            await self._alert(call, text, alert)
        if not collector.messages:  # paused (a person of the team holds it), or failed
            safety = spoken({"text": t} for t in extra if t not in SILENT_TEXTS)[0]
            return await self.transfer(call, PAUSED if paused else "technical_error",
                                       before=safety.text)  # fmt: skip
        collector.messages.extend({"text": t} for t in extra)
        messages = opening(collector.messages) if text == GREET else collector.messages
        prompt, handoff = spoken(messages)
        if handoff:
            return await self.transfer(call, "out_of_hours", before=prompt.text)
        await self.menus.keep(call.sid, menu_of(messages))
        digits = CODE_DIGITS if expects_code(collector.messages) else 1
        return await self.ask(call, prompt.text or GENERIC_QUESTION, hint=hint, digits=digits)

    async def _alert(self, call: Call, text: str, why: str) -> None:
        await asyncio.to_thread(alert_team, self.store, call.conversation, CHANNEL, text, why)

    async def transfer(self, call: Call, reason: str, before: str = "") -> str:
        """Put the caller through to the team, or record a callback when it is closed."""
        now = self.clock()
        answer = VoiceResponse(self.voice)
        if self.hours.is_open(now):
            answer.say(f"{before} {TRANSFER}".strip())
            return answer.dial(self.team_phone, action=self.dial_url).to_xml()
        hours = self.hours.describe()
        before = f"{before} {CLOSED}".strip()
        if call.phone is None:
            goodbye = f"{HIDDEN_NUMBER} {CALLBACK_IMPOSSIBLE.format(hours=hours)}"
        else:
            try:
                await asyncio.to_thread(self.store.request_callback, call.phone, reason)
                when = say_moment(self.hours.next_opening(now), now)
                goodbye = CALLBACK.format(hours=hours, when=when)
            except Exception:
                logger.exception("Callback request for %s failed", mask_phone(call.phone))
                goodbye = CALLBACK_IMPOSSIBLE.format(hours=hours)
        return answer.say(f"{before} {speak(goodbye)}".strip()).hangup().to_xml()

    async def after_dial(self, call: Call, form: MultiValueForm) -> str:
        """The team's line did not answer: a callback request, then goodbye."""
        status = form.first("DialCallStatus") or ""
        if status in DIAL_ANSWERED or status == "canceled" or call.phone is None:
            return VoiceResponse(self.voice).hangup().to_xml()
        try:
            await asyncio.to_thread(self.store.request_callback, call.phone, "no_answer")
            goodbye = NOBODY_ANSWERED
        except Exception:
            logger.exception("Callback request for %s failed", mask_phone(call.phone))
            goodbye = CALLBACK_IMPOSSIBLE.format(hours=self.hours.describe())
        return VoiceResponse(self.voice).say(speak(goodbye)).hangup().to_xml()

    async def answer(
        self,
        form: MultiValueForm,
        query: Mapping[str, list[str]],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> str:
        """The TwiML for one signed request of a call."""
        call = self.read_call(form)
        if query.get("after") == ["dial"]:
            return await self.after_dial(call, form)
        if await self._is_over(call):
            return VoiceResponse(self.voice).hangup().to_xml()
        digits = (form.first("Digits") or "").strip()
        speech = clean_text(form.first("SpeechResult") or "")[:MAX_SPEECH_CHARS]
        # Per caller only: the address is Twilio's, shared by every person.
        verdict = await self.limits.check(CHANNEL, call.conversation, None, speech)
        if verdict is not Verdict.ALLOW:
            goodbye = VoiceResponse(self.voice)
            if verdict is Verdict.REFUSE_WITH_NOTICE:
                goodbye = goodbye.say(speak(SLOW_DOWN_VOICE))
            return goodbye.hangup().to_xml()
        step = (query.get("step") or [""])[0]
        if (digits or speech) and _STEP.match(step):
            return await self.answer_once(call, step, digits, speech, query, on_new_message)
        return await self.respond(call, digits, speech, query, on_new_message)

    async def answer_once(
        self,
        call: Call,
        step: str,
        digits: str,
        speech: str,
        query: Mapping[str, list[str]],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> str:
        """One answer per question: a replayed signed request runs no second turn.

        Twilio posts an answer again when its first delivery failed (a replica killed, a
        timeout). Its turn either finished (DONE: the caller hears the question that
        followed) or still runs or died with its process: the replay waits for it, takes it
        over once its lease runs out, or else asks the caller to say it again (BUSY: the
        turn may not be stored, and the caller must never hear the question as if it were).
        """
        receipt = answer_receipt(call.sid, step, digits, speech)
        try:
            claim = await claim_or_wait(
                self.store, CHANNEL, receipt, self.lease_s, self.busy_wait_s
            )
        except Exception:  # the database is out of reach: answer (a replay may run twice)
            logger.exception("Voice receipt of call %s unknown", call.sid)
            claim = Claim.NEW
        if claim in (Claim.DONE, Claim.BUSY):
            logger.warning("Call %s: answer to step %s replayed (%s)", call.sid, step, claim.value)
            asked = await self.questions.asked(call.sid) or Asked(GENERIC_QUESTION)
            again = ""
            if claim is Claim.BUSY:
                lines = failed_turn(speech or digits, CHANNEL, why="slow")[:-1]
                again = spoken({"text": t} for t in [*lines, SAY_IT_AGAIN])[0].text
            return await self.ask(call, asked.question, preface=again, hint=True,
                                  digits=asked.digits)  # fmt: skip
        answer = await self.respond(call, digits, speech, query, on_new_message)
        try:
            await asyncio.to_thread(self.store.finish_receipt, CHANNEL, receipt)
        except Exception:
            logger.warning("Voice receipt of call %s not marked done (database)", call.sid)
        return answer

    async def respond(
        self,
        call: Call,
        digits: str,
        speech: str,
        query: Mapping[str, list[str]],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> str:
        metadata: dict[str, Any] = {"channel": CHANNEL, "call_sid": call.sid}
        if digits:
            metadata["input"] = "dtmf"
            return await self.on_key(call, digits, on_new_message, metadata)
        if speech:
            metadata["input"] = "speech"
            return await self.on_speech(call, speech, on_new_message, metadata)
        silence = _count(query.get("silence"))
        if silence:
            return await self.on_silence(call, silence)
        try:
            await asyncio.to_thread(self.store.call_started, call.sid, call.phone or "anonymous")
        except Exception:  # the call goes on without its record
            logger.exception("Call %s could not be recorded", call.sid)
        logger.info("Call %s from %s", call.sid, mask_phone(call.phone))
        return await self.to_assistant(call, "/greet", on_new_message, metadata, hint=True)

    async def _is_over(self, call: Call) -> bool:
        try:
            return await asyncio.to_thread(self.store.call_is_over, call.sid)
        except Exception:
            logger.exception("Call %s state unknown", call.sid)
            return False

    async def on_key(
        self,
        call: Call,
        key: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        metadata: dict[str, Any],
    ) -> str:
        if key == "0":
            return await self.transfer(call, "out_of_hours")
        if key == "*":
            return await self.to_assistant(call, "répétez", on_new_message, metadata)
        if len(key) == CODE_DIGITS and key.isdigit():  # a one-time code keyed in
            return await self.to_assistant(call, key, on_new_message, metadata)
        menu = await self.menus.get(call.sid)
        if menu is not None:
            if key == MORE_KEY and menu.pages > 1:
                return await self.next_page(call, menu)
            payload = menu.payload_for(key)
            if payload is not None:  # the button itself, whatever the page
                return await self.to_assistant(call, payload, on_new_message, metadata)
        elif len(key) == 1 and key in "123456789":  # no choices kept: the number, as keyed
            return await self.to_assistant(call, key, on_new_message, metadata)
        asked = await self.questions.asked(call.sid) or Asked(GENERIC_QUESTION)
        return await self.ask(call, asked.question, NOT_A_CHOICE, hint=True, digits=asked.digits)

    async def on_speech(
        self,
        call: Call,
        speech: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        metadata: dict[str, Any],
    ) -> str:
        meaning = speech_meaning(speech)
        if meaning == "person":
            return await self.transfer(call, "out_of_hours")
        key = spoken_key(speech) if not meaning else None
        menu = await self.menus.get(call.sid) if key is not None else None
        if key is not None and menu is not None and menu.offers(key):  # "deux", "neuf"
            return await self.on_key(call, key, on_new_message, metadata)
        text = "répétez" if meaning == "repeat" else speech
        return await self.to_assistant(call, text, on_new_message, metadata)

    async def next_page(self, call: Call, menu: VoiceMenu) -> str:
        """Nine: the other choices of the question, or the first ones after the last page."""
        turned = menu.turned()
        await self.menus.keep(call.sid, turned)
        asked = await self.questions.asked(call.sid)
        digits = asked.digits if asked else 1
        return await self.ask(call, f"{turned.lead()} {turned.said()}", digits=digits)

    async def on_silence(self, call: Call, count: int) -> str:
        if count > MAX_SILENCES:
            return await self.transfer(call, "silence", before=NO_REPLY)
        asked = await self.questions.asked(call.sid) or Asked(GENERIC_QUESTION)
        return await self.ask(
            call, asked.question, SILENCES[count - 1], silence=count + 1, hint=True,
            digits=asked.digits,
        )  # fmt: skip

    async def status(self, form: MultiValueForm) -> None:
        """Status callback: a call that ended is marked so (the conversation stays as it is)."""
        call_sid = required(form, "CallSid")
        status = (form.first("CallStatus") or "").strip()
        if status not in ENDED_STATUSES:
            return
        await self.questions.forget(call_sid)
        await self.menus.forget(call_sid)
        try:
            await asyncio.to_thread(self.store.call_ended, call_sid, status)
        except Exception:
            logger.exception("End of call %s could not be recorded", call_sid)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("senior_voice_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                form = self.signatures.read(request)
                query = {name: list(values) for name, values in request.args.items()}
                answer = await self.answer(form, query, on_new_message)
                return twiml(answer)
            except Forbidden as refused:
                logger.warning("Voice webhook refused: %s", refused)
                return forbidden()
            except InvalidInput as error:
                return refusal(error)

        @webhook.route("/status", methods=["POST"])
        async def call_status(request: Request) -> HTTPResponse:
            try:
                await self.status(self.signatures.read(request))
            except Forbidden as refused:
                logger.warning("Voice status callback refused: %s", refused)
                return forbidden()
            except InvalidInput as error:
                return refusal(error)
            return response.empty(status=204)

        return webhook


def _count(values: list[str] | None) -> int:
    """The silence counter of a redirect URL (0 when absent or unreadable)."""
    value = (values or [""])[0]
    return min(int(value), MAX_SILENCES + 1) if value.isdigit() else 0
