"""The model graph run node after node (bot/graph_runner.py) reads and predicts as dask does.

Loads the project's model once (about 30 s on 2 cores), then reads the benchmark's messages
and predicts the next action after each, with Rasa's dask runner and with ours: same intents,
rankings, entities, same action probabilities and policy. Skipped when no model has been
trained yet (`make model`), except where the whole suite must run (REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.engine.graph import GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import graph_runner
from tests.bot.model_messages import bench_messages


async def read_and_predict(agent: Agent, texts: list[str]) -> list[Any]:
    processor = agent.processor
    assert processor is not None
    found = []
    for text in texts:
        parsed = await agent.parse_message(text)
        said = UserUttered(text, parsed["intent"], parsed["entities"])
        tracker = DialogueStateTracker.from_events(
            "graphe",
            [ActionExecuted("action_listen"), said],
            agent.domain.slots if agent.domain else None,
        )
        prediction = processor._predict_next_with_tracker(tracker)
        found.append(
            (
                parsed["intent"],
                parsed.get("intent_ranking"),
                parsed["entities"],
                prediction.policy_name,
                prediction.probabilities,
            )
        )
    return found


def test_node_after_node_gives_what_dask_gives(
    trained_agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = bench_messages()
    agent = trained_agent
    monkeypatch.setattr(DaskGraphRunner, "run", graph_runner.dask_run)
    with_dask = asyncio.run(read_and_predict(agent, texts))
    monkeypatch.setattr(DaskGraphRunner, "run", graph_runner.run)
    ours = asyncio.run(read_and_predict(agent, texts))
    assert len(ours) == len(texts) > 30
    assert ours == with_dask


def test_the_plan_runs_each_needed_node_once_after_what_it_needs() -> None:
    def node(**needs: str) -> SchemaNode:
        return SchemaNode(needs=needs, uses=object, constructor_name="", fn="", config={})

    schema = GraphSchema(
        {
            "a": node(message="__message__"),
            "b": node(x="a"),
            "c": node(x="a", y="b"),
            "target": node(x="c", y="b"),
            "unused": node(x="a"),
        }
    )
    plan = graph_runner.plan_for(schema, ("target",), frozenset({"__message__"}))
    assert [name for name, _ in plan] == ["a", "b", "c", "target"]
    assert dict(plan)["target"] == ("c", "b")
