"""The array ops' slips, derived from the graph (`engine/array_slips.py`, `game/array_paths.py`):
softmax's forward slips, cross-entropy's, softmax with cross-entropy's gradient slips composed
along the graph to a weight matrix, a batch's mean (summed, or its gradient not divided) and one
example of a batch."""

import numpy as np
import pytest
import yaml

from gradquest.engine.explain import number
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level

CLASSIFIER = """
format_version: 1
id: test.classifier
title: {en: A classifier, zh: 分类器}
chapter: 1
order: 1
model:
  params:
    W: [[1, -0.5], [0.5, 2], [-1, 0.25]]
    x: [0.8, 0.4]
  data:
    y: [0, 1, 0]
  nodes:
    z: W @ x
    p: softmax(z)
    L: -sum(y*log(p))
  output: L
steps:
  - forward: p
  - forward: L
  - gradient: z
  - gradient: W
"""

BATCH = """
format_version: 1
id: test.batch
title: {en: A batch, zh: 一批}
chapter: 1
order: 1
model:
  params:
    W: [[0.5, -1, 2], [1, 0.5, 0]]
  data:
    X: [[1, 2, 3], [0, -1, 1], [2, 0, 1]]
    Y: [[1, 0], [0, 1], [1, 0]]
  nodes:
    Z: X @ W.T
    L: -mean(sum(Y*log_softmax(Z), 1))
  output: L
steps:
  - forward: L
  - gradient: Z
  - gradient: W
"""

W = np.array([[1, -0.5], [0.5, 2], [-1, 0.25]])
X = np.array([0.8, 0.4])
Y = np.array([0.0, 1.0, 0.0])


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def at(text: str, asks: int, lang: str = "en") -> LevelSession:
    s = LevelSession(Level.model_validate(yaml.safe_load(text)), lang=lang)
    for _ in range(asks):
        s.submit(number(s.stage.expected, 12).replace("−", "-"))
    return s


def typed(value) -> str:
    value = np.asarray(value, dtype=float)
    if value.ndim == 2:
        return "; ".join(" ".join(repr(float(v)) for v in row) for row in value)
    return "(" + ", ".join(repr(float(v)) for v in np.ravel(value)) + ")"


def diagnosis(s: LevelSession, value) -> tuple[str, str]:
    verdict = s.submit(typed(value))
    assert verdict.status == "wrong"
    return verdict.diagnosis, verdict.message


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_softmax_computed_without_its_sum_without_exp_or_as_the_argmax(lang):
    z = W @ X
    s = at(CLASSIFIER, 0, lang)
    assert diagnosis(s, np.exp(z))[0] == "softmax_not_normalised"
    assert diagnosis(s, z / z.sum())[0] == "softmax_without_exp"
    code, message = diagnosis(s, (z == z.max()).astype(float))
    assert code == "softmax_argmax" and "exp(zᵢ)/sum(exp(z))" in message


def test_cross_entropy_without_its_minus_or_at_the_wrong_class():
    p = softmax(W @ X)
    s = at(CLASSIFIER, 1)
    code, message = diagnosis(s, np.log(p[1]))
    assert code == "ce_no_minus" and "sign" not in message  # one name for the one slip
    code, message = diagnosis(s, -np.log(p[0]))
    assert code == "ce_wrong_class" and "class 1" in message and number(-np.log(p[0])) in message
    assert diagnosis(s, -np.log(p[2]))[0] == "ce_wrong_class"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_softmax_with_cross_entropy_sending_back_p_or_y_minus_p(lang):
    p = softmax(W @ X)
    s = at(CLASSIFIER, 2, lang)
    code, message = diagnosis(s, p)
    assert code == "softmax_ce_missing_y" and "p − y" in message
    assert diagnosis(s, Y - p)[0] == "softmax_ce_sign"


def test_the_softmax_slips_reach_the_weights_through_the_chain_rule():
    p = softmax(W @ X)
    s = at(CLASSIFIER, 3)
    code, message = diagnosis(s, np.outer(p, X))
    assert code == "softmax_ce_missing_y" and number(np.outer(p, X)) in message  # what it gives for ∂L/∂W
    assert diagnosis(s, np.outer(Y - p, X))[0] == "softmax_ce_sign"


def test_a_batch_mean_summed_instead_and_its_gradient_not_divided():
    Xb = np.array([[1, 2, 3], [0, -1, 1], [2, 0, 1]])
    Wb = np.array([[0.5, -1, 2], [1, 0.5, 0]])
    Yb = np.array([[1, 0], [0, 1], [1, 0]])
    P = softmax(Xb @ Wb.T)
    losses = -np.log((P * Yb).sum(axis=1))
    s = at(BATCH, 0)
    code, message = diagnosis(s, losses.sum())
    assert code == "mean" and "divide by 3" in message  # the batch's size, read off the mean
    s = at(BATCH, 1)
    assert diagnosis(s, P - Yb) == ("mean", "That is the sum, not the mean: divide by 3.")
    s = at(BATCH, 2)
    assert diagnosis(s, (P - Yb).T @ Xb)[0] == "mean"
    for r in range(3):
        code, message = diagnosis(s, np.outer(P[r] - Yb[r], Xb[r]) / 3)
        assert code == "batch_one_example" and f"example {r + 1}" in message


def test_a_square_factor_not_transposed():
    text = """
format_version: 1
id: test.square
title: {en: Square, zh: 方阵}
chapter: 1
order: 1
model:
  params:
    A: [[1, 2], [3, -1]]
    B: [[0.5, 1], [-2, 1.5]]
  nodes:
    C: A @ B
    L: sum(C*C) / 2
  output: L
steps:
  - gradient: A
"""
    A, B = np.array([[1, 2], [3, -1]]), np.array([[0.5, 1], [-2, 1.5]])
    G = A @ B
    s = at(text, 0)
    code, message = diagnosis(s, G @ B)
    assert code == "matmul_not_transposed" and "transpos" in message
