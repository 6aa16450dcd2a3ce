"""Channel simulator: signed vendor requests to Rasa, TwiML read back, fake vendor APIs.

Rasa is replaced by an httpx MockTransport that records what the simulator posts
and answers scripted TwiML or status codes; the simulator's own fake Telegram and
Twilio APIs are called through the app, with python-telegram-bot's real client
for Telegram. The public URL (what Twilio signs) differs from Rasa's internal URL
on purpose: a signature over the wrong one would fail the validator.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import httpx
import pytest
from telegram import Bot, KeyboardButton, ReplyKeyboardMarkup, Update
from telegram.request import HTTPXRequest
from twilio.request_validator import RequestValidator

from devtools import simulator, simulator_voice
from devtools import simulator_payloads as payloads
from devtools.simulator_vendor import Transcripts, get_transcripts
from devtools.web import create_app
from seniorplus.settings import get_settings

RASA = "http://rasa.internal:5005"
PUBLIC = "https://bot.example.org"
AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
ACCOUNT = "AC" + "1" * 32
SERVICE_NUMBER = "+33757000000"
BOT_TOKEN = "1000000000:simulateur-test"
SECRET = "secret-token-123"
PHONE = "+33612340001"

Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeRasa:
    """Rasa's webhooks as the simulator sees them: a script of answers, a log of requests."""

    answers: dict[str, Handler] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        handler = self.answers.get(request.url.path)
        if handler is None:
            return httpx.Response(404)
        return handler(request)

    def forms(self) -> list[dict[str, str]]:
        return [dict(parse_qsl(r.content.decode(), keep_blank_values=True)) for r in self.requests]


def twiml(body: str) -> Handler:
    document = f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>'
    return lambda _: httpx.Response(200, text=document, headers={"Content-Type": "text/xml"})


def signed_over(request: httpx.Request, public_url: str) -> bool:
    """What the channel code does: twilio's own validator over the public URL."""
    params = dict(parse_qsl(request.content.decode(), keep_blank_values=True))
    validator = RequestValidator(AUTH_TOKEN)
    return bool(validator.validate(public_url, params, request.headers["X-Twilio-Signature"]))


@pytest.fixture
def dev_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "dev")
    monkeypatch.setenv("RASA_URL", RASA)
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC + "/")
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_SMS_NUMBER", SERVICE_NUMBER)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("TELEGRAM_SECRET_TOKEN", SECRET)
    get_settings.cache_clear()


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def transcripts() -> Transcripts:
    return Transcripts()


@pytest.fixture
async def web(
    dev_env: None, rasa: FakeRasa, transcripts: Transcripts
) -> AsyncIterator[httpx.AsyncClient]:
    """The web app in dev, its Rasa client on the fake, fresh transcripts and calls."""
    app = create_app()
    calls = simulator_voice.CallBook()

    async def rasa_client() -> AsyncIterator[httpx.AsyncClient]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(rasa)) as client:
            yield client

    app.dependency_overrides[simulator.rasa_client] = rasa_client
    app.dependency_overrides[get_transcripts] = lambda: transcripts
    app.dependency_overrides[simulator_voice.get_calls] = lambda: calls
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


# --- Signatures ----------------------------------------------------------------------------


def test_signature_is_twilios_reference_example() -> None:
    """The example of Twilio's security documentation, and twilio-python's own result."""
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    assert payloads.twilio_signature("12345", url, params) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    accented = {"Body": "Répondez « oui » 👍", "From": PHONE}
    assert payloads.twilio_signature(AUTH_TOKEN, url, accented) == RequestValidator(
        AUTH_TOKEN
    ).compute_signature(url, accented)


def test_only_urls_under_the_public_base_are_followed() -> None:
    config = simulator.SimulatorConfig(rasa_url=RASA, public_base_url=PUBLIC)
    assert config.internal(PUBLIC + "/webhooks/voice/webhook?step=2") == (
        RASA + "/webhooks/voice/webhook?step=2"
    )
    for outside in ("https://evil.example/x", PUBLIC + ".evil.example/x", "http://bot.example.org"):
        with pytest.raises(simulator.SimulatorError):
            config.internal(outside)


# --- SMS -----------------------------------------------------------------------------------


async def test_sms_is_signed_like_twilio_and_each_message_is_shown_with_its_segments(
    web: httpx.AsyncClient, rasa: FakeRasa
) -> None:
    long_gsm = "Étape 1 sur 6 : " + "demandez le dossier à la mairie. " * 6
    rasa.answers["/webhooks/sms/webhook"] = twiml(
        f"<Message>Bonjour ! Répondez :\n1 = APA</Message><Message>{long_gsm}</Message>"
        "<Message><Body>Merci 😊</Body></Message>"
    )
    sent = await web.post("/simulateur/api/sms", json={"phone": "+33 6 12 34 00 01", "text": "bjr"})
    assert sent.json() == {"ok": True, "status": 200, "message": ""}

    (request,) = rasa.requests
    assert str(request.url) == RASA + "/webhooks/sms/webhook"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert signed_over(request, PUBLIC + "/webhooks/sms/webhook")
    assert not signed_over(request, RASA + "/webhooks/sms/webhook")
    form = rasa.forms()[0]
    assert re.fullmatch(r"SM[0-9a-f]{32}", form["MessageSid"])
    assert form["SmsSid"] == form["SmsMessageSid"] == form["MessageSid"]
    assert (form["From"], form["To"], form["Body"]) == (PHONE, SERVICE_NUMBER, "bjr")
    assert (form["AccountSid"], form["NumMedia"], form["NumSegments"]) == (ACCOUNT, "0", "1")
    assert (form["SmsStatus"], form["ApiVersion"], form["FromCountry"]) == (
        "received",
        "2010-04-01",
        "FR",
    )

    entries = (await web.get("/simulateur/api/sms", params={"phone": PHONE})).json()["entries"]
    shown = [(e["direction"], e["text"], e["segments"], e["encoding"]) for e in entries]
    assert shown == [
        ("in", "bjr", 1, "GSM-7"),
        ("out", "Bonjour ! Répondez :\n1 = APA", 1, "GSM-7"),
        ("out", long_gsm, 2, "GSM-7"),
        ("out", "Merci 😊", 1, "UCS-2"),
    ]
    assert all(e["via"] == "twiml" for e in entries[1:])
    assert ["twiml" in e for e in entries] == [False, False, False, True]
    assert "<Body>Merci 😊</Body>" in entries[-1]["twiml"]
    later = await web.get(
        "/simulateur/api/sms", params={"phone": PHONE, "after": entries[2]["seq"]}
    )
    assert [e["text"] for e in later.json()["entries"]] == ["Merci 😊"]


async def test_sms_refused_by_the_channel_is_explained(
    web: httpx.AsyncClient, rasa: FakeRasa
) -> None:
    rasa.answers["/webhooks/sms/webhook"] = lambda _: httpx.Response(403)
    sent = (await web.post("/simulateur/api/sms", json={"phone": PHONE, "text": "oui"})).json()
    assert sent["ok"] is False and sent["status"] == 403
    assert "signature" in sent["message"]
    entries = (await web.get("/simulateur/api/sms", params={"phone": PHONE})).json()["entries"]
    assert [e["direction"] for e in entries] == ["in", "note"]


async def test_sms_input_is_checked(web: httpx.AsyncClient, rasa: FakeRasa) -> None:
    bad_number = await web.post("/simulateur/api/sms", json={"phone": "0612", "text": "oui"})
    assert bad_number.status_code == 422
    assert "n'existe pas" in bad_number.json()["detail"]
    too_long = await web.post("/simulateur/api/sms", json={"phone": PHONE, "text": "a" * 1601})
    assert too_long.status_code == 422
    assert rasa.requests == []


async def test_rasa_down_is_said_in_french(web: httpx.AsyncClient, rasa: FakeRasa) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    rasa.answers["/webhooks/sms/webhook"] = refuse
    response = await web.post("/simulateur/api/sms", json={"phone": PHONE, "text": "oui"})
    assert response.status_code == 502
    assert "ne répond pas" in response.json()["detail"]


def test_twiml_messages_are_read_in_order() -> None:
    document = (
        '<?xml version="1.0"?><Response><Message>Un &amp; deux</Message>'
        '<Redirect>/x</Redirect><Message to="+33600000000"><Body>Trois</Body></Message></Response>'
    )
    assert payloads.messages_from_twiml(document) == ["Un & deux", "Trois"]
    assert payloads.messages_from_twiml("<Response/>") == []
    with pytest.raises(ValueError):
        payloads.messages_from_twiml("<html>Erreur</html>")


# --- Telegram ------------------------------------------------------------------------------


async def test_telegram_updates_are_real_format_with_the_secret_header(
    web: httpx.AsyncClient, rasa: FakeRasa
) -> None:
    rasa.answers["/webhooks/telegram/webhook"] = lambda _: httpx.Response(200, json={})
    chat = 712345678
    sends = [
        {"kind": "text", "text": "/start"},
        {"kind": "text", "text": "bonjour"},
        {"kind": "photo"},
        {"kind": "voice"},
        {"kind": "sticker"},
        {"kind": "document"},
        {"kind": "contact", "phone": PHONE},
    ]
    for body in sends:
        sent = await web.post("/simulateur/api/telegram", json={"chat_id": chat, **body})
        assert sent.json()["ok"] is True
    assert len(rasa.requests) == len(sends)
    updates = []
    for request in rasa.requests:
        assert str(request.url) == RASA + "/webhooks/telegram/webhook"
        assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == SECRET
        assert request.headers["content-type"] == "application/json"
        payload = json.loads(request.content)
        update = Update.de_json(payload, None)
        assert update is not None and update.message is not None
        assert update.message.chat.id == chat and update.message.chat.type == "private"
        assert update.message.from_user is not None and update.message.from_user.id == chat
        updates.append(update)
    ids = [u.update_id for u in updates]
    assert ids == sorted(set(ids))
    start, text, photo, voice, sticker, document, contact = (u.message for u in updates)
    assert start is not None and start.text == "/start"
    assert start.entities[0].type == "bot_command" and start.entities[0].length == 6
    assert text is not None and text.text == "bonjour" and not text.entities
    assert photo is not None and len(photo.photo) == 3 and photo.photo[-1].width == 1280
    assert voice is not None and voice.voice is not None and voice.voice.mime_type == "audio/ogg"
    assert sticker is not None and sticker.sticker is not None and sticker.sticker.emoji == "👍"
    assert document is not None and document.document is not None
    assert contact is not None and contact.contact is not None
    assert (contact.contact.phone_number, contact.contact.user_id) == (PHONE, chat)
    message_ids = [u.message.message_id for u in updates if u.message]
    assert message_ids == list(range(1, len(sends) + 1))


async def test_telegram_refused_or_unreadable_input(web: httpx.AsyncClient, rasa: FakeRasa) -> None:
    rasa.answers["/webhooks/telegram/webhook"] = lambda _: httpx.Response(403)
    sent = await web.post("/simulateur/api/telegram", json={"chat_id": 42, "text": "bonjour"})
    assert sent.json()["status"] == 403
    empty = await web.post("/simulateur/api/telegram", json={"chat_id": 42, "text": "  "})
    assert empty.status_code == 422
    bad_contact = await web.post(
        "/simulateur/api/telegram", json={"chat_id": 42, "kind": "contact", "phone": "12"}
    )
    assert bad_contact.status_code == 422
    entries = (await web.get("/simulateur/api/telegram", params={"chat_id": 42})).json()
    assert [e["direction"] for e in entries["entries"]] == ["in", "note"]


async def test_bot_api_reply_in_the_webhook_answer_is_shown(
    web: httpx.AsyncClient, rasa: FakeRasa
) -> None:
    reply = {"method": "sendMessage", "chat_id": 42, "text": "<b>Bonjour</b>", "parse_mode": "HTML"}
    rasa.answers["/webhooks/telegram/webhook"] = lambda _: httpx.Response(200, json=reply)
    await web.post("/simulateur/api/telegram", json={"chat_id": 42, "text": "/start"})
    entries = (await web.get("/simulateur/api/telegram", params={"chat_id": 42})).json()
    assert [e.get("html") for e in entries["entries"]] == [None, "<b>Bonjour</b>"]


def _ptb_bot(web: httpx.AsyncClient, token: str = BOT_TOKEN) -> Bot:
    """python-telegram-bot's real Bot, talking to the simulator's fake API in the app."""
    transport = web._transport  # the app's ASGI transport
    request = HTTPXRequest(httpx_kwargs={"transport": transport})
    return Bot(token, base_url="http://testserver/simulator/telegram/bot", request=request)


async def test_fake_bot_api_answers_python_telegram_bot_and_records_the_chat(
    web: httpx.AsyncClient,
) -> None:
    keyboard = ReplyKeyboardMarkup(
        [["Oui", "Non"], [KeyboardButton("Partager mon numéro", request_contact=True)]],
        one_time_keyboard=True,
    )
    async with _ptb_bot(web) as bot:  # initialize() calls getMe
        assert bot.username == "SeniorPlusBot"
        first = await bot.send_message(
            7001, '<b>Bonjour</b> &amp; <a href="https://x.fr">bienvenue</a>', parse_mode="HTML"
        )
        second = await bot.send_message(7001, "Votre choix ?", reply_markup=keyboard)
        assert await bot.send_chat_action(7001, "typing") is True
    assert first.text == "Bonjour & bienvenue" and first.chat.id == 7001
    assert second.message_id == first.message_id + 1
    entries = (await web.get("/simulateur/api/telegram", params={"chat_id": 7001})).json()
    html, question = entries["entries"]
    assert html["html"] == '<b>Bonjour</b> &amp; <a href="https://x.fr">bienvenue</a>'
    assert "keyboard" not in html
    assert question["keyboard"] == [
        [{"text": "Oui"}, {"text": "Non"}],
        [{"text": "Partager mon numéro", "request_contact": True}],
    ]
    assert question["one_time_keyboard"] is True


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("<script>x</script>", 'Unsupported start tag "script"'),
        ("<b>gras", 'end tag corresponding to start tag "b"'),
        ("Pierre & Paul", "Character entity expected"),
        ("<i>a</b>", 'Unmatched end tag "b"'),
    ],
)
async def test_fake_bot_api_refuses_html_telegram_refuses(
    web: httpx.AsyncClient, text: str, description: str
) -> None:
    url = f"/simulator/telegram/bot{BOT_TOKEN}/sendMessage"
    response = await web.post(url, json={"chat_id": 5, "text": text, "parse_mode": "HTML"})
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and body["error_code"] == 400
    assert description in body["description"]
    plain = await web.post(url, json={"chat_id": 5, "text": text})  # no parse_mode: plain text
    assert plain.json()["result"]["text"] == text
    note, resent = (await web.get("/simulateur/api/telegram", params={"chat_id": 5})).json()[
        "entries"
    ]
    assert note["direction"] == "note" and description in note["text"]
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert (resent["direction"], resent["html"]) == ("out", escaped)


async def test_fake_bot_api_checks_token_method_and_text(web: httpx.AsyncClient) -> None:
    wrong = await web.post("/simulator/telegram/bot1:wrong/sendMessage", json={"chat_id": 5})
    assert wrong.status_code == 401 and wrong.json()["description"] == "Unauthorized"
    base = f"/simulator/telegram/bot{BOT_TOKEN}"
    unknown = await web.post(f"{base}/sendTeleportation", json={})
    assert unknown.status_code == 404 and unknown.json()["ok"] is False
    too_long = await web.post(f"{base}/sendMessage", json={"chat_id": 5, "text": "é" * 4097})
    assert too_long.json()["description"] == "Bad Request: message is too long"
    no_chat = await web.post(f"{base}/sendMessage", data={"text": "Bonjour"})
    assert no_chat.json()["description"] == "Bad Request: chat_id is empty"
    query = await web.get(f"{base}/sendMessage", params={"chat_id": "5", "text": "Bonjour"})
    assert query.json()["result"]["text"] == "Bonjour"


# --- Twilio REST (outbound SMS) ------------------------------------------------------------


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def test_fake_twilio_api_creates_messages_and_the_page_shows_them(
    web: httpx.AsyncClient,
) -> None:
    url = f"/simulator/twilio/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    body = "Rappel : rendez-vous demain à 10h au CLIC."
    response = await web.post(
        url,
        data={"To": PHONE, "From": SERVICE_NUMBER, "Body": body},
        headers=_basic(ACCOUNT, AUTH_TOKEN),
    )
    assert response.status_code == 201
    message = response.json()
    assert re.fullmatch(r"SM[0-9a-f]{32}", message["sid"])
    assert (message["to"], message["from"], message["body"]) == (PHONE, SERVICE_NUMBER, body)
    assert (message["status"], message["direction"], message["num_segments"]) == (
        "queued",
        "outbound-api",
        "1",
    )
    assert message["uri"] == f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{message['sid']}.json"
    entries = (await web.get("/simulateur/api/sms", params={"phone": PHONE})).json()["entries"]
    assert [(e["direction"], e["via"], e["text"], e["sid"]) for e in entries] == [
        ("out", "api", body, message["sid"])
    ]


@pytest.mark.parametrize(
    ("form", "auth", "status", "code"),
    [
        ({"To": PHONE, "From": SERVICE_NUMBER, "Body": "x"}, (ACCOUNT, "wrong"), 401, 20003),
        (
            {"To": PHONE, "From": SERVICE_NUMBER, "Body": "x"},
            ("AC" + "2" * 32, AUTH_TOKEN),
            401,
            20003,
        ),
        ({"From": SERVICE_NUMBER, "Body": "x"}, (ACCOUNT, AUTH_TOKEN), 400, 21604),
        ({"To": "0612", "From": SERVICE_NUMBER, "Body": "x"}, (ACCOUNT, AUTH_TOKEN), 400, 21211),
        ({"To": PHONE, "Body": "x"}, (ACCOUNT, AUTH_TOKEN), 400, 21603),
        ({"To": PHONE, "From": SERVICE_NUMBER}, (ACCOUNT, AUTH_TOKEN), 400, 21602),
        (
            {"To": PHONE, "From": SERVICE_NUMBER, "Body": "x" * 1601},
            (ACCOUNT, AUTH_TOKEN),
            400,
            21617,
        ),
    ],
)
async def test_fake_twilio_api_refuses_like_twilio(
    web: httpx.AsyncClient, form: dict[str, str], auth: tuple[str, str], status: int, code: int
) -> None:
    url = f"/simulator/twilio/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    response = await web.post(url, data=form, headers=_basic(*auth))
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["more_info"].endswith(str(code))
    entries = (await web.get("/simulateur/api/sms", params={"phone": PHONE})).json()["entries"]
    assert entries == []


# --- Phone ---------------------------------------------------------------------------------

MENU = (
    '<Gather input="dtmf speech" language="fr-FR" numDigits="1" finishOnKey="" '
    'action="/webhooks/voice/webhook?step=menu" method="POST">'
    '<Say language="fr-FR" voice="Polly.Lea"><prosody rate="90%">Bonjour. Pour l\'APA, '
    "tapez un.</prosody></Say></Gather>"
    '<Redirect method="POST">/webhooks/voice/webhook?silence=1</Redirect>'
)


async def test_a_call_goes_through_keypad_speech_silence_transfer_and_hang_up(
    web: httpx.AsyncClient, rasa: FakeRasa
) -> None:
    def voice_webhook(request: httpx.Request) -> httpx.Response:
        form = dict(parse_qsl(request.content.decode(), keep_blank_values=True))
        if request.url.params.get("dial") == "done":
            return twiml("<Say>Un conseiller vous rappellera.</Say><Hangup/>")(request)
        if form.get("Digits") == "1":
            return twiml(
                '<Dial action="/webhooks/voice/webhook?dial=done" timeout="25">+33240000000</Dial>'
            )(request)
        if request.url.params.get("silence") or form.get("SpeechResult"):
            return twiml(MENU.replace("Bonjour.", "Je n'ai pas entendu."))(request)
        return twiml(MENU)(request)

    rasa.answers["/webhooks/voice/webhook"] = voice_webhook
    rasa.answers["/webhooks/voice/status"] = lambda _: httpx.Response(204)

    call = (await web.post("/simulateur/api/voice", json={"phone": PHONE})).json()
    sid = call["call_sid"]
    assert re.fullmatch(r"CA[0-9a-f]{32}", sid)
    assert call["status"] == "in-progress"
    assert call["waiting"] == {"dtmf": True, "speech": True, "num_digits": 1, "finish_on_key": ""}
    (step,) = call["steps"]
    assert step["spoken"] == ["Bonjour. Pour l'APA, tapez un."]
    assert "<Gather" in step["twiml"] and step["caller_action"] == "Appel entrant"
    incoming = rasa.forms()[0]
    assert (incoming["CallSid"], incoming["CallStatus"], incoming["Direction"]) == (
        sid,
        "ringing",
        "inbound",
    )
    assert (incoming["From"], incoming["Caller"], incoming["To"]) == (PHONE, PHONE, SERVICE_NUMBER)
    assert signed_over(rasa.requests[0], PUBLIC + "/webhooks/voice/webhook")

    silence = (await web.post(f"/simulateur/api/voice/{sid}", json={"kind": "silence"})).json()
    assert [s["caller_action"] for s in silence["steps"]] == ["Appel entrant", "Silence"]
    assert silence["steps"][-1]["spoken"] == ["Je n'ai pas entendu. Pour l'APA, tapez un."]
    assert silence["steps"][-1]["path"] == "/webhooks/voice/webhook"
    redirect = rasa.requests[-1]
    assert str(redirect.url) == RASA + "/webhooks/voice/webhook?silence=1"
    assert signed_over(redirect, PUBLIC + "/webhooks/voice/webhook?silence=1")
    assert "Digits" not in rasa.forms()[-1]

    said = await web.post(f"/simulateur/api/voice/{sid}", json={"kind": "speech", "value": "aide"})
    assert said.json()["steps"][-1]["caller_action"] == "« aide »"
    assert (rasa.forms()[-1]["SpeechResult"], rasa.forms()[-1]["CallStatus"]) == (
        "aide",
        "in-progress",
    )

    pressed = (
        await web.post(f"/simulateur/api/voice/{sid}", json={"kind": "digits", "value": "1"})
    ).json()
    gather_post = rasa.requests[-1]
    assert str(gather_post.url) == RASA + "/webhooks/voice/webhook?step=menu"
    assert signed_over(gather_post, PUBLIC + "/webhooks/voice/webhook?step=menu")
    assert rasa.forms()[-1]["Digits"] == "1"
    assert pressed["status"] == "transferred" and pressed["can_report_no_answer"] is True
    assert pressed["steps"][-1]["events"] == ["Transfert vers le 02 40 00 00 00"]
    assert pressed["waiting"] is None

    no_answer = (await web.post(f"/simulateur/api/voice/{sid}", json={"kind": "no_answer"})).json()
    dial_post, status_post = rasa.requests[-2:]
    assert signed_over(dial_post, PUBLIC + "/webhooks/voice/webhook?dial=done")
    assert rasa.forms()[-2]["DialCallStatus"] == "no-answer"
    assert no_answer["status"] == "completed"
    assert no_answer["steps"][-2]["spoken"] == ["Un conseiller vous rappellera."]
    assert no_answer["steps"][-2]["events"] == ["Appel terminé"]
    assert str(status_post.url) == RASA + "/webhooks/voice/status"
    assert signed_over(status_post, PUBLIC + "/webhooks/voice/status")
    status_form = rasa.forms()[-1]
    assert (status_form["CallStatus"], status_form["CallSid"]) == ("completed", sid)
    assert int(status_form["CallDuration"]) >= 1

    count = len(rasa.requests)
    again = await web.post(f"/simulateur/api/voice/{sid}", json={"kind": "hangup"})
    assert again.json()["status"] == "completed"
    assert len(rasa.requests) == count  # one status callback per call


async def test_hanging_up_sends_the_status_callback(web: httpx.AsyncClient, rasa: FakeRasa) -> None:
    rasa.answers["/webhooks/voice/webhook"] = twiml(MENU)
    rasa.answers["/webhooks/voice/status"] = lambda _: httpx.Response(200)
    sid = (await web.post("/simulateur/api/voice", json={"phone": PHONE})).json()["call_sid"]
    ended = (await web.post(f"/simulateur/api/voice/{sid}", json={"kind": "hangup"})).json()
    assert ended["status"] == "completed" and ended["waiting"] is None
    assert rasa.forms()[-1]["CallStatus"] == "completed"
    assert str(rasa.requests[-1].url) == RASA + "/webhooks/voice/status"


async def test_a_redirect_outside_the_assistant_is_not_followed(
    web: httpx.AsyncClient, rasa: FakeRasa
) -> None:
    rasa.answers["/webhooks/voice/webhook"] = twiml(
        '<Gather numDigits="1"><Say>Tapez un.</Say></Gather><Redirect>https://evil.example/x</Redirect>'
    )
    sid = (await web.post("/simulateur/api/voice", json={"phone": PHONE})).json()["call_sid"]
    refused = await web.post(f"/simulateur/api/voice/{sid}", json={"kind": "silence"})
    assert refused.status_code == 400
    assert all(r.url.host == "rasa.internal" for r in rasa.requests)


async def test_error_answers_and_twiml_end_the_call(web: httpx.AsyncClient, rasa: FakeRasa) -> None:
    rasa.answers["/webhooks/voice/webhook"] = lambda _: httpx.Response(500, text="boom")
    rasa.answers["/webhooks/voice/status"] = lambda _: httpx.Response(200)
    call = (await web.post("/simulateur/api/voice", json={"phone": PHONE})).json()
    assert call["status"] == "completed"
    assert "HTTP 500" in call["steps"][0]["events"][0]
    assert rasa.forms()[-1]["CallStatus"] == "completed"

    rasa.answers["/webhooks/voice/webhook"] = twiml("<Say>Au revoir.</Say>")
    call = (await web.post("/simulateur/api/voice", json={"phone": PHONE})).json()
    assert call["status"] == "completed"
    assert call["steps"][0]["spoken"] == ["Au revoir."]
    assert "Twilio raccroche" in call["steps"][0]["events"][0]

    unknown = await web.post("/simulateur/api/voice/CA00", json={"kind": "silence"})
    assert unknown.status_code == 404


async def test_silence_runs_what_follows_the_gather_or_its_empty_action(
    web: httpx.AsyncClient, rasa: FakeRasa
) -> None:
    rasa.answers["/webhooks/voice/status"] = lambda _: httpx.Response(204)
    rasa.answers["/webhooks/voice/webhook"] = twiml(
        '<Gather numDigits="1"><Say>Tapez un.</Say></Gather><Say>Au revoir.</Say><Hangup/>'
    )
    sid = (await web.post("/simulateur/api/voice", json={"phone": PHONE})).json()["call_sid"]
    ended = (await web.post(f"/simulateur/api/voice/{sid}", json={"kind": "silence"})).json()
    silence, status = ended["steps"][-2:]
    assert (silence["caller_action"], silence["spoken"], silence["events"]) == (
        "Silence",
        ["Au revoir."],
        ["Appel terminé"],
    )
    assert status["caller_action"] == "Raccroché" and ended["status"] == "completed"
    assert rasa.forms()[-1]["CallStatus"] == "completed"

    rasa.answers["/webhooks/voice/webhook"] = twiml(
        '<Gather numDigits="1" actionOnEmptyResult="true" action="?empty=1">'
        "<Say>Tapez un.</Say></Gather><Say>Jamais dit.</Say>"
    )
    sid = (await web.post("/simulateur/api/voice", json={"phone": PHONE})).json()["call_sid"]
    await web.post(f"/simulateur/api/voice/{sid}", json={"kind": "silence"})
    empty = rasa.requests[-1]
    assert str(empty.url) == RASA + "/webhooks/voice/webhook?empty=1"
    assert signed_over(empty, PUBLIC + "/webhooks/voice/webhook?empty=1")
    assert "Digits" not in rasa.forms()[-1] and "SpeechResult" not in rasa.forms()[-1]


async def test_keys_are_checked(web: httpx.AsyncClient, rasa: FakeRasa) -> None:
    rasa.answers["/webhooks/voice/webhook"] = twiml(MENU)
    sid = (await web.post("/simulateur/api/voice", json={"phone": PHONE})).json()["call_sid"]
    bad = await web.post(f"/simulateur/api/voice/{sid}", json={"kind": "digits", "value": "1a"})
    assert bad.status_code == 422
    assert len(rasa.requests) == 1


def test_dial_numbers_are_written_the_french_way() -> None:
    assert simulator_voice.french_number("+33240000000") == "02 40 00 00 00"
    assert simulator_voice.french_number("+4412345678") == "+4412345678"


# --- The page, dev only --------------------------------------------------------------------


async def test_page_is_french_accessible_and_locked_down(web: httpx.AsyncClient) -> None:
    response = await web.get("/simulateur")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="fr">' in page
    assert page.count('role="tab"') == 3 and page.count('role="tabpanel"') == 3
    for label in (">SMS</button>", ">Telegram</button>", ">Téléphone</button>"):
        assert label in page
    assert re.search(r'id="sms-phone" type="tel" value="\+3361234\d{4}"', page)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert AUTH_TOKEN not in page and SECRET not in page and BOT_TOKEN not in page
    script = await web.get("/simulateur/static/simulator.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith(
        "text/javascript"
    )
    assert "innerHTML" not in script.text
    assert (await web.get("/simulateur/static/..%2Fapp.py")).status_code == 404


@pytest.mark.parametrize("app_env", ["test", "production"])
async def test_simulator_exists_only_in_dev(monkeypatch: pytest.MonkeyPatch, app_env: str) -> None:
    monkeypatch.setenv("APP_ENV", app_env)
    monkeypatch.setenv("RASA_TOKEN", "a-real-secret-for-production")
    get_settings.cache_clear()
    for app in (create_app(), create_app(dev_tools=True)):  # included or not: never served
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            assert (await client.get("/simulateur")).status_code == 404
            url = f"/simulator/telegram/bot{BOT_TOKEN}/getMe"
            assert (await client.post(url)).status_code == 404
    paths = {getattr(route, "path", "") for route in create_app().routes}
    assert not any(path.startswith(("/simulateur", "/simulator")) for path in paths)


def test_transcripts_are_bounded() -> None:
    transcripts = Transcripts(max_conversations=3, max_entries=2)
    for n in range(5):
        for text in ("a", "b", "c"):
            transcripts.add(f"sms:+3360000000{n}", {"text": text})
    assert len(transcripts) == 3
    assert transcripts.since("sms:+33600000000") == []
    assert [e["text"] for e in transcripts.since("sms:+33600000004")] == ["b", "c"]
