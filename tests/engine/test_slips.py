"""The catalogue of wrong local rules (engine/slips.py), checked against the engine's true rules."""

import math
import string

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gradquest.engine import Value, maximum, minimum
from gradquest.engine.graph import local_derivatives
from gradquest.engine.slips import SLIPS, catalogue, offered, wrong_value

BUILD = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
    "neg": lambda a, b: -a, "pow": lambda a, b: a ** 3, "exp": lambda a, b: a.exp(), "log": lambda a, b: a.log(),
    "sqrt": lambda a, b: a.sqrt(), "tanh": lambda a, b: a.tanh(), "sigmoid": lambda a, b: a.sigmoid(),
    "relu": lambda a, b: a.relu(), "sin": lambda a, b: a.sin(), "cos": lambda a, b: a.cos(),
    "max": lambda a, b: maximum(a, b), "min": lambda a, b: minimum(a, b),
}
POSITIVE = {"log", "sqrt", "pow"}  # inputs where the op is defined (pow: a real power of a positive base)
SCALAR = [s for s in SLIPS if s.op in BUILD]


def _node(op: str, a: float, b: float) -> Value:
    node = BUILD[op](Value(a, label="a"), Value(b, label="b"))
    assert node.op is not None and node.op.name == op
    return node


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SCALAR), st.floats(-4, 4), st.floats(-4, 4))
def test_a_slip_is_offered_exactly_where_it_differs_from_the_engine_s_rule(slip, a, b):
    if slip.op in POSITIVE:
        a = abs(a) + 0.05
    if slip.op == "div":
        assume(abs(b) > 0.05)
    node = _node(slip.op, a, b)
    for slot in slip.slots:
        truth = float(local_derivatives(node)[slot])
        wrong = wrong_value(slip, [p.data for p in node._prev], node.data, node._arg, slot)
        said = {s.name: v for s, v in offered(slip.op, [p.data for p in node._prev], node.data, node._arg, slot, truth)}
        if wrong is not None and not math.isclose(wrong, truth, rel_tol=1e-9, abs_tol=1e-12):
            assert said[slip.name] == wrong
        else:
            assert slip.name not in said  # never said where it would give the right number


@pytest.mark.parametrize("slip", SCALAR, ids=lambda s: f"{s.op}-{s.name}")
def test_every_slip_is_a_real_mistake_somewhere(slip):
    """At some numbers each slip is offered: no entry of the catalogue is the true rule in disguise."""
    points = [(0.7, -1.3), (-1.3, 0.7), (2.5, 0.4), (-0.6, -2.2)]
    found = set()
    for a, b in points:
        if slip.op in POSITIVE:
            a = abs(a)
        node = _node(slip.op, a, b)
        for slot in slip.slots:
            truth = float(local_derivatives(node)[slot])
            found |= {(s.name, slot) for s, _ in offered(slip.op, [p.data for p in node._prev], node.data,
                                                           node._arg, slot, truth)}
    assert all((slip.name, slot) in found for slot in slip.slots)


def test_the_mean_sends_each_entry_one_over_n_not_one():
    x = Value(np.array([1.0, 2.0, 3.0, 4.0]))
    x.mean().backward()
    (slip,) = catalogue("mean")
    assert slip.name == "mean_as_sum" and not np.allclose(x.grad, slip.value((1.0,), 2.5, (None, False), 0))


@pytest.mark.parametrize("slip", SLIPS, ids=lambda s: f"{s.op}-{s.name}")
def test_each_slip_has_a_sentence_in_both_languages_that_says_the_rule_without_its_value(slip):
    fields = {k: k.upper() for k in ("a", "b", "out", "x", "k", "input")} | {"used": "USED"}
    for template in (slip.en, slip.zh):
        template.format(**fields)  # every field it names is one the game fills; no {truth}: it may be the answer
        keys = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert keys <= set(fields)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in slip.zh)
    assert slip.name.isidentifier() and slip.name == slip.name.lower()


def test_ops_without_a_catalogue_offer_nothing():
    assert offered("matmul", [1.0, 2.0], 2.0, None, 0, 1.0) == [] and catalogue("reshape") == ()
