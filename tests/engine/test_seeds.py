"""The seeds' worked examples, pinned with the engine's values."""

import pytest

from gradquest.engine import Value
from gradquest.engine.explain import rule_with_numbers, rule_words
from gradquest.engine.graph import backward_steps, forward_steps, paths
from gradquest.engine.gradcheck import difference


def seed000_L():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b; e.label = "e"
    d = e + c; d.label = "d"
    f = Value(-2.0, label="f")
    L = d * f; L.label = "L"
    return a, b, c, e, d, f, L


def test_seed000_manual_backprop():
    a, b, c, e, d, f, L = seed000_L()
    L.backward()
    assert L.data == -8.0
    assert [n.grad for n in (f, d, c, e, a, b)] == [4.0, -2.0, -2.0, -2.0, 6.0, -4.0]


def test_seed000_one_step_of_gradient_ascent():
    a, b, c, e, d, f, L = seed000_L()
    L.backward()
    for p in (a, b, c, f):
        p.data += 0.01 * p.grad
    e = a * b
    d = e + c
    L = d * f
    assert L.data == pytest.approx(-7.286496, abs=1e-12)


def test_seed000_one_sided_difference_prints_what_the_seed_printed():
    *_, f, L = seed000_L()
    quotient, kink = difference(L, f, h=0.0001, scheme="forward")
    assert quotient == 3.9999999999995595 and kink is None


def test_seed000_rules_with_numbers():
    a, b, c, e, d, f, L = seed000_L()
    assert rule_with_numbers(e, 0) == "∂(a·b)/∂a = b = −3"
    assert rule_with_numbers(d, 1) == "∂(e+c)/∂c = 1"
    assert rule_with_numbers(L, 0) == "∂(d·f)/∂d = f = −2"
    assert rule_words(e, 0, "zh") == "乘积对一个因子的导数是另一个因子"


SEED_BIAS = 6.8123512916312312331  # as the seed prints it (micrograd's original is 6.88137…)


def seed000_neuron(via_exp):
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(SEED_BIAS, label="b")
    n = x1 * w1 + x2 * w2 + b
    if via_exp:
        e = (2 * n).exp()
        o = (e - 1) / (e + 1)
    else:
        o = n.tanh()
    o.backward()
    return o, (x1, x2, w1, w2, b, n)


@pytest.mark.parametrize("via_exp", [False, True])
def test_seed000_neuron(via_exp):
    o, (x1, x2, w1, w2, b, n) = seed000_neuron(via_exp)
    assert n.data == pytest.approx(0.8123512916312317, rel=1e-15)
    assert o.data == pytest.approx(0.6708853057139115, rel=1e-12)
    dn = 1 - o.data**2
    assert dn == pytest.approx(0.5499129065771515, rel=1e-12)
    assert n.grad == pytest.approx(dn, rel=1e-12)
    assert b.grad == pytest.approx(dn, rel=1e-12)
    assert x1.grad == pytest.approx(-3 * dn, rel=1e-12)
    assert w1.grad == pytest.approx(2 * dn, rel=1e-12)
    assert x2.grad == pytest.approx(dn, rel=1e-12)
    assert w2.grad == 0.0


def seed001_linear():
    w = Value(3.0, label="w")
    b = Value(4.0, label="b")
    x = 2 * w + 3 * b; x.label = "x"
    y = 2 * b + 1; y.label = "y"
    z = x * y; z.label = "z"
    return w, b, x, y, z


def test_seed001_linear_chain_and_two_paths():
    w, b, x, y, z = seed001_linear()
    z.backward()
    assert (x.data, y.data, z.data) == (18.0, 9.0, 162.0)
    assert (w.grad, b.grad) == (18.0, 63.0)
    by_path = {p.via[-1].label: p.product for p in paths(z, b)}
    assert by_path == {"x": 27.0, "y": 36.0}
    assert sum(by_path.values()) == b.grad
    assert [p.product for p in paths(z, w)] == [18.0]


def test_steppers_reveal_the_graph_in_order_with_chain_rule_terms():
    w, b, x, y, z = seed001_linear()
    forward = [e.node.label for e in forward_steps(z) if e.node.label]
    assert forward.index("x") < forward.index("z") and forward.index("y") < forward.index("z")
    events = {e.node.label: e for e in backward_steps(z) if e.node.label}
    assert events["z"].grad == 1.0 and events["z"].terms == ()
    assert events["x"].grad == 9.0 and events["x"].terms[0].local == 9.0
    db = events["b"]
    assert db.grad == 63.0 and sorted(t.value for t in db.terms) == [27.0, 36.0]
    for t in db.terms:
        assert t.upstream * t.local == t.value


def test_paths_for_a_node_used_twice():
    a = Value(3.0, label="a")
    b = a + a
    assert [p.product for p in paths(b, a)] == [1.0, 1.0]


def test_a_rule_over_an_unnamed_expression_keeps_it_in_parentheses():
    from gradquest.engine.value import Value

    n = Value(0.5, label="n")
    inner = n * 2.0
    assert rule_with_numbers(inner.exp(), 0).startswith("∂exp(n·2)/∂(n·2) = exp(n·2)")
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    assert rule_with_numbers((x + y) ** 2, 0).startswith("∂((x+y)²)/∂(x+y) = 2·(x+y)")
    assert rule_with_numbers(x / (x + y), 1).startswith("∂(x/(x+y))/∂(x+y) = −x/(x+y)²")


def test_an_array_of_one_entry_reads_as_its_number():
    import numpy as np

    from gradquest.engine.explain import number

    assert number(np.array([0.0229558])) == "0.0229558"
    assert number(np.array([[-2.5]])) == "−2.5"
    assert number(np.array([1.0, -2.5])) == "(1, −2.5)"


def test_only_the_parentheses_a_rule_adds_are_taken_off_again():
    from gradquest.engine.explain import rule_formula
    from gradquest.engine.value import Value

    pair = Value(0.5, label="(s, t)")  # a label that is itself in parentheses stays as it is
    assert rule_formula(pair.exp(), 0) == "∂exp((s, t))/∂(s, t) = exp((s, t))"
