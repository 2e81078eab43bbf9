"""The wrong rules learners use with the array ops, beside the scalar ones of `slips.py`.

A forward slip computes an op's output the wrong way from the same inputs (softmax without its
sum, the log of the wrong class; a sum for a mean is `game/mistakes.py`'s general `mean`); a backward slip sends one input the wrong
gradient from the gradient arriving at the op (softmax with cross-entropy sending back p or
y − p, one example of a batch, a product's factor not transposed; a mean's gradient not divided by
the batch's size is n times the answer, `game/mistakes.py`'s general `mean`).
`value(node)` (forward) or `value(node, upstream, slot)` (backward) gives each wrong number with
the fields its sentence names; the game composes them along the graph (`game/array_paths.py`) and
offers one only where the number differs from the truth. Sentences are templates over {used} (the
slip's number), {x} (the input's name) and the slip's own fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from gradquest.engine.value import Value


@dataclass(frozen=True, slots=True)
class ArraySlip:
    name: str  # stable: a level's test can assert it (`diagnosis: softmax_ce_missing_y`)
    op: str
    way: str  # "forward" or "backward"
    value: Callable[..., list]  # -> [(wrong number, fields)]
    en: str
    zh: str


def _from_log(v: Value, depth: int = 12) -> bool:
    """Whether v is computed from a log (cross-entropy's −log p), looking a few ops down."""
    todo, seen = [(v, 0)], set()
    while todo:
        n, d = todo.pop()
        if n._fn is None or id(n) in seen or d > depth:
            continue
        if n._fn.name in ("log", "log_softmax"):
            return True
        seen.add(id(n))
        todo.extend((p, d + 1) for p in n._prev)
    return False


def _onehot(v: Value) -> bool:
    d = v.data
    return v._fn is None and type(d) is np.ndarray and d.ndim == 1 and d.size >= 2 \
        and bool(np.all((d == 0) | (d == 1))) and d.sum() == 1


def _ce(node: Value, upstream):
    """For softmax (or log-softmax) followed by cross-entropy with one right class per row: the
    probabilities p, the one-hot y and the weight s of each row (the true gradient is s·(p − y))."""
    g = np.asarray(upstream, dtype=np.float64)
    p = np.asarray(node.data if node._fn.name == "softmax" else np.exp(node.data), dtype=np.float64)
    sy = -g * p if node._fn.name == "softmax" else -g
    if sy.shape != p.shape or not np.all(np.isfinite(sy)):
        return None
    rows = sy.reshape(-1, sy.shape[-1])
    tiny = 1e-12 * max(float(np.abs(rows).max()), 1e-300)
    if not np.all((np.abs(rows) > tiny).sum(axis=-1) == 1):
        return None
    s = sy.sum(axis=-1, keepdims=True)
    return p, (np.abs(sy) > tiny).astype(np.float64), s


def _softmax_missing_y(node, upstream, slot):
    found = _ce(node, upstream)
    return [] if found is None else [(found[2] * found[0], {})]


def _softmax_sign(node, upstream, slot):
    found = _ce(node, upstream)
    return [] if found is None else [(found[2] * (found[1] - found[0]), {})]


def _one_example(node, upstream, slot):
    """dW from one example alone: the rows of the left factor (X·W) or the columns of the right (W·X)."""
    a, b = (p.data for p in node._prev)
    g = np.asarray(upstream, dtype=np.float64)
    if np.ndim(a) != 2 or np.ndim(b) != 2 or g.ndim != 2:
        return []
    if slot == 1 and node._prev[0]._fn is None and a.shape[0] >= 2:
        return [(np.outer(a[r], g[r]), {"r": r + 1}) for r in range(a.shape[0])]
    if slot == 0 and node._prev[1]._fn is None and b.shape[1] >= 2:
        return [(np.outer(g[:, c], b[:, c]), {"r": c + 1}) for c in range(b.shape[1])]
    return []


def _not_transposed(node, upstream, slot):
    a, b = (p.data for p in node._prev)
    g = np.asarray(upstream, dtype=np.float64)
    try:
        wrong = g @ b if slot == 0 else a @ g
    except ValueError:  # the shapes do not even fit
        return []
    return [(wrong, {})] if np.shape(wrong) == np.shape(node._prev[slot].data) else []


def _softmax_of(node) -> np.ndarray:
    return np.asarray(node._prev[0].data, dtype=np.float64)


def _without_exp(node):
    z = _softmax_of(node)
    total = z.sum(axis=-1, keepdims=True)
    return [(z / total, {})] if np.all(total != 0) else []


def _argmax(node):
    z = _softmax_of(node)
    hot = (z == z.max(axis=-1, keepdims=True)).astype(np.float64)
    return [(hot, {})] if np.all(hot.sum(axis=-1) == 1) else []


def _no_minus(node):
    return [(node._prev[0].data, {})] if _from_log(node._prev[0]) else []


def _wrong_class(node):
    """y·log p with another class's one-hot: −log of the wrong class's probability."""
    ys = [i for i, p in enumerate(node._prev) if _onehot(p)]
    if len(ys) != 1 or not _from_log(node._prev[1 - ys[0]]):
        return []
    y, other = node._prev[ys[0]].data, node._prev[1 - ys[0]].data
    return [(np.eye(y.size)[j] * other, {"j": j + 1}) for j in range(y.size) if y[j] == 0]


SLIPS: tuple[ArraySlip, ...] = (
    ArraySlip("softmax_not_normalised", "softmax", "forward", lambda n: [(np.exp(_softmax_of(n)), {})],
              "You took exp of each score, {used}, and stopped there: softmax divides them by their sum, "
              "exp(zᵢ)/sum(exp(z)), so the probabilities add up to 1.",
              "你对每个分数取了 exp，得到 {used}，就停下了：softmax 还要除以它们的和，exp(zᵢ)/sum(exp(z))，"
              "这样概率加起来才是 1。"),
    ArraySlip("softmax_without_exp", "softmax", "forward", _without_exp,
              "You divided the scores themselves by their sum, {used}: softmax divides their exponentials, "
              "exp(zᵢ)/sum(exp(z)).",
              "你直接用分数除以它们的和，得到 {used}：softmax 除的是指数，exp(zᵢ)/sum(exp(z))。"),
    ArraySlip("softmax_argmax", "softmax", "forward", _argmax,
              "You gave all the probability to the largest score, {used}: softmax gives every class a share, "
              "exp(zᵢ)/sum(exp(z)).",
              "你把全部概率都给了最大的分数，{used}：softmax 给每个类别一份，exp(zᵢ)/sum(exp(z))。"),
    ArraySlip("ce_no_minus", "neg", "forward", _no_minus,
              "You left out the minus: the log of a probability is negative, and cross-entropy is −log p, "
              "a loss of 0 or more.",
              "你漏掉了负号：概率的对数是负的，交叉熵是 −log p，损失不小于 0。"),
    ArraySlip("ce_wrong_class", "mul", "forward", _wrong_class,
              "That is −log of class {j}'s probability: cross-entropy takes −log of the right class's "
              "probability, where y is 1.",
              "这是第 {j} 类概率的 −log：交叉熵取的是正确类别（y 为 1 的那一类）概率的 −log。"),
    ArraySlip("softmax_ce_missing_y", "softmax", "backward", _softmax_missing_y,
              "You sent back p, the probabilities alone: the −y is missing. Softmax with cross-entropy "
              "gives ∂L/∂z = p − y, so the right class's entry is p − 1.",
              "你传回的只是概率 p，少了 −y。softmax 接交叉熵的梯度是 ∂L/∂z = p − y，正确类别那一项是 p − 1。"),
    ArraySlip("softmax_ce_missing_y", "log_softmax", "backward", _softmax_missing_y,
              "You sent back p, the probabilities alone: the −y is missing. Log-softmax with cross-entropy "
              "gives ∂L/∂z = p − y, so the right class's entry is p − 1.",
              "你传回的只是概率 p，少了 −y。log-softmax 接交叉熵的梯度是 ∂L/∂z = p − y，正确类别那一项是 p − 1。"),
    ArraySlip("softmax_ce_sign", "softmax", "backward", _softmax_sign,
              "That is y − p, the sign flipped: ∂L/∂z = p − y, so raising the right class's score lowers "
              "the loss (its entry is negative).",
              "这是 y − p，符号反了：∂L/∂z = p − y，提高正确类别的分数会让损失下降（那一项是负的）。"),
    ArraySlip("softmax_ce_sign", "log_softmax", "backward", _softmax_sign,
              "That is y − p, the sign flipped: ∂L/∂z = p − y, so raising the right class's score lowers "
              "the loss (its entry is negative).",
              "这是 y − p，符号反了：∂L/∂z = p − y，提高正确类别的分数会让损失下降（那一项是负的）。"),
    ArraySlip("batch_one_example", "matmul", "backward", _one_example,
              "That is example {r}'s share alone: over a batch, the gradient of the weights adds up every "
              "example's δ·xᵀ.",
              "这只是第 {r} 个样本的那一份：对一批样本，权重的梯度要把每个样本的 δ·xᵀ 加起来。"),
    ArraySlip("matmul_not_transposed", "matmul", "backward", _not_transposed,
              "You multiplied by {other} without transposing it: ∂L/∂{x} takes the transpose, δ·xᵀ for the "
              "left factor and Wᵀ·δ for the right, which also gives {x}'s shape.",
              "你乘了 {other} 却没有转置：∂L/∂{x} 要用转置，左边的因子是 δ·xᵀ，右边的因子是 Wᵀ·δ，"
              "这样形状也才和 {x} 一样。"),
)

NAMES: tuple[str, ...] = tuple(dict.fromkeys(s.name for s in SLIPS))
SIGN_FLIPS = frozenset({"ce_no_minus", "softmax_ce_sign"})  # a flipped sign by nature: no need to say "or the sign"


def of_op(op_name: str, way: str) -> tuple[ArraySlip, ...]:
    return tuple(s for s in SLIPS if s.op == op_name and s.way == way)
