"""Walks over a computation graph: the forward and backward pass one node at a time, the chain
rule split into one product per path, recomputation after a leaf changes, and exact gradients
and Hessians (the gradient is itself built as a graph and differentiated again).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from gradquest.engine.value import Value


def consumers(order: Sequence[Value]) -> dict[Value, list[tuple[Value, int]]]:
    """For each node, the (consumer, input slot) pairs that read it: the graph's edges, forwards."""
    edges: dict[Value, list[tuple[Value, int]]] = {}
    for node in order:
        for slot, inp in enumerate(node._prev):
            edges.setdefault(inp, []).append((node, slot))
    return edges


def local_derivatives(node: Value) -> tuple:
    """∂node/∂input for each input slot, as numbers (scalar ops only)."""
    if node._fn is None:
        return ()
    return tuple(d.data if isinstance(d, Value) else d for d in node._fn.local(node._prev, node, node._arg))


def recompute(order: Sequence[Value]) -> None:
    """Re-run the forward pass over `order` (a topological order) after leaves changed."""
    for node in order:
        fn = node._fn
        if fn is not None:
            node.data = fn.forward(*(p.data for p in node._prev), node._arg)


# ---- steppers

@dataclass(frozen=True, slots=True)
class ForwardEvent:
    node: Value
    value: object
    inputs: tuple  # the input values the op combined


@dataclass(frozen=True, slots=True)
class Term:
    """One edge of the chain rule: `consumer` reads the node at `slot`; upstream × local = value."""
    consumer: Value
    slot: int
    upstream: object
    local: object  # None for array ops, whose local derivative is a Jacobian
    value: object


@dataclass(frozen=True, slots=True)
class BackwardEvent:
    node: Value
    grad: object  # the sum of the terms' values
    terms: tuple[Term, ...]  # empty for the output itself (its gradient is 1)


def forward_steps(out: Value) -> Iterator[ForwardEvent]:
    """Each node's value in topological order, recomputed as it is revealed."""
    for node in out.topo():
        fn = node._fn
        if fn is not None:
            node.data = fn.forward(*(p.data for p in node._prev), node._arg)
        yield ForwardEvent(node, node.data, tuple(p.data for p in node._prev))


def backward_steps(out: Value) -> Iterator[BackwardEvent]:
    """Each node's gradient in reverse topological order, with the chain-rule terms that made it.

    It starts from zero: afterwards every `.grad` in the graph is ∂out/∂node, as one `backward()`
    from zeroed gradients would leave it.
    """
    order = out.topo()
    edges = consumers(order)
    for node in order:
        node.grad = 0.0 if type(node.data) is float else np.zeros_like(node.data)
    out.grad = 1.0 if type(out.data) is float else np.ones_like(out.data)
    locals_: dict[Value, tuple] = {}
    for node in reversed(order):
        terms = []
        for consumer, slot in edges.get(node, ()):
            upstream = consumer.grad
            local = None
            if type(consumer.data) is float and all(type(p.data) is float for p in consumer._prev):
                if consumer not in locals_:
                    locals_[consumer] = local_derivatives(consumer)
                local = locals_[consumer][slot]
            terms.append(Term(consumer, slot, upstream, local, None if local is None else upstream * local))
        yield BackwardEvent(node, node.grad, tuple(terms))
        if node._fn is not None:
            node._fn.backward(node)


# ---- the chain rule, one path at a time

@dataclass(frozen=True, slots=True)
class Path:
    nodes: tuple[Value, ...]  # from the input to the output
    factors: tuple[float, ...]  # the local derivative along each edge
    product: float

    @property
    def via(self) -> tuple[Value, ...]:
        """The nodes strictly between the input and the output."""
        return self.nodes[1:-1]


def paths(out: Value, x: Value, limit: int = 10_000) -> list[Path]:
    """∂out/∂x as one product of local derivatives per path from x to out (scalar graphs).

    The products sum to the gradient. A node used twice by one op (b = a + a) gives two paths.
    """
    order = out.topo()
    edges = consumers(order)
    cache: dict[Value, tuple] = {}
    found: list[Path] = []
    stack = [(x, None)]  # a path's last node and the steps that led there, linked: (before, node, factor)
    while stack:
        head, trail = stack.pop()
        if head is out:
            nodes, factors = [], []
            while trail is not None:  # unrolled once per path found: the work is its length
                trail, node, f = trail
                nodes.append(node)
                factors.append(f)
            product = 1.0
            for f in reversed(factors):
                product *= f
            found.append(Path((x, *reversed(nodes)), tuple(reversed(factors)), product))
            if len(found) > limit:
                raise ValueError(f"more than {limit} paths from {x.label or 'x'} to the output")
            continue
        for consumer, slot in reversed(edges.get(head, ())):
            if consumer not in cache:
                cache[consumer] = local_derivatives(consumer)
            stack.append((consumer, (trail, consumer, cache[consumer][slot])))
    return found


# ---- exact derivatives

def gradient(out: Value, wrt: Sequence[Value]) -> np.ndarray:
    """∂out/∂w for each scalar w, leaving every `.grad` as it was."""
    order = out.topo()
    in_graph = set(order)
    saved = [(v, v.grad) for v in order]
    for v in order:
        v.grad = 0.0
    out.backward()
    result = np.array([float(w.grad) if w in in_graph else 0.0 for w in wrt])
    for v, g in saved:
        v.grad = g
    return result


def gradient_graph(out: Value, wrt: Sequence[Value]) -> list[Value]:
    """∂out/∂w for each w as a `Value` graph of its own, so it can be differentiated again."""
    adjoint: dict[Value, Value] = {out: Value(1.0)}
    for node in reversed(out.topo()):
        g = adjoint.get(node)
        if g is None or node._fn is None:
            continue
        for inp, local in zip(node._prev, node._fn.local(node._prev, node, node._arg)):
            term = g * local
            adjoint[inp] = adjoint[inp] + term if inp in adjoint else term
    return [adjoint.get(w, Value(0.0)) for w in wrt]


def hessian(out: Value, wrt: Sequence[Value]) -> np.ndarray:
    """The matrix of second derivatives ∂²out/∂wᵢ∂wⱼ, exact up to float64 rounding."""
    return np.array([gradient(g, wrt) for g in gradient_graph(out, wrt)])
