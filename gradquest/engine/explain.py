"""Each op's rule said in words and written with the numbers plugged in:
"∂(a·b)/∂a = b = −3", in English or Chinese.
"""

from __future__ import annotations

import math
import re

import numpy as np

from gradquest.engine.graph import local_derivatives
from gradquest.engine.ops import POW_CONST
from gradquest.engine.value import Value

MINUS = "\u2212"
_INFIX = {"add": "+", "sub": "−", "mul": "·", "div": "/", "powv": "^", "matmul": "·"}
_POWER = re.compile(r"\^\(([−-]?\d+)−1\)|\^([−-]?\d+)(?![\d.])")  # a^(2−1), a^2: a whole exponent
_PRECEDENCE = {"add": 1, "sub": 1, "neg": 2, "mul": 2, "matmul": 2, "div": 2, "powv": 3, "pow": 3, "transpose": 4}


def number(x, digits: int = 6) -> str:
    """A number as the game prints it: up to `digits` significant digits, a real minus sign."""
    if isinstance(x, np.ndarray) and x.ndim == 2 and min(x.shape) >= 2:  # a matrix, row by row, as it is typed
        return "[" + ", ".join("[" + ", ".join(number(v, digits) for v in row) + "]" for row in x) + "]"
    if isinstance(x, np.ndarray):  # one entry reads as the number it is, and is typed as one
        return number(x.item(), digits) if x.size == 1 else "(" + ", ".join(number(v, digits) for v in x.ravel()) + ")"
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else MINUS + "∞"
    if x == 0:
        return "0"
    text = format(x, f".{digits}g")
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return MINUS + text[1:] if text.startswith("-") else text


SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def written_powers(text: str) -> str:
    """Whole exponents as a player writes them: (y − t)^2 reads (y − t)², a^(3−1) reads a², a^(2−1)
    reads a (another exponent, a^0.5 or a^b, keeps its ^)."""
    def sup(m: re.Match) -> str:
        k = int(m.group(1).replace(MINUS, "-")) - 1 if m.group(1) else int(m.group(2).replace(MINUS, "-"))
        return "" if k == 1 else str(k).translate(SUPERSCRIPT)
    return _POWER.sub(sup, text)


def magnitude(x) -> str:
    """A number as a reader says it when it is huge: 4·10⁹³, not 4.34104e93 (else as `number`)."""
    x = float(x)
    if not math.isfinite(x) or abs(x) < 1e6:
        return number(x)
    mantissa, exponent = format(x, ".0e").split("e")
    return f"{mantissa.replace('-', MINUS)}·10{str(int(exponent)).translate(SUPERSCRIPT)}"


def describe(node: Value, depth: int = 3) -> str:
    """A node's name: its label, its value if it is an unnamed constant, or its expression."""
    if node.label:
        return node.label
    fn = node._fn
    if fn is None:
        return number(node.data)
    if depth == 0:
        return "…"
    args = [describe(p, depth - 1) for p in node._prev]
    rank = _PRECEDENCE.get(fn.name)
    if fn.name in _INFIX:
        left = _wrap(node._prev[0], args[0], rank)
        right = _wrap(node._prev[1], args[1], rank + (fn.name in ("sub", "div", "powv")))
        return written_powers(f"{left}{_INFIX[fn.name]}{right}")
    if fn is POW_CONST:
        return written_powers(f"{_wrap(node._prev[0], args[0], rank + 1)}^{number(node._arg)}")
    if fn.name == "neg":
        return f"{MINUS}{_wrap(node._prev[0], args[0], rank + 1)}"
    if fn.name == "transpose":
        return f"{_wrap(node._prev[0], args[0], rank)}ᵀ"
    return f"{fn.symbol}({', '.join(args)})"


def _wrap(node: Value, text: str, rank: int) -> str:
    """Parenthesise an unnamed sub-expression that binds less tightly than its parent."""
    inner = None if node.label or node._fn is None else _PRECEDENCE.get(node._fn.name)
    return f"({text})" if inner is not None and inner < rank else text


def rule_words(node: Value, slot: int, lang: str = "en") -> str:
    """The rule for ∂node/∂input[slot] in words."""
    rule = node._fn.rules[slot]
    return rule.zh if lang == "zh" else rule.en


def rule_formula(node: Value, slot: int, of: str = "L") -> str:
    """The rule as a formula over the node's own names, e.g. "∂(a·b)/∂a = b"; an array op's rule
    says what it sends back to its input from the gradient of `of` arriving at it ("∂L/∂W = δ·xᵀ")."""
    unnamed = [p._fn is not None and not p.label for p in node._prev]  # sub-expressions, put in parentheses
    names = [f"({describe(p)})" if bare else describe(p) for p, bare in zip(node._prev, unnamed)]
    fields = {"a": names[0], "b": names[1] if len(names) > 1 else "", "out": describe(node), "L": of}
    if node._fn is POW_CONST:
        fields["k"] = number(node._arg)
    formula = node._fn.rules[slot].formula.format(**fields)
    for name, bare in zip(names, unnamed):  # exp((2·n)) reads exp(2·n); ∂(2·n) keeps its parentheses
        if bare:
            formula = formula.replace(f"({name})", name)
    if node.label:  # an array op's ∂L/∂(out): a named output needs no parentheses
        formula = formula.replace(f"∂{of}/∂({node.label})", f"∂{of}/∂{node.label}")
    return written_powers(formula)


def rule_with_numbers(node: Value, slot: int, upstream=None, of: str = "L") -> str:
    """The rule with the value plugged in: "∂(a·b)/∂a = b = −3". An op over arrays plugs in what it
    sends back to the input when `upstream` (∂of/∂node) arrives ("∂L/∂W = δ·xᵀ = [[…]]"); without
    it, its local derivative if it has one (softmax's Jacobian), else the formula alone."""
    formula = rule_formula(node, slot, of)
    try:
        value = number(local_derivatives(node)[slot])
    except NotImplementedError:
        if upstream is None:
            return formula
        value = number(pushed(node, upstream, slot))
    if formula.rsplit("= ", 1)[-1] == value:
        return formula
    return f"{formula} = {value}"


def pushed(node: Value, upstream, slot: int):
    """What node's op sends back to its input in `slot` when `upstream` arrives at node (every
    gradient it touches is put back as it was)."""
    kept = [(v, v.grad) for v in (node, *node._prev)]
    try:
        for p in node._prev:
            p.grad = 0.0 if type(p.data) is float else np.zeros_like(p.data)
        node.grad = upstream if type(upstream) is float else np.array(upstream, dtype=np.float64)
        node._fn.backward(node)
        return node._prev[slot].grad
    finally:
        for v, g in kept:
            v.grad = g
