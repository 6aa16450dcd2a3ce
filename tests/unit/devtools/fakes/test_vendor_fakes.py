"""The vendor fakes (devtools/fakes/): one set of rules, the tests' door on a local port.

The simulator's door (``/simulator/…``) is tested in test_simulator_api.py with the same
vendor rules; here, what the tests' door gained from them: Telegram's entities, chats and
parse modes, per-chat message ids, Twilio's messaging services and its signature.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from twilio.request_validator import RequestValidator

from devtools.fakes.params import MAX_BODY_BYTES
from devtools.fakes.telegram import FakeTelegramApi
from devtools.fakes.twilio import FakeTwilioApi, signature

TOKEN = "1000000000:fakes-test"
ACCOUNT_SID = "AC" + "3" * 32
AUTH_TOKEN = "fakes-auth-token"


@pytest.fixture
def telegram() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi(TOKEN) as api:
        yield api


@pytest.fixture
def twilio() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi(ACCOUNT_SID, AUTH_TOKEN) as api:
        yield api


def send(api: FakeTelegramApi, **params: object) -> httpx.Response:
    return httpx.post(f"{api.url}/bot{TOKEN}/sendMessage", json=params, timeout=5)


def test_message_ids_count_in_each_chat(telegram: FakeTelegramApi) -> None:
    ids = [send(telegram, chat_id=chat, text="Bonjour").json()["result"] for chat in (1, 2, 1)]
    assert [(m["chat"]["id"], m["message_id"]) for m in ids] == [(1, 1), (2, 1), (1, 2)]
    assert ids[0]["chat"]["type"] == "private" and ids[0]["from"]["is_bot"] is True


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("Pierre & Paul", "Character entity expected at byte offset 7"),
        ("ligne<br>suivante", 'Unsupported start tag "br"'),
        ('<a href="">lien</a>', "Link URL is empty"),
    ],
)
def test_html_is_checked_like_telegram(
    telegram: FakeTelegramApi, text: str, description: str
) -> None:
    answer = send(telegram, chat_id=1, text=text, parse_mode="HTML")
    assert answer.status_code == 400 and description in answer.json()["description"]
    assert telegram.messages == []
    escaped = send(telegram, chat_id=1, text="Pierre &amp; Paul", parse_mode="HTML")
    assert escaped.json()["result"]["text"] == "Pierre & Paul"


def test_chats_and_parse_modes_telegram_refuses(telegram: FakeTelegramApi) -> None:
    assert send(telegram, chat_id="abc", text="x").json()["description"] == (
        "Bad Request: chat not found"
    )
    assert send(telegram, chat_id=0, text="x").json()["description"] == (
        "Bad Request: chat not found"
    )
    channel = send(telegram, chat_id="@senior_plus", text="x").json()["result"]["chat"]
    assert channel["type"] == "channel" and channel["username"] == "senior_plus"
    assert send(telegram, chat_id=1, text="*gras*", parse_mode="MarkdownV2").status_code == 200
    assert send(telegram, chat_id=1, text="x", parse_mode="BBCode").json()["description"] == (
        "Bad Request: unsupported parse_mode"
    )
    too_big = httpx.post(
        f"{telegram.url}/bot{TOKEN}/sendMessage",
        content=b"text=" + b"x" * MAX_BODY_BYTES,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=5,
    )
    assert too_big.json()["description"] == "Bad Request: can't parse request parameters"


def test_a_messaging_service_sends_like_twilio(twilio: FakeTwilioApi) -> None:
    answer = httpx.post(
        f"{twilio.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json",
        data={"To": "+33612345678", "MessagingServiceSid": "MG" + "0" * 32, "Body": "Bonjour"},
        auth=(ACCOUNT_SID, AUTH_TOKEN),
        timeout=5,
    )
    message = answer.json()
    assert answer.status_code == 201
    assert (message["status"], message["from"]) == ("accepted", None)
    assert message["messaging_service_sid"] == "MG" + "0" * 32
    assert twilio.messages[0]["Body"] == "Bonjour"


def test_the_signature_is_the_one_twilio_python_checks() -> None:
    url = "https://senior-plus.example.org/webhooks/sms/webhook?x=1"
    params = {"Body": "Répondez « oui »", "From": "+33612345678", "MessageSid": "SM" + "1" * 32}
    signed = signature(AUTH_TOKEN, url, params)
    assert RequestValidator(AUTH_TOKEN).validate(url, params, signed)
    assert not RequestValidator("another-token").validate(url, params, signed)
