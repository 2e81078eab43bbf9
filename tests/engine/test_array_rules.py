"""The array ops' rules in words: what a matrix product, a transpose, a sum and a mean send back,
as a formula over the node's names and, given the gradient arriving, with its numbers."""

import numpy as np
import pytest

from gradquest.engine import Value
from gradquest.engine.explain import rule_formula, rule_with_numbers, rule_words


def layer():
    W = Value(np.array([[0.5, -1.0, 2.0], [1.0, 0.5, 0.0]]), label="W")
    x = Value(np.array([1.0, 2.0, 3.0]), label="x")
    return W, x, W @ x


def test_a_matrix_product_sends_delta_times_x_transposed_and_w_transposed_times_delta():
    W, x, y = layer()
    delta = np.array([0.6, 0.8])
    assert rule_formula(y, 0) == "∂L/∂W = ∂L/∂(W·x)·xᵀ"
    assert rule_with_numbers(y, 0, delta) == "∂L/∂W = ∂L/∂(W·x)·xᵀ = [[0.6, 1.2, 1.8], [0.8, 1.6, 2.4]]"
    assert rule_with_numbers(y, 1, delta, of="J") == "∂J/∂x = Wᵀ·∂J/∂(W·x) = (1.1, −0.2, 1.2)"
    assert rule_with_numbers(y, 0) == "∂L/∂W = ∂L/∂(W·x)·xᵀ"  # no gradient arriving: the formula alone
    assert "times the input it multiplied" in rule_words(y, 0) and "左边的因子" in rule_words(y, 0, "zh")
    assert not np.any(y.grad) and not np.any(W.grad)  # working out the numbers leaves the graph's gradients alone


def test_transpose_sum_and_mean_say_what_they_send_back():
    W, _, _ = layer()
    t = W.T
    assert rule_with_numbers(t, 0, np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])) == \
        "∂L/∂W = (∂L/∂(Wᵀ))ᵀ = [[1, 3, 5], [2, 4, 6]]"
    s, m = W.sum(), W.mean()
    assert rule_with_numbers(s, 0, 2.0).endswith("= [[2, 2, 2], [2, 2, 2]]")
    assert rule_with_numbers(m, 0, 6.0).endswith("= [[1, 1, 1], [1, 1, 1]]") and "/n" in rule_formula(m, 0)
    assert "same gradient to every entry" in rule_words(s, 0) and "divided by their number" in rule_words(m, 0)
    assert "back transposed" in rule_words(t, 0)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_s_rule_says_what_it_gives_with_cross_entropy(op):
    z = Value(np.array([2.0, 1.0, 0.1]), label="z")
    p = getattr(z, op)()
    assert "p − y" in rule_words(p, 0) and "p − y" in rule_words(p, 0, "zh")
