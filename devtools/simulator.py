"""Channel simulator (dev only): talk to Senior Plus as an SMS user, a Telegram user or a caller.

The page (``GET /simulateur``) never sees a secret: this backend builds the
vendors' real requests — Twilio's Messaging and Voice forms signed with
``X-Twilio-Signature`` over ``PUBLIC_BASE_URL`` + path, Telegram's Update JSON
with its secret-token header — and posts them to Rasa's channel webhooks at
``RASA_URL`` (requests built by ``simulator_payloads``; calls played by
``simulator_voice``). What the person gets back comes from the TwiML answers and
from the fake vendor APIs where the bot and the app send their messages in dev
(``simulator_vendor``, on the vendor fakes the tests use: ``devtools/fakes/``). The
router is included by ``seniorplus.web.app`` only when ``APP_ENV=dev``, and
refuses to serve anything (404) when the settings say otherwise.

``python -m devtools.simulator`` waits until everything answers, then
prints the page's address (and opens it when a display is available).
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
import jinja2
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field

from devtools import simulator_payloads as payloads
from devtools import simulator_vendor as vendor
from devtools import simulator_voice as voice
from devtools.fakes.telegram import ApiError, decode_parameters
from devtools.simulator_vendor import Transcripts, get_transcripts
from observability.mask import mask_identifier
from policies.phones import PhoneError, parse_phone
from seniorplus.settings import get_settings

logger = logging.getLogger(__name__)

PAGE_PATH = "/simulateur"
TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
STATIC_FILES = {"simulator.js": "text/javascript", "simulator.css": "text/css"}
RASA_TIMEOUT_S = 60.0  # the first message after start-up loads the model's pipeline
SMS_WEBHOOK = "/webhooks/sms/webhook"
VOICE_WEBHOOK = "/webhooks/voice/webhook"
VOICE_STATUS = "/webhooks/voice/status"
TELEGRAM_WEBHOOK = "/webhooks/telegram/webhook"
TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature"
MAX_SMS_CHARS = 1600  # Twilio's longest Body
MAX_TELEGRAM_CHARS = 4096
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def dev_mode(environ: Mapping[str, str]) -> bool:
    """True only when ``APP_ENV=dev`` is set: unset means production (no simulator)."""
    return environ.get("APP_ENV", "").strip().lower() == "dev"


def require_dev() -> None:
    """Every simulator route: 404 unless the settings say dev."""
    if get_settings().app_env != "dev":
        raise HTTPException(status_code=404)


class SimulatorError(Exception):
    """Something the page should tell the person, in French, with an HTTP status."""

    def __init__(self, status: int, message_fr: str) -> None:
        super().__init__(message_fr)
        self.status = status
        self.message_fr = message_fr


@dataclass(frozen=True)
class SimulatorConfig:
    """Where Rasa is, the URL the vendors sign, and the secrets they sign with."""

    rasa_url: str
    public_base_url: str
    twilio_account_sid: str = ""
    twilio_auth_token: str = field(default="", repr=False)
    twilio_number: str = ""
    telegram_secret_token: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str], rasa_url: str) -> SimulatorConfig:
        def get(name: str, default: str = "") -> str:
            return environ.get(name, "").strip() or default

        return cls(
            rasa_url=rasa_url.rstrip("/"),
            public_base_url=get("PUBLIC_BASE_URL", rasa_url).rstrip("/"),
            twilio_account_sid=get("TWILIO_ACCOUNT_SID"),
            twilio_auth_token=get("TWILIO_AUTH_TOKEN"),
            twilio_number=get("TWILIO_SMS_NUMBER"),
            telegram_secret_token=get("TELEGRAM_SECRET_TOKEN"),
        )

    def require(self, *names: str) -> None:
        missing = [name.upper() for name in names if not getattr(self, name.lower())]
        if missing:
            raise SimulatorError(
                503,
                f"Configuration incomplète : {', '.join(missing)} manquant "
                "(valeurs de développement dans scripts/env.sh).",
            )

    def public(self, path: str) -> str:
        return self.public_base_url + path

    def internal(self, public_url: str) -> str:
        """Where Rasa really listens for a URL Twilio was given; refuses any other URL."""
        base = self.public_base_url
        if public_url != base and not public_url.startswith((base + "/", base + "?")):
            raise SimulatorError(400, "Adresse hors de l'assistant : le simulateur ne la suit pas.")
        return self.rasa_url + public_url[len(base) :]


def get_config() -> SimulatorConfig:
    return SimulatorConfig.from_env(os.environ, get_settings().rasa.url)


async def rasa_client() -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client to Rasa for one request (a FastAPI dependency, replaced in tests)."""
    async with httpx.AsyncClient(timeout=RASA_TIMEOUT_S) as client:
        yield client


async def post_twilio(
    client: httpx.AsyncClient, config: SimulatorConfig, public_url: str, params: Mapping[str, str]
) -> httpx.Response:
    """POST a form as Twilio does: to Rasa, signed over the public URL."""
    target = config.internal(public_url)
    headers = {
        TWILIO_SIGNATURE_HEADER: payloads.twilio_signature(
            config.twilio_auth_token, public_url, params
        ),
        "User-Agent": "TwilioProxy/1.1",
        "Accept": "*/*",
    }
    try:
        return await client.post(target, data=dict(params), headers=headers)
    except httpx.HTTPError as error:
        raise _unreachable(config, error) from error


def _unreachable(config: SimulatorConfig, error: Exception) -> SimulatorError:
    logger.warning("Simulator: Rasa unreachable (%s)", type(error).__name__)
    return SimulatorError(
        502,
        f"L'assistant ne répond pas à {config.rasa_url} ({type(error).__name__}). "
        "Lancez-le avec « make simulator ».",
    )


# --- The API the page calls ----------------------------------------------------------------


class SmsIn(BaseModel):
    phone: str = Field(max_length=20)
    text: str = Field(min_length=1, max_length=MAX_SMS_CHARS)


class TelegramIn(BaseModel):
    chat_id: int = Field(gt=0, lt=10**15)
    kind: payloads.TelegramKind = "text"
    text: str = Field(default="", max_length=MAX_TELEGRAM_CHARS)
    phone: str = Field(default="", max_length=20)


class CallIn(BaseModel):
    phone: str = Field(max_length=20)


class CallInput(BaseModel):
    kind: Literal["digits", "speech", "silence", "no_answer", "hangup"]
    value: str = Field(default="", max_length=500)


class Sent(BaseModel):
    ok: bool
    status: int
    message: str = ""


def _check_phone(phone: str) -> str:
    try:
        return parse_phone(phone).e164
    except PhoneError as exc:  # a number that cannot exist, in French
        raise SimulatorError(422, str(exc)) from None


def _status_note(channel: str, status: int) -> str:
    if status == 403:
        return f"Le canal {channel} a refusé la requête (HTTP 403) : signature ou secret refusé."
    if status == 404:
        return f"Le canal {channel} n'existe pas dans l'assistant (HTTP 404) : est-il déclaré ?"
    return f"Le canal {channel} a répondu HTTP {status}."


router = APIRouter(include_in_schema=False, dependencies=[Depends(require_dev)])
router.include_router(vendor.router)
_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _run(error: SimulatorError) -> HTTPException:
    return HTTPException(status_code=error.status, detail=error.message_fr)


@router.get(PAGE_PATH, response_class=HTMLResponse)
async def page() -> HTMLResponse:
    """The simulator page, with a fresh fake mobile number and Telegram chat."""
    config = get_config()
    html = _templates.get_template("simulator.html").render(
        phone=f"+3361234{secrets.randbelow(10_000):04d}",
        chat_id=700_000_000 + secrets.randbelow(100_000_000),
        service_number=voice.french_number(config.twilio_number) or "non configuré",
    )
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": CSP,
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


@router.get(PAGE_PATH + "/static/{name}")
async def static(name: str) -> FileResponse:
    if name not in STATIC_FILES:
        raise HTTPException(status_code=404)
    return FileResponse(
        STATIC_DIR / name,
        media_type=STATIC_FILES[name],
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


@router.post(PAGE_PATH + "/api/sms", response_model=Sent)
async def send_sms(
    sms: SmsIn,
    client: httpx.AsyncClient = Depends(rasa_client),  # noqa: B008
    transcripts: Transcripts = Depends(get_transcripts),  # noqa: B008
) -> Sent:
    """The person sends an SMS: Twilio's signed webhook, then the TwiML answer shown."""
    config = get_config()
    try:
        config.require("twilio_auth_token", "twilio_account_sid", "twilio_number")
        phone = _check_phone(sms.phone)
        sid = payloads.new_sid("SM")
        key = vendor.sms_key(phone)
        transcripts.add(key, vendor.sms_entry("in", sms.text, "phone", sid=sid))
        response = await post_twilio(
            client,
            config,
            config.public(SMS_WEBHOOK),
            payloads.sms_form(
                config.twilio_account_sid, config.twilio_number, phone, sms.text, sid
            ),
        )
    except SimulatorError as error:
        raise _run(error) from error
    logger.info("Simulator SMS from %s: HTTP %s", mask_identifier(phone), response.status_code)
    if response.status_code != 200:
        note = _status_note("SMS", response.status_code)
        transcripts.add(key, {"direction": "note", "text": note})
        return Sent(ok=False, status=response.status_code, message=note)
    try:
        texts = payloads.messages_from_twiml(response.text)
    except ValueError as error:
        note = f"Réponse TwiML illisible : {error}"
        transcripts.add(key, {"direction": "note", "text": note})
        return Sent(ok=False, status=response.status_code, message=note)
    for index, text in enumerate(texts, start=1):
        raw = {"twiml": response.text} if index == len(texts) else {}  # shown once, at the end
        transcripts.add(key, vendor.sms_entry("out", text, "twiml", **raw))
    return Sent(ok=True, status=200)


@router.get(PAGE_PATH + "/api/sms")
async def sms_messages(
    phone: str = Query(max_length=20),
    after: int = Query(default=0, ge=0),
    transcripts: Transcripts = Depends(get_transcripts),  # noqa: B008
) -> dict[str, Any]:
    """What was said with this number since ``after``: SMS in and out, notes."""
    try:
        key = vendor.sms_key(_check_phone(phone))
    except SimulatorError as error:
        raise _run(error) from error
    return {"entries": transcripts.since(key, after)}


@router.post(PAGE_PATH + "/api/telegram", response_model=Sent)
async def send_telegram(
    update_in: TelegramIn,
    client: httpx.AsyncClient = Depends(rasa_client),  # noqa: B008
    transcripts: Transcripts = Depends(get_transcripts),  # noqa: B008
) -> Sent:
    """The person writes or sends something in Telegram: the Update posted with the secret."""
    config = get_config()
    key = vendor.telegram_key(update_in.chat_id)
    try:
        config.require("telegram_secret_token")
        if update_in.kind in ("text", "callback") and not update_in.text.strip():
            raise SimulatorError(422, "Écrivez un message.")
        phone = _check_phone(update_in.phone) if update_in.kind == "contact" else ""
        last = transcripts.last(key) if update_in.kind == "callback" else None
        message_id = int(last.get("message_id") or 0) if last else transcripts.next_id(key)
        update, shown = payloads.telegram_update(
            update_in.chat_id, message_id, update_in.kind, update_in.text, phone
        )
        transcripts.add(key, {"direction": "in", "kind": update_in.kind, "text": shown})
        try:
            response = await client.post(
                config.rasa_url + TELEGRAM_WEBHOOK,
                json=update,
                headers={TELEGRAM_SECRET_HEADER: config.telegram_secret_token},
            )
        except httpx.HTTPError as error:
            raise _unreachable(config, error) from error
    except SimulatorError as error:
        raise _run(error) from error
    logger.info("Simulator Telegram update: HTTP %s", response.status_code)
    if response.status_code != 200:
        note = _status_note("Telegram", response.status_code)
        transcripts.add(key, {"direction": "note", "text": note})
        return Sent(ok=False, status=response.status_code, message=note)
    _webhook_reply(response, transcripts)
    return Sent(ok=True, status=200)


def _webhook_reply(response: httpx.Response, transcripts: Transcripts) -> None:
    """A Bot API call made in the webhook's answer (``{"method": "sendMessage", …}``)."""
    try:
        body = response.json()
    except ValueError:
        return
    if isinstance(body, dict) and isinstance(body.get("method"), str):
        try:
            vendor.telegram_call(transcripts, body["method"], decode_parameters(body))
        except ApiError as error:
            transcripts.add(
                vendor.telegram_key(str(body.get("chat_id"))),
                {"direction": "note", "text": f"Telegram refuse la réponse : {error.description}"},
            )


@router.get(PAGE_PATH + "/api/telegram")
async def telegram_messages(
    chat_id: int = Query(gt=0, lt=10**15),
    after: int = Query(default=0, ge=0),
    transcripts: Transcripts = Depends(get_transcripts),  # noqa: B008
) -> dict[str, Any]:
    """What was said in this chat since ``after``: the person's updates, the bot's messages."""
    return {"entries": transcripts.since(vendor.telegram_key(chat_id), after)}


def _poster(client: httpx.AsyncClient, config: SimulatorConfig) -> voice.Poster:
    async def post(url: str, params: Mapping[str, str]) -> httpx.Response:
        return await post_twilio(client, config, url, params)

    return post


@router.post(PAGE_PATH + "/api/voice")
async def call(
    call_in: CallIn,
    client: httpx.AsyncClient = Depends(rasa_client),  # noqa: B008
    calls: voice.CallBook = Depends(voice.get_calls),  # noqa: B008
) -> dict[str, Any]:
    """The person calls the service: a new CallSid, the incoming-call webhook."""
    config = get_config()
    try:
        config.require("twilio_auth_token", "twilio_account_sid", "twilio_number")
        phone = _check_phone(call_in.phone)
        new = voice.Call(
            voice.new_call_sid(), phone, config.twilio_number, config.twilio_account_sid
        )
        calls.add(new)
        post = _poster(client, config)
        await voice.start_call(new, post, config.public(VOICE_WEBHOOK), config.public(VOICE_STATUS))
    except SimulatorError as error:
        raise _run(error) from error
    logger.info("Simulator call from %s: %s", mask_identifier(phone), new.status)
    return new.view()


@router.post(PAGE_PATH + "/api/voice/{call_sid}")
async def call_input(
    call_sid: str,
    action: CallInput,
    client: httpx.AsyncClient = Depends(rasa_client),  # noqa: B008
    calls: voice.CallBook = Depends(voice.get_calls),  # noqa: B008
) -> dict[str, Any]:
    """The caller presses keys, speaks, says nothing, hangs up, or nobody answers a transfer."""
    current = calls.get(call_sid)
    if current is None:
        raise HTTPException(status_code=404, detail="Appel inconnu ou trop ancien : rappelez.")
    config = get_config()
    post = _poster(client, config)
    status_url = config.public(VOICE_STATUS)
    try:
        if action.kind == "digits":
            if not voice.DTMF.match(action.value):
                raise SimulatorError(422, "Touches du clavier attendues : 0 à 9, * et #.")
            await voice.answer(current, post, status_url, digits=action.value)
        elif action.kind == "speech":
            await voice.answer(current, post, status_url, speech=action.value)
        elif action.kind == "silence":
            await voice.answer(current, post, status_url)
        elif action.kind == "no_answer":
            await voice.dial_ended(current, post, status_url, "no-answer")
        else:
            await voice.hang_up(current, post, status_url)
    except SimulatorError as error:
        raise _run(error) from error
    return current.view()


# --- python -m devtools.simulator: wait, print the address, open it ------------------


def _alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_and_open(web_port: str, watch_pid: int | None = None, timeout_s: float = 600.0) -> int:
    """Print the page's address once the web app says everything answers; open it if possible.

    Gives up when ``watch_pid`` (the shell running ``make simulator``) is gone.
    """
    url = f"http://127.0.0.1:{web_port}{PAGE_PATH}"
    print(f"  Simulateur de canaux : {url} (dès que Senior Plus est prêt)", flush=True)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and _alive(watch_pid):
        try:
            health = httpx.get(f"http://127.0.0.1:{web_port}/health", timeout=2.0)
            if health.status_code == 200 and health.json().get("status") == "ok":
                break
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(1.0)
    else:
        return 1
    print(f"\n  Simulateur prêt : {url}\n", flush=True)
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        import webbrowser  # only with a display: a text browser in a terminal would block

        webbrowser.open(url)
    return 0


if __name__ == "__main__":
    watched = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else None
    try:
        sys.exit(wait_and_open(os.environ.get("WEB_PORT", "8000"), watched))
    except KeyboardInterrupt:
        sys.exit(130)
