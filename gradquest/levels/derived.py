"""Names a level may use that the model does not define but the game computes on demand:

- `iteration`: the number of the current iteration of an `iterate` step (1, 2, …);
- `m_<p>`, `v_<p>`, `buf_<p>`: the optimizer's state for parameter p after the `update` steps so
  far: Adam's first and second moments, the momentum buffer (SGD momentum, Nesterov; the heavy
  ball's velocity); 0 before the first step;
- `d2<out>_d<x>_d<y>`: the Hessian entry ∂²out/∂x∂y for parameters x and y (`d2f_dp_dp` too).

Gradient names `d<out>_d<x>` are the loader's and the world's own (`is_gradient`, `gradient_name`)."""

from __future__ import annotations

import re

STATE = {"m": ("exp_avg",), "v": ("exp_avg_sq",), "buf": ("momentum_buffer", "velocity")}


def derived(key: str, quantities: set[str] | dict, params: set[str] | dict) -> tuple | None:
    """What a derived name means: ("iteration",), ("state", kind, p) or ("hessian", out, x, y)."""
    if key == "iteration":
        return ("iteration",)
    m = re.fullmatch(r"(m|v|buf)_(\w+)", key)
    if m and m.group(2) in params:
        return ("state", m.group(1), m.group(2))
    if key.startswith("d2"):
        for first in re.finditer("_d", key):
            out, rest = key[2:first.start()], key[first.end():]
            if out not in quantities:
                continue
            for second in re.finditer("_d", rest):
                x, y = rest[:second.start()], rest[second.end():]
                if x in params and y in params:
                    return ("hessian", out, x, y)
    return None
