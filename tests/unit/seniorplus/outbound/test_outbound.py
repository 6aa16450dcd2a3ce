"""Outbound sending against local fake Twilio and Telegram APIs and a migrated database.

Tests about what the database holds run on SQLite, then PostgreSQL (``database_url``);
the others on a migrated SQLite file (``app_db``).
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import httpx
import pytest
from alembic import command
from sqlalchemy import func, select

from channels.store import ChannelStore
from devtools.fakes.telegram import FakeTelegramApi
from devtools.fakes.twilio import FakeTwilioApi
from seniorplus.db import reset_engine, session_scope
from seniorplus.errors import ConfigurationError
from seniorplus.models import CallbackRequest, ChannelIdentity, ChannelOptOut
from seniorplus.outbound import NoChannelSender, sender_for
from seniorplus.outbound.base import (
    REASON_CALLBACK,
    REASON_DB_DOWN,
    REASON_EMPTY,
    REASON_INVALID_NUMBER,
    REASON_LANDLINE,
    REASON_NO_CHANNEL,
    REASON_NOT_A_MOBILE,
    REASON_QUIET,
    REASON_SMS_CONFIG,
    REASON_SMS_DOWN,
    REASON_SMS_TOO_LONG,
    REASON_STOP,
    REASON_STOP_TELEGRAM,
    REASON_TELEGRAM_BLOCKED,
    REASON_TELEGRAM_CONFIG,
    REASON_TELEGRAM_DOWN,
    REASON_TELEGRAM_NO_CHAT,
    REASON_TELEGRAM_NOT_LINKED,
    REASON_TELEGRAM_UNREACHABLE,
)
from seniorplus.outbound.sms import SmsSender
from seniorplus.outbound.telegram import TelegramSender
from seniorplus.outbound.voice import VoiceSender
from seniorplus.settings import OutboundSettings, get_settings
from tests.unit.conftest import alembic_config

PARIS = ZoneInfo("Europe/Paris")
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f" * 32
OUR_NUMBER = "+33757000000"
BOT_TOKEN = "1000000000:test-token-outbound"
MOBILE = "+33612345678"
LANDLINE = "+33240961251"
CHAT = "4242424242"
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=PARIS)  # a Monday
CLOSED_PORT_URL = "http://127.0.0.1:9"  # discard port: nothing listens there

TEXT = "Votre dossier d’APA est arrivé au Département. Voulez-vous en parler ?"
BUTTONS = [
    {"title": "Oui, merci", "payload": "/affirm"},
    {"title": "Parler à quelqu’un", "payload": "/request_human"},
]
SMS_BODY = (
    "Votre dossier d'APA est arrivé au Département. Voulez-vous en parler ?\n"
    "Répondez :\n1 = Oui, merci\n2 = Parler à quelqu'un"
)


# Fixtures and helpers.


@pytest.fixture
def app_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite database the settings point at (tests that need no PostgreSQL)."""
    command.upgrade(alembic_config(sqlite_url), "head")
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    reset_engine()
    return sqlite_url


@pytest.fixture
def twilio() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi(ACCOUNT_SID, AUTH_TOKEN) as api:
        yield api


@pytest.fixture
def telegram() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi(BOT_TOKEN) as api:
        yield api


def make_settings(
    twilio_url: str = CLOSED_PORT_URL, telegram_url: str = CLOSED_PORT_URL, **changes: str
) -> OutboundSettings:
    values = {
        "app_env": "test",
        "twilio_account_sid": ACCOUNT_SID,
        "twilio_auth_token": AUTH_TOKEN,
        "twilio_sms_number": OUR_NUMBER,
        "twilio_api_url": twilio_url,
        "telegram_bot_token": BOT_TOKEN,
        "telegram_api_url": telegram_url,
        **changes,
    }
    return OutboundSettings(**values)


def clock(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def sms_sender(api: FakeTwilioApi, moment: datetime = NOON, **changes: str) -> SmsSender:
    return SmsSender(make_settings(twilio_url=api.url, **changes), clock=clock(moment))


def telegram_sender(
    api: FakeTelegramApi, moment: datetime = NOON, **changes: str
) -> TelegramSender:
    return TelegramSender(make_settings(telegram_url=api.url, **changes), clock=clock(moment))


def add_opt_out(channel: str, address: str) -> None:
    with session_scope() as session:
        session.add(ChannelOptOut(channel=channel, address=address))


def opt_outs(channel: str, address: str) -> int:
    query = (
        select(func.count())
        .select_from(ChannelOptOut)
        .where(ChannelOptOut.channel == channel, ChannelOptOut.address == address)
    )
    with session_scope() as session:
        return session.scalar(query) or 0


def callbacks(phone: str) -> list[tuple[str, str]]:
    query = select(CallbackRequest.reason, CallbackRequest.status).where(
        CallbackRequest.phone == phone
    )
    with session_scope() as session:
        return [(reason, status) for reason, status in session.execute(query)]


def link_chat(chat_id: str, phone: str, linked_at: datetime | None = None) -> None:
    with session_scope() as session:
        identity = ChannelIdentity(channel="telegram", address=chat_id, phone=phone)
        if linked_at is not None:
            identity.linked_at = linked_at
        session.add(identity)


# SMS.


async def test_sms_is_sent_as_twilio_expects(database_url: str, twilio: FakeTwilioApi) -> None:
    delivery = await sms_sender(twilio).send(MOBILE, TEXT, BUTTONS, kind="reply")

    (request,) = twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    credentials = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert request["headers"]["authorization"] == f"Basic {credentials}"
    assert request["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert request["form"] == {"To": MOBILE, "From": OUR_NUMBER, "Body": SMS_BODY}
    assert request["status"] == 201
    assert delivery.status == "sent" and delivery.delivered
    assert delivery.channel == "sms"
    assert delivery.vendor_id == request["sid"]
    assert re.fullmatch(r"SM[0-9a-f]{32}", delivery.vendor_id or "")
    assert (delivery.reason_fr, delivery.retryable, delivery.error_code) == (None, False, None)


async def test_stop_refuses_without_calling_twilio(
    database_url: str, twilio: FakeTwilioApi
) -> None:
    add_opt_out("sms", MOBILE)
    for kind in ("reply", "reminder"):
        delivery = await sms_sender(twilio).send(MOBILE, TEXT, kind=kind)
        assert (delivery.status, delivery.reason_fr) == ("refused", REASON_STOP)
        assert not delivery.retryable
    assert twilio.requests == []
    # Another number is not concerned.
    assert (await sms_sender(twilio).send("+33698765432", TEXT, kind="reply")).status == "sent"


async def test_a_stop_recorded_by_the_bot_channel_is_honoured(
    app_db: str, twilio: FakeTwilioApi
) -> None:
    """The bot's SMS channel writes STOP through channels/store.py; the app reads it."""
    bot_side = ChannelStore(app_db)
    assert bot_side.opt_out("sms", MOBILE) is True

    delivery = await sms_sender(twilio).send(MOBILE, TEXT, kind="reminder")
    assert delivery.status == "refused"
    assert twilio.requests == []

    assert bot_side.opt_in("sms", MOBILE) is True  # START
    assert (await sms_sender(twilio).send(MOBILE, TEXT, kind="reminder")).status == "sent"
    bot_side.engine.dispose()


@pytest.mark.parametrize(
    ("local", "expected_utc"),
    [
        # 21:30 → 08:00 next morning, Paris time (winter, UTC+1).
        (datetime(2026, 11, 23, 21, 30), datetime(2026, 11, 24, 7, 0)),
        (datetime(2026, 11, 23, 20, 0), datetime(2026, 11, 24, 7, 0)),
        # After midnight: 08:00 the same day.
        (datetime(2026, 11, 24, 0, 15), datetime(2026, 11, 24, 7, 0)),
        (datetime(2026, 11, 24, 7, 59), datetime(2026, 11, 24, 7, 0)),
        # Summer (UTC+2).
        (datetime(2026, 6, 30, 21, 30), datetime(2026, 7, 1, 6, 0)),
        # Night the clocks go forward (29 March 2026): 21:30 CET → 08:00 CEST.
        (datetime(2026, 3, 28, 21, 30), datetime(2026, 3, 29, 6, 0)),
        # Night the clocks go back (25 October 2026): 21:30 CEST → 08:00 CET.
        (datetime(2026, 10, 24, 21, 30), datetime(2026, 10, 25, 7, 0)),
    ],
)
async def test_quiet_hours_defer_sms_until_eight(
    app_db: str, twilio: FakeTwilioApi, local: datetime, expected_utc: datetime
) -> None:
    moment = local.replace(tzinfo=PARIS)
    for kind in ("reply", "reminder"):
        delivery = await sms_sender(twilio, moment).send(MOBILE, TEXT, kind=kind)
        assert delivery.status == "deferred"
        assert delivery.not_before == expected_utc.replace(tzinfo=timezone.utc)
        assert delivery.not_before is not None
        assert delivery.not_before.astimezone(PARIS).hour == 8
        assert delivery.reason_fr == REASON_QUIET
    assert twilio.requests == []


@pytest.mark.parametrize(
    "local", [datetime(2026, 11, 23, 8, 0), datetime(2026, 11, 23, 19, 59, 59)]
)
async def test_outside_quiet_hours_sms_go_at_once(
    app_db: str, twilio: FakeTwilioApi, local: datetime
) -> None:
    delivery = await sms_sender(twilio, local.replace(tzinfo=PARIS)).send(
        MOBILE, TEXT, kind="reminder"
    )
    assert delivery.status == "sent"


async def test_a_utc_clock_is_read_in_paris_time(app_db: str, twilio: FakeTwilioApi) -> None:
    # 19:30 UTC in June is 21:30 in Paris.
    moment = datetime(2026, 6, 30, 19, 30, tzinfo=timezone.utc)
    delivery = await sms_sender(twilio, moment).send(MOBILE, TEXT, kind="reply")
    assert delivery.status == "deferred"
    assert delivery.not_before == datetime(2026, 7, 1, 6, 0, tzinfo=timezone.utc)


async def test_twilio_21610_records_the_opt_out(database_url: str, twilio: FakeTwilioApi) -> None:
    twilio.fail_next(status=400, code=21610, message="Attempt to send to unsubscribed recipient")
    delivery = await sms_sender(twilio).send(MOBILE, TEXT, kind="reminder")

    assert (delivery.status, delivery.reason_fr, delivery.error_code) == (
        "refused",
        REASON_STOP,
        21610,
    )
    assert opt_outs("sms", MOBILE) == 1
    # Next time, Twilio is not even asked.
    again = await sms_sender(twilio).send(MOBILE, TEXT, kind="reply")
    assert again.status == "refused"
    assert len(twilio.requests) == 1


async def test_21610_when_the_opt_out_is_already_known(
    database_url: str, twilio: FakeTwilioApi
) -> None:
    """A STOP recorded between the check and Twilio's answer is not a crash."""
    sender = sms_sender(twilio)
    twilio.fail_next(status=400, code=21610, message="Attempt to send to unsubscribed recipient")
    original = sender._post

    async def post_after_a_concurrent_stop(address: str, body: str):  # type: ignore[no-untyped-def]
        add_opt_out("sms", address)
        return await original(address, body)

    sender._post = post_after_a_concurrent_stop  # type: ignore[method-assign]
    delivery = await sender.send(MOBILE, TEXT, kind="reply")
    assert delivery.status == "refused"
    assert opt_outs("sms", MOBILE) == 1


@pytest.mark.parametrize(
    ("status", "code", "message", "reason", "retryable"),
    [
        (400, 21211, "The 'To' number +33612345678 is not a valid phone number.",
         REASON_INVALID_NUMBER, False),
        (400, 21614, "'To' number is not a valid mobile number", REASON_LANDLINE, False),
        (400, 21606, "The 'From' phone number provided is not a valid message-capable "
         "Twilio phone number for this destination.", REASON_SMS_CONFIG, False),
        (429, 20429, "Too Many Requests", REASON_SMS_DOWN, True),
        (500, None, "Internal Server Error", REASON_SMS_DOWN, True),
        (503, 20503, "Service Unavailable", REASON_SMS_DOWN, True),
    ],
)  # fmt: skip
async def test_twilio_errors_become_deliveries(
    app_db: str,
    twilio: FakeTwilioApi,
    status: int,
    code: int | None,
    message: str,
    reason: str,
    retryable: bool,
) -> None:
    twilio.fail_next(status=status, code=code, message=message)
    delivery = await sms_sender(twilio).send(MOBILE, TEXT, kind="reply")
    assert (delivery.status, delivery.reason_fr, delivery.retryable) == (
        "failed",
        reason,
        retryable,
    )
    assert delivery.error_code == code
    assert opt_outs("sms", MOBILE) == 0


async def test_wrong_credentials_fail_without_raising(app_db: str, twilio: FakeTwilioApi) -> None:
    delivery = await sms_sender(twilio, twilio_auth_token="not-the-token").send(
        MOBILE, TEXT, kind="reply"
    )
    assert twilio.requests[0]["status"] == 401
    assert (delivery.status, delivery.reason_fr, delivery.retryable) == (
        "failed",
        REASON_SMS_CONFIG,
        False,
    )
    assert delivery.error_code == 20003


async def test_a_timeout_fails_and_may_be_retried(app_db: str, twilio: FakeTwilioApi) -> None:
    twilio.delay_next(1.0)
    sender = SmsSender(make_settings(twilio_url=twilio.url), clock=clock(NOON), timeout=0.2)
    delivery = await sender.send(MOBILE, TEXT, kind="reply")
    assert (delivery.status, delivery.reason_fr, delivery.retryable) == (
        "failed",
        REASON_SMS_DOWN,
        True,
    )


async def test_an_unreachable_twilio_fails_and_may_be_retried(app_db: str) -> None:
    sender = SmsSender(make_settings(twilio_url=CLOSED_PORT_URL), clock=clock(NOON), timeout=2)
    delivery = await sender.send(MOBILE, TEXT, kind="reply")
    assert (delivery.status, delivery.retryable) == ("failed", True)


async def test_a_shared_http_client_is_used_and_left_open(
    app_db: str, twilio: FakeTwilioApi
) -> None:
    async with httpx.AsyncClient() as client:
        sender = SmsSender(make_settings(twilio_url=twilio.url), client=client, clock=clock(NOON))
        assert (await sender.send(MOBILE, TEXT, BUTTONS, kind="reply")).status == "sent"
        assert (await sender.send(MOBILE, "Bonne journée.", kind="reply")).status == "sent"
        assert not client.is_closed
    assert [m["Body"] for m in twilio.messages] == [SMS_BODY, "Bonne journée."]


@pytest.mark.parametrize(
    "address",
    ["0612345678", "33612345678", "+33 6 12 34 56 78", "tg42", "", "+33700000000", "+3361234"],
)
async def test_an_invalid_number_is_not_sent(
    app_db: str, twilio: FakeTwilioApi, address: str
) -> None:
    delivery = await sms_sender(twilio).send(address, TEXT, kind="reply")
    assert (delivery.status, delivery.reason_fr) == ("failed", REASON_INVALID_NUMBER)
    assert twilio.requests == []


@pytest.mark.parametrize("address", [LANDLINE, "+33800123456", "+3225551234"])
async def test_an_sms_goes_only_to_a_mobile(
    app_db: str, twilio: FakeTwilioApi, address: str
) -> None:
    delivery = await sms_sender(twilio).send(address, TEXT, kind="reply")
    assert (delivery.status, delivery.reason_fr) == ("failed", REASON_NOT_A_MOBILE)
    assert twilio.requests == []


async def test_empty_and_too_long_messages_are_not_sent(app_db: str, twilio: FakeTwilioApi) -> None:
    sender = sms_sender(twilio)
    assert (await sender.send(MOBILE, "  ", kind="reply")).reason_fr == REASON_EMPTY
    too_long = await sender.send(MOBILE, "mot " * 401, kind="reply")
    assert (too_long.status, too_long.reason_fr) == ("failed", REASON_SMS_TOO_LONG)
    assert twilio.requests == []
    exactly = await sender.send(MOBILE, "a" * 1600, kind="reply")
    assert exactly.status == "sent"


async def test_without_the_database_nothing_is_sent(
    sqlite_url: str, twilio: FakeTwilioApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """STOP cannot be checked on an unmigrated database: the message waits."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)  # no tables
    get_settings.cache_clear()
    reset_engine()
    delivery = await sms_sender(twilio).send(MOBILE, TEXT, kind="reply")
    assert (delivery.status, delivery.reason_fr, delivery.retryable) == (
        "failed",
        REASON_DB_DOWN,
        True,
    )
    assert twilio.requests == []


async def test_logs_hold_no_number_text_or_secret(
    app_db: str, twilio: FakeTwilioApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await sms_sender(twilio).send(MOBILE, TEXT, BUTTONS, kind="reply")
    twilio.fail_next(status=400, code=21211, message=f"The 'To' number {MOBILE} is not valid.")
    await sms_sender(twilio).send(MOBILE, TEXT, kind="reply")
    await SmsSender(make_settings(), clock=clock(NOON), timeout=1).send(MOBILE, TEXT, kind="reply")
    assert "+336******78" in caplog.text
    for secret in (MOBILE, "612345678", "dossier", AUTH_TOKEN):
        assert secret not in caplog.text


# Phone: an SMS to a mobile, a callback for a landline.


async def test_a_caller_on_a_mobile_gets_an_sms(app_db: str, twilio: FakeTwilioApi) -> None:
    delivery = await VoiceSender(sms_sender(twilio)).send(MOBILE, TEXT, BUTTONS, kind="reply")
    assert (delivery.status, delivery.channel) == ("sent", "sms")
    assert twilio.messages[0]["Body"] == SMS_BODY


async def test_a_caller_on_a_landline_gets_a_callback(
    database_url: str, twilio: FakeTwilioApi
) -> None:
    sender = VoiceSender(sms_sender(twilio))
    first = await sender.send(LANDLINE, TEXT, kind="reply")
    second = await sender.send(LANDLINE, "Autre message.", kind="reply")
    assert (first.status, first.channel, first.reason_fr) == ("callback", "voice", REASON_CALLBACK)
    assert second.status == "callback"
    assert callbacks(LANDLINE) == [("agent_reply", "waiting")]  # one request, not two
    assert twilio.requests == []


async def test_a_reminder_to_a_landline_cannot_be_delivered(
    app_db: str, twilio: FakeTwilioApi
) -> None:
    delivery = await VoiceSender(sms_sender(twilio)).send(LANDLINE, TEXT, kind="reminder")
    assert (delivery.status, delivery.reason_fr, delivery.retryable) == (
        "failed",
        REASON_LANDLINE,
        False,
    )
    assert callbacks(LANDLINE) == []
    assert twilio.requests == []


async def test_twilio_not_a_mobile_turns_into_a_callback(
    database_url: str, twilio: FakeTwilioApi
) -> None:
    belgian_landline = "+32470123456"  # a mobile for phonenumbers, ported to a fixed line
    twilio.fail_next(status=400, code=21614, message="'To' number is not a valid mobile number")
    delivery = await VoiceSender(sms_sender(twilio)).send(belgian_landline, TEXT, kind="reply")
    assert (delivery.status, delivery.error_code) == ("callback", 21614)
    assert callbacks(belgian_landline) == [("agent_reply", "waiting")]


async def test_a_caller_who_sent_stop_gets_no_sms(app_db: str, twilio: FakeTwilioApi) -> None:
    add_opt_out("sms", MOBILE)
    delivery = await VoiceSender(sms_sender(twilio)).send(MOBILE, TEXT, kind="reply")
    assert delivery.status == "refused"
    assert twilio.requests == []


# Telegram.


async def test_telegram_message_is_sent_in_html_with_its_keyboard(
    database_url: str, telegram: FakeTelegramApi
) -> None:
    text = "Voir loire-atlantique.fr/apa : aide <à domicile> & soins."
    delivery = await telegram_sender(telegram).send(f"tg{CHAT}", text, BUTTONS, kind="reply")

    assert (delivery.status, delivery.channel, delivery.vendor_id) == ("sent", "telegram", "1")
    assert telegram.calls == [
        (
            "sendMessage",
            {
                "chat_id": int(CHAT),
                "text": 'Voir <a href="https://loire-atlantique.fr/apa">loire-atlantique.fr/apa'
                "</a> : aide &lt;à domicile&gt; &amp; soins.",
                "parse_mode": "HTML",
                "reply_markup": {
                    "keyboard": [[{"text": "Oui, merci"}, {"text": "Parler à quelqu’un"}]],
                    "resize_keyboard": True,
                    "one_time_keyboard": True,
                },
            },
        )
    ]


async def test_a_long_telegram_text_is_split_keyboard_last(
    app_db: str, telegram: FakeTelegramApi
) -> None:
    paragraphs = "\n\n".join(f"Paragraphe {n}. " + "Mot " * 300 for n in range(6))
    delivery = await telegram_sender(telegram).send(f"tg{CHAT}", paragraphs, BUTTONS, kind="reply")
    messages = telegram.messages
    assert len(messages) >= 2
    assert all("reply_markup" not in m for m in messages[:-1])
    assert "reply_markup" in messages[-1]
    assert delivery.vendor_id == str(len(messages))  # the id of the last part


async def test_telegram_to_a_linked_phone_uses_the_latest_chat(
    database_url: str, telegram: FakeTelegramApi
) -> None:
    link_chat("111", MOBILE, datetime(2026, 1, 1, tzinfo=timezone.utc))
    link_chat(CHAT, MOBILE, datetime(2026, 6, 1, tzinfo=timezone.utc))
    delivery = await telegram_sender(telegram).send(MOBILE, "Bonjour.", kind="reply")
    assert delivery.status == "sent"
    assert telegram.messages[0]["chat_id"] == int(CHAT)


async def test_telegram_to_an_unlinked_phone_fails(app_db: str, telegram: FakeTelegramApi) -> None:
    delivery = await telegram_sender(telegram).send(MOBILE, "Bonjour.", kind="reply")
    assert (delivery.status, delivery.reason_fr) == ("failed", REASON_TELEGRAM_NOT_LINKED)
    no_chat = await telegram_sender(telegram).send("rest-user", "Bonjour.", kind="reply")
    assert no_chat.reason_fr == REASON_TELEGRAM_NO_CHAT
    assert telegram.calls == []


@pytest.mark.parametrize(
    ("error_code", "description", "reason"),
    [
        (403, "Forbidden: bot was blocked by the user", REASON_TELEGRAM_BLOCKED),
        (403, "Forbidden: user is deactivated", REASON_TELEGRAM_UNREACHABLE),
        (400, "Bad Request: chat not found", REASON_TELEGRAM_NO_CHAT),
    ],
)
async def test_telegram_refusals_fail_in_french(
    app_db: str,
    telegram: FakeTelegramApi,
    error_code: int,
    description: str,
    reason: str,
) -> None:
    telegram.fail_next(error_code=error_code, description=description)
    delivery = await telegram_sender(telegram).send(f"tg{CHAT}", "Bonjour.", kind="reply")
    assert (delivery.status, delivery.reason_fr, delivery.retryable) == ("failed", reason, False)
    assert delivery.error_code == error_code


async def test_telegram_flood_control_gives_the_retry_time(
    app_db: str, telegram: FakeTelegramApi
) -> None:
    telegram.fail_next(
        error_code=429, description="Too Many Requests: retry after 7", retry_after=7
    )
    delivery = await telegram_sender(telegram).send(f"tg{CHAT}", "Bonjour.", kind="reply")
    assert (delivery.status, delivery.reason_fr, delivery.retryable) == (
        "failed",
        REASON_TELEGRAM_DOWN,
        True,
    )
    assert delivery.not_before == NOON + timedelta(seconds=7)


async def test_telegram_outages_fail_and_may_be_retried(
    app_db: str, telegram: FakeTelegramApi
) -> None:
    telegram.fail_next(error_code=502, description="Bad Gateway")
    telegram.fail_next(disconnect=True)
    telegram.fail_next(delay=1.0)
    sender = TelegramSender(
        make_settings(telegram_url=telegram.url), clock=clock(NOON), timeout=0.3
    )
    for _ in range(3):
        delivery = await sender.send(f"tg{CHAT}", "Bonjour.", kind="reply")
        assert (delivery.status, delivery.retryable) == ("failed", True)


async def test_telegram_wrong_token_is_a_configuration_error(
    app_db: str, telegram: FakeTelegramApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "1000000000:wrong-token"
    delivery = await telegram_sender(telegram, telegram_bot_token=wrong).send(
        f"tg{CHAT}", "Bonjour.", kind="reply"
    )
    assert (delivery.status, delivery.reason_fr, delivery.error_code) == (
        "failed",
        REASON_TELEGRAM_CONFIG,
        401,
    )
    await telegram_sender(telegram).send(f"tg{CHAT}", "Bonjour.", kind="reply")
    for secret in (wrong, BOT_TOKEN, CHAT, "Bonjour"):
        assert secret not in caplog.text


async def test_telegram_quiet_hours_apply_to_reminders_only(
    app_db: str, telegram: FakeTelegramApi
) -> None:
    night = datetime(2026, 11, 23, 22, 0, tzinfo=PARIS)
    reply = await telegram_sender(telegram, night).send(f"tg{CHAT}", "Bonjour.", kind="reply")
    reminder = await telegram_sender(telegram, night).send(f"tg{CHAT}", "Rappel.", kind="reminder")
    assert reply.status == "sent"
    assert reminder.status == "deferred"
    assert reminder.not_before == datetime(2026, 11, 24, 8, 0, tzinfo=PARIS)
    assert [m["text"] for m in telegram.messages] == ["Bonjour."]


async def test_telegram_stop_is_honoured(database_url: str, telegram: FakeTelegramApi) -> None:
    add_opt_out("telegram", CHAT)
    delivery = await telegram_sender(telegram).send(f"tg{CHAT}", "Bonjour.", kind="reply")
    assert (delivery.status, delivery.reason_fr) == ("refused", REASON_STOP_TELEGRAM)
    assert telegram.calls == []


async def test_an_sms_stop_does_not_stop_telegram(
    database_url: str, telegram: FakeTelegramApi
) -> None:
    link_chat(CHAT, MOBILE)
    add_opt_out("sms", MOBILE)
    delivery = await telegram_sender(telegram).send(MOBILE, "Bonjour.", kind="reply")
    assert delivery.status == "sent"


async def test_empty_telegram_message_is_not_sent(app_db: str, telegram: FakeTelegramApi) -> None:
    delivery = await telegram_sender(telegram).send(f"tg{CHAT}", " ", kind="reply")
    assert (delivery.status, delivery.reason_fr) == ("failed", REASON_EMPTY)
    assert telegram.calls == []


# Choosing the sender.


@pytest.mark.parametrize(
    ("address", "channel", "expected"),
    [
        (f"tg{CHAT}", "telegram", TelegramSender),
        (f"tg{CHAT}", None, TelegramSender),
        (MOBILE, "telegram", TelegramSender),
        (MOBILE, "sms", SmsSender),
        (MOBILE, "twilio", SmsSender),
        (MOBILE, None, SmsSender),
        (MOBILE, "rest", SmsSender),
        (MOBILE, "voice", VoiceSender),
        (LANDLINE, " Voice ", VoiceSender),
        ("simulateur-1", "rest", NoChannelSender),
        ("", None, NoChannelSender),
    ],
)
def test_sender_for(address: str, channel: str | None, expected: type) -> None:
    assert isinstance(sender_for(address, channel, settings=make_settings()), expected)


async def test_no_channel_fails_in_french() -> None:
    delivery = await sender_for("simulateur-1", "rest").send("simulateur-1", "x", kind="reply")
    assert (delivery.status, delivery.reason_fr) == ("failed", REASON_NO_CHANNEL)


def test_missing_vendor_settings_fail_loudly() -> None:
    with pytest.raises(ConfigurationError, match="TWILIO_AUTH_TOKEN"):
        sender_for(MOBILE, "sms", settings=make_settings(twilio_auth_token=""))
    with pytest.raises(ConfigurationError, match="TELEGRAM_BOT_TOKEN"):
        sender_for(f"tg{CHAT}", "telegram", settings=make_settings(telegram_bot_token=""))
