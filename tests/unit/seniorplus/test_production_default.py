"""Production is the default: APP_ENV unset means no simulator, no demo account,
Secure cookies, and a missing secret stops the web app's start (French message)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from devtools import simulator
from devtools.seeds import console as seed
from devtools.web import create_app
from seniorplus.console.config import ConsoleSettings
from seniorplus.db import session_scope
from seniorplus.errors import ConfigurationError
from seniorplus.settings import Settings, app_env_of, get_settings
from seniorplus.staff.models import Agent
from seniorplus.web.startup import check_configuration, configuration_problems

COMPLETE_PRODUCTION = {
    "RASA_TOKEN": "un-vrai-secret-de-production-7f3a",
    "TWILIO_ACCOUNT_SID": "AC0123",
    "TWILIO_AUTH_TOKEN": "un-vrai-jeton-twilio",
    "TWILIO_SMS_NUMBER": "+33757000000",
    "TELEGRAM_BOT_TOKEN": "123:un-vrai-jeton",
    "FORWARDED_ALLOW_IPS": "",
    "DATABASE_URL": "postgresql://seniorplus@db.internal/seniorplus",
}


def test_unset_app_env_means_production() -> None:
    assert app_env_of({}) == "production"
    assert app_env_of({"APP_ENV": "  "}) == "production"
    assert app_env_of({"APP_ENV": "DEV"}) == "dev"
    with pytest.raises(ConfigurationError, match="n'est pas une valeur connue"):
        app_env_of({"APP_ENV": "staging"})
    assert Settings.from_env(COMPLETE_PRODUCTION).app_env == "production"
    assert ConsoleSettings.from_env({}).secure_cookie


def test_no_simulator_without_app_env_dev(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_ENV")
    assert not simulator.dev_mode({})
    paths = {getattr(route, "path", "") for route in create_app().routes}
    assert not any(path.startswith(("/simulateur", "/simulator")) for path in paths)
    monkeypatch.setenv("APP_ENV", "dev")
    paths = {getattr(route, "path", "") for route in create_app().routes}
    assert any(path.startswith("/simulateur") for path in paths)


def test_no_demo_account_without_app_env_dev(
    monkeypatch: pytest.MonkeyPatch, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("APP_ENV")
    for name, value in COMPLETE_PRODUCTION.items():
        if name != "DATABASE_URL":  # the test's own database
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    assert seed.main(["--force-dev-postgres"]) == 2
    assert "APP_ENV=production" in capsys.readouterr().err
    with session_scope() as session:
        assert session.scalars(select(Agent)).all() == []


def test_a_complete_production_configuration_starts() -> None:
    assert configuration_problems(COMPLETE_PRODUCTION) == []
    check_configuration(COMPLETE_PRODUCTION)


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ("RASA_TOKEN", "RASA_TOKEN manque"),
        ("TWILIO_AUTH_TOKEN", "L'envoi de messages demande TWILIO_AUTH_TOKEN"),
        ("TELEGRAM_BOT_TOKEN", "L'envoi de messages demande TELEGRAM_BOT_TOKEN"),
    ],
)
def test_a_missing_secret_is_named_in_french(missing: str, named: str) -> None:
    environ = {k: v for k, v in COMPLETE_PRODUCTION.items() if k != missing}
    with pytest.raises(ConfigurationError) as caught:
        check_configuration(environ)
    message = str(caught.value)
    assert message.startswith("Senior Plus ne démarre pas")
    assert named in message


def test_placeholders_are_refused_in_production() -> None:
    environ = {**COMPLETE_PRODUCTION, "TWILIO_AUTH_TOKEN": "change-me"}
    problems = configuration_problems(environ)
    assert problems == ["TWILIO_AUTH_TOKEN doit être un vrai secret en production "
                        "(une valeur d'exemple est refusée)."]  # fmt: skip


def test_uvicorn_must_trust_exactly_the_configured_proxies() -> None:
    unset = {k: v for k, v in COMPLETE_PRODUCTION.items() if k != "FORWARDED_ALLOW_IPS"}
    assert "FORWARDED_ALLOW_IPS manque" in configuration_problems(unset)[0]
    wider = {**COMPLETE_PRODUCTION, "FORWARDED_ALLOW_IPS": "127.0.0.1"}
    assert configuration_problems(wider) == [
        "FORWARDED_ALLOW_IPS doit être la même liste que TRUSTED_PROXIES."
    ]
    same = {**wider, "TRUSTED_PROXIES": "127.0.0.1"}
    assert configuration_problems(same) == []


@pytest.mark.parametrize(
    ("database", "named"),
    [
        (None, "DATABASE_URL manque"),
        ("sqlite:////srv/app.db", "DATABASE_URL désigne SQLite"),
    ],
)
def test_production_refuses_sqlite_unless_said_on_purpose(database: str | None, named: str) -> None:
    environ = {k: v for k, v in COMPLETE_PRODUCTION.items() if k != "DATABASE_URL"}
    if database:
        environ["DATABASE_URL"] = database
    [problem] = configuration_problems(environ)
    assert problem.startswith(named) and "ALLOW_SQLITE_IN_PRODUCTION=1" in problem
    assert configuration_problems({**environ, "ALLOW_SQLITE_IN_PRODUCTION": "1"}) == []


def test_dev_needs_no_vendor_secret() -> None:
    assert configuration_problems({"APP_ENV": "dev"}) == []
    assert configuration_problems({"APP_ENV": "test"}) == []


async def test_the_web_app_does_not_start_without_its_secrets(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("APP_ENV")
    monkeypatch.delenv("RASA_TOKEN", raising=False)
    app = create_app()
    with pytest.raises(ConfigurationError, match="RASA_TOKEN manque"):
        async with app.router.lifespan_context(app):
            pass  # pragma: no cover - never reached
    assert "Senior Plus ne démarre pas" in caplog.text
