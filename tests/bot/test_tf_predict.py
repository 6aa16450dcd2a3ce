"""DIET's prediction called on its compiled function (bot/tf_predict.py) reads as Rasa's does.

The project's model reads the benchmark's messages, a long message and a few odd ones with
Rasa's ``tf.function`` call and with the direct call: the same intents, rankings (to the
last bit) and entities.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from bot import tf_predict
from tests.bot.model_messages import bench_messages

ODD = [
    "",
    "🙂🙂🙂",
    "AIDE",
    "bonjour, ma mère a 87 ans, elle vit seule à Saint-Nazaire, elle tombe souvent et ne "
    "mange plus beaucoup ; je travaille à Nantes et je ne peux pas y aller tous les jours, "
    "est-ce qu'il existe une aide pour payer quelqu'un qui passe le matin et le soir ?",
]


async def read(agent: Agent, texts: list[str]) -> list[Any]:
    found = []
    for text in texts:
        parsed = await agent.parse_message(text)
        found.append((parsed["intent"], parsed.get("intent_ranking"), parsed["entities"]))
    return found


def test_the_direct_call_reads_as_tf_function_does(
    trained_agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = bench_messages() + ODD
    monkeypatch.setattr(RasaModel, "_rasa_predict", tf_predict._RASA_PREDICT)
    with_tf_function = asyncio.run(read(trained_agent, texts))
    calls: list[int] = []

    def counted(model: RasaModel, batch_in: tuple[Any, ...]) -> dict[str, Any]:
        calls.append(len(batch_in))
        return tf_predict.rasa_predict(model, batch_in)

    rasas_way: list[int] = []

    def fallback(model: RasaModel, batch_in: tuple[Any, ...]) -> dict[str, Any]:
        rasas_way.append(len(batch_in))
        return tf_predict._RASA_PREDICT(model, batch_in)

    monkeypatch.setattr(RasaModel, "_rasa_predict", counted)
    monkeypatch.setattr(tf_predict, "_RASA_PREDICT", fallback)
    direct = asyncio.run(read(trained_agent, texts))
    assert len(direct) == len(texts) > 40
    assert direct == with_tf_function
    assert len(calls) >= len(texts) and min(calls) > 5  # DIET's ~30 input arrays
    assert rasas_way == []  # traced by the first reading: every call went the direct way
