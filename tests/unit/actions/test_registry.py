"""The action server registers exactly the actions the domain declares."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

DOMAIN = Path(__file__).resolve().parents[3] / "bot" / "domain"


def test_every_declared_action_is_served_and_nothing_else() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    declared = {
        name
        for path in DOMAIN.glob("*.yml")
        for name in (yaml.safe_load(path.read_text()) or {}).get("actions", [])
    }
    assert set(executor.actions) == declared
