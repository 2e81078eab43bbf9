"""Checking the engine's gradients against finite differences, in float64.

The relative error is |a − n| / (|a| + |n|), zero when both are zero. Where the ±h evaluations
fall on different sides of a kink (relu, abs, max or min at the switch), the difference quotient
means nothing there: the result says `kink` instead of failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gradquest.engine.graph import recompute
from gradquest.engine.value import Value


@dataclass(frozen=True, slots=True)
class Check:
    node: Value
    index: tuple  # the element of an array input; () for a scalar
    analytic: float
    numeric: float
    error: float
    kink: Value | None  # the node whose kink lies within ±h, if any
    ok: bool


def relative_error(a: float, n: float) -> float:
    denominator = abs(a) + abs(n)
    return 0.0 if denominator == 0 else abs(a - n) / denominator


def difference(out: Value, x: Value, index: tuple = (), h: float = 1e-6, scheme: str = "central",
               order: list[Value] | None = None):
    """The difference quotient of `out` in `x` (at `index` for an array): "central" is
    (f(x+h) − f(x−h)) / 2h, "forward" is (f(x+h) − f(x)) / h. Returns (quotient, kink node or None).
    `order` is out's topological order, if the caller has it already.
    """
    order = order or out.topo()
    steps = (h, -h) if scheme == "central" else (h, 0.0)
    results, sides = [], []
    original = x.data[index] if index else x.data
    for step in steps:
        _set(x, index, original + step)
        try:
            recompute(order)
            results.append(float(out.data))
            sides.append(_kink_sides(order))
        finally:
            _set(x, index, original)
    recompute(order)
    kink = next((node for node, s1 in sides[0].items() if np.any(s1 != sides[1][node])), None)
    if kink is None:
        kink = next((node for node, s in _kink_sides(order).items() if np.any(s == 0)), None)
    span = 2 * h if scheme == "central" else h
    return (results[0] - results[1]) / span, kink


def check(out: Value, wrt: Sequence[Value], h: float = 1e-6, tolerance: float = 1e-6,
          floor: float = 1e-9) -> list[Check]:
    """Compare `out.backward()`'s gradients with central differences, element by element.

    A gradient passes when the relative error is within `tolerance`, or when the two numbers are
    closer than the rounding noise of the difference quotient itself (about ε·|f|/h, and never
    less than `floor`): near a zero gradient the relative error measures nothing but that noise.
    """
    order = out.topo()
    saved = [(v, v.grad) for v in order]
    for v in order:
        v.grad = 0.0 if type(v.data) is float else np.zeros_like(v.data)
    out.backward()
    analytic = {x: np.copy(x.grad) if isinstance(x.grad, np.ndarray) else x.grad for x in wrt}
    for v, g in saved:
        v.grad = g
    noise = max(floor, 64 * np.finfo(float).eps * float(np.max(np.abs(out.data))) / h)
    checks = []
    for x in wrt:
        indices = [()] if type(x.data) is float else list(np.ndindex(x.data.shape))
        for index in indices:
            a = float(analytic[x][index]) if index else float(analytic[x])
            n, kink = difference(out, x, index, h, order=order)
            error = relative_error(a, n)
            ok = kink is not None or error <= tolerance or abs(a - n) <= noise
            checks.append(Check(x, index, a, n, error, kink, ok))
    return checks


def _set(x: Value, index: tuple, value: float) -> None:
    if index:
        x.data[index] = value
    else:
        x.data = value


def _kink_sides(order: Sequence[Value]) -> dict[Value, np.ndarray]:
    """For every node with a kink, which side of it each element of its input is on."""
    return {node: np.sign(node._fn.kink(*(p.data for p in node._prev)))
            for node in order if node._fn is not None and node._fn.kink is not None}
