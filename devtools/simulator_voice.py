"""Phone calls in the channel simulator: Twilio's side of a call, verb after verb.

The simulator plays Twilio: it posts the signed incoming-call form, reads the
TwiML it gets back and executes it as Twilio would — ``<Say>`` is what the
caller hears, ``<Gather>`` waits for a key or speech (posted to its ``action``),
the verbs after a ``<Gather>`` run only when the caller says nothing (unless
``actionOnEmptyResult``), ``<Redirect>`` fetches the next document, ``<Dial>``
puts the caller through, ``<Hangup>`` or the end of the document ends the call,
and an ended call gets its status callback (``CallStatus=completed``).

Posting is left to the caller of this module (``Poster``): it signs and sends.
"""

from __future__ import annotations

import math
import re
import secrets
import threading
import time
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any, Literal
from urllib.parse import urljoin

import httpx

from policies.phones import display_phone

MAX_CALLS = 100
MAX_STEPS = 60  # steps kept per call
MAX_HOPS = 5  # redirects followed in a row before the simulator stops a loop
MAX_TWIML_CHARS = 200_000
DTMF = re.compile(r"^[0-9*#]{1,20}$")

Poster = Callable[[str, Mapping[str, str]], Awaitable[httpx.Response]]
CallStatus = Literal["in-progress", "transferred", "completed"]


@dataclass(frozen=True)
class GatherWait:
    """A ``<Gather>`` waiting for the caller."""

    action: str  # absolute public URL
    method: str
    inputs: tuple[str, ...]
    num_digits: int | None
    finish_on_key: str
    action_on_empty: bool

    def view(self) -> dict[str, Any]:
        return {
            "dtmf": "dtmf" in self.inputs,
            "speech": "speech" in self.inputs,
            "num_digits": self.num_digits,
            "finish_on_key": self.finish_on_key,
        }


@dataclass
class Step:
    """One TwiML document fetched and executed, and what the caller did before it."""

    caller_action: str
    path: str
    status: int
    twiml: str = ""
    spoken: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        return {
            "caller_action": self.caller_action,
            "path": self.path,
            "status": self.status,
            "twiml": self.twiml,
            "spoken": list(self.spoken),
            "events": list(self.events),
        }


@dataclass
class Call:
    """A call as Twilio tracks it."""

    sid: str
    caller: str
    called: str
    account_sid: str
    started: float = field(default_factory=time.monotonic)
    status: CallStatus = "in-progress"
    steps: list[Step] = field(default_factory=list)
    waiting: GatherWait | None = None
    remaining: list[ET.Element] = field(default_factory=list)
    document_url: str = ""
    dial_action: str | None = None
    callback_sent: bool = False

    def params(self, status: str) -> dict[str, str]:
        """The fields Twilio sends with every voice webhook of this inbound call."""
        caller_country, called_country = country_of(self.caller), country_of(self.called)
        return {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "CallSid": self.sid,
            "CallStatus": status,
            "Called": self.called,
            "CalledCity": "",
            "CalledCountry": called_country,
            "CalledState": "",
            "CalledZip": "",
            "Caller": self.caller,
            "CallerCity": "",
            "CallerCountry": caller_country,
            "CallerState": "",
            "CallerZip": "",
            "Direction": "inbound",
            "From": self.caller,
            "FromCity": "",
            "FromCountry": caller_country,
            "FromState": "",
            "FromZip": "",
            "To": self.called,
            "ToCity": "",
            "ToCountry": called_country,
            "ToState": "",
            "ToZip": "",
        }

    def add_step(self, step: Step) -> Step:
        self.steps.append(step)
        del self.steps[:-MAX_STEPS]
        return step

    def view(self) -> dict[str, Any]:
        waiting = self.waiting if self.status == "in-progress" else None
        return {
            "call_sid": self.sid,
            "status": self.status,
            "waiting": waiting.view() if waiting else None,
            "can_report_no_answer": self.status == "transferred" and self.dial_action is not None,
            "steps": [step.view() for step in self.steps],
        }


class CallBook:
    """Calls in progress or recently ended, in memory, the oldest dropped first."""

    def __init__(self, max_calls: int = MAX_CALLS) -> None:
        self._calls: OrderedDict[str, Call] = OrderedDict()
        self._max = max_calls
        self._lock = threading.Lock()

    def add(self, call: Call) -> None:
        with self._lock:
            self._calls[call.sid] = call
            while len(self._calls) > self._max:
                self._calls.popitem(last=False)

    def get(self, sid: str) -> Call | None:
        with self._lock:
            return self._calls.get(sid)

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()


CALLS = CallBook()


def get_calls() -> CallBook:
    """The process's calls (a FastAPI dependency, replaced in tests)."""
    return CALLS


def new_call_sid() -> str:
    return "CA" + secrets.token_hex(16)


def country_of(number: str) -> str:
    for prefix, country in (("+33", "FR"), ("+32", "BE"), ("+41", "CH"), ("+352", "LU")):
        if number.startswith(prefix):
            return country
    return ""


def french_number(number: str) -> str:
    """``+33240000000`` → ``02 40 00 00 00`` (`policies.phones`); not a number: unchanged."""
    return display_phone(number.strip())


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def parse_twiml(document: str) -> list[ET.Element]:
    """The verbs of a ``<Response>``; ValueError when it is not TwiML."""
    if len(document) > MAX_TWIML_CHARS:
        raise ValueError("document trop long")
    try:
        root = ET.fromstring(document.strip())
    except ET.ParseError as error:
        raise ValueError(f"XML illisible ({error})") from error
    if root.tag != "Response":
        raise ValueError(f"<Response> attendu, <{root.tag}> reçu")
    return list(root)


def _gather(element: ET.Element, document_url: str) -> GatherWait:
    digits = element.get("numDigits")
    return GatherWait(
        action=urljoin(document_url, element.get("action") or document_url),
        method=(element.get("method") or "POST").upper(),
        inputs=tuple((element.get("input") or "dtmf").split()),
        num_digits=int(digits) if digits and digits.isdigit() and int(digits) > 0 else None,
        finish_on_key=element.get("finishOnKey", "#"),
        action_on_empty=(element.get("actionOnEmptyResult") or "").lower() == "true",
    )


def execute(call: Call, verbs: Sequence[ET.Element], document_url: str, step: Step) -> str | None:
    """Run ``verbs`` until the call waits, ends or is redirected (the URL to fetch next)."""
    call.waiting, call.remaining = None, []
    for index, verb in enumerate(verbs):
        tag = verb.tag
        if tag == "Say":
            if text := _text(verb):
                step.spoken.append(text)
        elif tag == "Pause":
            step.events.append(f"(pause de {verb.get('length') or '1'} s)")
        elif tag == "Play":
            step.events.append("(un son est joué)")
        elif tag == "Gather":
            step.spoken.extend(t for say in verb.iter("Say") if (t := _text(say)))
            call.waiting = _gather(verb, document_url)
            call.remaining = list(verbs[index + 1 :])
            call.document_url = document_url
            return None
        elif tag == "Redirect":
            target = (verb.text or "").strip() or document_url
            return urljoin(document_url, target)
        elif tag == "Dial":
            numbers = [_text(n) for n in verb.iter("Number")] or [_text(verb)]
            shown = ", ".join(french_number(n) for n in numbers if n) or "(aucun numéro)"
            step.events.append(f"Transfert vers le {shown}")
            call.status = "transferred"
            action = verb.get("action")
            call.dial_action = urljoin(document_url, action) if action else None
            return None
        elif tag in ("Hangup", "Reject"):
            step.events.append("Appel terminé")
            call.status = "completed"
            return None
        elif tag in ("Sms", "Message"):
            step.events.append(f"SMS envoyé pendant l'appel : {_text(verb)}")
        else:
            step.events.append(f"Verbe TwiML non simulé : <{tag}>")
    step.events.append("Fin des instructions : Twilio raccroche. Appel terminé")
    call.status = "completed"
    return None


async def fetch(
    call: Call,
    post: Poster,
    url: str,
    extra: Mapping[str, str],
    caller_action: str,
    status: str = "in-progress",
) -> None:
    """POST ``url`` (signed by ``post``) and execute the answer, following redirects."""
    hops = 0
    next_url: str | None = url
    params = {**call.params(status), **extra}
    while next_url is not None:
        if hops == MAX_HOPS:
            call.add_step(
                Step("", "", 0, events=["Trop de redirections : le simulateur raccroche"])
            )
            call.status = "completed"
            break
        response = await post(next_url, params)
        step = call.add_step(Step(caller_action, httpx.URL(next_url).path, response.status_code))
        step.twiml = response.text[:MAX_TWIML_CHARS]
        if response.status_code != 200:
            step.events.append(
                f"L'assistant a répondu HTTP {response.status_code} : Twilio dirait "
                "« Une erreur d'application s'est produite » et raccrocherait. Appel terminé"
            )
            call.status, call.waiting = "completed", None
            break
        try:
            verbs = parse_twiml(response.text)
        except ValueError as error:
            step.events.append(f"TwiML illisible ({error}) : Twilio raccrocherait. Appel terminé")
            call.status, call.waiting = "completed", None
            break
        next_url = execute(call, verbs, next_url, step)
        params = call.params("in-progress")
        caller_action = "Redirection"
        hops += 1


def ended(call: Call) -> bool:
    """True once Twilio would have hung up (read after an await, so never narrowed)."""
    return call.status == "completed"


async def hang_up(call: Call, post: Poster, status_url: str) -> None:
    """The call is over: Twilio's status callback, once."""
    call.status, call.waiting = "completed", None
    if call.callback_sent:
        return
    call.callback_sent = True
    duration = max(1, math.ceil(time.monotonic() - call.started))
    params = {
        **call.params("completed"),
        "CallDuration": str(duration),
        "Timestamp": format_datetime(datetime.now(timezone.utc), usegmt=True),
        "CallbackSource": "call-progress-events",
        "SequenceNumber": "0",
    }
    response = await post(status_url, params)
    call.add_step(
        Step(
            "Raccroché",
            httpx.URL(status_url).path,
            response.status_code,
            events=[f"Fin d'appel signalée à l'assistant (HTTP {response.status_code})"],
        )
    )


async def start_call(call: Call, post: Poster, webhook_url: str, status_url: str) -> None:
    """The phone rings: the incoming-call webhook, then whatever the TwiML says."""
    await fetch(call, post, webhook_url, {}, "Appel entrant", status="ringing")
    if ended(call):
        await hang_up(call, post, status_url)


async def answer(
    call: Call,
    post: Poster,
    status_url: str,
    *,
    digits: str | None = None,
    speech: str | None = None,
) -> None:
    """The caller presses keys, speaks, or (both None) says nothing until the timeout."""
    wait = call.waiting
    if call.status != "in-progress" or wait is None:
        return
    if digits is not None and "dtmf" in wait.inputs:
        if wait.finish_on_key and digits in wait.finish_on_key:
            digits = ""  # the end key alone: no input
        if digits:
            extra = {"Digits": digits, "FinishedOnKey": ""}
            await fetch(call, post, wait.action, extra, f"Touche {digits}")
            return
    elif speech is not None and speech.strip() and "speech" in wait.inputs:
        extra = {"SpeechResult": speech.strip(), "Confidence": "0.9"}
        await fetch(call, post, wait.action, extra, f"« {speech.strip()} »")
        return
    await silence(call, post, status_url, wait)


async def silence(call: Call, post: Poster, status_url: str, wait: GatherWait) -> None:
    """No input: the action with nothing, or the verbs after the ``<Gather>``."""
    if wait.action_on_empty:
        await fetch(call, post, wait.action, {}, "Silence")
    else:
        step = call.add_step(Step("Silence", httpx.URL(call.document_url).path, 200))
        redirect = execute(call, call.remaining, call.document_url, step)
        if redirect is not None:
            quiet = not step.spoken and not step.events
            if quiet:  # nothing said before the redirect: one step, not two
                call.steps.remove(step)
            await fetch(call, post, redirect, {}, "Silence" if quiet else "Redirection")
    if ended(call):
        await hang_up(call, post, status_url)


async def dial_ended(call: Call, post: Poster, status_url: str, dial_status: str) -> None:
    """The transfer ended (``no-answer``, ``busy``…): Twilio asks the ``<Dial>`` action."""
    if call.status != "transferred" or call.dial_action is None:
        return
    action, call.dial_action = call.dial_action, None
    call.status = "in-progress"
    extra = {"DialCallStatus": dial_status, "DialCallDuration": "0"}
    label = "Le conseiller ne répond pas" if dial_status == "no-answer" else dial_status
    await fetch(call, post, action, extra, label)
    if ended(call):
        await hang_up(call, post, status_url)
