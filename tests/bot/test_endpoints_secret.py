"""Rasa reads the action server's secret from the environment and sends it with every call."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.utils.endpoints import read_endpoint_config

ENDPOINTS = Path(__file__).resolve().parents[2] / "bot" / "endpoints.yml"


def test_the_action_endpoint_carries_the_bearer_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "a-secret-from-the-environment-0123")
    endpoint = read_endpoint_config(str(ENDPOINTS), "action_endpoint")
    assert endpoint is not None
    assert endpoint.headers == {"Authorization": "Bearer a-secret-from-the-environment-0123"}


def test_without_the_secret_rasa_does_not_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.delenv("ACTION_SERVER_TOKEN", raising=False)
    with pytest.raises(Exception, match="ACTION_SERVER_TOKEN"):
        read_endpoint_config(str(ENDPOINTS), "action_endpoint")
