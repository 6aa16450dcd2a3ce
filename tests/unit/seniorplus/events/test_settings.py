"""The consumer's settings: the same EVENT_BROKER_* as Rasa, and the runner's exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from seniorplus.errors import ConfigurationError
from seniorplus.events.settings import ConsumerSettings, amqp_url, broker_enabled

ROOT = Path(__file__).resolve().parents[4]
ON = {
    "EVENT_BROKER_TYPE": "pika",
    "EVENT_BROKER_URL": "rabbit.internal",
    "EVENT_BROKER_PORT": "5672",
    "EVENT_BROKER_USERNAME": "senior_plus",
    "EVENT_BROKER_PASSWORD": "p@ss/word:secret",
    "EVENT_BROKER_EXCHANGE": "rasa-exchange",
    "EVENT_BROKER_QUEUE": "seniorplus_events",
}


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "amqp://u:p@127.0.0.1:5672/"),
        ("amqp://rabbit", "amqp://u:p@rabbit:5672/"),
        ("amqps://rabbit:5671/prod?heartbeat=30", "amqps://u:p@rabbit:5671/prod?heartbeat=30"),
        ("amqp://old:creds@rabbit/vhost", "amqp://u:p@rabbit:5672/vhost"),
    ],
)
def test_the_url_carries_the_credentials_as_rasa_adds_them(host: str, url: str) -> None:
    assert amqp_url(host, 5672, "u", "p") == url


def test_settings_from_the_environment_quote_the_password_and_never_show_it() -> None:
    settings = ConsumerSettings.from_env(ON)
    assert settings.url == "amqp://senior_plus:p%40ss%2Fword%3Asecret@rabbit.internal:5672/"
    assert settings.dead_letter_queue == "seniorplus_events.dead"
    assert "secret" not in repr(settings)


@pytest.mark.parametrize("kind", ["bot.event_broker.Off", "", "kafka"])
def test_off_means_nothing_to_read(kind: str) -> None:
    assert not broker_enabled({**ON, "EVENT_BROKER_TYPE": kind})
    with pytest.raises(ConfigurationError, match="pika"):
        ConsumerSettings.from_env({**ON, "EVENT_BROKER_TYPE": kind})


def test_a_missing_setting_is_named() -> None:
    with pytest.raises(ConfigurationError, match="EVENT_BROKER_PASSWORD"):
        ConsumerSettings.from_env({**ON, "EVENT_BROKER_PASSWORD": ""})
    with pytest.raises(ConfigurationError, match="PORT"):
        ConsumerSettings.from_env({**ON, "EVENT_BROKER_PORT": "cinq"})


def test_the_runner_refuses_to_start_when_the_broker_is_off() -> None:
    env = {**os.environ, "EVENT_BROKER_TYPE": "bot.event_broker.Off", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "seniorplus.events", "--drain", "1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "pika" in done.stderr and "Traceback" not in done.stderr
