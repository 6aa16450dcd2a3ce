"""Messages the tests read with the trained model: the benchmark's conversations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from rasa.core.agent import Agent

ROOT = Path(__file__).resolve().parents[2]


def bench_messages() -> list[str]:
    """What people write in the benchmark's conversations (scripts/bench_conversations.yml)."""
    scripts = yaml.safe_load((ROOT / "scripts/bench_conversations.yml").read_text("utf-8"))
    return [str(turn) for script in scripts["conversations"].values() for turn in script]


async def readings(agent: Agent, texts: list[str]) -> list[Any]:
    """What the model reads in each text: its intent, ranking and entities."""
    found = []
    for text in texts:
        parsed = await agent.parse_message(text)
        found.append((parsed["intent"], parsed.get("intent_ranking"), parsed["entities"]))
    return found
