"""May we send now (STOP, quiet hours), and the vendor settings of outbound sending."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from seniorplus.errors import ConfigurationError
from seniorplus.outbound.base import REASON_QUIET, REASON_STOP, REASON_STOP_TELEGRAM, Kind
from seniorplus.outbound.policy import decide, subject_to_quiet_hours
from seniorplus.settings import OutboundSettings, get_settings
from seniorplus.settings.sections import DEFAULT_TELEGRAM_API_URL, DEFAULT_TWILIO_API_URL

PARIS = ZoneInfo("Europe/Paris")
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=PARIS)
NIGHT = datetime(2026, 11, 23, 21, 30, tzinfo=PARIS)
EIGHT_NEXT_DAY = datetime(2026, 11, 24, 8, 0, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("channel", "kind", "expected"),
    [
        ("sms", "reply", True),
        ("sms", "reminder", True),
        ("voice", "reply", True),
        ("voice", "reminder", True),
        ("telegram", "reply", False),
        ("telegram", "reminder", True),
        ("sms", "code", False),
        ("voice", "code", False),
        ("telegram", "code", False),
    ],
)
def test_which_messages_wait_for_the_morning(channel: str, kind: Kind, expected: bool) -> None:
    assert subject_to_quiet_hours(channel, kind) is expected


@pytest.mark.parametrize(
    ("channel", "kind", "at", "decision", "not_before"),
    [
        ("sms", "reply", NOON, "send", None),
        ("sms", "reply", NIGHT, "defer", EIGHT_NEXT_DAY),
        ("sms", "reminder", NIGHT, "defer", EIGHT_NEXT_DAY),
        ("voice", "reply", datetime(2026, 11, 24, 7, 0, tzinfo=PARIS), "defer", EIGHT_NEXT_DAY),
        ("telegram", "reply", NIGHT, "send", None),
        ("telegram", "reminder", NIGHT, "defer", EIGHT_NEXT_DAY),
        ("telegram", "reminder", NOON, "send", None),
        ("sms", "code", NIGHT, "send", None),  # asked for this very minute, awaited now
    ],
)
def test_decide(
    channel: str, kind: Kind, at: datetime, decision: str, not_before: datetime | None
) -> None:
    verdict = decide(channel, kind=kind, opted_out=False, at=at)
    assert verdict.decision == decision
    assert verdict.not_before == not_before
    assert verdict.reason_fr == (REASON_QUIET if decision == "defer" else None)


@pytest.mark.parametrize("at", [NOON, NIGHT])
def test_stop_wins_over_everything(at: datetime) -> None:
    sms = decide("sms", kind="reply", opted_out=True, at=at)
    assert (sms.decision, sms.not_before, sms.reason_fr) == ("refuse", None, REASON_STOP)
    telegram = decide("telegram", kind="reply", opted_out=True, at=at)
    assert (telegram.decision, telegram.reason_fr) == ("refuse", REASON_STOP_TELEGRAM)
    code = decide("sms", kind="code", opted_out=True, at=at)
    assert (code.decision, code.reason_fr) == ("refuse", REASON_STOP)


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        decide("telegram", kind="reply", opted_out=False, at=datetime(2026, 11, 23, 12, 0))


# Settings.


def test_settings_from_the_environment() -> None:
    settings = OutboundSettings.from_env(
        {
            "APP_ENV": "dev",
            "TWILIO_ACCOUNT_SID": " AC123 ",
            "TWILIO_AUTH_TOKEN": "tok",
            "TWILIO_SMS_NUMBER": "+33757000000",
            "TWILIO_API_URL": "http://127.0.0.1:8000/simulator/twilio/",
            "TELEGRAM_BOT_TOKEN": "1:abc",
        }
    )
    assert settings.twilio_account_sid == "AC123"
    assert settings.twilio_api_url == "http://127.0.0.1:8000/simulator/twilio"
    assert settings.telegram_api_url == DEFAULT_TELEGRAM_API_URL
    assert OutboundSettings.from_env({}).twilio_api_url == DEFAULT_TWILIO_API_URL
    settings.require_twilio()
    settings.require_telegram()
    assert "tok" not in repr(settings) and "1:abc" not in repr(settings)


def test_missing_settings_are_named() -> None:
    with pytest.raises(ConfigurationError, match="TWILIO_ACCOUNT_SID, TWILIO_SMS_NUMBER"):
        OutboundSettings(twilio_auth_token="tok").require_twilio()
    with pytest.raises(ConfigurationError, match="TELEGRAM_BOT_TOKEN"):
        OutboundSettings().require_telegram()


def test_production_refuses_placeholders_and_plain_http() -> None:
    real = {
        "APP_ENV": "production",
        "TWILIO_ACCOUNT_SID": "AC123",
        "TWILIO_AUTH_TOKEN": "a-real-secret",
        "TWILIO_SMS_NUMBER": "+33757000000",
        "TELEGRAM_BOT_TOKEN": "1:real",
    }
    OutboundSettings.from_env(real).require_twilio()
    OutboundSettings.from_env(real).require_telegram()
    with pytest.raises(ConfigurationError, match="TWILIO_AUTH_TOKEN"):
        OutboundSettings.from_env({**real, "TWILIO_AUTH_TOKEN": "change-me"}).require_twilio()
    with pytest.raises(ConfigurationError, match="TELEGRAM_BOT_TOKEN"):
        OutboundSettings.from_env({**real, "TELEGRAM_BOT_TOKEN": "<token>"}).require_telegram()
    with pytest.raises(ConfigurationError, match="https"):
        OutboundSettings.from_env(
            {**real, "TWILIO_API_URL": "http://127.0.0.1:8000/simulator/twilio"}
        ).require_twilio()
    # In dev, the simulator's plain-HTTP fake vendor is fine.
    OutboundSettings.from_env(
        {**real, "APP_ENV": "dev", "TWILIO_API_URL": "http://127.0.0.1:8000/simulator/twilio"}
    ).require_twilio()


def test_process_settings_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_SMS_NUMBER", "+33757000001")
    get_settings.cache_clear()
    try:
        assert get_settings().outbound.twilio_sms_number == "+33757000001"
        monkeypatch.setenv("TWILIO_SMS_NUMBER", "+33757000002")
        assert get_settings().outbound.twilio_sms_number == "+33757000001"
    finally:
        get_settings.cache_clear()
