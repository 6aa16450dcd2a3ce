"""Settings: defaults, validation of APP_ENV and RASA_TOKEN, URL rewriting, caching."""

from __future__ import annotations

import dataclasses

import pytest

from seniorplus.errors import ConfigurationError, SeniorPlusError
from seniorplus.settings import REPO_ROOT, Settings, get_settings


def test_production_is_the_default() -> None:
    """APP_ENV unset means production: the real secret is then required."""
    with pytest.raises(ConfigurationError, match="RASA_TOKEN manque"):
        Settings.from_env({})
    assert Settings.from_env({"RASA_TOKEN": "s3cr3t-0f-the-day"}).app_env == "production"
    assert Settings().app_env == "production"


def test_defaults() -> None:
    settings = Settings.from_env({"APP_ENV": "dev"})
    assert settings.app_env == "dev"
    assert settings.database_url == f"sqlite:///{REPO_ROOT}/var/app.db"
    assert settings.database_url.startswith("sqlite:////")  # absolute path
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.action_server_url == "http://127.0.0.1:5055/webhook"
    assert settings.rasa_token is None
    assert settings.privacy_notice_version == "2026-11"
    assert settings.is_sqlite


def test_repo_root_is_parent_of_package() -> None:
    assert (REPO_ROOT / "seniorplus" / "settings.py").is_file()


def test_reads_every_variable() -> None:
    settings = Settings.from_env(
        {
            "APP_ENV": "production",
            "DATABASE_URL": "postgresql+psycopg://u@db/sp",
            "RASA_URL": "http://rasa:5005",
            "ACTION_SERVER_URL": "http://actions:5055/webhook",
            "RASA_TOKEN": "s3cr3t-0f-the-day",
            "PRIVACY_NOTICE_VERSION": "2027-01",
        }
    )
    assert settings == Settings(
        app_env="production",
        database_url="postgresql+psycopg://u@db/sp",
        rasa_url="http://rasa:5005",
        action_server_url="http://actions:5055/webhook",
        rasa_token="s3cr3t-0f-the-day",
        privacy_notice_version="2027-01",
    )
    assert not settings.is_sqlite


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_postgres_urls_use_psycopg3(given: str, expected: str) -> None:
    assert Settings.from_env({"APP_ENV": "dev", "DATABASE_URL": given}).database_url == expected


@pytest.mark.parametrize(
    "token", [None, "", "   ", "change-me", "CHANGEME", "change_me", "<token>"]
)
def test_production_refuses_missing_or_placeholder_token(token: str | None) -> None:
    env = {"APP_ENV": "production"}
    if token is not None:
        env["RASA_TOKEN"] = token
    with pytest.raises(ConfigurationError, match="RASA_TOKEN"):
        Settings.from_env(env)


def test_configuration_error_is_a_domain_error() -> None:
    assert issubclass(ConfigurationError, SeniorPlusError)


@pytest.mark.parametrize("app_env", ["dev", "test"])
def test_dev_and_test_tolerate_placeholder_token(app_env: str) -> None:
    assert Settings.from_env({"APP_ENV": app_env, "RASA_TOKEN": "change-me"}).rasa_token == (
        "change-me"
    )
    assert Settings.from_env({"APP_ENV": app_env, "RASA_TOKEN": ""}).rasa_token is None


def test_unknown_app_env_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="APP_ENV"):
        Settings.from_env({"APP_ENV": "staging"})


def test_settings_are_frozen_and_hide_secrets() -> None:
    settings = Settings.from_env(
        {
            "APP_ENV": "dev",
            "RASA_TOKEN": "very-secret-token",
            "DATABASE_URL": "postgresql://u:pw123@h/d",
        }
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.app_env = "production"  # type: ignore[misc]
    assert "very-secret-token" not in repr(settings)
    assert "pw123" not in repr(settings)


def test_get_settings_is_cached_until_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_URL", "http://first:5005")
    get_settings.cache_clear()
    first = get_settings()
    monkeypatch.setenv("RASA_URL", "http://second:5005")
    assert get_settings() is first
    get_settings.cache_clear()
    assert get_settings().rasa_url == "http://second:5005"


def test_get_settings_fails_fast_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("RASA_TOKEN", "changeme")
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError):
        get_settings()
