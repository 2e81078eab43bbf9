"""Mistakes the engine can name in any level, beyond the ones of `diagnose.py`'s first list:

- the other factor of a product: ∂(x·y)/∂x answered with x instead of y;
- the gradient arriving at a node, not multiplied by the node's local derivative (a forgotten σ′);
- a node's output used for its input (or the other way round) in the slope of tanh, σ or exp;
- a constant factor lost or added: the sum for the mean (×4 for a mean of 4), the ½ of ½(y − ŷ)²;
- log base 10 for the natural log, degrees for radians;
- the previous step's values, or the parameters left unchanged by an update;
- for a vector, which entry is wrong, or the entries swapped.
"""

from __future__ import annotations

import math
import re

import numpy as np

from gradquest.engine import Value
from gradquest.engine.explain import describe, number, rule_words
from gradquest.engine.parser import VALUE_LIB, evaluate
from gradquest.game.graph_slips import SQUARE
from gradquest.game.messages import say
from gradquest.game.steps import factor
from gradquest.model.world import World, parsed
from gradquest.levels.kinds import asked_value, kind_of
from gradquest.levels.schema import expr_of

UNARY = ("tanh", "sigmoid", "exp")
_CONSTANT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.])")
_DIVISOR = re.compile(r"/\s*(\d+(?:\.\d+)?)(?![\w.])")
ORDINALS = (("first", "第一个"), ("second", "第二个"), ("third", "第三个"), ("fourth", "第四个"))


def _uses(step, world: World):
    """(consumer node, the asked input, the gradient arriving at the consumer) for a gradient or local ask."""
    if kind_of(step).asks == "local":
        if step.local in world.nodes:
            yield step.local, step.wrt, 1.0
        return
    if kind_of(step).asks != "gradient":
        return
    out = step.of or world.output.label
    if np.ndim(world.named[step.gradient].data):
        return  # an array parameter: its local derivatives are Jacobians, not one number to forget
    for c in world.consumers(step.gradient):
        if np.ndim(world.named[c].data):
            continue
        if world.reaches(c, step.of):
            yield c, step.gradient, 1.0 if c == out else world.gradient(c, step.of)


def product_candidates(step, world: World) -> list[tuple[str, object, dict]]:
    """∂(a·b)/∂a = b: the answer a itself (times what arrives) took the wrong factor."""
    found = []
    for c, x, upstream in _uses(step, world):
        node, target = world.nodes[c], world.named[x]
        if node._fn is None or node._fn.name != "mul" or target not in node._prev or node._prev[0] is node._prev[1]:
            continue
        other = node._prev[1] if node._prev[0] is target else node._prev[0]
        value = float(upstream) * float(target.data)
        fields = {"x": x, "c": c, "other": describe(other)}
        if other._fn is None and not other.label:  # a bare number: in a local ask it is the answer itself
            fields["variant"] = "other_factor_unnamed"
        if not math.isclose(float(upstream), 1.0):  # the answer is upstream·x, not x: say so
            fields |= {"say": "other_factor_upstream", "upstream": number(upstream),
                       "product": f"{factor(upstream)}·{factor(target.data)}",
                       "value": number(value)}
        found.append(("other_factor", value, fields))
    return found


def no_local_candidates(step, world: World) -> list[tuple[str, object, dict]]:
    """The gradient arriving at a consumer, passed on without its local derivative."""
    if kind_of(step).asks != "gradient":
        return []
    found = []
    for c, x, upstream in _uses(step, world):
        if c != (step.of or world.output.label) and not math.isclose(float(world.local(c, x)), 1.0):
            found.append(("no_local", float(upstream), {"x": x, "c": c}))
    return found


def activation_candidates(step, world: World, lang: str) -> list[tuple[str, object, dict]]:
    """tanh′ = 1 − o², σ′ = o(1 − o), exp′ = o are written with the output o: the same rule with
    the input n in o's place, or the slope taken at o instead of n."""
    found = []
    for c, x, upstream in _uses(step, world):
        node = world.nodes[c]
        if node._fn is None or node._fn.name not in UNARY or node._prev[0] is not world.named[x]:
            continue
        op, n, o = node._fn, float(node._prev[0].data), float(node.data)
        for inp, out in ((n, n), (o, float(op.forward(o, node._arg)))):
            slope = op.local((Value(inp),), Value(out), node._arg)[0]
            found.append(("output_for_input", float(upstream) * float(getattr(slope, "data", slope)),
                          {"x": x, "c": c, "rule": rule_words(node, 0, lang)}))
    return found


def factor_candidates(step, world: World, expected, lang: str = "en") -> list[tuple[str, object, dict]]:
    """The answer times or divided by a constant of the level's formulas: a lost ½, a sum for a mean.
    The message names only the causes the level has (a ½, a square, a mean's division); with none of
    them it says plainly how many times the right answer the answer is."""
    texts = [expr_of(n) for n in world.level.model.nodes.values()] + kind_of(step).asked_expressions(step)
    divisors = {float(k) for t in texts for k in _DIVISOR.findall(t)}
    divisors |= {float(np.size(v.data)) for v in world.data.values() if np.ndim(v.data)
                 and any("mean(" in t for t in texts)}
    divisors |= {float(np.size(v._prev[0].data) / np.size(v.data)) for v in world.order  # a mean over a batch's rows
                 if v._fn is not None and v._fn.name == "mean" and np.ndim(v._prev[0].data)}
    constants = {float(k) for t in texts for k in _CONSTANT.findall(t)} | divisors
    constants -= {0.0, 1.0, 10.0, 100.0, 0.1, 0.01}
    has = _has(world, texts)
    flat = np.asarray(expected, dtype=float)
    found = []
    for k in sorted(constants):
        if k in divisors:
            found.append(("mean", flat * k, {"k": number(k)}))
        causes = [say(f"factor.{c}", lang) for c in ("half", "square") if k in (2, 0.5) and has[c]] + \
            ([say("factor.mean", lang)] if k in divisors else [])
        said = {"causes": ("、" if lang == "zh" else ", ").join(causes)} if causes else None
        for ratio in (k, 1 / k):  # the answer is `ratio` times the right one
            plainly = {"variant": "factor_times", "n": number(ratio)} if ratio > 1 else \
                {"variant": "factor_part", "n": number(1 / ratio)}
            found.append(("factor", flat * ratio, {"k": number(k), **(said or plainly)}))
    return found


def _has(world: World, texts) -> dict[str, bool]:
    """Whether the level's graph (or an asked formula) has a ½ and a square."""
    ops = [v for v in world.order if v._fn is not None]
    half = any(v._fn is None and not v.label and np.ndim(v.data) == 0 and float(v.data) == 0.5
               for o in ops for v in o._prev) or any(re.search(r"(?<![\d.])0\.5(?!\d)|½|/\s*2(?![\d.])", t) for t in texts)
    square = any(o._fn.name in ("pow", "powv") and len(o._prev) and _exponent(o) == 2
                 or o._fn.name == "mul" and o._prev[0] is o._prev[1] for o in ops) or any(SQUARE.search(t) for t in texts)
    return {"half": half, "square": square}


def _exponent(o) -> float | None:
    arg = o._arg if o._fn.name == "pow" else o._prev[1].data if len(o._prev) > 1 else None
    return float(arg) if isinstance(arg, (int, float)) or np.ndim(arg) == 0 and arg is not None else None


def _with_lib(world: World, expr: str, lib) -> float:
    env = {name: Value(v) for name, v in world.env().items()}
    for name, node in world.level.model.nodes.items():
        env[name] = evaluate(parsed(node), env, lib)
    out = evaluate(parsed(expr), env, lib)
    return float(np.mean(out.data if isinstance(out, Value) else out))


_LOG10 = {**VALUE_LIB, "log": lambda v: VALUE_LIB["log"](v) / math.log(10), "ln": lambda v: VALUE_LIB["log"](v) / math.log(10)}
_DEGREES = {**VALUE_LIB, "sin": lambda v: VALUE_LIB["sin"](v * (math.pi / 180)),
            "cos": lambda v: VALUE_LIB["cos"](v * (math.pi / 180))}


def function_candidates(step, world: World) -> list[tuple[str, object, dict]]:
    """The same computation with log base 10 for ln, or with angles taken in degrees."""
    expr = asked_value(step)
    if expr is None:
        return []
    texts = " ".join([expr, *world.level.model.nodes.values()])
    found = []
    for code, lib, names in (("log_base", _LOG10, ("log(", "ln(")), ("degrees", _DEGREES, ("sin(", "cos("))):
        if any(n in texts for n in names):
            try:
                found.append((code, _with_lib(world, expr, lib), {}))
            except (KeyError, ValueError, ArithmeticError):  # a name only the exact world knows
                pass
    return found


def shape_words(answer, expected, near) -> tuple[str, dict] | None:
    """For a matrix: the transpose given (`transposed`), or a matrix of another shape (`wrong_shape`)."""
    a, x = np.asarray(answer, dtype=float), np.asarray(expected, dtype=float)
    if x.ndim != 2:
        return None
    if a.shape == x.T.shape and not (x.shape == x.T.shape and np.allclose(x, x.T)) and near(a, x.T):
        return "transposed", {}
    if a.shape != x.shape:
        return "wrong_shape", {"found": "×".join(map(str, a.shape))}
    return None


def common_factor(answer, expected, near) -> tuple[str, dict] | None:
    """A vector or matrix whose every entry is the right one times the same number (not ±1): one
    slip made in all of them (a 2 left out of each, exponentials not divided by their sum…)."""
    a, x = np.asarray(answer, dtype=float), np.asarray(expected, dtype=float)
    if a.shape != x.shape or x.size < 2 or np.any(x == 0) or np.any(a == 0):
        return None
    r = float(np.sum(a * x) / np.sum(x * x))  # the best single factor
    if not near(a, r * x) or near(abs(r), 1.0) or near(x, r * x):
        return None
    k = abs(r) if abs(r) > 1 else 1 / abs(r)
    return ("common_factor", {"say": "common_factor_" + ("times" if abs(r) > 1 else "divided"), "k": number(k),
                              "sign": r < 0})


def entry_words(answer, expected, near, lang: str) -> tuple[str, dict] | None:
    """For a vector: the entries swapped, or which entries are right and which too big or small
    (a matrix's by row and column)."""
    a, x = np.asarray(answer, dtype=float), np.asarray(expected, dtype=float)
    if a.ndim == 0 or a.shape != x.shape:
        return None
    if x.ndim == 1 and not np.allclose(x, x[::-1]) and near(a, x[::-1]):
        return "swapped", {}
    parts = []
    for i, (ai, xi) in enumerate(zip(a.ravel(), x.ravel())):
        state = "right" if near(ai, xi) else "sign" if xi != 0 and near(ai, -xi) else "big" if ai > xi else "small"
        if x.ndim == 2:
            row, col = divmod(i, x.shape[1])
            parts.append((say("entry.at", lang, i=row + 1, j=col + 1), state))
            continue
        parts.append((ORDINALS[i][lang == "zh"] if i < len(ORDINALS) else str(i + 1), state))
    if all(state == "right" for _, state in parts):
        return None
    return "entries", {"parts": parts}
