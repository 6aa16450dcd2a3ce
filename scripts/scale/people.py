"""The people of the scale test: French conversations over SMS, the phone and Telegram.

Each person follows a script of several turns (triage, a journey question, a booking, a
request for a person for some), waits for the answer before writing again, and reacts
to the channel's safety net as a person would: told the message was not recorded (or
that the answer is too slow), they send it again a few seconds later as a new message;
met by silence, they write again too. Every message sent, its vendor id, the answers and
how the turn went are recorded for the checks (:mod:`.checks`).
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from devtools.simulator_payloads import messages_from_twiml, new_sid, sms_form, telegram_update
from devtools.simulator_voice import Call, Step, execute, parse_twiml

from .vendor import Delivery, FakeApis, Vendor

Channel = Literal["sms", "voice", "telegram"]
Outcome = Literal["answered", "not_stored", "too_slow", "no_answer", "waiting", "silence"]
SMS_NUMBER = "+33757000000"
VOICE_NUMBER = "+33240111111"
HANDOFF_TEXT = "je veux parler à un vrai conseiller"
BOOKING_PICK = "1"
RESENDS = 3  # a person sends the same words again at most this many times

# Several turns each: triage, journeys, booking, a request for a person.
SCRIPTS: dict[str, list[str]] = {
    "aidante_apa_rdv": [
        "bonjour",
        "ma mère a besoin de l'APA pour rester chez elle",
        "voir les étapes",
        "quels papiers il faut ?",
        "je voudrais un rendez-vous avec un conseiller",
        BOOKING_PICK,
    ],
    "triage_pere": [
        "bonjour",
        "mon père ne s'en sort plus seul à la maison",
        "82 ans",
        "à domicile",
        "aide chaque jour pour la toilette",
        "44000",
    ],
    "ehpad_conseiller": [
        "bonjour",
        "je cherche un EHPAD pour mon mari",
        "combien ça coûte ?",
        HANDOFF_TEXT,
        "merci, j'attends",
    ],
    "ancenis_rdv": [
        "bonjour",
        "je voudrais des infos sur l'APA, j'habite à Ancenis",
        "je voudrais un rendez-vous avec un conseiller",
        BOOKING_PICK,
        "merci beaucoup, au revoir",
    ],
}
VOICE_SCRIPTS: dict[str, list[str]] = {
    "appel_apa": [
        "je voudrais des informations sur l'APA pour ma mère",
        "quels papiers faut-il fournir pour la demande",
        "je voudrais parler à un conseiller",
    ],
    "appel_ehpad": [
        "je cherche une maison de retraite pour mon père",
        "combien coûte un EHPAD par mois",
    ],
}

# What the channels' safety net says (safety/lines.py), as read after each channel's rendering.
NOT_STORED_WORDS = ("pas ete enregistre",)
TOO_SLOW_WORDS = ("trop de temps a vous repondre",)
NO_ANSWER_WORDS = ("je n'arrive pas a vous repondre",)
WAITING_WORDS = ("transmis a l'equipe",)
BOOKED = re.compile(r"RDV-[A-Z0-9]{4,8}")


def plain(text: str) -> str:
    """Lower case, no accents, straight apostrophes, one space: for matching fixed lines."""
    folded = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return " ".join(folded.encode("ascii", "ignore").decode().lower().split())


def classify(ok: bool, replies: list[str]) -> Outcome:
    """How a turn went, from what the person got back."""
    said = plain(" ".join(replies))
    if not ok or not said:
        return "silence"
    if any(w in said for w in NOT_STORED_WORDS):
        return "not_stored"
    if any(w in said for w in TOO_SLOW_WORDS):
        return "too_slow"
    if any(w in said for w in NO_ANSWER_WORDS):
        return "no_answer"
    if any(w in said for w in WAITING_WORDS):
        return "waiting"
    return "answered"


@dataclass
class Sent:
    """One message a person sent (one vendor id, however many times the vendor delivered it)."""

    channel: Channel
    conversation: str
    turn: int  # position in the script
    text: str
    vendor_id: str  # MessageSid, update_id, or the call's CallSid for speech
    sent_at: float
    delivery: Delivery
    replies: list[str] = field(default_factory=list)
    outcome: Outcome = "silence"
    reached_assistant: bool = True  # False: the channel answers alone (voice "un conseiller")
    late_replies: int = 0  # Telegram answers to an earlier turn that came after this one left


@dataclass
class Person:
    channel: Channel
    conversation: str  # the Rasa sender id: phone number, or "tg<chat id>"
    script: str
    chat_id: int = 0
    sent: list[Sent] = field(default_factory=list)
    asked_for_person: bool = False
    told_callback: bool = False
    bookings_seen: list[str] = field(default_factory=list)
    booking_asked: bool = False
    gave_up: bool = False


class People:
    """Creates the people and plays their conversations through the vendor."""

    def __init__(self, vendor: Vendor, apis: FakeApis, account_sid: str, seed: int) -> None:
        self.vendor = vendor
        self.account_sid = account_sid
        self.apis = apis
        self.random = random.Random(seed)  # noqa: S311  (a reproducible run)
        self.people: list[Person] = []
        self._numbers: set[str] = set()

    def _phone(self) -> str:
        while True:
            number = f"+336{self.random.randrange(10**8):08d}"
            if number not in self._numbers:
                self._numbers.add(number)
                return number

    def create(self, count: int) -> list[Person]:
        """SMS, phone and Telegram in turn; scripts in turn within each channel."""
        texts, calls = list(SCRIPTS), list(VOICE_SCRIPTS)
        for n in range(count):
            channel: Channel = ("sms", "telegram", "voice")[n % 3]
            if channel == "voice":
                person = Person("voice", self._phone(), calls[(n // 3) % len(calls)])
            elif channel == "sms":
                person = Person("sms", self._phone(), texts[(n // 3) % len(texts)])
            else:
                chat_id = 5_000_000_000 + self.random.randrange(10**9)
                person = Person("telegram", f"tg{chat_id}", texts[(n // 3) % len(texts)], chat_id)
            self.people.append(person)
        return self.people

    async def think(self) -> None:
        await asyncio.sleep(self.random.uniform(1.0, 3.0))

    # One conversation.
    async def play(self, person: Person, start_after: float) -> None:
        await asyncio.sleep(start_after)
        if person.channel == "voice":
            await self._call(person)
            return
        lines = (["/start"] if person.channel == "telegram" else []) + SCRIPTS[person.script]
        for turn, text in enumerate(lines):
            person.asked_for_person |= text == HANDOFF_TEXT
            person.booking_asked |= text == BOOKING_PICK
            for _ in range(RESENDS + 1):
                sent = await self._text(person, turn, text)
                person.bookings_seen += BOOKED.findall(" ".join(sent.replies))
                if sent.outcome not in ("not_stored", "too_slow", "silence"):
                    break
                await asyncio.sleep(self.random.uniform(3.0, 6.0))  # then write it again
            else:
                person.gave_up = True
            await self.think()

    async def _text(self, person: Person, turn: int, text: str) -> Sent:
        if person.channel == "sms":
            sid = new_sid("SM")
            form = sms_form(self.account_sid, SMS_NUMBER, person.conversation, text, sid)
            sent = Sent("sms", person.conversation, turn, text, sid, time.monotonic(), Delivery())
            sent.delivery = await self.vendor.twilio("/webhooks/sms/webhook", form)
            if sent.delivery.ok and sent.delivery.body.strip():
                sent.replies = messages_from_twiml(sent.delivery.body)
        else:
            message_id = len(person.sent) + 1
            update, _ = telegram_update(person.chat_id, message_id, "text", text)
            update_id = str(update["update_id"])
            before = self.apis.last_seq(person.chat_id)
            sent = Sent(
                "telegram", person.conversation, turn, text, update_id, time.monotonic(), Delivery()
            )
            sent.delivery = await self.vendor.telegram(update)
            sent.replies = await self._telegram_replies(person.chat_id, before, sent.delivery.ok)
        sent.outcome = classify(sent.delivery.ok, sent.replies)
        person.sent.append(sent)
        return sent

    async def _telegram_replies(self, chat_id: int, before: int, acknowledged: bool) -> list[str]:
        """What the bot sent to the chat for this update (the answer may follow the 200)."""
        # A retried update whose turn died with its replica is answered once the dead turn's
        # lease (120 s) runs out: a person waits that long, then writes again.
        deadline = time.monotonic() + (150.0 if acknowledged else 1.0)
        while True:
            entries = self.apis.telegram_since(chat_id, before)
            if entries or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.3)
        if entries:
            await asyncio.sleep(0.5)  # a turn sends its messages one after the other
            entries = self.apis.telegram_since(chat_id, before)
        return [re.sub(r"<[^>]+>", "", str(e.get("html") or "")) for e in entries]

    # One phone call.
    async def _call(self, person: Person) -> None:
        call = Call(new_sid("CA"), person.conversation, VOICE_NUMBER, self.account_sid)
        webhook = "/webhooks/voice/webhook"
        step = await self._voice_post(call, webhook, call.params("ringing"))
        if call.waiting is None:
            person.gave_up = True
        for turn, speech in enumerate(VOICE_SCRIPTS[person.script]):
            if call.waiting is None or call.status != "in-progress":
                break
            await self.think()
            params = {
                **call.params("in-progress"),
                "SpeechResult": speech,
                "Confidence": "0.91",
                "msg": "Gather End",
            }
            action = call.waiting.action.removeprefix(self.vendor.public_url)
            sent = Sent(
                "voice", person.conversation, turn, speech, call.sid, time.monotonic(), Delivery()
            )
            asks_person = "conseiller" in speech
            person.asked_for_person |= asks_person
            sent.reached_assistant = not asks_person
            step = await self._voice_post(call, action, params, sent)
            sent.replies = list(step.spoken)
            sent.outcome = classify(sent.delivery.ok, sent.replies)
            person.sent.append(sent)
        if call.status == "transferred" and call.dial_action:  # nobody free: the team's line
            dial = {
                **call.params("in-progress"),
                "DialCallStatus": "no-answer",
                "DialCallSid": new_sid("CA"),
                "DialCallDuration": "0",
            }
            step = await self._voice_post(
                call, call.dial_action.removeprefix(self.vendor.public_url), dial
            )
        person.told_callback = any(
            "rappellera" in plain(" ".join(s.replies)) for s in person.sent
        ) or "rappellera" in plain(" ".join(step.spoken))
        status = {
            **call.params("completed"),
            "CallDuration": "64",
            "Duration": "2",
            "CallbackSource": "call-progress-events",
            "SequenceNumber": "0",
        }
        await self.vendor.twilio("/webhooks/voice/status", status)

    async def _voice_post(
        self, call: Call, path: str, params: dict[str, str], sent: Sent | None = None
    ) -> Step:
        """POST one voice webhook, execute the TwiML, follow redirects (silence re-prompts)."""
        delivery = await self.vendor.twilio(path, params)
        if sent is not None:
            sent.delivery = delivery
        step = Step("", path, delivery.status, twiml=delivery.body)
        if not delivery.ok:
            call.status, call.waiting = "completed", None
            return step
        try:
            verbs = parse_twiml(delivery.body)
        except ValueError:
            call.status, call.waiting = "completed", None
            return step
        execute(call, verbs, self.vendor.public_url + path, step)
        return step
