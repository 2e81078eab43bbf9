"""Optimisers: PyTorch's SGD and Adam, reproduced to the last few bits, and the textbook forms.

An optimiser holds a list of parameters, anything with `.data` and `.grad` (a float, or a numpy
float64 array of the same shape). `step()` puts a new value in `p.data` (a new float or a new
array: nothing is changed in place, so a value the game kept from before the step stays as it
was); `zero_grad()` zeroes the gradients. After a step, `opt.state[i]` is a dict of what the
optimiser keeps for parameter i, for the game to show, including `update`, the amount that was
added to the parameter.

`SGD` and `Adam` follow `torch.optim.SGD` and `torch.optim.Adam` (single-tensor path, float64)
operation by operation, so that their trajectories match PyTorch's to rounding: torch's CPU
kernels fuse a multiply and an add into one rounding (`add` with `alpha`, `lerp`), numpy rounds
twice, so the last bit or so may differ (about 1e-15 relative over the tests' trajectories).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from gradquest.engine.graph import gradient, hessian
from gradquest.engine.value import Value, zero_grad


def _grad(p):
    """p's gradient as a fresh float or array shaped like p.data (a gradient may be a bare 0)."""
    if type(p.data) is float:
        return float(p.grad)
    return np.broadcast_to(np.asarray(p.grad, dtype=np.float64), np.shape(p.data)).copy()


def _as(x, like):
    """x as a float when `like` is a float, as a float64 array otherwise."""
    return float(x) if type(like) is float else np.asarray(x, dtype=np.float64)


def _zeros(like):
    return 0.0 if type(like) is float else np.zeros_like(like)


def _lerp(start, end, weight: float):
    """torch.lerp: start + weight·(end − start), from `end` when weight ≥ 0.5, as torch does.

    Equal to (1 − weight)·start + weight·end in exact arithmetic; torch's kernel also fuses the
    multiply-add, which this cannot, so results may differ from torch's in the last bit.
    """
    if abs(weight) < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1.0 - weight)


class Optimizer:
    def __init__(self, params):
        self.params = list(params)
        self.state: list[dict] = [{} for _ in self.params]

    def zero_grad(self) -> None:
        zero_grad(self.params)

    def step(self) -> None:
        for i, p in enumerate(self.params):
            update = self._update(self.state[i], p.data, _grad(p))
            self.state[i]["update"] = update
            p.data = _as(p.data + update, p.data)

    def _update(self, state: dict, p, g):
        """The amount to add to parameter value p, whose gradient is g; updates `state`."""
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, as `torch.optim.SGD`.

        g = ∇ (−∇ if maximize) + weight_decay·p
        with momentum μ:  b = g on the first step, then b = μ·b + (1 − dampening)·g
                          g = g + μ·b with nesterov, else g = b
        p = p − lr·g

    State: `momentum_buffer` (b, when momentum ≠ 0) and `update` (−lr·g).
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, maximize: bool = False):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params)
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.weight_decay, self.nesterov, self.maximize = weight_decay, nesterov, maximize

    def _update(self, state, p, g):
        if self.maximize:
            g = -g
        if self.weight_decay != 0:
            g = g + self.weight_decay * p
        if self.momentum != 0:
            b = state.get("momentum_buffer")
            b = g if b is None else b * self.momentum + (1 - self.dampening) * g
            state["momentum_buffer"] = b
            g = g + self.momentum * b if self.nesterov else b
        return -self.lr * g


class Adam(Optimizer):
    """Adam, as `torch.optim.Adam` (L2 weight decay added to the gradient, as torch does).

        g = ∇ (−∇ if maximize) + weight_decay·p;  t = t + 1
        m = β₁·m + (1 − β₁)·g       computed as torch does, m + (1 − β₁)·(g − m)
        v = β₂·v + (1 − β₂)·g²
        m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)      (shown; the step uses the form below)
        amsgrad: v_max = max(v_max, v), used in place of v in the denominator
        p = p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)   ≈ p − lr·m̂ / (√v̂ + ε)

    State: `step` (t), `exp_avg` (m), `exp_avg_sq` (v), `max_exp_avg_sq` (amsgrad), `m_hat`,
    `v_hat` and `update`.
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, amsgrad: bool = False,
                 maximize: bool = False):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if eps < 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        super().__init__(params)
        self.lr, self.betas, self.eps = lr, tuple(betas), eps
        self.weight_decay, self.amsgrad, self.maximize = weight_decay, amsgrad, maximize

    def _update(self, state, p, g):
        beta1, beta2 = self.betas
        if self.maximize:
            g = -g
        if self.weight_decay != 0:
            g = g + self.weight_decay * p
        t = state["step"] = state.get("step", 0) + 1
        m = state["exp_avg"] = _lerp(state.get("exp_avg", _zeros(g)), g, 1 - beta1)
        v = state.get("exp_avg_sq", _zeros(g)) * beta2 + (1 - beta2) * (g * g)
        state["exp_avg_sq"] = v
        bias_correction1 = 1 - beta1**t
        bias_correction2 = 1 - beta2**t
        state["m_hat"] = m / bias_correction1
        state["v_hat"] = v / bias_correction2
        if self.amsgrad:
            v = state["max_exp_avg_sq"] = _as(np.maximum(state.get("max_exp_avg_sq", v), v), p)
        step_size = self.lr / bias_correction1
        denom = _as(np.sqrt(v), p) / bias_correction2**0.5 + self.eps
        return -step_size * (m / denom)


class HeavyBall(Optimizer):
    """Polyak's heavy ball, the textbook momentum:  v = μ·v − η·∇,  x = x + v  (v starts at 0).

    State: `velocity` (v) and `update` (also v).
    """

    def __init__(self, params, lr: float, mu: float):
        super().__init__(params)
        self.lr, self.mu = lr, mu

    def _update(self, state, p, g):
        v = state["velocity"] = self.mu * state.get("velocity", _zeros(g)) - self.lr * g
        return v


def newton_step(fn: Callable[[list[Value]], Value], point: Sequence[float]
                ) -> np.ndarray:
    """Newton's step x − H⁻¹∇f(x), with ∇f and the Hessian H computed exactly by the engine.

    `fn` takes a list of scalar Values and returns a scalar Value. Raises ValueError when H is
    singular, where Newton's step is not defined.
    """
    x = np.asarray(point, dtype=np.float64).reshape(-1)
    xs = [Value(float(xi)) for xi in x]
    out = fn(xs)
    g = gradient(out, xs)
    h = hessian(out, xs)
    if np.linalg.matrix_rank(h) < len(x):
        raise ValueError(f"the Hessian at {x.tolist()} is singular, so Newton's step is not "
                         f"defined there: H = {h.tolist()}")
    return x - np.linalg.solve(h, g)
