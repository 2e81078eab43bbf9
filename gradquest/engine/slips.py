"""The wrong local rules learners use, beside each op's true rule (`ops.py`).

A slip is a wrong local derivative: `value(inputs, out, arg, slot)` computes it from the same
numbers as the op's true `local` (plain floats here: the input datas, the output data, the op's
argument), for the input in `slot`. Its sentence, in English and Chinese, is a template the game
fills with the node's names ({a}, {b}, {out}, {k}) and {used}, the slip's value: it says the true
rule in symbols (σ(1 − σ)), never its value, which may be the very answer asked (a local ask, or a
gradient whose other factors are 1). A slip is offered at a node only where its value differs from
the truth (`offered`), so what it says about the numbers is true.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from gradquest.engine.ops import exp_or_inf


@dataclass(frozen=True, slots=True)
class Slip:
    name: str  # snake_case, stable: a level's test can assert it (`diagnosis: tanh_squared`)
    op: str  # the op's name in `ops.ALL`
    slots: tuple[int, ...]  # the inputs whose derivative it stands for
    value: Callable[..., float]  # (inputs, out, arg, slot) -> the wrong local derivative
    en: str
    zh: str


def _other(i, slot):
    return i[1 - slot]


def _k(i, arg):
    """The exponent of a power: the constant argument, or the second input."""
    return arg if len(i) == 1 else i[1]


SLIPS: tuple[Slip, ...] = (
    Slip("add_two", "add", (0, 1), lambda i, o, arg, s: 2.0,
         "You used 2 for ∂({a}+{b})/∂{x}: each term of a sum counts once.",
         "你把 ∂({a}+{b})/∂{x} 当成了 2：和中每一项只算一次。"),
    Slip("add_zero", "add", (0, 1), lambda i, o, arg, s: 0.0,
         "You used 0 for ∂({a}+{b})/∂{x}: a sum passes the gradient on unchanged.",
         "你把 ∂({a}+{b})/∂{x} 当成了 0：加法把梯度原样传下去。"),
    Slip("sub_sign", "sub", (1,), lambda i, o, arg, s: 1.0,
         "You used +1 for ∂({a}−{b})/∂{b}: the subtracted term passes the gradient on with its sign flipped.",
         "你把 ∂({a}−{b})/∂{b} 当成了 +1：被减的项把梯度取反后传下去。"),
    Slip("mul_same_factor", "mul", (0, 1), lambda i, o, arg, s: i[s],
         "You used {x} itself, {used}, for ∂({a}·{b})/∂{x}: the derivative of a product is the other factor.",
         "你用了 {x} 本身 {used} 作为 ∂({a}·{b})/∂{x}：乘积对一个因子的导数是另一个因子。"),
    Slip("mul_sum_of_factors", "mul", (0, 1), lambda i, o, arg, s: i[0] + i[1],
         "You used the sum of the factors, {used}, for ∂({a}·{b})/∂{x}: it is the other factor.",
         "你用了两个因子的和 {used} 作为 ∂({a}·{b})/∂{x}：应该是另一个因子。"),
    Slip("div_den", "div", (0, 1), lambda i, o, arg, s: i[1],
         "You used the denominator {b} = {used} for ∂({a}/{b})/∂{x}: the quotient rule gives 1/{b} for the numerator and −{a}/{b}² for the denominator.",
         "你用了分母 {b} = {used} 作为 ∂({a}/{b})/∂{x}：商法则对分子是 1/{b}，对分母是 −{a}/{b}²。"),
    Slip("div_reciprocal", "div", (1,), lambda i, o, arg, s: 1.0 / i[1],
         "You used 1/{b} = {used} for ∂({a}/{b})/∂{b}: for the denominator the rule is −{a}/{b}².",
         "你用了 1/{b} = {used} 作为 ∂({a}/{b})/∂{b}：对分母求导的法则是 −{a}/{b}²。"),
    Slip("div_sign", "div", (1,), lambda i, o, arg, s: i[0] / i[1] ** 2,
         "You used {a}/{b}² = {used} for ∂({a}/{b})/∂{b}: the quotient rule has a minus sign, −{a}/{b}².",
         "你用了 {a}/{b}² = {used} 作为 ∂({a}/{b})/∂{b}：商法则有一个负号，应为 −{a}/{b}²。"),
    Slip("neg_sign", "neg", (0,), lambda i, o, arg, s: 1.0,
         "You used +1 for ∂(−{a})/∂{a}: negation flips the sign.",
         "你把 ∂(−{a})/∂{a} 当成了 +1：取负会翻转符号。"),
    Slip("pow_not_lowered", "pow", (0,), lambda i, o, arg, s: _k(i, arg) * i[0] ** _k(i, arg),
         "You used {k}·{a}^{k} = {used}: the power rule lowers the exponent by one, {k}·{a}^({k}−1).",
         "你用了 {k}·{a}^{k} = {used}：幂函数求导要把指数减一，{k}·{a}^({k}−1)。"),
    Slip("pow_no_factor", "pow", (0,), lambda i, o, arg, s: i[0] ** (_k(i, arg) - 1.0),
         "You used {a}^({k}−1) = {used}: the power rule also brings the exponent down in front, {k}·{a}^({k}−1).",
         "你用了 {a}^({k}−1) = {used}：幂函数求导还要把指数乘到前面，{k}·{a}^({k}−1)。"),
    Slip("pow_exponent_dropped", "pow", (0,), lambda i, o, arg, s: _k(i, arg),
         "You used the exponent alone, {used}: the power rule is {k}·{a}^({k}−1).",
         "你只用了指数 {used}：幂函数求导法则是 {k}·{a}^({k}−1)。"),
    Slip("exp_times_input", "exp", (0,), lambda i, o, arg, s: i[0] * o,
         "You used {a}·exp({a}) = {used}: exp is its own derivative, exp({a}).",
         "你用了 {a}·exp({a}) = {used}：exp 的导数就是它自己，exp({a})。"),
    Slip("exp_lowered", "exp", (0,), lambda i, o, arg, s: exp_or_inf(i[0] - 1.0),
         "You used exp({a} − 1) = {used}, the power rule's way: exp is its own derivative, exp({a}).",
         "你像幂函数那样用了 exp({a} − 1) = {used}：exp 的导数就是它自己，exp({a})。"),
    Slip("log_input", "log", (0,), lambda i, o, arg, s: i[0],
         "You used {a} itself, {used}: the derivative of ln {a} is 1/{a}.",
         "你用了 {a} 本身 {used}：ln {a} 的导数是 1/{a}。"),
    Slip("log_itself", "log", (0,), lambda i, o, arg, s: o,
         "You used ln {a} itself, {used}: its derivative is 1/{a}.",
         "你用了 ln {a} 本身 {used}：它的导数是 1/{a}。"),
    Slip("log_over_square", "log", (0,), lambda i, o, arg, s: 1.0 / i[0] ** 2,
         "You used 1/{a}² = {used}: the derivative of ln {a} is 1/{a}.",
         "你用了 1/{a}² = {used}：ln {a} 的导数是 1/{a}。"),
    Slip("sqrt_doubled", "sqrt", (0,), lambda i, o, arg, s: 2.0 * o,
         "You used 2√{a} = {used}: the derivative of √{a} is 1/(2√{a}).",
         "你用了 2√{a} = {used}：√{a} 的导数是 1/(2√{a})。"),
    Slip("sqrt_no_half", "sqrt", (0,), lambda i, o, arg, s: 1.0 / o,
         "You used 1/√{a} = {used}: the ½ of √{a} = {a}^½ comes down too, 1/(2√{a}).",
         "你用了 1/√{a} = {used}：√{a} = {a}^½ 的 ½ 也要乘到前面，1/(2√{a})。"),
    Slip("tanh_squared", "tanh", (0,), lambda i, o, arg, s: o * o,
         "You used tanh² = {used}: the rule is 1 − tanh².",
         "你用了 tanh² = {used}：法则是 1 − tanh²。"),
    Slip("tanh_of_input", "tanh", (0,), lambda i, o, arg, s: 1.0 - i[0] * i[0],
         "You used 1 − {a}² = {used}, with the input: the rule squares the output, 1 − tanh²({a}).",
         "你用了输入：1 − {a}² = {used}。法则平方的是输出，1 − tanh²({a})。"),
    Slip("tanh_itself", "tanh", (0,), lambda i, o, arg, s: o,
         "You used tanh({a}) itself, {used}: its derivative is 1 − tanh².",
         "你用了 tanh({a}) 本身 {used}：它的导数是 1 − tanh²。"),
    Slip("sigmoid_squared", "sigmoid", (0,), lambda i, o, arg, s: o * o,
         "You used σ² = {used}: the rule is σ(1 − σ).",
         "你用了 σ² = {used}：法则是 σ(1 − σ)。"),
    Slip("sigmoid_plus", "sigmoid", (0,), lambda i, o, arg, s: o * (1.0 + o),
         "You used σ(1 + σ) = {used}: the rule is σ(1 − σ).",
         "你用了 σ(1 + σ) = {used}：法则是 σ(1 − σ)。"),
    Slip("sigmoid_itself", "sigmoid", (0,), lambda i, o, arg, s: o,
         "You used σ({a}) itself, {used}: its derivative is σ(1 − σ).",
         "你用了 σ({a}) 本身 {used}：它的导数是 σ(1 − σ)。"),
    Slip("relu_always_one", "relu", (0,), lambda i, o, arg, s: 1.0,
         "You used 1: relu passes the gradient only where its input is positive, and {a} = {input} is not.",
         "你用了 1：relu 只在输入为正时传递梯度，而 {a} = {input} 不为正。"),
    Slip("trig_sign", "sin", (0,), lambda i, o, arg, s: -math.cos(i[0]),
         "You used −cos({a}) = {used}: the derivative of sin is +cos({a}).",
         "你用了 −cos({a}) = {used}：sin 的导数是 +cos({a})。"),
    Slip("trig_sign", "cos", (0,), lambda i, o, arg, s: math.sin(i[0]),
         "You used sin({a}) = {used}: the derivative of cos is −sin({a}).",
         "你用了 sin({a}) = {used}：cos 的导数是 −sin({a})。"),
    Slip("trig_swapped", "sin", (0,), lambda i, o, arg, s: -math.sin(i[0]),
         "You used −sin({a}) = {used}, the derivative of cos: the derivative of sin is cos({a}).",
         "你用了 cos 的导数 −sin({a}) = {used}：sin 的导数是 cos({a})。"),
    Slip("trig_swapped", "cos", (0,), lambda i, o, arg, s: math.cos(i[0]),
         "You used cos({a}) = {used}, the derivative of sin: the derivative of cos is −sin({a}).",
         "你用了 sin 的导数 cos({a}) = {used}：cos 的导数是 −sin({a})。"),
    Slip("max_both", "max", (0, 1), lambda i, o, arg, s: 1.0,
         "You passed the gradient to both inputs of max: only the larger one gets it.",
         "你把梯度传给了 max 的两个输入：只有较大的那个得到梯度。"),
    Slip("max_both", "min", (0, 1), lambda i, o, arg, s: 1.0,
         "You passed the gradient to both inputs of min: only the smaller one gets it.",
         "你把梯度传给了 min 的两个输入：只有较小的那个得到梯度。"),
    Slip("mean_as_sum", "mean", (0,), lambda i, o, arg, s: 1.0,
         "You used 1 for each entry, as for a sum: a mean of n entries sends each 1/n.",
         "你对每个分量都用了 1，像求和那样：n 个数的平均值传给每个分量的是 1/n。"),
)

NAMES: tuple[str, ...] = tuple(dict.fromkeys(s.name for s in SLIPS))
# the slips the game composes along a graph from the ops' values and rules (game/slips.py)
COMPOSED: tuple[str, ...] = ("sum_for_product", "factor_dropped", "seed_zero", "plus_for_times", "times_for_plus",
                             "term_dropped", "function_forgotten", "square_two", "old_point")
_BY_OP: dict[str, tuple[Slip, ...]] = {}
for _s in SLIPS:
    _BY_OP[_s.op] = _BY_OP.get(_s.op, ()) + (_s,)
_BY_OP["powv"] = tuple(s for s in _BY_OP["pow"])  # a^b: the same power-rule slips for the base


def catalogue(op_name: str) -> tuple[Slip, ...]:
    """The slips of an op (none for an op without a catalogue)."""
    return _BY_OP.get(op_name, ())


def wrong_value(slip: Slip, inputs, out, arg, slot: int) -> float | None:
    """The slip's number at these inputs, or None where it cannot be computed (a domain error)."""
    try:
        v = float(slip.value(tuple(float(x) for x in inputs), float(out), arg, slot))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return v if math.isfinite(v) else None


def offered(op_name: str, inputs, out, arg, slot: int, truth: float,
            differs: Callable[[float, float], bool] | None = None) -> list[tuple[Slip, float]]:
    """The slips of the op for the input in `slot`, each with its number, where it differs from
    the truth (by `differs`, default: not within 1e-9 relative)."""
    differs = differs or (lambda a, b: not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12))
    found = []
    for slip in catalogue(op_name):
        if slot not in slip.slots:
            continue
        v = wrong_value(slip, inputs, out, arg, slot)
        if v is not None and differs(v, float(truth)):
            found.append((slip, v))
    return found

