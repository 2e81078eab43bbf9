"""The op registry: for every operation its symbol, its backward step and its rule.

Each op is one shared `Op` object; a node points at its op instead of carrying a closure, so a
node holds no reference to itself and large scalar graphs never become garbage-collector work.

An op knows three things:
- `backward(node)`: push `node.grad` into the inputs' `.grad` (the fast path used by `backward()`);
- `local(inputs, out, arg)`: ∂out/∂input_i for each input, computed from the input and output
  `Value`s, so the same definition gives the number shown to a player and, as a graph of its own,
  the second derivatives Newton's method needs;
- `rules`: the rule in words and as a formula, in English and Chinese, for each input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np


@dataclass(frozen=True, slots=True)
class Rule:
    formula: str  # with {a}, {b}, {out}, {k} standing for the labels of the node's inputs/output
    en: str
    zh: str


@dataclass(frozen=True, slots=True, eq=False)
class Op:
    name: str
    symbol: str
    forward: Callable[..., Any]  # (*input datas, arg) -> output data
    backward: Callable[[Any], None]
    local: Callable[..., tuple]  # (inputs, out, arg) -> one derivative per input
    rules: tuple[Rule, ...] = ()
    kink: Callable[..., Any] | None = None  # (*input datas) -> distance to the kink (sign change)

    def __repr__(self) -> str:
        return f"Op({self.name})"


# ---- IEEE-style scalar helpers: math raises where numpy returns inf/nan, and the game
# ---- wants numbers it can report ("log of a negative number") rather than exceptions.

def exp_or_inf(x):
    if type(x) is float:
        try:
            return math.exp(x)
        except OverflowError:
            return math.inf
    return np.exp(x)


def _log(x):
    if type(x) is float:
        if x > 0:
            return math.log(x)
        return -math.inf if x == 0 else math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x)


def _sqrt(x):
    if type(x) is float:
        return math.sqrt(x) if x >= 0 else math.nan
    with np.errstate(invalid="ignore"):
        return np.sqrt(x)


def _div(a, b):
    if type(a) is float and type(b) is float:
        if b == 0.0:
            if a == 0.0 or a != a:
                return math.nan
            return math.copysign(math.inf, a) * math.copysign(1.0, b)
        return a / b
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.divide(a, b)


def _pow(a, b):
    if type(a) is float and type(b) is float:
        try:
            r = a ** b
        except ZeroDivisionError:
            return math.inf
        except OverflowError:
            return math.inf if a > 0 or float(b).is_integer() and b % 2 == 0 else -math.inf
        return math.nan if type(r) is complex else r
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.power(a, b)


def _tanh(x):
    return math.tanh(x) if type(x) is float else np.tanh(x)


def _sigmoid(x):
    if type(x) is float:
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        z = math.exp(x)
        return z / (1.0 + z)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _sin(x):
    return math.sin(x) if type(x) is float else np.sin(x)


def _cos(x):
    return math.cos(x) if type(x) is float else np.cos(x)


def _relu(x):
    if type(x) is float:
        return x if x > 0.0 else 0.0
    return np.maximum(x, 0.0)


def _abs(x):
    return abs(x) if type(x) is float else np.abs(x)


def _sign(x):
    if type(x) is float:
        return (x > 0.0) - (x < 0.0) + 0.0
    return np.sign(x)


def _positive(x):
    """1 where x > 0, else 0: relu's derivative, 0 at the kink as in PyTorch."""
    if type(x) is float:
        return 1.0 if x > 0.0 else 0.0
    return (x > 0.0).astype(np.float64)


def _maximum(a, b):
    if type(a) is float and type(b) is float:
        return a if a >= b else b
    return np.maximum(a, b)


def _minimum(a, b):
    if type(a) is float and type(b) is float:
        return a if a <= b else b
    return np.minimum(a, b)


def _share(a, b):
    """Share of the gradient that max(a, b) sends to a: 1, 0, or ½ at a tie (as PyTorch)."""
    if type(a) is float and type(b) is float:
        return 1.0 if a > b else 0.0 if a < b else 0.5
    return np.where(a > b, 1.0, np.where(a < b, 0.0, 0.5))


def unbroadcast(g, like):
    """Sum `g` back to the shape of `like` (a float or an array) after numpy broadcasting."""
    if type(like) is float:
        return g if type(g) is float else float(g.sum())
    shape = like.shape
    if type(g) is np.ndarray and g.shape == shape:
        return g
    g = np.asarray(g, dtype=np.float64)
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return np.broadcast_to(g, shape).copy() if g.shape != shape else g


# ---- backward steps. Each reads node.grad and adds into its inputs' .grad.

def _add_bw(n):
    a, b = n._prev
    g = n.grad
    if type(g) is float:
        a.grad += g
        b.grad += g
    else:
        a.grad += unbroadcast(g, a.data)
        b.grad += unbroadcast(g, b.data)


def _sub_bw(n):
    a, b = n._prev
    g = n.grad
    if type(g) is float:
        a.grad += g
        b.grad -= g
    else:
        a.grad += unbroadcast(g, a.data)
        b.grad -= unbroadcast(g, b.data)


def _mul_bw(n):
    a, b = n._prev
    g = n.grad
    if a is b:
        a.grad += 2.0 * a.data * g
        return
    if type(g) is float:
        a.grad += b.data * g
        b.grad += a.data * g
    else:
        a.grad += unbroadcast(b.data * g, a.data)
        b.grad += unbroadcast(a.data * g, b.data)


def _div_bw(n):
    a, b = n._prev
    g = n.grad
    ga = _div(g, b.data)
    gb = -ga * n.data
    if type(g) is float:
        a.grad += ga
        b.grad += gb
    else:
        a.grad += unbroadcast(ga, a.data)
        b.grad += unbroadcast(gb, b.data)


def _pow_const_bw(n):
    (a,) = n._prev
    k = n._arg
    a.grad += k * _pow(a.data, k - 1.0) * n.grad


def _pow_bw(n):
    a, b = n._prev
    g = n.grad
    ga = b.data * _pow(a.data, b.data - 1.0) * g
    gb = n.data * _log(a.data) * g
    if type(g) is float:
        a.grad += ga
        b.grad += gb
    else:
        a.grad += unbroadcast(ga, a.data)
        b.grad += unbroadcast(gb, b.data)


def _unary_bw(derivative):
    def bw(n):
        (a,) = n._prev
        a.grad += derivative(a.data, n.data) * n.grad
    return bw


def _minmax_bw(pick_a):
    def bw(n):
        a, b = n._prev
        g = n.grad
        share = pick_a(a.data, b.data)
        if type(g) is float:
            a.grad += share * g
            b.grad += (1.0 - share) * g
        else:
            a.grad += unbroadcast(share * g, a.data)
            b.grad += unbroadcast((1.0 - share) * g, b.data)
    return bw


def _matmul_bw(n):
    a, b = n._prev
    g = n.grad
    A, B = a.data, b.data
    if A.ndim == 1 and B.ndim == 1:
        a.grad += g * B
        b.grad += g * A
    elif A.ndim == 1:
        a.grad += B @ g
        b.grad += np.outer(A, g)
    elif B.ndim == 1:
        a.grad += np.outer(g, B)
        b.grad += A.T @ g
    else:
        a.grad += unbroadcast(g @ np.swapaxes(B, -1, -2), A)
        b.grad += unbroadcast(np.swapaxes(A, -1, -2) @ g, B)


def _spread(a, g):
    """Add g, broadcast to a's shape, into a.grad (in place when a.grad is already an array)."""
    if type(a.grad) is np.ndarray:
        a.grad += g
    else:
        out = np.empty_like(a.data)
        out[...] = g
        if a.grad:
            out += a.grad
        a.grad = out


def _sum_bw(n):
    (a,) = n._prev
    axis, keepdims = n._arg
    g = n.grad
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    _spread(a, g)


def _mean_bw(n):
    (a,) = n._prev
    axis, keepdims = n._arg
    count = a.data.size / (n.data.size if type(n.data) is np.ndarray else 1)
    g = n.grad / count
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    _spread(a, g)


def _reshape_bw(n):
    (a,) = n._prev
    a.grad += np.reshape(n.grad, np.shape(a.data))


def _transpose_bw(n):
    (a,) = n._prev
    a.grad += np.transpose(n.grad, n._arg and np.argsort(n._arg))


def _getitem_bw(n):
    (a,) = n._prev
    g = np.zeros_like(a.data)
    np.add.at(g, n._arg, n.grad)
    a.grad += g


def _stack_bw(n):
    for i, p in enumerate(n._prev):
        g = n.grad[i]
        p.grad += float(g) if np.ndim(g) == 0 else g


def _sum_fwd(x, arg):
    axis, keepdims = arg
    if axis is None and not keepdims:
        return float(x.sum())
    r = x.sum(axis=axis, keepdims=keepdims)
    return r if type(r) is np.ndarray and r.ndim else float(r)


def _mean_fwd(x, arg):
    axis, keepdims = arg
    if axis is None and not keepdims:
        return float(x.mean())
    r = x.mean(axis=axis, keepdims=keepdims)
    return r if type(r) is np.ndarray and r.ndim else float(r)


def _getitem_fwd(x, idx):
    r = x[idx]
    return float(r) if np.ndim(r) == 0 else np.array(r, dtype=np.float64)


def _matmul_fwd(a, b, _):
    r = a @ b
    return float(r) if np.ndim(r) == 0 else r


def _no_local(*_):
    raise NotImplementedError("local derivatives are defined for scalar ops only")


def _data(x):
    return x.data if hasattr(x, "data") else x


ADD = Op("add", "+", lambda a, b, _: a + b, _add_bw, lambda i, o, _: (1.0, 1.0), (
    Rule("∂({a}+{b})/∂{a} = 1", "a sum passes the gradient on unchanged", "加法把梯度原样传下去"),
    Rule("∂({a}+{b})/∂{b} = 1", "a sum passes the gradient on unchanged", "加法把梯度原样传下去"),
))
SUB = Op("sub", "-", lambda a, b, _: a - b, _sub_bw, lambda i, o, _: (1.0, -1.0), (
    Rule("∂({a}−{b})/∂{a} = 1", "the first term passes the gradient on unchanged", "被减数把梯度原样传下去"),
    Rule("∂({a}−{b})/∂{b} = −1", "the subtracted term passes it on with its sign flipped", "减数把梯度取反后传下去"),
))
MUL = Op("mul", "*", lambda a, b, _: a * b, _mul_bw, lambda i, o, _: (i[1], i[0]), (
    Rule("∂({a}·{b})/∂{a} = {b}", "the derivative of a product is the other factor", "乘积对一个因子的导数是另一个因子"),
    Rule("∂({a}·{b})/∂{b} = {a}", "the derivative of a product is the other factor", "乘积对一个因子的导数是另一个因子"),
))
DIV = Op("div", "/", lambda a, b, _: _div(a, b), _div_bw,
         lambda i, o, _: (1.0 / i[1], -i[0] / i[1] ** 2), (
    Rule("∂({a}/{b})/∂{a} = 1/{b}", "dividing by b scales the gradient by 1/b", "除以 b 使梯度乘以 1/b"),
    Rule("∂({a}/{b})/∂{b} = −{a}/{b}²", "the quotient rule for the denominator", "分母的商法则：−a/b²"),
))
NEG = Op("neg", "neg", lambda a, _: -a, _unary_bw(lambda x, out: -1.0), lambda i, o, _: (-1.0,), (
    Rule("∂(−{a})/∂{a} = −1", "negation flips the sign of the gradient", "取负把梯度的符号翻转"),
))
POW_CONST = Op("pow", "**", lambda a, k: _pow(a, k), _pow_const_bw,
               lambda i, o, k: (k * i[0] ** (k - 1.0),), (
    Rule("∂({a}^{k})/∂{a} = {k}·{a}^({k}−1)", "the power rule", "幂函数求导法则：k·a^(k−1)"),
))
POW = Op("powv", "**", lambda a, b, _: _pow(a, b), _pow_bw,
         lambda i, o, _: (i[1] * i[0] ** (i[1] - 1.0), o * i[0].log()), (
    Rule("∂({a}^{b})/∂{a} = {b}·{a}^({b}−1)", "the power rule", "幂函数求导法则"),
    Rule("∂({a}^{b})/∂{b} = {a}^{b}·ln {a}", "the exponential rule", "指数函数求导法则：a^b·ln a"),
))
EXP = Op("exp", "exp", lambda a, _: exp_or_inf(a), _unary_bw(lambda x, out: out), lambda i, o, _: (o,), (
    Rule("∂exp({a})/∂{a} = exp({a})", "exp is its own derivative", "exp 的导数是它自己"),
))
LOG = Op("log", "log", lambda a, _: _log(a), _unary_bw(lambda x, out: _div(1.0, x) if type(x) is float else 1.0 / x),
         lambda i, o, _: (1.0 / i[0],), (
    Rule("∂ln({a})/∂{a} = 1/{a}", "the derivative of ln a is 1/a", "ln a 的导数是 1/a"),
))
SQRT = Op("sqrt", "sqrt", lambda a, _: _sqrt(a), _unary_bw(lambda x, out: _div(0.5, out) if type(out) is float else 0.5 / out),
          lambda i, o, _: (0.5 / o,), (
    Rule("∂√{a}/∂{a} = 1/(2√{a})", "the derivative of √a is 1/(2√a)", "√a 的导数是 1/(2√a)"),
))
TANH = Op("tanh", "tanh", lambda a, _: _tanh(a), _unary_bw(lambda x, out: 1.0 - out * out),
          lambda i, o, _: (1.0 - o * o,), (
    Rule("∂tanh({a})/∂{a} = 1 − tanh²({a})", "tanh′ is one minus its output squared", "tanh 的导数是 1 减去输出的平方"),
))
SIGMOID = Op("sigmoid", "sigmoid", lambda a, _: _sigmoid(a), _unary_bw(lambda x, out: out * (1.0 - out)),
             lambda i, o, _: (o * (1.0 - o),), (
    Rule("∂σ({a})/∂{a} = σ({a})·(1 − σ({a}))", "σ′ is its output times one minus its output", "σ 的导数是输出乘以 1 减输出"),
))
RELU = Op("relu", "ReLU", lambda a, _: _relu(a), _unary_bw(lambda x, out: _positive(out)),
          lambda i, o, _: (_positive(_data(o)),), (
    Rule("∂relu({a})/∂{a} = 1 ({a} > 0); 0 ({a} ≤ 0)", "relu passes the gradient only where its input is positive",
         "relu 只在输入为正时把梯度传下去"),
), kink=lambda a: a)
SIN = Op("sin", "sin", lambda a, _: _sin(a), _unary_bw(lambda x, out: _cos(x)),
         lambda i, o, _: (i[0].cos(),), (
    Rule("∂sin({a})/∂{a} = cos({a})", "the derivative of sin is cos", "sin 的导数是 cos"),
))
COS = Op("cos", "cos", lambda a, _: _cos(a), _unary_bw(lambda x, out: -_sin(x)),
         lambda i, o, _: (-i[0].sin(),), (
    Rule("∂cos({a})/∂{a} = −sin({a})", "the derivative of cos is −sin", "cos 的导数是 −sin"),
))
ABS = Op("abs", "abs", lambda a, _: _abs(a), _unary_bw(lambda x, out: _sign(x)),
         lambda i, o, _: (_sign(_data(i[0])),), (
    Rule("∂|{a}|/∂{a} = sign({a})", "|a| passes the gradient with the sign of a (0 at 0)", "|a| 的导数是 a 的符号（在 0 处为 0）"),
), kink=lambda a: a)
MAX = Op("max", "max", lambda a, b, _: _maximum(a, b), _minmax_bw(_share),
         lambda i, o, _: (_share(_data(i[0]), _data(i[1])), 1.0 - _share(_data(i[0]), _data(i[1]))), (
    Rule("∂max({a},{b})/∂{a} = 1 ({a} > {b}); 0 ({a} < {b})", "max passes the gradient to the larger input", "max 把梯度传给较大的输入"),
    Rule("∂max({a},{b})/∂{b} = 1 ({b} > {a}); 0 ({b} < {a})", "max passes the gradient to the larger input", "max 把梯度传给较大的输入"),
), kink=lambda a, b: a - b)
MIN = Op("min", "min", lambda a, b, _: _minimum(a, b), _minmax_bw(lambda a, b: _share(b, a)),
         lambda i, o, _: (_share(_data(i[1]), _data(i[0])), 1.0 - _share(_data(i[1]), _data(i[0]))), (
    Rule("∂min({a},{b})/∂{a} = 1 ({a} < {b}); 0 ({a} > {b})", "min passes the gradient to the smaller input", "min 把梯度传给较小的输入"),
    Rule("∂min({a},{b})/∂{b} = 1 ({b} < {a}); 0 ({b} > {a})", "min passes the gradient to the smaller input", "min 把梯度传给较小的输入"),
), kink=lambda a, b: a - b)
def _softmax(x):
    """exp(x) / Σ exp(x) along the last axis, shifted by the largest entry so nothing overflows."""
    z = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def _log_softmax(x):
    shifted = x - np.max(x, axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _softmax_bw(n):
    (a,) = n._prev
    p, g = n.data, n.grad
    a.grad += p * (g - (g * p).sum(axis=-1, keepdims=True))


def _log_softmax_bw(n):
    (a,) = n._prev
    g = n.grad
    a.grad += g - np.exp(n.data) * g.sum(axis=-1, keepdims=True)


def _jacobian(p, of_log: bool):
    """∂out_i/∂a_j of softmax (p_i(δ_ij − p_j)) or log-softmax (δ_ij − p_j), for a vector a."""
    p = np.asarray(_data(p), dtype=np.float64)
    if p.ndim != 1:
        raise NotImplementedError("the local derivative of softmax is given for a vector")
    return (np.eye(p.size) - p) if of_log else (np.diag(p) - np.outer(p, p))


MATMUL = Op("matmul", "@", _matmul_fwd, _matmul_bw, _no_local, (
    Rule("∂{L}/∂{a} = ∂{L}/∂({out})·{b}ᵀ",
         "each entry is the gradient δ arriving at that output times the input it multiplied, so it has "
         "the left factor's shape",
         "每一项是到达那个输出的梯度 δ 乘以它所乘的输入，所以和左边的因子同形状"),
    Rule("∂{L}/∂{b} = {a}ᵀ·∂{L}/∂({out})",
         "each entry adds up what it sent to every output times the gradient δ arriving there, so it has "
         "the right factor's shape",
         "每一项把它送给各个输出的部分乘以到达那里的梯度 δ 再加起来，所以和右边的因子同形状"),
))
SOFTMAX = Op("softmax", "softmax", lambda a, _: _softmax(a), _softmax_bw,
             lambda i, o, _: (_jacobian(o, False),), (
    Rule("∂softmax({a})ᵢ/∂{a}ⱼ = pᵢ(δᵢⱼ − pⱼ)",
         "raising one score raises its own probability by p(1 − p) and lowers each other one by pᵢpⱼ; followed by "
         "cross-entropy with the right class y, the two together send back ∂L/∂z = p − y",
         "提高一个分数，它自己的概率增加 p(1 − p)，其余每个概率减少 pᵢpⱼ；后面接正确类别为 y 的交叉熵时，"
         "两者合起来传回 ∂L/∂z = p − y"),
))
LOG_SOFTMAX = Op("log_softmax", "log_softmax", lambda a, _: _log_softmax(a), _log_softmax_bw,
                 lambda i, o, _: (_jacobian(np.exp(_data(o)), True),), (
    Rule("∂log_softmax({a})ᵢ/∂{a}ⱼ = δᵢⱼ − pⱼ",
         "each log-probability moves one-for-one with its own score, less the softmax probability of the score moved; "
         "followed by cross-entropy with the right class y, the two together send back ∂L/∂z = p − y",
         "每个对数概率随自己的分数一比一变化，再减去被改变的那个分数的 softmax 概率；后面接正确类别为 y 的交叉熵时，"
         "两者合起来传回 ∂L/∂z = p − y"),
))
SUM = Op("sum", "sum", _sum_fwd, _sum_bw, _no_local, (
    Rule("∂{L}/∂{a}ᵢ = ∂{L}/∂({out})", "sum passes the same gradient to every entry it added",
         "求和把同一个梯度传给它加起来的每一项"),
))
MEAN = Op("mean", "mean", _mean_fwd, _mean_bw, _no_local, (
    Rule("∂{L}/∂{a}ᵢ = ∂{L}/∂({out})/n", "a mean passes the gradient to every entry it averaged, divided by their "
         "number n", "平均值把梯度传给它平均的每一项，再除以项数 n"),
))
RESHAPE = Op("reshape", "reshape", lambda a, shape: np.reshape(a, shape), _reshape_bw, _no_local)
TRANSPOSE = Op("transpose", "T", lambda a, axes: np.transpose(a, axes), _transpose_bw, _no_local, (
    Rule("∂{L}/∂{a} = (∂{L}/∂({out}))ᵀ", "transpose passes the gradient back transposed, to the shape it came in",
         "转置把梯度转置回去，恢复成原来的形状"),
))
GETITEM = Op("getitem", "[]", _getitem_fwd, _getitem_bw, _no_local)
STACK = Op("stack", "( , )", lambda *xs: np.array([np.asarray(x, dtype=np.float64) for x in xs[:-1]]),
           _stack_bw, _no_local)

ALL = {op.name: op for op in (ADD, SUB, MUL, DIV, NEG, POW_CONST, POW, EXP, LOG, SQRT, TANH, SIGMOID,
                              RELU, SIN, COS, ABS, MAX, MIN, MATMUL, SUM, MEAN, RESHAPE, TRANSPOSE,
                              GETITEM, STACK, SOFTMAX, LOG_SOFTMAX)}
