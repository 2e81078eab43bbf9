"""A small, safe parser for the arithmetic that level authors write and players type.

No `eval`, no Python syntax tree: a hand-written tokenizer and a recursive-descent parser give a
tiny tree of frozen nodes (`Num`, `Name`, `Unary`, `Binary`, `Call`, each with the 1-based `col`
of its first character), and one evaluator runs it over a *lib*: `FLOAT_LIB` (Python floats, IEEE
results instead of exceptions) or `VALUE_LIB` (a graph of `Value`s, ready for `backward()`).

    expr  := term (('+' | '-') term)*
    term  := unary (('*' | '/' | '@') unary)*
    unary := ('-' | '+') unary | power
    power := atom (('**' | '^') unary)?          right-associative: -2**2 == -4, 2**-1 is fine
    atom  := (number | name | name '(' expr (',' expr)* ')' | '(' expr (',' expr)* ')') ('[' index ']' | '.T')*

`(a, b, c)` is a vector of its entries (a tuple; its gradient flows back to each entry), and
`xs[0]`, `W1[0, 1]` pick an entry of an array: each index a whole number written as such
(negative counts from the end). `W @ x` is the matrix product (as numpy's: a vector on the right is
a column, on the left a row), `W.T` or `transpose(W)` the transpose.

Numbers are `1`, `1.5`, `.5`, `2.`, `1e-3`; names are ASCII `[A-Za-z_][A-Za-z0-9_]*`. The only
functions are exp log ln sqrt sin cos tanh sigmoid relu abs transpose softmax log_softmax (one
argument; softmax and log_softmax along the last axis, so each row of a matrix), mean sum (an array,
and optionally the axis, a whole number: `sum(W, 0)` sums each column; a number is left as it is),
onehot(i, n) (n entries, 1 at entry i, a constant; i may be a vector of labels: one row each) and max
min (two).
`pi` and `e` are constants unless `env` defines the name (seed 000 calls a node e). U+2212 `−` is a
minus, `×` `·` `∙` multiply, `÷` divides, and Unicode spaces are spaces; any other character is
refused. Every refusal is a `ParseError` with a stable `code`, a `column` and a message in English
or Chinese. Limits keep hostile input cheap: the length (`max_length`), the nesting depth counted
as parentheses, calls, signs and exponents (`max_depth`, checked before descending), and the size of
an exponent that is constant (folded at parse time, so `9**9**9` is refused; `2**x` is allowed).
"""

from __future__ import annotations

import math
import operator
import unicodedata
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from gradquest.engine.ops import LOG_SOFTMAX, SOFTMAX
from gradquest.engine.value import Value, maximum, minimum, stack

__all__ = ["Num", "Name", "Unary", "Binary", "Call", "ParseError", "parse", "names", "evaluate",
           "evaluate_text", "FLOAT_LIB", "VALUE_LIB", "FUNCTIONS", "CONSTANTS"]


_node = dataclass(frozen=True, slots=True)


@_node
class Num:
    value: float
    col: int


@_node
class Name:
    id: str
    col: int


@_node
class Unary:
    op: str  # '-' or '+'
    operand: object
    col: int


@_node
class Binary:
    op: str  # '+', '-', '*', '/' or '**'
    left: object
    right: object
    col: int


@_node
class Call:
    fn: str
    args: tuple
    col: int


FUNCTIONS = {f: 1 for f in ("exp", "log", "ln", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs",
                            "transpose", "softmax", "log_softmax")}
FUNCTIONS |= {"max": 2, "min": 2, "mean": (1, 2), "sum": (1, 2), "onehot": 2}  # (1, 2): one or two arguments
CONSTANTS = {"pi": math.pi, "e": math.e}

_MESSAGES = {  # code -> (English, 中文), formatted with col, found and the error's details
    "empty": ("the expression is empty; expected a number, a name or '('",
              "表达式是空的，这里应该是数字、名字或 '('"),
    "too_long": ("the expression is {length} characters long, more than the limit of {limit}",
                 "表达式有 {length} 个字符，超过了上限 {limit}"),
    "too_deep": ("more than {limit} levels of nesting (parentheses, signs, powers or calls)",
                 "嵌套超过了 {limit} 层（括号、正负号、乘方或函数调用）"),
    "unexpected_char": ("unexpected character {found}; expected a number, a name, an operator or a parenthesis",
                        "无法识别的字符 {found}，这里只能用数字、名字、运算符或括号"),
    "bad_number": ("{found} is not a valid number; write numbers like 2, 0.5, .5 or 1e-3",
                   "{found} 不是有效的数字，数字应写成 2、0.5、.5 或 1e-3 这样"),
    "expected_expression": ("expected a number, a name or '(' but found {found}",
                            "这里应该是数字、名字或 '('，却是 {found}"),
    "expected_call": ("'{name}' is a function, so expected '(' after it but found {found}",
                      "'{name}' 是函数，后面应该是 '('，却是 {found}"),
    "unknown_function": ("there is no function '{name}'; expected one of: {known}",
                         "没有名为 '{name}' 的函数，可用的函数有：{known}"),
    "unknown_name": ("unknown name '{name}'; expected one of: {known}",
                     "不认识的名字 '{name}'，已知的名字有：{known}"),
    "wrong_arity": ("{name}() takes {expected} argument(s) but was given {given}",
                    "{name}() 需要 {expected} 个参数，却给了 {given} 个"),
    "bad_axis": ("the axis of {name}() is a whole number written as such, like {name}(W, 0)",
                 "{name}() 的轴是直接写出的整数，例如 {name}(W, 0)"),
    "unclosed_paren": ("expected {closer} to close the '(' at column {open_col} but found {found}",
                       "这里应该是 {closer}，用来闭合第 {open_col} 列的 '('，却是 {found}"),
    "trailing_input": ("expected an operator or the end of the expression but found {found}",
                       "这里应该是运算符或表达式的结尾，却是 {found}"),
    "bad_index": ("an index is a whole number, like xs[0] or W1[1, 0]; found {found}",
                  "下标是整数，例如 xs[0] 或 W1[1, 0]；却是 {found}"),
    "exponent_too_large": ("the exponent {value} is too large; its size may be at most {limit}",
                           "指数 {value} 太大，绝对值不能超过 {limit}"),
}


class ParseError(ValueError):
    """A refused expression: `code` (stable id), `column` (1-based), `text`, `details` (dict)."""

    def __init__(self, code: str, column: int, text: str = "", **details):
        self.code, self.column, self.text, self.details = code, column, text, details
        super().__init__(self.message())

    def message(self, lang: str = "en") -> str:
        zh = lang == "zh"
        fields = {k: _show(v, zh) if k == "found" else v for k, v in self.details.items()}
        if "known" in fields:
            fields["known"] = ("、" if zh else ", ").join(fields["known"])
        if "closer" in fields:
            fields["closer"] = (" 或 " if zh else " or ").join(fields["closer"])
        body = _MESSAGES[self.code][zh].format(**fields)
        return f"第 {self.column} 列：{body}" if zh else f"column {self.column}: {body}"

    def __str__(self) -> str:
        return self.message()

    def caret(self) -> str:
        """The text and, below it, a `^` under the column (wide characters count as two cells)."""
        shown = "".join(c if c.isprintable() else " " for c in self.text)
        cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in shown[:self.column - 1])
        return f"{shown}\n{' ' * cells}^"


def _show(found, zh: bool) -> str:
    if found is None:
        return "表达式的结尾" if zh else "the end of the input"
    if len(found) == 1 and not (found.isascii() and found.isprintable()):
        return f"'{found}' (U+{ord(found):04X})" if found.isprintable() else f"U+{ord(found):04X}"
    return f"'{found}'"


# ---- tokens: (kind, source text, column); kind is 'num', 'name', 'end' or the operator itself
_DIGITS = "0123456789"
_WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_SYMBOLS = {"+": "+", "-": "-", "\u2212": "-", "*": "*", "×": "*", "·": "*", "∙": "*", "/": "/",
            "÷": "/", "^": "**", "(": "(", ")": ")", ",": ",", "[": "[", "]": "]", "@": "@"}


def _digits(text: str, i: int) -> int:
    while i < len(text) and text[i] in _DIGITS:
        i += 1
    return i


def _tokens(text: str):
    i, n = 0, len(text)
    while i < n:
        ch, start = text[i], i
        if ch in " \t\r\n" or unicodedata.category(ch) == "Zs":
            i += 1
            continue
        if ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            i = _digits(text, i)
            if i < n and text[i] == ".":
                i = _digits(text, i + 1)
            good = True
            if i < n and text[i] in "eE":
                j = i + 1 + (i + 1 < n and text[i + 1] in "+-")
                good = j < n and text[j] in _DIGITS
                i = _digits(text, j) if good else i
            if not good or (i < n and text[i] in _WORD + _DIGITS + "."):
                while i < n and text[i] in _WORD + _DIGITS + ".":
                    i += 1
                raise ParseError("bad_number", start + 1, text, found=text[start:i])
            yield "num", text[start:i], start + 1
        elif ch in _WORD:
            while i < n and text[i] in _WORD + _DIGITS:
                i += 1
            yield "name", text[start:i], start + 1
        elif ch == "." and text[i + 1:i + 2] == "T" and (i + 2 == n or text[i + 2] not in _WORD + _DIGITS):
            i += 2
            yield ".T", ".T", start + 1
        elif ch == "*" and text[i + 1:i + 2] == "*":
            i += 2
            yield "**", "**", start + 1
        elif ch in _SYMBOLS:
            i += 1
            yield _SYMBOLS[ch], ch, start + 1
        else:
            raise ParseError("unexpected_char", start + 1, text, found=ch)
    while True:
        yield "end", "", n + 1


class _Parser:
    def __init__(self, text: str, max_depth: int, max_exponent: float):
        self.text, self.max_depth, self.max_exponent = text, max_depth, max_exponent
        self.tokens, self.depth = _tokens(text), 0
        self.advance()

    def advance(self):
        self.kind, self.tok, self.col = next(self.tokens)

    def fail(self, code: str, col: int | None = None, **details):
        details.setdefault("found", None if self.kind == "end" else self.tok)
        raise ParseError(code, self.col if col is None else col, self.text, **details)

    def nested(self, col: int, parse):
        """Parse one level deeper, refusing to go past `max_depth` before descending."""
        self.depth += 1
        if self.depth > self.max_depth:
            self.fail("too_deep", col, limit=self.max_depth)
        node = parse()
        self.depth -= 1
        return node

    def chain(self, ops: tuple, operand):  # left-associative: operand (op operand)*
        col, node = self.col, operand()
        while self.kind in ops:
            op = self.kind
            self.advance()
            node = Binary(op, node, operand(), col)
        return node

    def expr(self):
        return self.chain(("+", "-"), self.term)

    def term(self):
        return self.chain(("*", "/", "@"), self.unary)

    def unary(self):
        if self.kind not in ("+", "-"):
            return self.power()
        op, col = self.kind, self.col
        self.advance()
        return Unary(op, self.nested(col, self.unary), col)

    def power(self):
        col, base = self.col, self.atom()
        if self.kind != "**":
            return base
        self.advance()
        exp_col = self.col
        exponent = self.nested(exp_col, self.unary)
        if not names(exponent):  # a constant exponent: fold it now and refuse a huge one
            value = evaluate(exponent)
            if abs(value) > self.max_exponent:
                self.fail("exponent_too_large", exp_col, value=_fmt(value), limit=_fmt(self.max_exponent))
        return Binary("**", base, exponent, col)

    def atom(self):
        col, node = self.col, self.base()
        while self.kind in ("[", ".T"):
            if self.kind == ".T":
                self.advance()
                node = Call("transpose", (node,), col)
                continue
            node = self.nested(col, lambda: self.index(node, col))
        return node

    def index(self, node, col: int):
        """`[i]` or `[i, j]` after an atom: constant whole numbers."""
        open_col = self.col
        self.advance()
        places = []
        while True:
            sign = -1 if self.kind == "-" else 1
            if self.kind in ("-", "+"):
                self.advance()
            if self.kind != "num" or not float(self.tok).is_integer():
                self.fail("bad_index")
            places.append(Num(sign * float(self.tok), self.col))
            self.advance()
            if self.kind != ",":
                break
            self.advance()
        if self.kind != "]":
            self.fail("unclosed_paren", open_col=open_col, closer=("','", "']'"))
        self.advance()
        return Call("index", (node, *places), col)

    def base(self):
        kind, tok, col = self.kind, self.tok, self.col
        if kind == "num":
            self.advance()
            return Num(float(tok), col)
        if kind == "(":
            items = self.nested(col, lambda: self.group(col, many=True))
            return items[0] if len(items) == 1 else Call("tuple", tuple(items), col)
        if kind != "name":
            self.fail("expected_expression")
        self.advance()
        if self.kind != "(":
            if tok in FUNCTIONS:
                self.fail("expected_call", name=tok)
            return Name(tok, col)
        if tok not in FUNCTIONS:
            self.fail("unknown_function", col, name=tok, known=list(FUNCTIONS))
        args = self.nested(col, lambda: self.group(self.col, many=True))
        arity = FUNCTIONS[tok] if isinstance(FUNCTIONS[tok], tuple) else (FUNCTIONS[tok],)
        if len(args) not in arity:
            self.fail("wrong_arity", col, name=tok, expected=" or ".join(map(str, arity)), given=len(args))
        if tok in ("sum", "mean") and len(args) == 2 and not _whole(args[1]):
            self.fail("bad_axis", args[1].col, name=tok)
        return Call(tok, tuple(args), col)

    def group(self, open_col: int, many: bool) -> list:
        """'(' expr (',' expr)* ')', the commas only when `many`."""
        self.advance()
        args = [self.expr()]
        while many and self.kind == ",":
            self.advance()
            args.append(self.expr())
        if self.kind != ")":
            self.fail("unclosed_paren", open_col=open_col, closer=("','", "')'") if many else ("')'",))
        self.advance()
        return args


def _whole(node) -> bool:
    """A whole number written as such (an axis): `0`, `1`, `-1`."""
    if type(node) is Unary and node.op == "-":
        node = node.operand
    return type(node) is Num and float(node.value).is_integer()


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e16 else f"{x:.6g}"


def parse(text: str, *, max_length: int = 500, max_depth: int = 50, max_exponent: float = 1000):
    """Parse `text` into a tree of nodes, or raise `ParseError`."""
    if len(text) > max_length:
        raise ParseError("too_long", max_length + 1, text, length=len(text), limit=max_length)
    p = _Parser(text, max_depth, max_exponent)
    if p.kind == "end":
        raise ParseError("empty", 1, text)
    try:
        node = p.expr()
    except RecursionError:  # only when max_depth is set far above the default
        raise ParseError("too_deep", p.col, text, limit=max_depth) from None
    if p.kind != "end":
        p.fail("trailing_input")
    return node


def _children(node) -> tuple:
    t = type(node)
    if t is Unary:
        return (node.operand,)
    if t is Binary:
        return (node.left, node.right)
    return node.args if t is Call else ()


def names(node, constants: bool = False) -> set[str]:
    """The free names `node` uses, not function names; `pi` and `e` only with `constants` (a level
    may define its own `e`, as seed 000 names a node e)."""
    found, todo = set(), [node]
    while todo:
        n = todo.pop()
        if type(n) is Name and (constants or n.id not in CONSTANTS):
            found.add(n.id)
        todo.extend(_children(n))
    return found


def evaluate(node, env: Mapping[str, object] | None = None, lib: Mapping | None = None):
    """Evaluate `node` with `env` for the names, computing with `lib` (default `FLOAT_LIB`).

    Iterative, so a long chain like 1+1+...+1 never hits Python's recursion limit."""
    env = {} if env is None else env
    lib = FLOAT_LIB if lib is None else lib
    todo, vals = [node], []
    while todo:
        n = todo.pop()
        t = type(n)
        if t is tuple:  # (node,): its operands are the last values on `vals`
            n = n[0]
            k = len(_children(n))
            args = vals[-k:]
            del vals[-k:]
            if type(n) is Unary:
                vals.append(lib["neg"](args[0]) if n.op == "-" else args[0])
            else:
                vals.append(lib[n.op if type(n) is Binary else n.fn](*args))
        elif t is Num:
            vals.append(n.value)
        elif t is Name:
            if n.id in env:
                vals.append(lib["var"](env[n.id]))
            elif n.id in CONSTANTS:
                vals.append(CONSTANTS[n.id])
            else:
                known = sorted(set(env) - set(CONSTANTS)) + list(CONSTANTS)
                raise ParseError("unknown_name", n.col, name=n.id, known=known)
        else:
            todo.append((n,))
            todo.extend(reversed(_children(n)))
    return vals[0]


def evaluate_text(text: str, env: Mapping[str, object] | None = None, **parse_limits) -> float:
    """Parse and evaluate with floats; a `ParseError` from either step carries `text`."""
    try:
        return evaluate(parse(text, **parse_limits), env)
    except ParseError as err:
        err.text = text
        raise


# ---- the float backend: IEEE answers (inf, -inf, nan) where Python's math would raise
def _div(a, b):
    if b == 0.0:
        return math.nan if a == 0.0 or a != a else math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _pow(a, b):
    with np.errstate(all="ignore"):
        return float(np.power(float(a), float(b)))


def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _finite(f):  # sin(inf) raises in math; IEEE says nan
    return lambda x: f(x) if math.isfinite(x) else math.nan


def _log(x):
    return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)


FLOAT_LIB = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": _div, "**": _pow, "neg": operator.neg,
    "var": float, "exp": _exp, "log": _log, "ln": _log, "sqrt": lambda x: math.sqrt(x) if x >= 0 else math.nan,
    "sin": _finite(math.sin), "cos": _finite(math.cos), "tanh": math.tanh, "abs": abs,
    "sigmoid": lambda x: 1.0 / (1.0 + _exp(-x)) if x >= 0 else _exp(x) / (1.0 + _exp(x)),
    "relu": lambda x: x if x > 0 else 0.0,
    "max": lambda a, b: math.nan if a != a or b != b else max(a, b),
    "min": lambda a, b: math.nan if a != a or b != b else min(a, b),
    "mean": lambda x, axis=None: _reduce(np.mean, x, axis), "sum": lambda x, axis=None: _reduce(np.sum, x, axis),
    "@": lambda a, b: _matmul(a, b), "transpose": lambda x: np.transpose(x) if np.ndim(x) else x,
    "softmax": lambda x: _softmax_of(x, log=False), "log_softmax": lambda x: _softmax_of(x, log=True),
    "onehot": lambda i, n: _onehot(i, n),
    "tuple": lambda *xs: np.array([float(x) for x in xs]),
    "index": lambda x, *i: _entry(x, i),
}


def _entry(x, places):
    """x[i] or x[i, j] with the places given as floats; an index error says so in words."""
    where = tuple(int(i) for i in places)
    shape = np.shape(x.data if isinstance(x, Value) else x)
    if len(where) != len(shape) or any(not -n <= i < n for i, n in zip(where, shape)):
        size = "one number" if not shape else "×".join(map(str, shape))
        raise IndexError(f"[{', '.join(map(str, where))}] is not an entry of an array of shape {size}")
    if isinstance(x, Value):
        return x[where if len(where) > 1 else where[0]]
    return float(np.asarray(x)[where])


def _axis(x, axis) -> int | None:
    """The axis of a reduction as a whole number within x's dimensions, or None for all of them."""
    if axis is None:
        return None
    ndim, a = np.ndim(x.data if isinstance(x, Value) else x), int(axis)
    if not -ndim <= a < ndim:
        raise ValueError(f"axis {a} is not an axis of {'a number' if not ndim else f'an array of {ndim} dimension(s)'}"
                         ": 0 runs down the rows (one result per column), 1 along them, −1 is the last")
    return a


def _reduce(f, x, axis):
    """sum or mean of an array (over `axis` if given); a number is left as it is."""
    a = _axis(x, axis)
    if not np.ndim(x):
        return x
    r = f(np.asarray(x, dtype=np.float64), axis=a)
    return float(r) if np.ndim(r) == 0 else r


def _dims(shape) -> str:
    return "a number" if not shape else f"a vector of {shape[0]} entries" if len(shape) == 1 \
        else f"a {'×'.join(map(str, shape))} matrix"


def _fit(a, b):
    """Refuse a matrix product whose sizes do not fit, in words (the shapes named)."""
    sa, sb = np.shape(a.data if isinstance(a, Value) else a), np.shape(b.data if isinstance(b, Value) else b)
    if not sa or not sb:
        raise ValueError(f"@ multiplies matrices and vectors, not {_dims(sa if not sa else sb)}: use * for numbers")
    inner_a, inner_b = sa[-1], (sb[-2] if len(sb) > 1 else sb[0])
    if inner_a != inner_b:
        raise ValueError(f"the matrix product of {_dims(sa)} and {_dims(sb)} does not fit: the left one's "
                         f"columns ({inner_a}) must match the right one's rows ({inner_b}); check the shapes")


def _matmul(a, b):
    _fit(a, b)
    r = np.matmul(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    return float(r) if np.ndim(r) == 0 else r


def _softmax_of(x, log: bool):
    data = x.data if isinstance(x, Value) else x
    if not np.ndim(data):
        raise ValueError("softmax turns a vector of scores into probabilities: give it a vector, like softmax((a, b, c))")
    if isinstance(x, Value):
        return x.log_softmax() if log else x.softmax()
    return (LOG_SOFTMAX if log else SOFTMAX).forward(np.asarray(data, dtype=np.float64), None)


MAX_ONEHOT = 1024


def _onehot(i, n):
    """n entries, 1 at entry i (counted from 0); a vector of labels i gives one row each. A constant."""
    i = np.asarray(i.data if isinstance(i, Value) else i, dtype=np.float64)
    n = float(n.data if isinstance(n, Value) else n)
    if not (n.is_integer() and 1 <= n <= MAX_ONEHOT):
        raise ValueError(f"onehot(i, n) needs n, the number of classes, a whole number from 1 to {MAX_ONEHOT}")
    if np.any(i != np.round(i)) or np.any(i < 0) or np.any(i >= n):
        raise ValueError(f"onehot(i, n) needs i a class from 0 to {int(n) - 1} (counted from 0)")
    return np.eye(int(n))[i.astype(int)]


# ---- the Value backend: Python operators on Values; plain numbers stay floats until a call
def _either(name, value_op):
    float_op = FLOAT_LIB[name]
    return lambda *a: value_op(*a) if any(isinstance(x, Value) for x in a) else float_op(*a)


def _method(m):
    return lambda x: m(x if isinstance(x, Value) else Value(x))


VALUE_LIB = {name: _either(name, op) for name, op in (
    ("+", operator.add), ("-", operator.sub), ("*", operator.mul), ("/", operator.truediv),
    ("**", operator.pow), ("neg", operator.neg))}
VALUE_LIB |= {
    "var": lambda v: v, "exp": _method(Value.exp), "log": _method(Value.log), "ln": _method(Value.log),
    "sqrt": _method(Value.sqrt), "sin": _method(Value.sin), "cos": _method(Value.cos),
    "tanh": _method(Value.tanh), "sigmoid": _method(Value.sigmoid), "relu": _method(Value.relu),
    "abs": _method(Value.abs), "max": maximum, "min": minimum,
    "mean": lambda x, axis=None: _reduce_value("mean", x, axis), "sum": lambda x, axis=None: _reduce_value("sum", x, axis),
    "@": lambda a, b: _matmul_value(a, b), "transpose": lambda x: x.T if isinstance(x, Value) and np.ndim(x.data)
    else FLOAT_LIB["transpose"](x),
    "softmax": lambda x: _softmax_of(x, log=False), "log_softmax": lambda x: _softmax_of(x, log=True),
    "onehot": lambda i, n: _onehot(i, n),
    "tuple": lambda *xs: stack([x if isinstance(x, Value) else Value(float(x)) for x in xs]),
    "index": lambda x, *i: _entry(x, i),
}


def _reduce_value(how: str, x, axis):
    if not isinstance(x, Value):
        return FLOAT_LIB[how](x, axis)
    a = _axis(x, axis)
    return getattr(x, how)(axis=a) if np.ndim(x.data) else x


def _matmul_value(a, b):
    if not isinstance(a, Value) and not isinstance(b, Value):
        return _matmul(a, b)
    _fit(a, b)
    return (a if isinstance(a, Value) else Value(a)) @ b
