"""Rasa's model graph run node after node, without a dask scheduler per call.

To read a message and to predict each action, Rasa runs its model graph through dask
(``DaskGraphRunner.run``): it first finds the nodes the targets need by a recursive walk
without memory (``GraphSchema.minimal_graph_schema``), builds a dask graph, then lets dask's
local scheduler order and run the nodes. Three runs per message; the profile of a turn
(docs/performance.md) shows the scheduler and the walk costing more than most nodes.

The nodes are the same at every call and the graph has no cycle: the order in which the nodes
a set of targets needs must run is computed once per set of targets and inputs, then each
call runs them in that order, each with the outputs of the nodes it needs, exactly as dask
passes them (a node's output is its ``(name, value)`` pair; an input is ``(name, value)``;
a name that is neither is passed as it is). Errors come out as Rasa's (``GraphRunError`` for
a ``RuntimeError``). Installed by ``bot/rasa_patches.py`` (patch 8) when serving only:
training keeps dask. tests/bot/test_graph_runner.py compares both on the real model.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner

Plan = tuple[tuple[str, tuple[str, ...]], ...]  # (node, the names it needs, in order)
dask_run = DaskGraphRunner.run  # Rasa's, kept before bot/rasa_patches.py replaces it (tests)


def plan_for(schema: GraphSchema, targets: tuple[str, ...], inputs: frozenset[str]) -> Plan:
    """The nodes the targets need, each after the nodes it needs (inputs are given)."""
    ordered: list[tuple[str, tuple[str, ...]]] = []
    placed: set[str] = set(inputs)

    def place(name: str) -> None:
        if name in placed or name not in schema.nodes:
            return
        placed.add(name)
        needs = tuple(schema.nodes[name].needs.values())
        for need in needs:
            place(need)
        ordered.append((name, needs))

    for target in targets:
        place(target)
    return tuple(ordered)


def run(
    self: DaskGraphRunner,
    inputs: dict[str, Any] | None = None,
    targets: list[str] | None = None,
) -> dict[str, Any]:
    """What ``DaskGraphRunner.run`` returns: each target's name and value."""
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    given = inputs or {}
    plans: dict[Any, Plan] = self.__dict__.setdefault("_senior_plus_plans", {})
    key = (run_targets, frozenset(given))
    if key not in plans:
        plans[key] = plan_for(self._graph_schema, run_targets, frozenset(given))
    plan = plans[key]
    self._add_inputs_to_graph(given, {name: None for name, _ in plan})  # Rasa's clash check
    results: dict[str, Any] = {name: (name, value) for name, value in given.items()}
    try:
        for name, needs in plan:
            node = self._instantiated_nodes[name]
            results[name] = node(*(results.get(need, need) for need in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(results[target] for target in run_targets)
