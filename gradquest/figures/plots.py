"""What a level's plot shows, as plain numbers: a `Figure` of `Series` that any front end draws.

Every point comes from the engine and the session's state (the parameters' trail, the probe's
shots, the training history), so the TUI only draws. Contour lines are the grid cells where the
function crosses a level: at a terminal's resolution that is as fine as a contour can be drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from gradquest.engine import Value
from gradquest.engine.explain import number
from gradquest.engine.optim import newton_step
from gradquest.engine.parser import VALUE_LIB, evaluate
from gradquest.figures.hiding import not_yet, plot_hidden
from gradquest.game.answers import close
from gradquest.model.evaluator import parsed
from gradquest.model.training import make_optimizer
from gradquest.model.world import labels_of
from gradquest.levels.schema import (
    ContourPlot,
    CurvePlot,
    TargetPlot,
    TrainingPlot,
    expr_of,
)

CURVE_POINTS = 161
GRID = (64, 40)
CONTOUR_LEVELS = 7


@dataclass
class Series:
    label: str
    xs: list[float]
    ys: list[float]
    style: str = "line"  # line, points, marker


@dataclass
class Figure:
    title: str = ""
    series: list[Series] = field(default_factory=list)
    xlabel: str = ""
    ylabel: str = ""
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    square: bool = False  # equal scales on both axes (maps and targets)


def figures(session) -> list[Figure]:
    """The level's plot at the session's current state: none, one, or for training over data,
    the data and the curves side by side."""
    plot = session.level.plot
    if plot is None or plot_hidden(session):
        return []
    build = {CurvePlot: _curve, ContourPlot: _contour, TargetPlot: _target, TrainingPlot: _training}[type(plot)]
    figs = [build(plot, session)]
    if isinstance(plot, TrainingPlot) and (plot.boundary or plot.line):
        figs.append(_curves(plot, session))
    if plot.title:
        figs[0].title = session.words(plot.title)
    return figs


def _evaluate_with(world, expr: str, overrides: dict[str, object]):
    """`expr` over the model with some names set (numbers, arrays, or `Value`s a backward pass
    should reach) and the nodes that use them computed again: a node follows a parameter swept
    over a grid. The world's own graph is left alone."""
    values = {k: v if isinstance(v, Value) else Value(np.asarray(v, dtype=float)) for k, v in overrides.items()}
    return evaluate(parsed(expr), world.evaluator.with_values(world.value_env(), values, expr), VALUE_LIB)


def _sweep(world, expr: str, overrides: dict[str, object]) -> np.ndarray:
    with np.errstate(all="ignore"):
        result = _evaluate_with(world, expr, overrides)
    return np.asarray(result.data if isinstance(result, Value) else result, dtype=float)


def _finite_limits(values: np.ndarray) -> tuple[float, float] | None:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None
    low, high = np.percentile(finite, [1, 99])
    pad = (high - low) * 0.1 or 1.0
    return float(low - pad), float(high + pad)


# ---- curves and tangents

def _curve(plot: CurvePlot, session) -> Figure:
    world = session.world
    xs = np.linspace(*plot.range, CURVE_POINTS)
    over = session.level.label(plot.over, session.lang)
    shown = [shown_label(item, session) for item in plot.curve]
    fig = Figure(title=", ".join(shown), xlabel=over, xlim=tuple(plot.range))
    everything = []
    for item, label in zip(plot.curve, shown):
        ys = _curve_values(world, expr_of(item), plot.over, xs)
        everything.append(ys)
        if getattr(item, "draw", "always") == "answered" and not _slope_worked(session, ys, xs):
            continue  # a straight line whose slope is still to be asked
        fig.series.append(Series(label, xs.tolist(), _clean(ys)))
    if plot.over in world.params:
        x0 = float(world.params[plot.over].data)
        y0, slope = _value_and_slope(world, expr_of(plot.curve[0]), plot.over, x0)
        fig.series.append(Series(f"{over} = {x0:.4g}", [x0], [y0], "marker"))
        drawn = plot.tangent is True or (plot.tangent == "answered" and _worked(session, slope))
        if drawn and math.isfinite(slope):
            fig.series.append(Series(_slope_label(session, slope), xs.tolist(), (y0 + slope * (xs - x0)).tolist()))
    fig.ylim = _finite_limits(np.concatenate(everything))
    return fig


def _worked(session, slope: float) -> bool:
    """Whether the player has worked this slope out (as the answer checker reads a number), or the level is over."""
    return session.done or any(close(slope, v) for v in session.worked_out)


def _slope_worked(session, ys: np.ndarray, xs: np.ndarray) -> bool:
    """For a line drawn only once its slope is answered: whether the player has worked that slope out."""
    return _worked(session, float((ys[-1] - ys[0]) / (xs[-1] - xs[0])))


def _slope_label(session, slope: float) -> str:
    """The tangent's legend: its slope once the player has worked that number out, else just "tangent"."""
    if _worked(session, slope):  # as for drawing it (`tangent: answered`): worked out as an answer is read
        return ("slope " if session.lang == "en" else "斜率 ") + number(slope)
    return "tangent" if session.lang == "en" else "切线"


def shown_label(item, session) -> str:
    """What a player reads for a shown expression: its label, a model name's label, or the expression."""
    if not isinstance(item, str):
        return session.words(item.label)
    return session.level.label(item, session.lang)


def _curve_values(world, expr: str, over: str, xs: np.ndarray) -> np.ndarray:
    """The curve over the grid in one sweep, or one point at a time when the model has data
    arrays (the grid would broadcast against them, and a mean would run over both)."""
    if not any(np.ndim(v) for v in world.env().values()):
        return np.broadcast_to(_sweep(world, expr, {over: xs}), xs.shape)
    ys = [_sweep(world, expr, {over: x}) for x in xs]
    if any(np.ndim(y) for y in ys):
        raise ValueError(f"the curve {expr} is not one number for each {over}: take the mean or sum over the data")
    return np.array(ys, dtype=float)


def _value_and_slope(world, expr: str, over: str, x0: float) -> tuple[float, float]:
    """The curve's value and derivative at x0, by the engine's backward pass."""
    point = Value(x0)
    out = _evaluate_with(world, expr, {over: point})
    if not isinstance(out, Value):
        return float(out), 0.0
    out.backward()
    return float(out.data), float(point.grad)


def _clean(ys: np.ndarray) -> list[float]:
    return [float(y) if math.isfinite(y) else math.nan for y in ys]


# ---- contour maps and descent paths

def _contour(plot: ContourPlot, session) -> Figure:
    world = session.world
    (xa, ya), (nx, ny) = plot.over, GRID
    gx, gy = np.meshgrid(np.linspace(*plot.x, nx), np.linspace(*plot.y, ny))
    f = np.broadcast_to(_sweep(world, plot.contour, {xa: gx, ya: gy}), gx.shape)
    fig = Figure(title=plot.contour, xlabel=session.level.label(xa, session.lang),
                 ylabel=session.level.label(ya, session.lang), xlim=tuple(plot.x), ylim=tuple(plot.y), square=True)
    px, py = _level_crossings(gx, gy, f)
    fig.series.append(Series("", px, py, "points"))
    start = world.trail[0] if world.trail else {}
    walked = None if session.done else len(world.trail)  # paths are drawn as far as the player has walked
    for path in plot.paths:
        if not_yet(session, path.reveal_at):
            continue  # a run not to be seen before the ask that predicts it
        xs, ys = descent_path(world, plot, path, (start.get(xa, 0.0), start.get(ya, 0.0)))
        fig.series.append(Series(session.words(path.label), xs[:walked], ys[:walked]))
    if plot.player and world.trail:
        moved = [(p[xa], p[ya]) for p in world.trail if xa in p and ya in p]
        fig.series.append(Series("you" if session.lang == "en" else "你", *map(list, zip(*moved)), "marker"))
    return fig


def _level_crossings(gx, gy, f) -> tuple[list[float], list[float]]:
    """The grid points next to which f crosses one of a few levels spaced between its extremes."""
    finite = f[np.isfinite(f)]
    if finite.size == 0:
        return [], []
    low, high = float(finite.min()), float(finite.max())
    levels = low + (high - low) * np.linspace(0, 1, CONTOUR_LEVELS + 2)[1:-1] ** 2  # denser near the minimum
    crossed = np.zeros(f.shape, dtype=bool)
    for c in levels:
        crossed |= _edges(f > c)
    return gx[crossed].tolist(), gy[crossed].tolist()


def _edges(inside: np.ndarray) -> np.ndarray:
    """The grid points whose right or lower neighbour is on the other side."""
    edge = np.zeros(inside.shape, dtype=bool)
    edge[:, :-1] |= inside[:, :-1] != inside[:, 1:]
    edge[:-1, :] |= inside[:-1, :] != inside[1:, :]
    return edge


def descent_path(world, plot: ContourPlot, path, start: tuple[float, float]) -> tuple[list[float], list[float]]:
    """Where an optimiser goes on the contour's function from `start`, step by step."""
    def f(point: list[Value]) -> Value:
        return _evaluate_with(world, plot.contour, dict(zip(plot.over, point)))

    x = np.array(start, dtype=float)
    xs, ys = [x[0]], [x[1]]
    slots = [Value(x[0]), Value(x[1])]
    optimizer = None if path.optimizer.kind == "newton" else make_optimizer(slots, path.optimizer)
    for _ in range(path.steps):
        if optimizer is None:
            try:
                x = newton_step(f, x)
            except ValueError:
                break
        else:
            point = [Value(float(v)) for v in x]
            f(point).backward()
            for slot, p in zip(slots, point):
                slot.data, slot.grad = float(slot.data), p.grad
            optimizer.step()
            x = np.array([slot.data for slot in slots])
        if not np.all(np.isfinite(x)) or np.max(np.abs(x)) > 1e6:
            break
        xs.append(float(x[0]))
        ys.append(float(x[1]))
    return xs, ys


# ---- the target

def _target(plot: TargetPlot, session) -> Figure:
    r = plot.radius
    fig = Figure(xlim=(-1.1 * r, 1.1 * r), ylim=(-1.1 * r, 1.1 * r), square=True)
    angles = np.linspace(0, 2 * math.pi, 73)
    for ring in range(plot.rings):
        radius = r * (ring + 1) / plot.rings
        fig.series.append(Series("", (radius * np.cos(angles)).tolist(), (radius * np.sin(angles)).tolist()))
    hx, hy = plot.target
    shots = [e.value for e in session.log if isinstance(e.value, dict) and hx in e.value and hy in e.value]
    if shots:
        fig.series.append(Series("shots" if session.lang == "en" else "弹着点",
                                 [s[hx] for s in shots], [s[hy] for s in shots], "marker"))
    return fig


def ring_score(x: float, y: float, plot: TargetPlot) -> int:
    """The ring a shot lands in: `rings` at the centre, 0 outside the target."""
    distance = math.hypot(x, y) / plot.radius
    return max(0, plot.rings - int(distance * plot.rings)) if distance < 1 else 0


# ---- training

def _training(plot: TrainingPlot, session) -> Figure:
    world = session.world
    fig = Figure()
    if plot.boundary:
        return _boundary(plot.boundary, world, fig, session.lang)
    if plot.data and plot.line:
        xs, ys = (np.asarray(world.value(n), dtype=float) for n in plot.data)
        fig.series.append(Series("data" if session.lang == "en" else "数据", xs.tolist(), ys.tolist(), "points"))
        ts = np.linspace(float(xs.min()), float(xs.max()), 50)
        fit = np.broadcast_to(_sweep(world, expr_of(plot.line), {"t": ts}), ts.shape)
        fig.series.append(Series(shown_label(plot.line, session), ts.tolist(), fit.tolist()))
        fig.xlabel = session.level.label(plot.data[0], session.lang)
        return fig
    return _curves(plot, session)


def _curves(plot: TrainingPlot, session) -> Figure:
    """The recorded metrics per step (the last point of a finished run is on all the data, after
    training, so it is left out)."""
    points = [p for p in session.training if not p.final]
    fig = Figure(xlabel="step" if session.lang == "en" else "步数")
    for item in plot.training:
        fig.series.append(Series(shown_label(item, session), [p.step for p in points],
                                 [p.metrics.get(expr_of(item), math.nan) for p in points]))
    return fig


def _boundary(spec, world, fig: Figure, lang: str) -> Figure:
    """The 2-D data marked by class and the grid points where the score crosses its threshold:
    the network's (`boundary: true`), or any model's score node over two data vectors."""
    if spec is True:
        network = world.level.model.network
        X = np.asarray(world.data[network.input].data)
        named = labels_of(network.input)  # moons_X → moons_y, pts → pts_y
        labels = np.asarray(world.data[named].data) if named in world.data else np.ones(len(X))
    else:
        X = np.column_stack([np.ravel(world.value(name)) for name in spec.points]).astype(float)
        labels = np.ravel(world.value(spec.classes)) if spec.classes else np.ones(len(X))
        if len(labels) != len(X):
            raise ValueError(f"{spec.classes} holds {len(labels)} classes for {len(X)} points")
    (lo_x, lo_y), (hi_x, hi_y) = X.min(axis=0) - 0.3, X.max(axis=0) + 0.3
    gx, gy = np.meshgrid(np.linspace(lo_x, hi_x, GRID[0]), np.linspace(lo_y, hi_y, GRID[1]))
    if spec is True:
        scores = np.asarray(world.network(np.column_stack([gx.ravel(), gy.ravel()])).data).reshape(gx.shape)
    else:
        swept = _sweep(world, spec.score, dict(zip(spec.points, (gx.ravel(), gy.ravel()))))
        if swept.size != gx.size:
            raise ValueError(f"the score {spec.score} is not one number per point of {', '.join(spec.points)}")
        scores = swept.reshape(gx.shape) - spec.threshold
    edge = _edges(scores > 0)
    fig.xlim, fig.ylim, fig.xlabel, fig.square = (float(lo_x), float(hi_x)), (float(lo_y), float(hi_y)), "", True
    fig.series.append(Series("boundary" if lang == "en" else "决策边界", gx[edge].tolist(), gy[edge].tolist(), "points"))
    classes = sorted(set(np.ravel(labels).tolist()), reverse=True)[:2]  # ±1, or 1 and 0 (logistic regression)
    for label in classes:
        chosen = X[np.ravel(labels) == label]
        name = ("+" if label > 0 and min(classes) < 0 else "") + number(label)
        fig.series.append(Series(name, chosen[:, 0].tolist(), chosen[:, 1].tolist(), "marker"))
    return fig


# ---- drawing: the order of the strokes, and what each labelled series keeps visible

MARKED = 60  # a line of at most this many points (a descent path) gets a marker at each point


def drawn(fig: Figure) -> Figure:
    """The figure as it is drawn: series with the very same points are one series, their labels
    joined ("momentum = PyTorch SGD(momentum=0.9)"), so no series hides another entirely."""
    merged: list[Series] = []
    for s in fig.series:
        twin = next((m for m in merged if (m.style == s.style or len(s.xs) == 1) and len(m.xs) == len(s.xs)
                     and s.label and m.label
                     and np.allclose(m.xs, s.xs) and np.allclose(m.ys, s.ys)), None)
        if twin is not None:  # the same path ("a = b"), or the same single point ("a, b")
            twin.label = f"{twin.label}{' = ' if len(s.xs) > 1 else ', '}{s.label}"
        else:
            merged.append(Series(s.label, list(s.xs), list(s.ys), s.style))
    return Figure(fig.title, merged, fig.xlabel, fig.ylabel, fig.xlim, fig.ylim, fig.square)


def strokes(fig: Figure) -> list[tuple[int, str]]:
    """(series index, "points" | "line" | "markers") in drawing order: scattered points (contours,
    data) first, then every line, then the markers of short lines (paths) and single markers,
    those of the longest paths first, so that a short path drawn last is not hidden by a long one."""
    points = [(i, "points") for i, s in enumerate(fig.series) if s.style == "points"]
    lines = [(i, "line") for i, s in enumerate(fig.series) if s.style == "line"]
    marked = [i for i, s in enumerate(fig.series) if s.style == "marker" or (s.style == "line" and len(s.xs) <= MARKED)]
    marked.sort(key=lambda i: -_spread(fig.series[i]))
    return points + lines + [(i, "markers") for i in marked]


def _spread(s: Series) -> float:
    pts = [(x, y) for x, y in zip(s.xs, s.ys) if math.isfinite(x) and math.isfinite(y)]
    return len({(round(x, 2), round(y, 2)) for x, y in pts})


def visible_cells(fig: Figure, width: int, height: int) -> dict[str, int]:
    """How many of a width×height grid of character cells each labelled series keeps when the
    strokes are drawn in order, a later one covering an earlier one: what a player can see of it."""
    xs = [x for s in fig.series for x in s.xs if math.isfinite(x)]
    ys = [y for s in fig.series for y in s.ys if math.isfinite(y)]
    if not xs or not ys:
        return {}
    x0, x1 = fig.xlim or (min(xs), max(xs))
    y0, y1 = fig.ylim or (min(ys), max(ys))
    sx, sy = (width - 1) / ((x1 - x0) or 1.0), (height - 1) / ((y1 - y0) or 1.0)
    owner: dict[tuple[int, int], int] = {}

    def put(x: float, y: float, i: int) -> None:
        col, row = round((x - x0) * sx), round((y1 - y) * sy)
        if 0 <= col < width and 0 <= row < height:
            owner[col, row] = i

    for i, how in strokes(fig):
        s = fig.series[i]
        pts = [(x, y) for x, y in zip(s.xs, s.ys) if math.isfinite(x) and math.isfinite(y)]
        if how == "line":
            for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                n = max(2, int(2 * max(abs(bx - ax) * sx, abs(by - ay) * sy)) + 1)
                for t in np.linspace(0.0, 1.0, n):
                    put(ax + t * (bx - ax), ay + t * (by - ay), i)
        else:
            for x, y in pts:
                put(x, y, i)
    counts = {s.label: 0 for s in fig.series if s.label}
    for i in owner.values():
        if fig.series[i].label:
            counts[fig.series[i].label] += 1
    return counts
