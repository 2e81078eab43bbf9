"""The leak rule for pictures: at an ask, no figure draws its answer.

`leaks.py` reads the numbers written on the screen; this module reads what the plot draws, which a
player can measure:

- a straight line whose slope is the answer (a tangent drawn before its slope is asked: "you can
  read about 1.4 off it");
- a drawn point (a path's point, a marker) at the point an ask asks for ("the next point (x, y) = ?");
- a run drawn before the player predicts or computes it: a drawn path holding a point the player's
  own parameters reach only after this ask (`early_runs`, from the whole play).

An ask whose answer the level means to show says `given: true`, as for text.
"""

from __future__ import annotations

import math

import numpy as np

from gradquest.engine.explain import number
from gradquest.figures.plots import figures
from gradquest.game.answers import DEFAULT_TOLERANCE, close

STRAIGHT = 1e-6  # a line is straight when no point is further than this share of its height from the chord


def _finite(series) -> list[tuple[float, float]]:
    return [(x, y) for x, y in zip(series.xs, series.ys) if math.isfinite(x) and math.isfinite(y)]


def slope_of(series) -> float | None:
    """The slope of a drawn line that is straight (and not flat), else None."""
    pts = _finite(series)
    if series.style != "line" or len(pts) < 2:
        return None
    (x0, y0), (x1, y1) = pts[0], pts[-1]
    if x1 == x0 or y1 == y0:
        return None
    slope = (y1 - y0) / (x1 - x0)
    off = max(abs(y - (y0 + slope * (x - x0))) for x, y in pts)
    return slope if off <= STRAIGHT * max(abs(y1 - y0), 1e-12) else None


def drawn(session) -> list:
    try:
        return figures(session)
    except Exception:  # noqa: BLE001 (a plot that cannot be computed is its own finding)
        return []


def picture_leaks(session, answer: np.ndarray, tolerance, fresh: list[bool]) -> list[str]:
    """Where the plot draws the answer: a straight line of its slope, or a point at it. `fresh` says
    which components of the answer the player has not worked out yet."""
    found, reached = [], reached_points(session)  # where the player has been is no answer
    for fig in drawn(session):
        for s in fig.series:
            name = s.label or fig.title or "a line"
            slope = slope_of(s)
            if slope is not None:
                found += [f"plot: a straight line of slope {number(x)} (\"{name}\")"
                          for x, new in zip(answer, fresh) if new and close(slope, x, tolerance)]
            if answer.size == 2 and any(fresh) and s.style != "points" and s.label and not _among(answer, reached):
                if any(close(np.array(p), answer, tolerance) for p in _finite(s)):
                    found.append(f"plot: the point ({number(answer[0])}, {number(answer[1])}) is drawn "
                                 f"(\"{name}\")")
    return list(dict.fromkeys(found))


def path_steps(session) -> list[tuple[float, float, float, float]]:
    """The steps the plot's labelled paths draw now on a map of the parameters' plane, as
    (x, y, next x, next y)."""
    return [(*p, *q) for fig in drawn(session) if fig.square for s in fig.series
            if s.label and s.style != "points" for p, q in zip(_finite(s), _finite(s)[1:])]


def reached_points(session) -> list[tuple[float, float]]:
    """The player's parameters on the contour map so far, from the world's trail."""
    over = getattr(session.level.plot, "over", None)
    if not isinstance(over, tuple | list) or len(over) != 2:
        return []
    xa, ya = over
    return [(p[xa], p[ya]) for p in session.world.trail if xa in p and ya in p]


def early_runs(moments: list[tuple[str, list, list]], last: list) -> list[tuple[str, str]]:
    """(path of the ask, point) for each ask at which the plot already drew a step the player's
    parameters take only after it (before the next ask, and before they go back to a point seen
    already, which starts another run): a run drawn before it is predicted.
    `moments` holds, per ask, its path, the steps drawn then and the trail so far; `last` is the
    trail at the end."""
    found = []
    for i, (path, shown, trail) in enumerate(moments):
        until = moments[i + 1][2] if i + 1 < len(moments) else last
        start = max(len(trail) - 1, 0)
        coming = []
        for p, q in zip(until[start:], until[start + 1:]):
            if _among(q, trail):  # back to a point seen before: a new run starts, no longer this ask's
                break
            coming.append((*p, *q))
        hit = next((step for step in coming if _among(step, shown)), None)
        if hit is not None:
            found.append((path, f"({number(hit[2])}, {number(hit[3])})"))
    return found


def _among(point, points) -> bool:
    """Whether `point` (or a step, four numbers) is one of `points`, within the default tolerance of an answer."""
    if not points:
        return False
    p, many = np.asarray(point, dtype=float), np.asarray(points, dtype=float)
    width = np.maximum(DEFAULT_TOLERANCE.rel * np.abs(p), DEFAULT_TOLERANCE.abs)
    return bool(np.any(np.all(np.abs(many - p) <= width, axis=1)))
