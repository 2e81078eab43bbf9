"""Answers rounded too far: the right idea, written with too few significant figures.

The default tolerance (0.1 %, see docs/authoring.md §3.1) accepts any answer given to four
significant figures, so 150.2 passes for 150.218 and 150 does not. An answer that is the exact
value rounded (or cut) to fewer figures than the tolerance needs is not a mistake of method:
the player is told how many figures to give, and no attempt is used.
"""

from __future__ import annotations

import math

import numpy as np

from gradquest.game.answers import close

MAX_FIGURES = 15


def to_figures(x: float, k: int, cut: bool = False) -> float:
    """x rounded (or, with `cut`, truncated toward zero) to k significant figures."""
    if x == 0 or not math.isfinite(x):
        return x
    if not cut:
        return float(f"{x:.{k - 1}e}")
    scale = 10.0 ** (k - 1 - math.floor(math.log10(abs(x))))
    return math.trunc(x * scale) / scale


def figures_needed(x: float, tolerance=None) -> int:
    """The fewest significant figures of x the tolerance accepts."""
    for k in range(1, MAX_FIGURES + 1):
        if close(to_figures(x, k), x, tolerance) and close(to_figures(x, k, cut=True), x, tolerance):
            return k
    return MAX_FIGURES


def _rounded_from(a: float, x: float, tolerance) -> int | None:
    """The figures to ask for when `a` is x rounded or cut to 2 or more figures, but too few."""
    if close(a, x, tolerance):
        return 0
    if not abs(a - x) < 0.11 * abs(x):  # x rounded or cut to 2 figures or more is within 10 % of it
        return None
    need = figures_needed(x, tolerance)
    for k in range(2, need):
        if any(math.isclose(a, to_figures(x, k, cut), rel_tol=1e-12) for cut in (False, True)):
            return need
    return None


def too_few_figures(answer, expected, tolerance=None) -> int | None:
    """How many significant figures to give when the answer is the right one rounded too far
    (every entry of a vector either accepted or rounded too far, and one at least rounded);
    None when it is not."""
    a = np.atleast_1d(np.asarray(answer, dtype=float))
    x = np.atleast_1d(np.asarray(expected, dtype=float))
    if a.shape != x.shape:
        return None
    found = [_rounded_from(float(ai), float(xi), tolerance) for ai, xi in zip(a.ravel(), x.ravel())]
    if any(f is None for f in found) or not any(found):
        return None
    return max(found)
