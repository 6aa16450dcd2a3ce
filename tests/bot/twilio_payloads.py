"""Twilio webhooks as Twilio sends them, signed, for the SMS and phone channel tests.

Standard library only at import time, so both environments can use it (the
conversation tests run in the app environment). Field names and values follow
Twilio's documented webhook requests: Messaging ("incoming message webhook"),
Voice (incoming call, ``<Gather>`` action, ``<Dial>`` action, status callback).

The signature is computed by hand (``devtools/fakes/twilio.py``, shared with the
channel simulator), independently of the channel (which uses twilio's
``RequestValidator``): HMAC-SHA1 with the auth token over the full URL followed by
every POST parameter name and value, sorted by name, base64-encoded.
"""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from devtools.fakes.twilio import signature

ROOT = Path(__file__).resolve().parents[2]
AUTH_TOKEN = "b3f1c0ffee5e1117c0de5ca1ab1e0042"
ACCOUNT_SID = "AC" + "1" * 32
# Not the address the tests post to: signatures must follow the configured public URL.
PUBLIC_BASE_URL = "https://senior-plus.example.org"
SMS_NUMBER = "+33757000000"
VOICE_NUMBER = "+33240111111"
TEAM_PHONE = "+33240000000"
OPENING_HOURS = "lun-ven 09:00-12:30 13:30-17:00"
FORM = "application/x-www-form-urlencoded"


def new_sid(prefix: str) -> str:
    """A Twilio id: two letters and 32 hex digits (SM… for a message, CA… for a call)."""
    return prefix + uuid.uuid4().hex


def twilio_signature(url: str, params: Mapping[str, str], token: str = AUTH_TOKEN) -> str:
    """X-Twilio-Signature for a POST of `params` to `url` (devtools/fakes/twilio.py)."""
    return signature(token, url, params)


def sms_params(
    body: str,
    sender: str = "+33612345678",
    *,
    message_sid: str | None = None,
    num_media: int = 0,
) -> dict[str, str]:
    """An incoming SMS as Twilio Messaging posts it to the webhook."""
    sid = message_sid or new_sid("SM")
    return {
        "ToCountry": "FR",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": str(num_media),
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "FR",
        "To": SMS_NUMBER,
        "ToZip": "",
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def call_params(
    call_sid: str, caller: str = "+33612345678", status: str = "ringing"
) -> dict[str, str]:
    """An incoming call as Twilio Voice posts it (first request, or a <Redirect>)."""
    return {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "CallSid": call_sid,
        "CallStatus": status,
        "Called": VOICE_NUMBER,
        "CalledCity": "",
        "CalledCountry": "FR",
        "CalledState": "",
        "CalledZip": "",
        "Caller": caller,
        "CallerCity": "",
        "CallerCountry": "FR",
        "CallerState": "",
        "CallerZip": "",
        "Direction": "inbound",
        "From": caller,
        "FromCity": "",
        "FromCountry": "FR",
        "FromState": "",
        "FromZip": "",
        "To": VOICE_NUMBER,
        "ToCity": "",
        "ToCountry": "FR",
        "ToState": "",
        "ToZip": "",
    }


def gather_params(
    call_sid: str,
    caller: str = "+33612345678",
    *,
    digits: str | None = None,
    speech: str | None = None,
    confidence: float = 0.92,
) -> dict[str, str]:
    """The <Gather> action request: the key pressed (Digits) or what was said (SpeechResult)."""
    params = call_params(call_sid, caller, status="in-progress")
    params["msg"] = "Gather End"
    if digits is not None:
        params["Digits"] = digits
        params["FinishedOnKey"] = ""
    if speech is not None:
        params["SpeechResult"] = speech
        params["Confidence"] = f"{confidence:.8f}"
    return params


def dial_params(call_sid: str, caller: str, dial_status: str) -> dict[str, str]:
    """The <Dial> action request once the dialled line answered, or did not."""
    params = call_params(call_sid, caller, status="in-progress")
    params.update(
        DialCallSid=new_sid("CA"),
        DialCallStatus=dial_status,
        DialCallDuration="0" if dial_status != "completed" else "95",
    )
    return params


def status_params(call_sid: str, caller: str, status: str, duration: int = 42) -> dict[str, str]:
    """The call status callback (StatusCallback of the number)."""
    params = call_params(call_sid, caller, status=status)
    params.update(
        CallDuration=str(duration),
        Duration=str(max(1, duration // 60)),
        Timestamp="Mon, 23 Nov 2026 09:42:07 +0000",
        CallbackSource="call-progress-events",
        SequenceNumber="0",
    )
    return params


@functools.cache
def _migrated_template() -> Path:
    """One SQLite file migrated with the app's own Alembic migrations, per test run."""
    path = Path(tempfile.mkdtemp(prefix="senior-plus-channels-")) / "template.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    alembic = str(ROOT / ".venv-app" / "bin" / "alembic")
    command = [alembic, "-x", f"url=sqlite:///{path}", "upgrade", "head"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return path


def migrated_database(directory: Path) -> str:
    """URL of a fresh copy of the migrated app database in `directory`."""
    target = directory / "app.db"
    shutil.copyfile(_migrated_template(), target)
    return f"sqlite:///{target}"


# A stand-in for Rasa's message handler, answering like the Senior Plus dialogue.
Reply = dict[str, Any]

MENU = [
    {"title": "L'APA à domicile", "payload": '/ask_apa{"journey": "apa_domicile"}'},
    {"title": "Entrer en EHPAD", "payload": '/ask_ehpad{"journey": "ehpad"}'},
    {"title": "Parler à une personne", "payload": "/request_human"},
]
WELCOME = "Bonjour, je suis l'assistant de Senior Plus. Que voulez-vous savoir ?"
RESUME = "Rebonjour ! Vous en étiez à l'étape 1 sur 6 de l'APA à domicile."
STEP_ONE = "Étape 1 sur 6 : demandez le dossier d'APA au Département, au 02 40 99 10 00."
HUMAN = (
    "Je ne peux pas encore vous passer une personne moi-même. Le CLIC de votre secteur "
    "vous reçoit gratuitement."
)
HUMAN_EXAMPLE = "Par exemple, les aides du Département sur loire-atlantique.fr/apa."
HANDOFF = {"handoff": "human"}  # the phone variant of utter_human_contact
REFERENCE = "Votre demande SP-2026-000123 est notée. Montant estimé : 2 080,33 euros."
NOT_UNDERSTOOD = "Pardon, je n'ai pas bien compris. Dites-le autrement, en quelques mots."


@dataclass
class Received:
    text: str
    sender_id: str
    input_channel: str
    message_id: str | None
    metadata: dict[str, Any] | None


@dataclass
class FakeAssistant:
    """Records what the channel passes on and answers through its output channel.

    A tiny dialogue per conversation: "/greet" offers the menu (or to resume a
    journey in progress), "1" (or the first choice's payload) starts the first
    journey, "répétez" says the last answer again, "/request_human" (or "3", the
    menu's third choice) gives the human contact answer, "dossier" a reference
    and an amount. A reply with a "response" is sent as Rasa sends a domain
    response, named (``utter_action``). Like Rasa, it
    picks a response's channel variant from the output channel's name: on
    "voice", the human contact answer is the handoff marker alone.
    """

    received: list[Received] = field(default_factory=list)
    journeys: dict[str, str] = field(default_factory=dict)
    last: dict[str, list[Reply]] = field(default_factory=dict)
    fail: bool = False
    script: Callable[[str, str], list[Reply]] | None = None
    paused: bool = False  # a person of the team holds the conversation (turn_paused)
    delay_s: float = 0.0  # a slow turn

    def replies(self, sender: str, text: str, channel: str = "collector") -> list[Reply]:
        if self.script is not None:
            return self.script(sender, text)
        if text == "/greet":
            if sender in self.journeys:
                resume = {"title": "Reprendre : APA à domicile", "payload": "/resume_journey"}
                return [{"text": RESUME, "buttons": [resume, MENU[0], MENU[2]]}]
            return [{"text": WELCOME, "buttons": MENU}]
        if text == "répétez":
            return self.last.get(sender) or [{"text": WELCOME, "buttons": MENU}]
        if text in ("1", MENU[0]["payload"]):
            self.journeys[sender] = "apa_domicile"
            next_step = {"title": "Étape suivante", "payload": "/next_step"}
            return [{"text": STEP_ONE}, {"text": "Et ensuite ?", "buttons": [next_step]}]
        if text in ("/request_human", "3"):
            human: Reply = {"custom": HANDOFF} if channel == "voice" else {"text": HUMAN}
            return [human, {"text": HUMAN_EXAMPLE}]
        if text == "dossier":
            return [{"text": REFERENCE}]
        return [{"text": NOT_UNDERSTOOD, "buttons": MENU}]

    async def __call__(self, message: Any) -> None:
        self.received.append(
            Received(
                message.text,
                message.sender_id,
                message.input_channel,
                message.message_id,
                message.metadata,
            )
        )
        if self.fail:
            raise RuntimeError("the assistant broke")
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        message.output_channel.turn_paused = self.paused  # as bot/rasa_patches.py marks it
        channel = message.output_channel.name()
        answers = self.replies(message.sender_id, message.text, channel)
        if message.text != "répétez":
            self.last[message.sender_id] = answers
        out, sender = message.output_channel, message.sender_id
        for reply in answers:
            if reply.get("response"):  # as Rasa sends a domain response: with its name
                sent = {k: v for k, v in reply.items() if k != "response"}
                await out.send_response(sender, {**sent, "utter_action": reply["response"]})
            elif reply.get("buttons"):
                await out.send_text_with_buttons(sender, reply["text"], reply["buttons"])
            elif reply.get("text"):
                await out.send_text_message(sender, reply["text"])
            if reply.get("image"):
                await out.send_image_url(sender, reply["image"])
            if reply.get("custom"):
                await out.send_custom_json(sender, reply["custom"])

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.received]


@dataclass
class Posted:
    status: int
    content_type: str
    text: str


class ChannelClient:
    """A channel's blueprint in a small Sanic app, called in process (bot environment).

    Mounted like Rasa does (``/webhooks/<name>``); requests go through Sanic's
    ASGI interface, signed for PUBLIC_BASE_URL unless told otherwise, from ``peer``
    (the socket's address Sanic sees: ``request.ip``).
    """

    def __init__(
        self, channel: Any, assistant: FakeAssistant, peer: tuple[str, int] = ("127.0.0.1", 123)
    ) -> None:
        import httpx
        from sanic import Sanic

        Sanic.test_mode = True  # several apps in one process (as sanic-testing does)
        self.channel = channel
        self.app = Sanic(f"channel_test_{uuid.uuid4().hex[:12]}")
        self.app.blueprint(channel.blueprint(assistant), url_prefix=f"/webhooks/{channel.name()}")
        self._httpx = httpx
        self._started = False
        self.peer = peer

    async def _post(
        self, path: str, content: bytes, headers: Mapping[str, str] | list[tuple[str, str]]
    ) -> Posted:
        if not self._started:
            await self.app._startup()  # what the ASGI lifespan would do
            self._started = True
        transport = self._httpx.ASGITransport(app=self.app, client=self.peer)
        async with self._httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1:5005"
        ) as client:
            answer = await client.post(path, content=content, headers=headers)
        return Posted(answer.status_code, answer.headers.get("content-type", ""), answer.text)

    def post(
        self,
        path: str,
        params: Mapping[str, str] | Sequence[tuple[str, str]],
        *,
        signature: str | None = "valid",
        token: str = AUTH_TOKEN,
        content_type: str = FORM,
        raw: bytes | None = None,
        headers: Sequence[tuple[str, str]] = (),
    ) -> Posted:
        """POST `params` as a form to `path` (with its query string), signed by default.

        `signature`: "valid" (computed over PUBLIC_BASE_URL + path), None (no
        header), or any other string sent as is. `headers`: more lines, sent as they are
        (a name may come twice).
        """
        pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
        lines = [("content-type", content_type), *headers]
        if signature == "valid":
            signed = twilio_signature(PUBLIC_BASE_URL + path, dict(pairs), token)
            lines.append(("X-Twilio-Signature", signed))
        elif signature is not None:
            lines.append(("X-Twilio-Signature", signature))
        content = raw if raw is not None else urlencode(pairs).encode()
        return asyncio.run(self._post(path, content, lines))
