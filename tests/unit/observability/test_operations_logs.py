"""JSON log lines: chosen by LOG_FORMAT, parseable, no phone number, no traceback values."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from observability import request_id
from observability.logs import HANDLER_NAME, log_format
from seniorplus.logsetup import configure_logging

PHONE = "+33687654321"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "json"),  # production by default
        ({"APP_ENV": "production"}, "json"),
        ({"APP_ENV": "dev"}, "text"),
        ({"APP_ENV": "test"}, "text"),
        ({"APP_ENV": "dev", "LOG_FORMAT": "json"}, "json"),
        ({"LOG_FORMAT": "TEXT"}, "text"),
        ({"LOG_FORMAT": "yaml"}, "json"),  # unknown: the production default
    ],
)
def test_the_format_follows_log_format_then_app_env(env: dict[str, str], expected: str) -> None:
    assert log_format(env) == expected


@pytest.fixture
def our_handler() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            root.removeHandler(handler)
    root.setLevel(level)


def test_json_lines_are_parseable_and_mask_personal_data(
    our_handler: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert configure_logging("scheduler", env={"LOG_FORMAT": "json"}) == "json"
    configure_logging("scheduler", env={"LOG_FORMAT": "json"})  # twice: still one handler
    logger = logging.getLogger("seniorplus.test_operations_logs")
    with request_id.scope("hap-0123456789abcdef"):
        logger.warning("Rappel non envoyé au %s (06 87 65 43 21, jeanne.martin@example.fr)", PHONE)
    try:
        raise ValueError(f"refusé pour {PHONE}")
    except ValueError:
        logger.exception("Envoi en échec")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 2
    first, second = lines
    assert first["level"] == "WARNING" and first["process"] == "scheduler"
    assert first["logger"] == "seniorplus.test_operations_logs"
    assert first["request_id"] == "hap-0123456789abcdef" and "request_id" not in second
    assert first["time"].endswith("+00:00")
    assert "+336******21" in first["message"] and "j***@example.fr" in first["message"]
    assert second["error"] == "ValueError"  # the type, never the traceback's values
    text = json.dumps(lines)
    assert PHONE not in text and "87654321" not in text and "87 65 43 21" not in text
    assert "jeanne.martin" not in text


def test_text_lines_carry_the_request_id_too(
    our_handler: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("web", env={"LOG_FORMAT": "text"})
    with request_id.scope("hap-0123456789abcdef"):
        logging.getLogger("seniorplus.x").warning("appel de %s", PHONE)
    err = capsys.readouterr().err
    assert "[hap-0123456789abcdef]" in err and PHONE not in err
