"""Value: every op's gradient against central differences, kinks, arrays, depth, memory."""

import gc
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gradquest.engine import Value, maximum, minimum
from gradquest.engine.gradcheck import check, relative_error

reals = st.floats(min_value=-4.0, max_value=4.0, allow_nan=False)
positives = st.floats(min_value=0.05, max_value=5.0)

UNARY = {
    "neg": (lambda v: -v, reals),
    "exp": (lambda v: v.exp(), reals),
    "log": (lambda v: v.log(), positives),
    "sqrt": (lambda v: v.sqrt(), positives),
    "tanh": (lambda v: v.tanh(), reals),
    "sigmoid": (lambda v: v.sigmoid(), reals),
    "relu": (lambda v: v.relu(), reals),
    "sin": (lambda v: v.sin(), reals),
    "cos": (lambda v: v.cos(), reals),
    "abs": (lambda v: v.abs(), reals),
    "square": (lambda v: v**2, reals),
    "cube": (lambda v: v**3, reals),
    "inverse": (lambda v: v**-1, positives),
    "root": (lambda v: v**0.5, positives),
    "rpow": (lambda v: 2.0**v, reals),
    "rsub": (lambda v: 3.0 - v, reals),
    "rdiv": (lambda v: 3.0 / v, positives),
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "max": maximum,
    "min": minimum,
}


def assert_gradients_match(out, inputs):
    for c in check(out, inputs, h=1e-6, tolerance=1e-6):
        assert c.kink is None, f"input sits on a kink: {c}"
        assert c.ok, c


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_unary_gradient_matches_central_difference(name, data):
    fn, domain = UNARY[name]
    x = data.draw(domain)
    assume(abs(x) > 1e-3)  # away from the kinks of relu and abs
    a = Value(x)
    out = fn(a) * 1.5 + 0.25  # a non-trivial upstream gradient
    assert_gradients_match(out, [a])


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=40, deadline=None)
@given(x=positives, y=positives)
def test_binary_gradient_matches_central_difference(name, x, y):
    assume(abs(x - y) > 1e-3)  # away from the switch of max and min
    a, b = Value(x), Value(y)
    out = BINARY[name](a, b) * 1.3 - 0.2
    assert_gradients_match(out, [a, b])


@settings(max_examples=60, deadline=None)
@given(st.lists(reals, min_size=3, max_size=3))
def test_a_composite_expression_matches_central_difference(xs):
    a, b, c = (Value(x) for x in xs)
    out = ((a * b + c).tanh() * a - (b * c).sigmoid() / (1 + a * a)).exp()
    assert_gradients_match(out, [a, b, c])


def test_kink_conventions_follow_pytorch():
    zero = Value(0.0)
    zero.relu().backward()
    assert zero.grad == 0.0
    zero = Value(0.0)
    zero.abs().backward()
    assert zero.grad == 0.0
    a, b = Value(1.0), Value(1.0)
    maximum(a, b).backward()
    assert (a.grad, b.grad) == (0.5, 0.5)


def test_gradient_check_reports_a_kink_rather_than_failing():
    x = Value(0.0)
    result = check(x.relu() * 2, [x])[0]
    assert result.kink is not None and result.ok
    assert result.error > 0.1  # the difference quotient alone would have failed


def test_gradient_check_fails_on_a_wrong_derivative():
    from gradquest.engine import apply
    from gradquest.engine.ops import Op, TANH

    def wrong_backward(node):
        (a,) = node._prev
        a.grad += (1.0 - node.data) * node.grad  # should be 1 − tanh²

    broken = Op("tanh", "tanh", TANH.forward, wrong_backward, TANH.local)
    x = Value(0.7)
    result = check(apply(broken, x), [x])[0]
    assert not result.ok and result.kink is None
    correct = check(x.tanh(), [x])[0]
    assert correct.ok


def test_relative_error_is_zero_when_both_are_zero():
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(1.0, -1.0) == 1.0


def test_scalars_behave_as_floats():
    a = Value(3)
    assert type(a.data) is float and type(a.grad) is float
    b = Value(np.float64(2.5)) * a
    b.backward()
    assert f"{b.data:.4f}" == "7.5000" and a.grad > 2 and float(b) == 7.5
    # a numpy scalar on the left defers to Value's reflected operator
    c = np.int64(-1) * a
    assert isinstance(c, Value) and c.data == -3.0


def test_numbers_on_either_side():
    a = Value(2.0)
    exprs = [a + 1, 1 + a, a - 1, 1 - a, a * 3, 3 * a, a / 4, 4 / a, a**3, 2**a, -a]
    assert [e.data for e in exprs] == [3, 3, 1, -1, 6, 6, 0.5, 2, 8, 4, -2]


def test_accumulation_for_a_node_used_twice():
    a = Value(3.0, label="a")
    b = a + a
    b.backward()
    assert a.grad == 2.0
    c = Value(2.0)
    d = c * c * c
    d.backward()
    assert c.grad == 12.0


def test_second_backward_accumulates_into_leaves_only():
    a, b = Value(2.0), Value(-3.0)
    e = a * b
    L = (e + 10.0) * -2.0
    L.backward()
    assert (a.grad, e.grad) == (6.0, -2.0)
    L.backward()
    assert (a.grad, e.grad) == (12.0, -2.0)  # leaves accumulate, inner nodes start afresh


@pytest.mark.slow
def test_backward_through_a_200k_chain_needs_no_recursion():
    x = Value(1.0)
    y = x
    for _ in range(200_000):
        y = y * 1.000001 + 0.0
    y.backward()
    assert math.isclose(x.grad, 1.000001**200_000, rel_tol=1e-9)


def test_nodes_hold_no_reference_cycles():
    def live_values():
        return sum(isinstance(o, Value) for o in gc.get_objects())

    gc.collect()
    gc.disable()
    try:
        before = live_values()
        a = Value(2.0)
        out = (a * 3.0 + 1.0).tanh().exp()
        out.backward()
        assert live_values() > before + 4
        del a, out
        assert live_values() == before  # freed by reference counting alone
    finally:
        gc.enable()


def test_invalid_domains_give_nan_or_inf_not_exceptions():
    assert math.isnan(Value(-1.0).log().data)
    assert Value(0.0).log().data == -math.inf
    assert math.isnan(Value(-4.0).sqrt().data)
    assert Value(1.0 / 3.0).__rtruediv__(0.0).data == 0.0
    assert (Value(1.0) / 0.0).data == math.inf
    assert math.isnan((Value(-8.0) ** (1 / 3)).data)
    assert Value(1000.0).exp().data == math.inf


# ---- arrays

def test_broadcasting_sums_gradients_back():
    rng = np.random.default_rng(0)
    cases = [((3, 4), (4,)), ((3, 4), (3, 1)), ((3, 1), (1, 4)), ((2, 3, 4), (3, 4)), ((3,), ())]
    for shape_a, shape_b in cases:
        a = Value(rng.normal(size=shape_a))
        b = Value(rng.normal(size=shape_b) if shape_b else 0.7)
        out = ((a * b + a - b) / (1.5 + b * b)).tanh().sum()
        assert_gradients_match(out, [a, b])
        assert np.shape(a.grad) == shape_a and np.shape(b.grad) == shape_b


def test_matmul_chain_and_reductions():
    rng = np.random.default_rng(1)
    x = Value(rng.normal(size=(5, 3)))
    w1 = Value(rng.normal(size=(3, 4)))
    w2 = Value(rng.normal(size=(4, 2)))
    v = Value(rng.normal(size=2))
    h = (x @ w1).tanh() @ w2
    out = (h @ v).sigmoid().mean() + h.sum(axis=0, keepdims=True).mean(axis=1).sum() + (h.T @ h).sum()
    assert_gradients_match(out, [x, w1, w2, v])


def test_reshape_transpose_and_indexing():
    rng = np.random.default_rng(2)
    a = Value(rng.normal(size=(2, 3)))
    picked = a[0, 1] * a[1, :].sum() + a[:, 2].exp().sum() + a[np.array([0, 0]), np.array([1, 1])].sum()
    out = picked + (a.reshape(3, 2).T * a).sum() + a.transpose(1, 0).mean(axis=0).sum()
    assert_gradients_match(out, [a])


def test_a_two_layer_network_against_a_hand_written_numpy_backward():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(8, 2)), rng.choice([-1.0, 1.0], size=8)
    W1, b1, W2, b2 = rng.normal(size=(2, 5)), rng.normal(size=5), rng.normal(size=(5, 1)), rng.normal(size=1)
    params = [Value(p.copy()) for p in (W1, b1, W2, b2)]
    h = (Value(X) @ params[0] + params[1]).relu()
    score = (h @ params[2] + params[3]).reshape(8)
    loss = (1.0 - Value(y) * score).relu().mean()
    loss.backward()

    # the same network by hand
    z1 = X @ W1 + b1
    hh = np.maximum(z1, 0)
    s = (hh @ W2 + b2).reshape(8)
    margin = 1 - y * s
    ds = np.where(margin > 0, -y, 0.0) / 8
    dW2 = hh.T @ ds[:, None]
    db2 = ds.sum(keepdims=True)
    dz1 = (ds[:, None] @ W2.T) * (z1 > 0)
    dW1, db1 = X.T @ dz1, dz1.sum(axis=0)
    assert math.isclose(loss.data, margin.clip(0).mean(), rel_tol=1e-12)
    for p, expected in zip(params, (dW1, db1, dW2, db2)):
        np.testing.assert_allclose(p.grad, expected, rtol=1e-12, atol=1e-15)
