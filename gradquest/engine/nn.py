"""Neural networks on `Value`: the seed tutorial's scalar MLP, and the same network over arrays.

`Module`, `Neuron`, `Layer` and `MLP` are copied as seed 000 ("实现多层感知机 MLP") writes them:
one `Value` per weight, `random.uniform(-1, 1)` weights, a `Value(0)` bias, ReLU on every layer
but the last. They are what a player reads and steps through.

`TensorMLP` is the same network with one array `Value` per layer's weights (shape (nin, nout)) and
one per biases (shape (nout,)), so a batch goes through in a handful of nodes; `hinge_loss` is the
seed's loss — mean(relu(1 − y·score)) + alpha·Σ p² — over those arrays.
"""

from __future__ import annotations

import random

import numpy as np

from gradquest.engine.value import Value

# ---- seed 000, as written ------------------------------------------------------------------


class Module:

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0

    def parameters(self):
        return []

class Neuron(Module):

    def __init__(self, nin, nonlin=True):
        self.w = [Value(random.uniform(-1,1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi*xi for wi,xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"

class Layer(Module):

    def __init__(self, nin, nout, **kwargs):
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"

class MLP(Module):

    def __init__(self, nin, nouts):
        sz = [nin] + nouts
        self.layers = [Layer(sz[i], sz[i+1], nonlin=i!=len(nouts)-1) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


# ---- the same network over arrays ----------------------------------------------------------


class TensorMLP(Module):
    """A fully connected ReLU network whose parameters are array `Value`s.

    `sizes` lists the layer widths from input to output, e.g. `[2, 16, 16, 1]` for the seed's
    `MLP(2, [16, 16, 1])`. Layer i has `W[i]` of shape (sizes[i], sizes[i+1]), drawn uniformly
    from [−1, 1) by `rng`, and `b[i]` of shape (sizes[i+1],), zero — the seed's initialisation.
    Every layer but the last is followed by `activation` (ReLU, as the seed, unless told).

    `rng` is a `numpy.random.Generator`, a `numpy.random.RandomState`, or a seed for
    `numpy.random.default_rng`.
    """

    def __init__(self, sizes, rng=None, activation="relu"):
        if activation not in ("relu", "tanh", "sigmoid"):
            raise ValueError(f"activation must be relu, tanh or sigmoid, not {activation!r}")
        self.activation = activation
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2:
            raise ValueError("sizes needs at least an input and an output width")
        if not isinstance(rng, (np.random.Generator, np.random.RandomState)):
            rng = np.random.default_rng(rng)
        self.sizes = sizes
        self.W = [Value(rng.uniform(-1.0, 1.0, size=(nin, nout)))
                  for nin, nout in zip(sizes[:-1], sizes[1:])]
        self.b = [Value(np.zeros(nout)) for nout in sizes[1:]]

    def __call__(self, X):
        """Scores for a batch `X` (a `Value` or array of shape (batch, sizes[0])).

        Returns a `Value` of shape (batch,) when the last layer has one unit (the seed's case),
        of shape (batch, sizes[-1]) otherwise.
        """
        if not isinstance(X, Value):
            X = Value(X)
        h = X
        last = len(self.W) - 1
        for i, (W, b) in enumerate(zip(self.W, self.b)):
            h = h @ W + b
            if i != last:
                h = getattr(h, self.activation)()
        if self.sizes[-1] == 1:
            h = h.reshape(-1)
        return h

    def parameters(self):
        return [p for W, b in zip(self.W, self.b) for p in (W, b)]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = np.zeros_like(p.data)

    def __repr__(self):
        return f"TensorMLP({self.sizes})"


def hinge_loss(scores, y, params, alpha=1e-4):
    """The seed's SVM loss over a batch, in tensor mode.

    total = mean(relu(1 − y·score)) + alpha · Σ_p Σ p²

    `scores` is a `Value` of shape (batch,), `y` an array of ±1 labels, `params` the array
    `Value`s to regularise. Returns `(total_loss, accuracy)`: the loss as a scalar `Value`
    (call `.backward()` on it) and the fraction of the batch whose score has the sign of its label.
    """
    y = np.asarray(y, dtype=np.float64)
    data_loss = (1.0 + scores * (-y)).relu().mean()
    reg_loss = None
    for p in params:
        sq = (p * p).sum()
        reg_loss = sq if reg_loss is None else reg_loss + sq
    total = data_loss if reg_loss is None else data_loss + alpha * reg_loss
    accuracy = float(np.mean((y > 0) == (np.asarray(scores.data) > 0)))
    return total, accuracy
