"""Matrices in expressions: `@`, `.T`/`transpose`, `sum`/`mean` along an axis, `softmax`,
`log_softmax`, `onehot`; every gradient the engine gives agrees with central differences, and
sizes that do not fit are refused in words that name both shapes."""

import numpy as np
import pytest

from gradquest.engine import Value
from gradquest.engine.gradcheck import check
from gradquest.engine.ops import ALL
from gradquest.engine.parser import FLOAT_LIB, VALUE_LIB, Call, evaluate, parse


def env():
    return {"W": Value(np.array([[0.5, -1.0, 2.0], [1.0, 0.5, 0.0]])), "x": Value(np.array([1.0, 2.0, 3.0])),
            "b": Value(np.array([0.1, -0.2])), "X": Value(np.array([[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]]))}


@pytest.mark.parametrize("text", [
    "W @ x + b", "x @ W.T", "sum(W, 0)", "mean(W, 1)", "sum(W, -1)", "transpose(W) @ b", "softmax(W @ x + b)",
    "log_softmax(X @ W.T)", "-sum(onehot(1, 2) * log_softmax(W @ x + b))", "max(W @ x, b)",
    "-mean(sum(onehot((0, 1), 2) * log_softmax(X @ W.T), 1))",
])
def test_the_engine_gradient_matches_central_differences(text):
    e = env()
    out = evaluate(parse(text), e, VALUE_LIB)
    loss = out if np.ndim(out.data) == 0 else (out * out).sum()
    checks = check(loss, list(e.values()))
    assert checks and all(c.ok for c in checks), [c for c in checks if not c.ok]


def test_the_values_are_the_textbook_ones():
    e = env()
    assert np.allclose(evaluate(parse("W @ x + b"), e, VALUE_LIB).data, [4.6, 1.8])
    assert np.allclose(evaluate(parse("W.T"), e, VALUE_LIB).data, [[0.5, 1], [-1, 0.5], [2, 0]])
    assert np.allclose(evaluate(parse("sum(W, 0)"), e, VALUE_LIB).data, [1.5, -0.5, 2])
    p = evaluate(parse("softmax((2, 1, 0.1))"))  # d2l's logits, with floats
    assert np.allclose(p, [0.659001, 0.242433, 0.098566], atol=1e-6)
    assert np.allclose(evaluate(parse("log_softmax((2, 1, 0.1))")), np.log(p))
    assert np.array_equal(evaluate(parse("onehot((2, 0), 3)")), [[0, 0, 1], [1, 0, 0]])


def test_softmax_cross_entropy_gradient_is_p_minus_y():
    z = Value(np.array([2.0, 1.0, 0.1]))
    loss = -(evaluate(parse("onehot(0, 3) * log_softmax(z)"), {"z": z}, VALUE_LIB)).sum()
    loss.backward()
    p = np.exp([2.0, 1.0, 0.1]) / np.exp([2.0, 1.0, 0.1]).sum()
    assert np.allclose(z.grad, p - [1, 0, 0])


def test_the_new_ops_say_their_rules_in_both_languages_and_give_their_jacobian():
    for name in ("softmax", "log_softmax"):
        op = ALL[name]
        assert op.rules and all(r.en and r.zh and r.formula for r in op.rules)
    z = Value(np.array([2.0, 1.0, 0.1]))
    for op, f in ((ALL["softmax"], lambda t: np.exp(t) / np.exp(t).sum()),
                  (ALL["log_softmax"], lambda t: t - np.log(np.exp(t).sum()))):
        out = Value(op.forward(z.data, None))
        (jac,) = op.local((z,), out, None)
        h = 1e-6
        numeric = np.array([(f(z.data + h * np.eye(3)[j]) - f(z.data - h * np.eye(3)[j])) / (2 * h) for j in range(3)]).T
        assert np.allclose(jac, numeric, atol=1e-8)


def test_transpose_is_written_two_ways():
    assert parse("W.T") == Call("transpose", (parse("W"),), 1)
    assert evaluate(parse("(W.T).T @ x"), env(), VALUE_LIB).data.tolist() == evaluate(parse("W @ x"), env(), VALUE_LIB).data.tolist()


@pytest.mark.parametrize("text, words", [
    ("W @ b", "the matrix product of a 2×3 matrix and a vector of 2 entries does not fit"),
    ("2 @ x", "not a number: use * for numbers"),
    ("sum(W, 2)", "axis 2 is not an axis of an array of 2 dimension(s)"),
    ("softmax(2)", "give it a vector"),
    ("onehot(3, 2)", "i a class from 0 to 1"),
    ("onehot(0, 0.5)", "a whole number from 1 to"),
])
def test_what_does_not_fit_is_said_in_words(text, words):
    with pytest.raises(ValueError) as err:
        evaluate(parse(text), env(), VALUE_LIB)
    assert words in str(err.value)


def test_numbers_alone_are_refused_the_same_way():
    with pytest.raises(ValueError, match="a vector of 2 entries and a vector of 3 entries does not fit"):
        evaluate(parse("(1, 2) @ (1, 2, 3)"), {}, FLOAT_LIB)
