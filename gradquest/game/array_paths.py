"""The array ops' slips (`engine/array_slips.py`) composed along a level's graph.

A forward slip is one op of the asked node's own expression computed the wrong way, the rest of
the expression computed from it as it is; a backward slip is the whole backward pass from the
output with one op sending one input the wrong gradient, so that a slip made at softmax or at a
mean reaches every gradient behind it (∂L/∂W through a network as well as ∂L/∂z). Only asks whose
graph holds arrays get them: the scalar levels keep `graph_slips.py`'s own.
"""

from __future__ import annotations

import numpy as np

from gradquest.engine.array_slips import of_op
from gradquest.engine.explain import number, pushed
from gradquest.game.graph_slips import Found, as_operand, partial, then
from gradquest.game.messages import say
from gradquest.game.naming import term
from gradquest.game.steps import inside
from gradquest.levels.kinds import kind_of
from gradquest.model.world import World


def array_candidates(step, world: World, expected, lang: str) -> list[Found]:
    """The array slips this ask can be diagnosed against."""
    key = kind_of(step).key
    try:
        with np.errstate(all="ignore"):  # a slip may take the log of 0: its number is then no candidate
            if key == "gradient":
                return _backward(step, world, expected, lang)
            if key == "forward":
                return _forward(step, world, expected, lang)
    except (ArithmeticError, ValueError, KeyError, TypeError, NotImplementedError):
        pass
    return []


def _arrays(nodes) -> bool:
    return any(np.ndim(v.data) for v in nodes)


def _differs(wrong, expected) -> bool:
    w, x = np.asarray(wrong, dtype=float), np.asarray(expected, dtype=float)
    return w.shape == x.shape and bool(np.all(np.isfinite(w))) and not np.allclose(w, x, rtol=1e-9, atol=1e-12)


def _sentence(slip, lang: str, **fields) -> str:
    return (slip.zh if lang == "zh" else slip.en).format(**fields)


def _forward(step, world: World, expected, lang: str) -> list[Found]:
    c = step.forward
    if c not in world.nodes:
        return []
    root = world.nodes[c]
    ops = inside(world, root)
    if not _arrays(ops) and not any(_arrays(v._prev) for v in ops):
        return []
    found = []
    for m in ops:
        for slip in of_op(m._fn.name, "forward"):
            for wrong, fields in slip.value(m):
                value = _recompute(ops, m, wrong)
                if value is None or not _differs(value, expected):
                    continue
                message = _sentence(slip, lang, used=number(wrong), x=as_operand(world, m._prev[0], lang), **fields)
                found.append(Found(slip.name, _plain(value), _gives(message, term(world.level, c, lang), value, lang)))
    return found


def _gives(message: str, d: str, value, lang: str) -> str:
    """The slip's sentence, then what it gives for the ask unless the sentence said that number already."""
    if number(value) in message:
        return message
    return then(message, say("slip.gives", lang, d=d, value=number(value)), lang)


def _recompute(order, changed, replaced):
    values = {}
    for v in order:
        values[v] = replaced if v is changed else v._fn.forward(*(values.get(p, p.data) for p in v._prev), v._arg)
    return values[order[-1]]


def _backward(step, world: World, expected, lang: str) -> list[Found]:
    x, out = step.gradient, step.of or world.output.label
    if x == out:
        return []
    root, target = world.named[out], world.named[x]
    order = root.topo()
    if not _arrays(order):
        return []
    upstream = world.gradients(step.of)
    d = partial(world, out, x, lang)
    found = []
    for v in order:
        if v._fn is None:
            continue
        for slip in of_op(v._fn.name, "backward"):
            for slot, inp in enumerate(v._prev):
                if inp._fn is None and inp is not target:
                    continue  # a constant or another parameter: nothing flows on from it
                up = upstream.get(v)
                if up is None or not np.any(up):
                    continue
                for wrong, fields in slip.value(v, up, slot):
                    value = _backward_with(root, order, target, v, slot, wrong)
                    if value is None or not _differs(value, expected):
                        continue
                    other = as_operand(world, v._prev[1 - slot], lang) if len(v._prev) == 2 else ""
                    message = _sentence(slip, lang, used=number(wrong), x=as_operand(world, inp, lang), other=other,
                                        **fields)
                    found.append(Found(slip.name, _plain(value), _gives(message, d, value, lang)))
    return found


def _backward_with(root, order, target, at, slot: int, wrong):
    """∂root/∂target with the op at `at` sending `wrong` to its input in `slot` (every gradient is
    put back as it was); None where the wrong gradient has not the input's shape."""
    inp = at._prev[slot]
    if np.shape(wrong) != np.shape(inp.data):
        return None
    kept = [(v, v.grad) for v in order]
    try:
        for v in order:
            v.grad = 0.0 if type(v.data) is float else np.zeros_like(v.data)
        root.grad = 1.0 if type(root.data) is float else np.ones_like(root.data)
        for v in reversed(order):
            if v._fn is None:
                continue
            if v is at:
                true = pushed(v, v.grad, slot)
                v._fn.backward(v)
                inp.grad = inp.grad + (np.asarray(wrong, dtype=float) - true)
            else:
                v._fn.backward(v)
        return np.array(target.grad, dtype=float)
    finally:
        for v, g in kept:
            v.grad = g


def _plain(value):
    value = np.asarray(value, dtype=float)
    return float(value) if value.ndim == 0 else value
