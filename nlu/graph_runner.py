"""Runs Rasa's prediction graph in a fixed order instead of through dask's scheduler.

Every parse and every policy prediction runs the model's graph. Rasa 3.6 rebuilds the minimal
schema for the targets, builds a dask graph, and hands it to dask's local scheduler (queues,
futures, task packing) on each run: about 9 % of an engine worker's CPU under load, for a
graph of a dozen nodes run one after the other anyway. Here the order of each target set is
worked out once (the same minimal schema Rasa computes) and the nodes are called directly,
each with its inputs' `(name, output)` pairs, as dask did; the result is the same dict.
"""

from __future__ import annotations

from typing import Any

Plan = list[tuple[str, Any, tuple[str, ...]]]


def execution_plan(schema: Any, nodes: dict[str, Any], targets: list[str]) -> Plan:
    """Nodes needed for `targets`, each after the nodes it needs (depth-first order)."""
    minimal = schema.minimal_graph_schema(targets)
    order: Plan = []
    placed: set[str] = set()

    def place(name: str, path: tuple[str, ...] = ()) -> None:
        if name in placed or name not in minimal.nodes:
            return  # an input given at run time, or already placed
        if name in path:
            raise RuntimeError(f"cycle in the graph at {name}")
        needs = tuple(minimal.nodes[name].needs.values())
        for need in needs:
            place(need, (*path, name))
        placed.add(name)
        order.append((name, nodes[name], needs))

    for target in targets:
        place(target)
    return order


def install_direct_graph_runner() -> None:
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    if getattr(DaskGraphRunner.run, "_ieum_direct", False):
        return

    def run(
        self: DaskGraphRunner,
        inputs: dict[str, Any] | None = None,
        targets: list[str] | None = None,
    ) -> dict[str, Any]:
        run_targets = list(targets) if targets else list(self._graph_schema.target_names)
        plans = self.__dict__.setdefault("_ieum_plans", {})
        plan = plans.get(tuple(run_targets))
        if plan is None:
            plan = plans[tuple(run_targets)] = execution_plan(
                self._graph_schema, self._instantiated_nodes, run_targets
            )
        values: dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure "
                    f"that none of the input names passed to the `run` method are the "
                    f"same as node names in the graph schema."
                )
            values[name] = (name, value)  # what dask handed a node for an input
        try:
            for name, node, needs in plan:
                values[name] = node(*(values[need] for need in needs))
        except RuntimeError as exc:
            raise GraphRunError("Error running runner.") from exc
        return dict(values[target] for target in run_targets)

    run._ieum_direct = True  # type: ignore[attr-defined]
    DaskGraphRunner.run = run  # type: ignore[method-assign]
