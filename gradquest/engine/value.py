"""`Value`: a number (or a numpy float64 array) that remembers how it was made.

The surface is micrograd's, so the seeds' code runs unchanged; the inside is built for speed and
for teaching: a node points at a shared `Op` (no closure per node, so no reference cycle), scalars
stay plain Python floats, and arrays broadcast like numpy with gradients summed back.

Gradients accumulate (`+=`). `backward()` zeroes the gradients of the graph's inner nodes, sets the
root's gradient to 1 and adds into the leaves, so calling it twice doubles the leaves' gradients,
as PyTorch does with `retain_graph=True`. Zero them between steps (`p.grad = 0` or `zero_grad`).
"""

from __future__ import annotations

import numpy as np

from gradquest.engine.ops import (
    ABS, ADD, COS, DIV, EXP, GETITEM, LOG, LOG_SOFTMAX, MATMUL, MAX, MEAN, MIN, MUL, NEG, POW, POW_CONST,
    RELU, RESHAPE, SIGMOID, SIN, SOFTMAX, SQRT, SUB, SUM, TANH, TRANSPOSE, Op,
)

_new = object.__new__
_MARK = object()


def _to_data(data):
    if type(data) is float:
        return data
    if isinstance(data, (np.ndarray, list, tuple)):
        arr = np.asarray(data, dtype=np.float64)
        return float(arr) if arr.ndim == 0 else arr
    return float(data)


class Value:
    __slots__ = ("data", "grad", "_prev", "_fn", "_arg", "label")
    __array_ufunc__ = None  # numpy scalars on the left defer to our reflected operators

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = _to_data(data)
        self.grad = 0.0 if type(self.data) is float else np.zeros_like(self.data)
        self._prev = tuple(_children)
        self._fn = None
        self._arg = _op or None
        self.label = label

    # ---- what a node is
    @property
    def _op(self) -> str:
        fn = self._fn
        if fn is None:
            return self._arg or ""
        if fn is POW_CONST:
            return f"**{_plain(self._arg)}"
        return fn.symbol

    @property
    def op(self) -> Op | None:
        return self._fn

    @property
    def arg(self):
        return self._arg

    @property
    def shape(self) -> tuple:
        return np.shape(self.data)

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def __float__(self):
        return float(self.data)

    # ---- arithmetic (the hot ones written out; the rest go through the op's forward)
    def __add__(self, other):
        if not isinstance(other, Value):
            other = _const(other)
        return _node(self.data + other.data, (self, other), ADD)

    def __radd__(self, other):
        return _const(other) + self

    def __sub__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        return _node(self.data - other.data, (self, other), SUB)

    def __rsub__(self, other):
        return Value(other) - self

    def __mul__(self, other):
        if not isinstance(other, Value):
            other = _const(other)
        return _node(self.data * other.data, (self, other), MUL)

    def __rmul__(self, other):
        return _const(other) * self

    def __truediv__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        return _binary(DIV, self, other)

    def __rtruediv__(self, other):
        return _binary(DIV, Value(other), self)

    def __pow__(self, other):
        if isinstance(other, Value):
            return _binary(POW, self, other)
        k = float(other)
        return _node(POW_CONST.forward(self.data, k), (self,), POW_CONST, k)

    def __rpow__(self, other):
        return _binary(POW, Value(other), self)

    def __neg__(self):
        return _node(-self.data, (self,), NEG)

    def __matmul__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        return _binary(MATMUL, self, other)

    def __rmatmul__(self, other):
        return _binary(MATMUL, Value(other), self)

    def __abs__(self):
        return self.abs()

    # ---- functions
    def relu(self):
        x = self.data
        if type(x) is float:
            return _node(x if x > 0.0 else 0.0, (self,), RELU)
        return _unary(RELU, self)

    def tanh(self):
        return _unary(TANH, self)

    def exp(self):
        return _unary(EXP, self)

    def log(self):
        return _unary(LOG, self)

    def sqrt(self):
        return _unary(SQRT, self)

    def sigmoid(self):
        return _unary(SIGMOID, self)

    def sin(self):
        return _unary(SIN, self)

    def cos(self):
        return _unary(COS, self)

    def abs(self):
        return _unary(ABS, self)

    # ---- arrays
    def softmax(self):
        """exp(x) / Σ exp(x) along the last axis (each row of a matrix: a batch of score vectors)."""
        return _unary(SOFTMAX, self)

    def log_softmax(self):
        """x − log Σ exp(x) along the last axis: the log-probabilities, computed without overflow."""
        return _unary(LOG_SOFTMAX, self)

    def sum(self, axis=None, keepdims=False):
        return _unary(SUM, self, (axis, keepdims))

    def mean(self, axis=None, keepdims=False):
        return _unary(MEAN, self, (axis, keepdims))

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return _unary(RESHAPE, self, shape)

    def transpose(self, *axes):
        return _unary(TRANSPOSE, self, tuple(axes) or None)

    @property
    def T(self):
        return self.transpose()

    def __getitem__(self, index):
        if type(self.data) is float:
            raise TypeError("a scalar Value cannot be indexed")
        return _unary(GETITEM, self, index)

    # ---- graph
    def topo(self) -> list[Value]:
        """Every node this one depends on, each after its inputs (iterative: any depth)."""
        return topo_of((self,))

    def backward(self, grad=None):
        topo = self.topo()
        for v in topo:
            if v._prev:
                v.grad = 0.0
        if grad is None:
            grad = 1.0 if type(self.data) is float else np.ones_like(self.data)
        self.grad = _to_data(grad)
        for v in reversed(topo):
            fn = v._fn
            if fn is not None:
                fn.backward(v)


def stack(values) -> Value:
    """The vector (a, b, c) of Values: its gradient flows back to each entry."""
    from gradquest.engine.ops import STACK  # noqa: PLC0415

    return apply(STACK, *values)


def topo_of(roots) -> list[Value]:
    """Every node the roots depend on, each after its inputs, in one walk (linear in the graph)."""
    order: list[Value] = []
    visited: set[Value] = set()
    stack: list = list(reversed(roots))
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        v = pop()
        if v is _MARK:
            order.append(pop())
            continue
        if v in visited:
            continue
        visited.add(v)
        push(v)
        push(_MARK)
        extend(v._prev)
    return order


def _node(data, prev, fn, arg=None) -> Value:
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v._prev = prev
    v._fn = fn
    v._arg = arg
    v.label = ""
    return v


def _unary(op: Op, a: Value, arg=None) -> Value:
    return _node(op.forward(a.data, arg), (a,), op, arg)


def _binary(op: Op, a: Value, b: Value, arg=None) -> Value:
    return _node(op.forward(a.data, b.data, arg), (a, b), op, arg)


def apply(op: Op, *inputs, arg=None) -> Value:
    """Make a node of `op` over `inputs` (Values or numbers)."""
    inputs = tuple(x if isinstance(x, Value) else Value(x) for x in inputs)
    return _node(op.forward(*(x.data for x in inputs), arg), inputs, op, arg)


def maximum(a, b) -> Value:
    return apply(MAX, a, b)


def minimum(a, b) -> Value:
    return apply(MIN, a, b)


def zero_grad(values) -> None:
    for v in values:
        v.grad = 0.0 if type(v.data) is float else np.zeros_like(v.data)


def _plain(x) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _const(x) -> Value:
    """A constant leaf made by an operator: no zero gradient array allocated up front."""
    return _node(x if type(x) is float else _to_data(x), (), None)
