"""Settings: one object in sections, defaults, validation naming the variable, caching."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from seniorplus.errors import ConfigurationError, SeniorPlusError
from seniorplus.settings import (
    REPO_ROOT,
    ConsoleSettings,
    DataRightsSettings,
    Settings,
    SettingsError,
    get_settings,
)

SECRET = "s3cr3t-0f-the-day"
PRODUCTION = {"APP_ENV": "production", "RASA_TOKEN": SECRET, "DATABASE_URL": "postgresql://u@db/sp"}


def problems_of(environ: dict[str, str]) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(environ)
    return caught.value.problems


def test_production_is_the_default() -> None:
    """APP_ENV unset means production: the real secret is then required."""
    with pytest.raises(ConfigurationError, match="RASA_TOKEN manque"):
        Settings.from_env({})
    assert Settings.from_env({"RASA_TOKEN": SECRET}).app_env == "production"
    assert Settings.model_fields["app_env"].default == "production"
    assert Settings.from_env({"RASA_TOKEN": SECRET}).console.secure_cookie


def test_defaults() -> None:
    settings = Settings.from_env({"APP_ENV": "dev"})
    assert settings.app_env == "dev"
    assert settings.database.url == f"sqlite:///{REPO_ROOT}/var/app.db"
    assert settings.database.url.startswith("sqlite:////")  # absolute path
    assert settings.database.is_sqlite and not settings.database.given
    assert settings.rasa.url == "http://127.0.0.1:5005"
    assert settings.rasa.action_server_url == "http://127.0.0.1:5055/webhook"
    assert settings.rasa.token is None
    assert settings.data_rights.privacy_notice_version == "2026-11"


def test_section_defaults() -> None:
    settings = Settings.from_env({"APP_ENV": "dev"})
    assert settings.api.tokens == ()
    assert (settings.console.idle, settings.console.absolute) == (
        timedelta(minutes=30),
        timedelta(hours=10),
    )
    assert (settings.console.free_attempts, settings.console.max_delay_s) == (3, 10)
    assert (settings.console.ip_max_failures, settings.console.ip_window) == (
        30,
        timedelta(minutes=15),
    )
    assert settings.console.trusted_proxies == () and not settings.console.secure_cookie
    assert settings.data_rights == DataRightsSettings(
        tracker_store_url=None,
        conversation_retention_days=180,
        case_retention_days=730,
        erasure_delay_s=120,
    )
    assert settings.outbound.twilio_api_url == "https://api.twilio.com"
    assert settings.outbound.telegram_api_url == "https://api.telegram.org"
    assert not settings.events.enabled and settings.events.port is None
    assert (settings.scheduler.enabled, settings.scheduler.interval_s) == (True, 30.0)
    assert settings.redis.url is None
    assert settings.handoff.team_opening_hours is None
    assert (settings.action_server.host, settings.action_server.port) == ("127.0.0.1", 5055)
    assert settings.action_server.token == ""
    assert settings.observability.log_level == "INFO"
    assert settings.observability.as_environ() == {"APP_ENV": "dev"}
    assert settings.clock.frozen_now is None


def test_repo_root_is_parent_of_package() -> None:
    assert (REPO_ROOT / "seniorplus" / "settings" / "__init__.py").is_file()


def test_reads_every_variable() -> None:
    settings = Settings.from_env(
        {
            "APP_ENV": "production",
            "DATABASE_URL": "postgresql+psycopg://u@db/sp",
            "RASA_URL": "http://rasa:5005",
            "ACTION_SERVER_URL": "http://actions:5055/webhook",
            "RASA_TOKEN": SECRET,
            "PRIVACY_NOTICE_VERSION": "2027-01",
            "CONSOLE_IDLE_MINUTES": "5",
            "TRUSTED_PROXIES": "10.0.0.0/8",
            "CASE_RETENTION_DAYS": "365",
            "TWILIO_API_URL": "https://twilio.example/",
            "EVENT_BROKER_TYPE": "pika",
            "EVENT_BROKER_PORT": "5671",
            "SCHEDULER_ENABLED": "off",
            "REDIS_URL": "redis://redis:6379/0",
            "TEAM_OPENING_HOURS": "lun-ven 09:00-17:00",
            "ACTIONS_PORT": "5056",
            "LOG_FORMAT": "text",
            "SENIORPLUS_FROZEN_NOW": "2027-01-01",
        }
    )
    assert settings.app_env == "production"
    assert settings.database.url == "postgresql+psycopg://u@db/sp" and settings.database.given
    assert (settings.rasa.url, settings.rasa.action_server_url, settings.rasa.token) == (
        "http://rasa:5005",
        "http://actions:5055/webhook",
        SECRET,
    )
    assert settings.data_rights.privacy_notice_version == "2027-01"
    assert settings.data_rights.case_retention_days == 365
    assert settings.console.idle == timedelta(minutes=5)
    assert [str(network) for network in settings.console.trusted_proxies] == ["10.0.0.0/8"]
    assert settings.outbound.twilio_api_url == "https://twilio.example"
    assert settings.events.enabled and settings.events.port == 5671
    assert not settings.scheduler.enabled
    assert settings.redis.url == "redis://redis:6379/0"
    assert settings.handoff.team_opening_hours == "lun-ven 09:00-17:00"
    assert settings.action_server.port == 5056
    assert settings.observability.as_environ() == {"APP_ENV": "production", "LOG_FORMAT": "text"}
    assert settings.clock.frozen_now == "2027-01-01"
    assert not settings.database.is_sqlite


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
    assert Settings.from_env({"APP_ENV": "dev", "DATABASE_URL": given}).database.url == expected


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
    assert issubclass(SettingsError, ConfigurationError)


@pytest.mark.parametrize("app_env", ["dev", "test"])
def test_dev_and_test_tolerate_placeholder_token(app_env: str) -> None:
    assert Settings.from_env({"APP_ENV": app_env, "RASA_TOKEN": "change-me"}).rasa.token == (
        "change-me"
    )
    assert Settings.from_env({"APP_ENV": app_env, "RASA_TOKEN": ""}).rasa.token is None


def test_unknown_app_env_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="APP_ENV"):
        Settings.from_env({"APP_ENV": "staging"})


# --- validation: the variable is named, its value never repeated -----------------------


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("CONSOLE_IDLE_MINUTES", "trente", "CONSOLE_IDLE_MINUTES doit être un nombre entier."),
        ("CASE_RETENTION_DAYS", "-5", "CASE_RETENTION_DAYS doit être supérieur à 0."),
        ("EVENT_BROKER_PORT", "cinq", "EVENT_BROKER_PORT doit être un nombre entier."),
        ("ACTIONS_PORT", "70000", "ACTIONS_PORT doit valoir au plus 65535."),
        ("RASA_URL", "rasa:5005", "RASA_URL doit être une adresse http(s)."),
        ("TWILIO_API_URL", "ftp://api.twilio.com", "TWILIO_API_URL doit être une adresse http(s)."),
        ("DATABASE_URL", "pw-in-a-typo@db", "DATABASE_URL doit être une adresse (schéma://…)."),
        ("REDIS_URL", "redis-host", "REDIS_URL doit être une adresse (schéma://…)."),
    ],
)
def test_a_bad_value_is_named_without_its_value(name: str, value: str, problem: str) -> None:
    assert problems_of({"APP_ENV": "dev", name: value}) == [problem]
    with pytest.raises(ConfigurationError) as caught:
        Settings.from_env({"APP_ENV": "dev", name: value})
    assert value not in str(caught.value)


def test_every_bad_value_is_named_at_once() -> None:
    problems = problems_of(
        {**PRODUCTION, "CONSOLE_FREE_ATTEMPTS": "-1", "ERASURE_DELAY_S": "vite", "RASA_URL": "x"}
    )
    assert sorted(problems) == [
        "CONSOLE_FREE_ATTEMPTS doit être supérieur à 0.",
        "ERASURE_DELAY_S doit être un nombre entier.",
        "RASA_URL doit être une adresse http(s).",
    ]


def test_a_secret_in_a_bad_url_is_not_repeated() -> None:
    with pytest.raises(ConfigurationError) as caught:
        Settings.from_env({**PRODUCTION, "TRACKER_STORE_URL": "postgresql//u:hunter2@db/rasa"})
    assert "TRACKER_STORE_URL" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_production_without_its_secret_names_it_and_nothing_else() -> None:
    with pytest.raises(ConfigurationError) as caught:
        Settings.from_env({"APP_ENV": "production", "RASA_TOKEN": "change-me"})
    assert str(caught.value).startswith("RASA_TOKEN manque")
    assert "change-me »" in str(caught.value)  # the message's example, not the value...
    assert str(caught.value).count("change-me") == 1  # ...which is not repeated


@pytest.mark.parametrize(
    ("database", "named"),
    [(None, "DATABASE_URL manque"), ("sqlite:////srv/app.db", "DATABASE_URL désigne SQLite")],
)
def test_production_refuses_sqlite_unless_said_on_purpose(database: str | None, named: str) -> None:
    environ = {"APP_ENV": "production", "RASA_TOKEN": SECRET, "FORWARDED_ALLOW_IPS": ""}
    if database:
        environ["DATABASE_URL"] = database
    settings = Settings.from_env(environ)
    [problem] = settings.database.problems(settings.app_env)
    assert problem.startswith(named) and "ALLOW_SQLITE_IN_PRODUCTION=1" in problem
    allowed = Settings.from_env({**environ, "ALLOW_SQLITE_IN_PRODUCTION": "1"})
    assert allowed.database.problems(allowed.app_env) == []
    said_otherwise = Settings.from_env({**environ, "ALLOW_SQLITE_IN_PRODUCTION": "yes"})
    assert said_otherwise.database.problems(said_otherwise.app_env) == [problem]  # only "1"
    dev = Settings.from_env({**environ, "APP_ENV": "dev"})
    assert dev.database.problems(dev.app_env) == []


def test_production_start_needs_the_vendor_secrets() -> None:
    settings = Settings.from_env({**PRODUCTION, "FORWARDED_ALLOW_IPS": ""})
    assert settings.start_problems() == [
        "L'envoi de messages demande TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_SMS_NUMBER.",
        "L'envoi de messages demande TELEGRAM_BOT_TOKEN.",
    ]
    assert Settings.from_env({"APP_ENV": "dev"}).start_problems() == []


# --- building: from a mapping, a section alone, the process environment ----------------


def test_from_a_mapping_reads_only_that_mapping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_URL", "http://from-the-process:5005")
    monkeypatch.setenv("CONSOLE_IDLE_MINUTES", "not-a-number")  # ignored: not in the mapping
    assert Settings.from_env({"APP_ENV": "dev"}).rasa.url == "http://127.0.0.1:5005"


def test_blank_values_count_as_unset() -> None:
    settings = Settings.from_env({"APP_ENV": " dev ", "CONSOLE_IDLE_MINUTES": "  ", "RASA_URL": ""})
    assert settings.app_env == "dev"
    assert settings.console.idle_minutes == 30 and settings.rasa.url == "http://127.0.0.1:5005"


def test_a_section_alone_reads_its_own_variables() -> None:
    console = ConsoleSettings.from_env({"CONSOLE_IP_MAX_FAILURES": "5", "RASA_URL": "bad"})
    assert console.ip_max_failures == 5 and console.secure_cookie  # APP_ENV unset: production
    with pytest.raises(ConfigurationError, match="CONSOLE_IP_MAX_FAILURES"):
        ConsoleSettings.from_env({"CONSOLE_IP_MAX_FAILURES": "beaucoup"})


def test_the_process_environment_goes_through_pydantic_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONSOLE_IDLE_MINUTES", "12")
    monkeypatch.setenv("ALLOW_SQLITE_IN_PRODUCTION", "1")
    built = Settings()  # the process environment, through the settings source
    assert built.console.idle_minutes == 12 and built.database.allow_sqlite_in_production
    assert built.app_env == "test"  # the fixture's APP_ENV
    monkeypatch.setenv("CONSOLE_IDLE_MINUTES", "douze")
    with pytest.raises(ValidationError):
        Settings()
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError, match="CONSOLE_IDLE_MINUTES doit être un nombre entier"):
        get_settings()


def test_settings_are_frozen_and_hide_secrets() -> None:
    settings = Settings.from_env(
        {
            "APP_ENV": "dev",
            "RASA_TOKEN": "very-secret-token",
            "DATABASE_URL": "postgresql://u:pw123@h/d",
            "TWILIO_AUTH_TOKEN": "twilio-secret",
            "EVENT_BROKER_PASSWORD": "rabbit-secret",
            "REDIS_URL": "redis://:redis-secret@r:6379/0",
        }
    )
    with pytest.raises(ValidationError, match="frozen"):
        settings.app_env = "production"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        settings.console.idle_minutes = 1  # type: ignore[misc]
    shown = repr(settings) + str(settings)
    for secret in ("very-secret-token", "pw123", "twilio-secret", "rabbit-secret", "redis-secret"):
        assert secret not in shown


def test_get_settings_is_cached_until_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_URL", "http://first:5005")
    get_settings.cache_clear()
    first = get_settings()
    monkeypatch.setenv("RASA_URL", "http://second:5005")
    assert get_settings() is first
    get_settings.cache_clear()
    assert get_settings().rasa.url == "http://second:5005"


def test_get_settings_fails_fast_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("RASA_TOKEN", "changeme")
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError):
        get_settings()


@pytest.mark.parametrize(
    "url", ["http://[::1]:5005", "https://rasa.internal", "http://10.0.0.2:5005/"]
)
def test_http_urls_of_every_form_are_accepted(url: str) -> None:
    assert Settings.from_env({"APP_ENV": "dev", "RASA_URL": url}).rasa.url == url
