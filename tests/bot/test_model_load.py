"""DIET loaded by a prediction (bot/model_load.py) predicts exactly as Rasa's own loading.

Loads the project's model twice (Rasa's way, then ours: about a minute on 2 cores) and
compares intents, confidences, rankings and entities on held-out messages of every intent.
Skipped when no model has been trained yet (`make model`), except where the whole suite
must run (REQUIRE_SERVICES=1, as in CI): there a missing model fails the test.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from bot import model_load

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"


def messages() -> list[str]:
    texts = []
    for item in yaml.safe_load((ROOT / "tests/nlu/heldout.yml").read_text(encoding="utf-8"))["nlu"]:
        examples = [line[2:].strip() for line in item["examples"].splitlines() if line.strip()]
        texts.extend(examples[:2])  # two of each intent
    return texts


def predictions(texts: list[str]) -> list[Any]:
    agent = Agent.load(str(MODEL))

    async def parse_all() -> list[Any]:
        results = []
        for text in texts:
            parsed = await agent.parse_message(text)
            results.append(
                (
                    parsed["intent"],
                    parsed.get("intent_ranking"),
                    [(e["entity"], e["value"], e["start"], e["end"]) for e in parsed["entities"]],
                )
            )
        return results

    return asyncio.run(parse_all())


@pytest.mark.skipif(
    not MODEL.exists() and not os.environ.get("REQUIRE_SERVICES"),
    reason="no trained model yet (make model)",
)
def test_the_faster_loading_predicts_exactly_as_rasa() -> None:
    texts = messages()
    original = RasaModel.load
    rasa_way = predictions(texts)
    try:
        model_load.apply()
        ours = predictions(texts)
    finally:
        RasaModel.load = original  # type: ignore[method-assign]
    assert len(texts) > 40
    assert ours == rasa_way
