"""What a level's plot shows, as plain numbers: a `Figure` of `Series` that any front end draws.

Every point comes from the engine and the session's state (the parameters' trail, the probe's
shots, the training history), so the TUI only draws. A contour line is the points where the
function crosses a level, found on the edges of a fine grid and drawn as a thin connected line;
the levels are few and log-spaced from the minimum up to the height of the paths' start, so the
valley a path walks down is what the lines outline.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace

import numpy as np

from gradquest.engine import Value
from gradquest.engine.explain import number
from gradquest.engine.optim import newton_step
from gradquest.engine.parser import VALUE_LIB, evaluate
from gradquest.figures.hiding import not_yet, plot_hidden
from gradquest.figures.runs import run_series
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
CONTOUR_GRID = (160, 96)
CONTOUR_LEVELS = 5


@dataclass
class Series:
    label: str
    xs: list[float]
    ys: list[float]
    style: str = "line"  # line, points, marker, contour (a thin line drawn point by point)
    same_as: str = ""  # its points are the very same as the series of this label's (see `drawn`)
    marks: list[int] | None = None  # the points that get this series' markers (None: all)


@dataclass
class Figure:
    title: str = ""
    series: list[Series] = field(default_factory=list)
    xlabel: str = ""
    ylabel: str = ""
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    square: bool = False  # a map of a plane (contours, targets, data in two coordinates)
    equal: bool = False  # drawn with equal scales on both axes (the moons: `equal_limits`)
    heading: str = ""  # the title over all the figures side by side (on the first)


def figures(session) -> list[Figure]:
    """The level's plot at the session's current state: none, one, or for training over data,
    the data and the curves side by side."""
    plot = session.level.plot
    if plot is None or plot_hidden(session):
        return []
    build = {CurvePlot: _curve, ContourPlot: _contour, TargetPlot: _target, TrainingPlot: _training}[type(plot)]
    made = build(plot, session)
    figs = made if isinstance(made, list) else [made]
    if isinstance(plot, TrainingPlot) and (plot.boundary or plot.line) and any(history for *_, history in session.runs):
        figs.append(_curves(plot, session))  # the loss beside the data once a run has recorded it
    if plot.title and len(figs) == 1:
        figs[0].title = session.words(plot.title)
    elif plot.title:  # one title over the charts side by side, never run into the next chart
        figs[0].heading = session.words(plot.title)
    return figs


def panel_grid(n: int, width: int, height: int) -> tuple[int, int]:
    """Columns and rows for n charts in width×height character cells: the arrangement whose
    smallest chart is the largest (a cell is twice as tall as wide), side by side when wide."""
    if n <= 1:
        return 1, 1
    def smallest(cols: int) -> float:
        return min(width / cols, 2 * height / math.ceil(n / cols))
    cols = max(range(1, n + 1), key=lambda c: (smallest(c), -c))
    return cols, math.ceil(n / cols)


def equal_limits(xlim, ylim, width: int, height: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """The limits widened about their middle so that one unit is as long across as up on a
    width×height grid of character cells (a cell is about twice as tall as wide)."""
    (x0, x1), (y0, y1) = xlim, ylim
    per_x, per_y = (x1 - x0) / max(width, 1), (y1 - y0) / max(2 * height, 1)
    if per_x < per_y:
        half, mid = per_y * width / 2, (x0 + x1) / 2
        return (mid - half, mid + half), (y0, y1)
    half, mid = per_x * height, (y0 + y1) / 2
    return (x0, x1), (mid - half, mid + half)


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


def _finite_limits(values: np.ndarray, pad: float | None = None) -> tuple[float, float] | None:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None
    low, high = np.percentile(finite, [1, 99])
    if pad is None:
        pad = (high - low) * 0.1 or 1.0
    return float(low - pad), float(high + pad)


# ---- curves and tangents

def _curve(plot: CurvePlot, session) -> list[Figure]:
    """The curves in one chart, or with `apart` each in a small chart of its own (the value of
    `over` marked, and the tangent, on the first)."""
    items = [(item, shown_label(item, session)) for item in plot.curve]
    if not plot.apart:
        return [_curve_chart(plot, session, items, True)]
    charts = [_curve_chart(plot, session, [item], k == 0) for k, item in enumerate(items)]
    for chart in charts:
        chart.title = chart.xlabel = ""  # the legend under each names its curve; the rows go to the curve
    return charts


def _curve_chart(plot: CurvePlot, session, items: list, marked: bool) -> Figure:
    world = session.world
    xs = np.linspace(*plot.range, CURVE_POINTS)
    over = session.level.label(plot.over, session.lang)
    fig = Figure(title=", ".join(label for _, label in items), xlabel=over, xlim=tuple(plot.range))
    everything = []
    for item, label in items:
        ys = _curve_values(world, expr_of(item), plot.over, xs)
        everything.append(ys)
        if getattr(item, "draw", "always") == "answered" and not _slope_worked(session, ys, xs):
            continue  # a straight line whose slope is still to be asked
        fig.series.append(Series(label, xs.tolist(), _clean(ys)))
    if marked and plot.over in world.params:
        x0 = float(world.params[plot.over].data)
        y0, slope = _value_and_slope(world, expr_of(plot.curve[0]), plot.over, x0)
        fig.series.append(Series(f"{over} = {number(x0, 4)}", [x0], [y0], "marker"))
        drawn = plot.tangent is True or (plot.tangent == "answered" and _worked(session, slope))
        if drawn and math.isfinite(slope):
            fig.series.append(Series(_slope_label(session, slope), xs.tolist(), (y0 + slope * (xs - x0)).tolist()))
    fig.ylim = curve_limits(everything)
    return fig


def _at_an_edge(ys: np.ndarray, arg) -> bool:
    """Whether a curve's extreme (`arg`: nanargmax or nanargmin over its finite values) is at an end of its range."""
    finite = np.where(np.isfinite(ys), ys, np.nan)
    return arg(finite) in (0, len(ys) - 1)


def _worked(session, slope: float) -> bool:
    """Whether the player has worked this slope out (as the answer checker reads a number), or the level is over."""
    return session.done or any(close(slope, v) for v in session.worked_out)


def _slope_worked(session, ys: np.ndarray, xs: np.ndarray) -> bool:
    """For a line drawn only once its slope is answered: whether the player has worked that slope out."""
    return _worked(session, float((ys[-1] - ys[0]) / (xs[-1] - xs[0])))


def curve_limits(curves: list[np.ndarray]) -> tuple[float, float] | None:
    """The y range for the curves that matter: all of each, except that one curve running far
    past all the others at an edge of the range (ReLU up to 6 beside sigmoid, tanh and softmax
    within ±1) is cut at half the others' height beyond them, so it does not squeeze them into a
    few rows. A peak or a trough inside the range is never cut: it is what the plot shows (5.30's
    tanh′ reaching 1 beside σ′'s 0.25)."""
    arrays = [np.asarray(c, dtype=float) for c in curves]
    ranges = [(r, a) for r, a in ((_finite_limits(a, pad=0.0), a) for a in arrays) if r]
    if not ranges:
        return None
    low, high = min(r[0] for r, _ in ranges), max(r[1] for r, _ in ranges)
    if len(ranges) > 1:
        for k, ((lo_k, hi_k), ys) in enumerate(ranges):
            others = [r for r, _ in ranges[:k] + ranges[k + 1:]]
            o_low, o_high = min(r[0] for r in others), max(r[1] for r in others)
            span = (o_high - o_low) or 1.0
            if o_high > o_low and hi_k > o_high + span and hi_k == high and _at_an_edge(ys, np.nanargmax):
                high = o_high + span / 2
            if o_high > o_low and lo_k < o_low - span and lo_k == low and _at_an_edge(ys, np.nanargmin):
                low = o_low - span / 2
    pad = (high - low) * 0.1 or 1.0
    return low - pad, high + pad


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
    (xa, ya), (nx, ny) = plot.over, CONTOUR_GRID
    gx, gy = np.meshgrid(np.linspace(*plot.x, nx), np.linspace(*plot.y, ny))
    f = np.broadcast_to(_sweep(world, plot.contour, {xa: gx, ya: gy}), gx.shape)
    fig = Figure(title=plot.contour, xlabel=session.level.label(xa, session.lang),
                 ylabel=session.level.label(ya, session.lang), xlim=tuple(plot.x), ylim=tuple(plot.y), square=True)
    start = world.trail[0] if world.trail else {}
    origin = (start.get(xa, 0.0), start.get(ya, 0.0))
    paths = [descent_path(world, plot, path, origin) for path in plot.paths]
    top = _sweep(world, plot.contour, {xa: np.array(origin[0]), ya: np.array(origin[1])})
    fig.series.append(Series("", *contour_points(gx, gy, f, float(np.max(top))), "contour"))
    walked = None if session.done else len(world.trail)  # paths are drawn as far as the player has walked
    for path, (xs, ys) in zip(plot.paths, paths):
        if not_yet(session, path.reveal_at):
            continue  # a run not to be seen before the ask that predicts it
        fig.series.append(Series(session.words(path.label), xs[:walked], ys[:walked]))
    if plot.player and world.trail:
        moved = [(p[xa], p[ya]) for p in world.trail if xa in p and ya in p]
        fig.series.append(Series("you" if session.lang == "en" else "你", *map(list, zip(*moved)), "marker"))
    return fig


def contour_levels(f: np.ndarray, top: float) -> np.ndarray:
    """A few levels, log-spaced above f's minimum up to `top` (f where the paths start): each
    level's distance to the minimum is three times the one below, so the lines close in on the
    valley floor as a path does (the grid's middle value stands in for a `top` at the minimum)."""
    finite = f[np.isfinite(f)]
    if finite.size == 0:
        return np.array([])
    low = float(finite.min())
    if not math.isfinite(top) or top <= low + 1e-12 * (1 + abs(low)):
        top = float(np.median(finite))
    return low + (top - low) * 3.0 ** -np.arange(CONTOUR_LEVELS)[::-1]


def contour_points(gx, gy, f, top: float) -> tuple[list[float], list[float]]:
    """Where f crosses each level on the grid's edges, placed by linear interpolation between the
    two grid points: on a fine grid these points join into the contour lines."""
    xs, ys = [], []
    for c in contour_levels(f, top):
        for axis in (0, 1):
            a, b = (f[:-1, :], f[1:, :]) if axis == 0 else (f[:, :-1], f[:, 1:])
            with np.errstate(all="ignore"):
                crossing = np.isfinite(a) & np.isfinite(b) & ((a > c) != (b > c))
                t = np.where(crossing, (c - a) / np.where(b != a, b - a, 1.0), 0.0)
            xa_, xb_ = (gx[:-1, :], gx[1:, :]) if axis == 0 else (gx[:, :-1], gx[:, 1:])
            ya_, yb_ = (gy[:-1, :], gy[1:, :]) if axis == 0 else (gy[:, :-1], gy[:, 1:])
            xs.extend((xa_ + t * (xb_ - xa_))[crossing].tolist())
            ys.extend((ya_ + t * (yb_ - ya_))[crossing].tolist())
    return xs, ys


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
        ts = np.linspace(float(xs.min()), float(xs.max()), CURVE_POINTS)  # a line, not a row of markers over the data
        fit = np.broadcast_to(_sweep(world, expr_of(plot.line), {"t": ts}), ts.shape)
        fig.series.append(Series(shown_label(plot.line, session), ts.tolist(), fit.tolist()))
        fig.xlabel = session.level.label(plot.data[0], session.lang)
        return fig
    return _curves(plot, session)


def _curves(plot: TrainingPlot, session) -> Figure:
    """The recorded metrics on all the data after each step, each run of the play a series of its
    own (`runs.run_series`), named by the metric alone while there is one run of one metric."""
    fig = Figure(xlabel="step" if session.lang == "en" else "步数")
    several = len(session.runs) > 1
    for item in plot.training:
        metric = shown_label(item, session)
        for words, xs, ys in run_series(session, expr_of(item)):
            label = words if several and len(plot.training) == 1 else f"{metric}: {words}" if several else metric
            fig.series.append(Series(label, xs, ys))
    if several and len(plot.training) == 1:
        fig.ylabel = shown_label(plot.training[0], session)
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
    fig.equal = True  # data in the plane: a moon keeps its shape
    fig.series.append(Series("boundary" if lang == "en" else "决策边界", gx[edge].tolist(), gy[edge].tolist(), "points"))
    classes = sorted(set(np.ravel(labels).tolist()), reverse=True)[:2]  # ±1, or 1 and 0 (logistic regression)
    for label in classes:
        chosen = X[np.ravel(labels) == label]
        name = ("+" if label > 0 and min(classes) < 0 else "") + number(label)
        fig.series.append(Series(name, chosen[:, 0].tolist(), chosen[:, 1].tolist(), "marker"))
    return fig


# ---- drawing: the order of the strokes, and what each labelled series keeps visible

MARKED = 60  # a line of at most this many points (a descent path) gets a marker at each point
GLYPHS = "●◆▲■✚○◇△"  # a path's points, a marker
LINES = ["braille", "•", "×", "+", "·"]  # a long line (a curve, a loss) without markers
POINTS = "·"  # scattered points: data, a boundary
SAME = {"en": " (the same points)", "zh": "（同一组点）"}


COLOURS = [(0, 130, 200), (230, 25, 75), (60, 180, 75), (245, 130, 48), (145, 30, 180), (70, 200, 200),
           (240, 50, 230), (128, 128, 0)]  # one for each labelled series, in turn
FAINT = (150, 150, 150)  # contour lines


@dataclass
class Look:
    """How one series of a figure as `drawn` looks: the marker of its line stroke, the glyph of its
    points or markers, its colour, and its sign in the legend."""
    line: str = "braille"
    glyph: str = POINTS
    colour: tuple[int, int, int] | None = None
    sign: str = ""


def looks(fig: Figure) -> dict[int, Look]:
    """Each series' look (by index): each labelled series a glyph (or a line's dots) and a colour of
    its own, so that series differ with colour and without; contour lines faint thin dots."""
    labelled = [i for i, s in enumerate(fig.series) if s.label]
    marked = {i for i, how in strokes(fig) if how == "markers"}
    glyph = {i: GLYPHS[k % len(GLYPHS)] for k, i in enumerate(labelled)}
    colour = {i: COLOURS[k % len(COLOURS)] for k, i in enumerate(labelled)}
    line_style = {i: LINES[k % len(LINES)] for k, i in enumerate(i for i in labelled if i not in marked)}
    out = {}
    for i, s in enumerate(fig.series):
        if s.style == "contour":
            out[i] = Look("braille", "braille", FAINT)
            continue
        look = Look(line_style.get(i, "braille"), glyph.get(i, POINTS), colour.get(i))
        if s.label:
            look.sign = glyph[i] if i in marked or s.style != "line" else _line_sign(line_style[i])
        out[i] = look
    return out


def legend(fig: Figure, lang: str) -> list[tuple[str, tuple[int, int, int] | None, str]]:
    """The legend of a figure as `drawn`: (sign, colour, words) for each labelled series, in order,
    each with its own sign; a series on another's very points says so."""
    look = looks(fig)
    return [(look[i].sign, look[i].colour, s.label + (SAME[lang] if s.same_as else ""))
            for i, s in enumerate(fig.series) if s.label]


def _line_sign(style: str) -> str:
    return "⠤⠤" if style == "braille" else style * 2


def drawn(fig: Figure) -> Figure:
    """The figure as it is drawn: every series keeps its own legend entry and its own markers.
    Labelled series of more than one point whose points are the very same (momentum and PyTorch's
    SGD; a path and "you") are drawn once as a line, and mark its points in turn, the last point
    by the last of them ("you"); each after the first is `same_as` the first, so the legend can
    say so in words instead of one hiding the other."""
    out = [Series(s.label, list(s.xs), list(s.ys), s.style) for s in fig.series]
    groups: list[list[int]] = []
    for i, s in enumerate(out):
        if s.label and len(s.xs) > 1 and s.style != "contour":
            group = next((g for g in groups if _same_points(out[g[0]], s)), None)
            groups.append([i]) if group is None else group.append(i)
    for group in (g for g in groups if len(g) > 1):
        n, k = len(out[group[0]].xs), len(group)
        for j, i in enumerate(group):
            out[i].marks = [p for p in range(n) if (n - 1 - p) % k == k - 1 - j]
            out[i].same_as = out[group[0]].label if j else ""
    return replace(fig, series=out)


def _same_points(a: Series, b: Series) -> bool:
    return len(a.xs) == len(b.xs) and bool(np.allclose(a.xs, b.xs, equal_nan=True) and np.allclose(a.ys, b.ys, equal_nan=True))


def stroke_points(s: Series, how: str) -> list[tuple[float, float]]:
    """The finite points a stroke draws: all of them, or for markers those the series marks."""
    pts = s.marks if how == "markers" and s.marks is not None else range(len(s.xs))
    return [(s.xs[p], s.ys[p]) for p in pts if math.isfinite(s.xs[p]) and math.isfinite(s.ys[p])]


def strokes(fig: Figure) -> list[tuple[int, str]]:
    """(series index, "points" | "line" | "markers") in drawing order: contour lines first, then
    straight lines (tangents, secants, a target value: under every curve, so a flat tangent never
    hides a curve's lowest row), then the other lines, the tallest first so that a flat curve is
    drawn over a steep one (or the order of a few that hides the least, see `_least_hidden`), then
    scattered points (data, a boundary), then the markers of short lines (paths) and single
    markers, those of the longest paths first, so that a short path drawn last is not hidden by a
    long one. Series with the very same points (`drawn`) draw their line once."""
    series = fig.series
    contours = [(i, "points") for i, s in enumerate(series) if s.style == "contour"]
    points = [(i, "points") for i, s in enumerate(series) if s.style == "points"]
    lines = [i for i, s in enumerate(series) if s.style == "line" and not (s.same_as and len(s.xs) <= MARKED)]
    lines.sort(key=lambda i: -_height(series[i], fig.ylim))
    straight = [i for i in lines if _straight(series[i])]
    curved = _least_hidden(fig, [i for i in lines if i not in straight])
    marked = [i for i, s in enumerate(series) if s.style == "marker" or (s.style == "line" and len(s.xs) <= MARKED)]
    marked.sort(key=lambda i: -_spread(series[i]))
    return contours + [(i, "line") for i in straight + curved] + points + [(i, "markers") for i in marked]


def _least_hidden(fig: Figure, lines: list[int]) -> list[int]:
    """Of the orders of a few long lines, the one whose most hidden line keeps the most cells of
    a 70×12 plot (then the next most hidden…); ties keep the order given."""
    long = [i for i in lines if len(fig.series[i].xs) > MARKED]  # curves, not straight lines
    if not 1 < len(long) <= 5:
        return lines
    best, best_score, cache = long, None, {}
    for order in itertools.permutations(long):
        counts = _cells(fig, [(i, "line") for i in order], 70, 12, cache)
        score = sorted(counts.get(i, 0) for i in order)
        if best_score is None or score > best_score:
            best, best_score = list(order), score
    return [i for i in lines if i not in long] + best


def _finite_points(s: Series) -> list[tuple[float, float]]:
    return [(x, y) for x, y in zip(s.xs, s.ys) if math.isfinite(x) and math.isfinite(y)]


def _straight(s: Series) -> bool:
    pts = np.array(_finite_points(s))
    if len(pts) < 3:
        return True
    residual = np.polyfit(pts[:, 0], pts[:, 1], 1, full=True)[1]
    scale = float(np.ptp(pts[:, 1])) or 1.0
    return bool(residual.size == 0 or math.sqrt(float(residual[0]) / len(pts)) < 1e-6 * scale)


def _height(s: Series, ylim) -> float:
    ys = [y for _, y in _finite_points(s)]
    if not ys:
        return 0.0
    low, high = min(ys), max(ys)
    if ylim:
        low, high = max(low, ylim[0]), min(high, ylim[1])
    return max(0.0, high - low)


def _spread(s: Series) -> float:
    pts = [(x, y) for x, y in zip(s.xs, s.ys) if math.isfinite(x) and math.isfinite(y)]
    return len({(round(x, 2), round(y, 2)) for x, y in pts})


def visible_cells(fig: Figure, width: int, height: int) -> dict[str, int]:
    """How many of a width×height grid of character cells each labelled series keeps when the
    strokes are drawn in order, a later one covering an earlier one: what a player can see of it."""
    counts = {s.label: 0 for s in fig.series if s.label}
    for i in cell_owners(fig, width, height).values():
        if fig.series[i].label:
            counts[fig.series[i].label] += 1
    return counts


def cell_owners(fig: Figure, width: int, height: int) -> dict[tuple[int, int], int]:
    """Each (column, row) cell of a width×height grid drawn on, with the index of the series whose
    stroke is on top there."""
    return _owners(fig, strokes(fig), width, height)


def _cells(fig: Figure, order: list[tuple[int, str]], width: int, height: int, cache=None) -> dict[int, int]:
    """The cells each series (by index) keeps when `order`'s strokes are drawn one over another."""
    counts: dict[int, int] = {}
    for i in _owners(fig, order, width, height, cache).values():
        counts[i] = counts.get(i, 0) + 1
    return counts


def _owners(fig: Figure, order: list[tuple[int, str]], width: int, height: int, cache=None) -> dict[tuple[int, int], int]:
    xs = [x for s in fig.series for x in s.xs if math.isfinite(x)]
    ys = [y for s in fig.series for y in s.ys if math.isfinite(y)]
    if not xs or not ys:
        return {}
    frame = (fig.xlim or (min(xs), max(xs)), fig.ylim or (min(ys), max(ys)), width, height)
    owner: dict[tuple[int, int], int] = {}
    for i, how in order:  # a later stroke covers an earlier one
        key = (i, how)
        mine = cache[key] if cache is not None and key in cache else _stroke_cells(fig.series[i], how, frame)
        if cache is not None:
            cache[key] = mine
        owner.update(dict.fromkeys(mine, i))
    return owner


def _stroke_cells(s: Series, how: str, frame) -> set[tuple[int, int]]:
    (x0, x1), (y0, y1), width, height = frame
    sx, sy = (width - 1) / ((x1 - x0) or 1.0), (height - 1) / ((y1 - y0) or 1.0)
    pts = np.array(stroke_points(s, how), dtype=float).reshape(-1, 2)
    if how == "line" and len(pts) > 1:
        steps = np.maximum(2, (2 * np.maximum(np.abs(np.diff(pts[:, 0])) * sx, np.abs(np.diff(pts[:, 1])) * sy)).astype(int) + 1)
        t = np.concatenate([np.linspace(0.0, 1.0, n) for n in steps])
        a = np.repeat(pts[:-1], steps, axis=0)
        b = np.repeat(pts[1:], steps, axis=0)
        pts = a + t[:, None] * (b - a)
    cols = np.round((pts[:, 0] - x0) * sx).astype(int)
    rows = np.round((y1 - pts[:, 1]) * sy).astype(int)
    inside = (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
    return set(zip(cols[inside].tolist(), rows[inside].tolist()))
