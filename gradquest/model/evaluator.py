"""The model evaluator: a level's named nodes computed in dependency order, whatever order the
file writes them in. The world builds its graph with it; a plot's sweep, a tangent, a descent
path and a probe ask it for the model with some names set to other numbers (arrays, or `Value`s
that a backward pass should reach), and only the nodes that use those names are computed again.
"""

from __future__ import annotations

import functools
from collections import ChainMap
from collections.abc import Mapping

from gradquest.engine.parser import VALUE_LIB, evaluate, names, parse
from gradquest.model.errors import ModelError
from gradquest.levels.node_order import node_order as walk_order


@functools.lru_cache(maxsize=65536)
def parsed(expr: str):
    """A level's expression parsed once: parse trees are immutable, so every use shares one."""
    return parse(expr, max_length=2000)


def node_order(nodes: Mapping[str, str]) -> list[str]:
    """The nodes' names, each after the nodes its expression uses (the loader's one walk,
    `levels.order.node_order`, over each node's inputs by name, so the order is the same on every
    run); a cycle, or a node using itself, is a `ModelError` at the node."""
    uses = {name: sorted(names(parsed(expr), constants=True)) for name, expr in nodes.items()}
    order, cycles = walk_order(uses)
    if cycles:
        cycle = cycles[0].names
        if len(cycle) == 2:
            raise ModelError(f"model.nodes.{cycle[0]}", f"{cycle[0]} uses itself")
        raise ModelError(f"model.nodes.{cycle[-1]}", "the nodes refer to each other in a cycle: " + " → ".join(cycle))
    return order


class Evaluator:
    """A model's named nodes (name → expression), each computed after the nodes it uses."""

    def __init__(self, nodes: Mapping[str, str]):
        self.expressions = dict(nodes)
        self.order = node_order(nodes)
        self.uses = {name: names(parsed(expr), constants=True) for name, expr in nodes.items()}
        self._recomputed: dict[tuple, list[str]] = {}

    def value(self, name: str, env: Mapping[str, object]):
        """A node from its expression over `env`, which holds the nodes it uses already."""
        return evaluate(parsed(self.expressions[name]), env, VALUE_LIB)

    def with_values(self, base: Mapping[str, object], overrides: Mapping[str, object],
                    expr: str | None = None) -> Mapping[str, object]:
        """`base` (the model's names and values) with `overrides` in place and every node that uses
        an overridden name, directly or through other nodes, computed again (only those `expr`
        needs, when given). An overridden node keeps the value it is given."""
        env = ChainMap(dict(overrides), base)
        for name in self._following(frozenset(overrides), expr):
            env[name] = self.value(name, env)  # a ChainMap writes into its first mapping
        return env

    def _following(self, moved: frozenset[str], expr: str | None) -> list[str]:
        key = (moved, expr)
        if key not in self._recomputed:
            wanted = None if expr is None else self._needed(names(parsed(expr), constants=True))
            changed, found = set(moved), []
            for name in self.order:
                if name not in moved and self.uses[name] & changed:
                    changed.add(name)
                    if wanted is None or name in wanted:
                        found.append(name)
            self._recomputed[key] = found
        return self._recomputed[key]

    def _needed(self, used: set[str]) -> set[str]:
        """The nodes among `used` and every node they use, directly or not."""
        needed, todo = set(), [n for n in used if n in self.uses]
        while todo:
            name = todo.pop()
            if name not in needed:
                needed.add(name)
                todo.extend(n for n in self.uses[name] if n in self.uses)
        return needed
