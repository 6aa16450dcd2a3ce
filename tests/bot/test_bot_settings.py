"""The bot environment's settings: one reader, read once, a bad value named without its value."""

from __future__ import annotations

import ipaddress

import pytest

from bot.settings import BotSettings, bot_settings


def test_defaults_say_production_and_nothing_configured() -> None:
    settings = BotSettings.from_env({})
    assert settings == BotSettings()
    assert settings.app_env == "production" and settings.production
    assert settings.redis_url is None and settings.database_url is None
    assert settings.tracker_store_connect_timeout_s is None and settings.lock_lease_s is None
    assert settings.conversation_window_turns == 8  # bot/stores/window.py


def test_reads_every_variable() -> None:
    settings = BotSettings.from_env(
        {
            "APP_ENV": " Dev ",
            "REDIS_URL": "redis://:pw-redis@r:6379/0",
            "DATABASE_URL": "postgresql://u:pw-db@db/app",
            "RATE_LIMIT_STORAGE_URL": "memory://",
            "RATE_LIMIT_PER_SENDER": "5/minute",
            "RATE_LIMIT_PER_ADDRESS": "50/minute",
            "TRUSTED_PROXIES": "172.30.0.10, 10.0.0.0/8, fd00::/8",
            "TRACKER_STORE_CONNECT_TIMEOUT_S": "2.5",
            "LOCK_LEASE_S": "30",
            "CONVERSATION_WINDOW_TURNS": "12",
        }
    )
    assert settings == BotSettings(
        app_env="dev",
        redis_url="redis://:pw-redis@r:6379/0",
        database_url="postgresql://u:pw-db@db/app",
        rate_limit_storage_url="memory://",
        rate_limit_per_sender="5/minute",
        rate_limit_per_address="50/minute",
        trusted_proxies=(
            ipaddress.ip_network("172.30.0.10"),
            ipaddress.ip_network("10.0.0.0/8"),
            ipaddress.ip_network("fd00::/8"),
        ),
        tracker_store_connect_timeout_s=2.5,
        lock_lease_s=30.0,
        conversation_window_turns=12,
    )
    assert not settings.production
    assert "pw-redis" not in repr(settings) and "pw-db" not in repr(settings)


def test_blank_values_count_as_unset() -> None:
    settings = BotSettings.from_env(
        {"APP_ENV": "", "REDIS_URL": "  ", "LOCK_LEASE_S": "", "TRUSTED_PROXIES": " , "}
    )
    assert settings == BotSettings()
    assert settings.trusted_proxies == ()  # nobody's X-Forwarded-For is believed


@pytest.mark.parametrize("value", ["proxy.local", "10.0.0.0/33", "172.30.0.10, 10.0.0.300"])
def test_a_bad_trusted_proxy_is_named_without_its_value(value: str) -> None:
    with pytest.raises(ValueError, match="TRUSTED_PROXIES") as caught:
        BotSettings.from_env({"TRUSTED_PROXIES": value})
    assert value.split(", ")[-1] not in str(caught.value)


@pytest.mark.parametrize("value", ["trente", "0", "-1"])
def test_a_bad_number_is_named_without_its_value(value: str) -> None:
    with pytest.raises(ValueError, match="LOCK_LEASE_S") as caught:
        BotSettings.from_env({"LOCK_LEASE_S": value})
    assert value not in str(caught.value)


@pytest.mark.parametrize("value", ["huit", "-1", "2.5"])
def test_a_bad_window_is_named_and_zero_reads_the_whole_session(value: str) -> None:
    with pytest.raises(ValueError, match="CONVERSATION_WINDOW_TURNS"):
        BotSettings.from_env({"CONVERSATION_WINDOW_TURNS": value})
    assert BotSettings.from_env({"CONVERSATION_WINDOW_TURNS": "0"}).conversation_window_turns == 0


def test_read_once_from_the_process_until_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "test")
    first = bot_settings()
    assert not first.production
    monkeypatch.setenv("APP_ENV", "production")
    assert bot_settings() is first  # cached: the channels ask on every request
    bot_settings.cache_clear()
    assert bot_settings().production
