"""Print reference optimiser trajectories from real PyTorch, for `tests/engine/test_optim.py`.

Not a test and not a dependency: PyTorch is needed only to run this script, in a scratch venv:

    python3 -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchenv/bin/python tools/torch_reference.py > /tmp/reference.py

Each case runs `STEPS` steps of one `torch.optim` optimiser (single-tensor path: foreach=False,
fused=False), in float64, on fixed starting tensors. Before each step every parameter's gradient
is set to ∇f at the current point, where f(p) = Σ sin(pᵢ)·pᵢ + 0.3·pᵢ², so the gradient changes
from step to step. The output is a Python literal (floats by `repr`, so at full precision) to
paste into the test file, with the parameters after every step and the optimiser's state at the
end.
"""

from __future__ import annotations

import pprint

import torch

STEPS = 6

VECTOR = [[1.5, -0.7, 2.3], [[0.4, -2.1], [3.0, -0.25]]]  # two parameters: shape (3,) and (2, 2)
SCALAR = [1.2]  # one 0-d parameter

CASES = [
    # name, optimiser, keyword arguments, starting parameters
    ("sgd_plain", "SGD", dict(lr=0.1), VECTOR),
    ("sgd_weight_decay", "SGD", dict(lr=0.1, weight_decay=0.05), VECTOR),
    ("sgd_momentum", "SGD", dict(lr=0.05, momentum=0.9), VECTOR),
    ("sgd_dampening", "SGD", dict(lr=0.05, momentum=0.9, dampening=0.1), VECTOR),
    ("sgd_nesterov", "SGD", dict(lr=0.05, momentum=0.9, nesterov=True), VECTOR),
    ("sgd_maximize", "SGD", dict(lr=0.05, momentum=0.5, weight_decay=0.01, maximize=True), VECTOR),
    ("adam_default_betas", "Adam", dict(lr=0.1), VECTOR),
    ("adam_default_lr", "Adam", dict(), VECTOR),
    ("adam_weight_decay", "Adam", dict(lr=0.05, weight_decay=0.1), VECTOR),
    ("adam_amsgrad", "Adam", dict(lr=0.1, betas=(0.8, 0.6), amsgrad=True), VECTOR),
    # β1 < 0.5 takes the other branch of torch's lerp
    ("adam_small_beta1_maximize", "Adam", dict(lr=0.1, betas=(0.3, 0.5), maximize=True), VECTOR),
    ("scalar_sgd_nesterov", "SGD", dict(lr=0.1, momentum=0.8, nesterov=True), SCALAR),
    ("scalar_adam_amsgrad", "Adam", dict(lr=0.2, betas=(0.8, 0.6), amsgrad=True), SCALAR),
]

STATE_KEYS = ("momentum_buffer", "step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq")


def f(p: torch.Tensor) -> torch.Tensor:
    return (torch.sin(p) * p + 0.3 * p * p).sum()


def run(kind: str, kwargs: dict, start: list) -> dict:
    params = [torch.tensor(x, dtype=torch.float64) for x in start]
    cls = getattr(torch.optim, kind)
    extra = dict(foreach=False) if kind == "SGD" else dict(foreach=False, fused=False)
    opt = cls(params, **kwargs, **extra)
    trajectory = []
    for _ in range(STEPS):
        for p in params:
            q = p.detach().clone().requires_grad_(True)
            (grad,) = torch.autograd.grad(f(q), q)
            p.grad = grad
        opt.step()
        trajectory.append([p.detach().tolist() for p in params])
    state = []
    for p in params:
        s = opt.state[p]
        state.append({k: (float(s[k]) if k == "step" else s[k].tolist())
                      for k in STATE_KEYS if k in s and s[k] is not None})
    return dict(optimizer=kind, kwargs=kwargs, start=start, trajectory=trajectory, state=state)


def main() -> None:
    torch.set_default_dtype(torch.float64)
    reference = {name: run(kind, kwargs, start) for name, kind, kwargs, start in CASES}
    amsgrad = reference["adam_amsgrad"]["state"][0]
    if amsgrad["max_exp_avg_sq"] == amsgrad["exp_avg_sq"]:
        raise SystemExit("adam_amsgrad never used its running maximum: pick other betas")
    print(f"# Produced by tools/torch_reference.py with torch {torch.__version__}.")
    print("REFERENCE = " + pprint.pformat(reference, width=100, sort_dicts=False))


if __name__ == "__main__":
    main()
