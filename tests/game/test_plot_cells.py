"""Every series a plot's legend names keeps cells of its own on screen: every bundled level's plot
at every stage where it is shown (playing the right answers, seed 11), at the data area of a plot
shown full-screen at 80×24 and at 160×48 (two figures side by side share the width)."""

import math

import numpy as np
import pytest

from gradquest.figures.plots import drawn, figures, visible_cells
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir, find_level_files
from gradquest.levels.load import load_level

DATA_AREAS = {"80x24": (70, 12), "160x48": (150, 36)}  # columns × rows inside the axes
PLOTTED = [p for p in find_level_files([bundled_levels_dir()]) if load_level(p).level.plot is not None]


def shown_figures(path):
    """The figures as drawn at each stage of a play with the right answers, and at the end."""
    session = LevelSession(load_level(path).level, seed=11)
    while True:
        where = f"{path.stem} stage {session.position}"
        yield where, [drawn(f) for f in figures(session)]
        if session.stage is None:
            return
        session.submit(session.stage.solution if session.stage.kind != "say" else "")


def own_cells(fig, series, width, height) -> set:
    """The cells of a series' own points that no other labelled series has a point in (a path the
    player walks shares its points with "you"): a series keeps at least half of them, up to 3."""
    xs = [x for s in fig.series for x in s.xs if math.isfinite(x)]
    ys = [y for s in fig.series for y in s.ys if math.isfinite(y)]
    if not xs or not ys:
        return set()
    (x0, x1), (y0, y1) = fig.xlim or (min(xs), max(xs)), fig.ylim or (min(ys), max(ys))

    def cells(s):
        return {(round((x - x0) * (width - 1) / ((x1 - x0) or 1)), round((y1 - y) * (height - 1) / ((y1 - y0) or 1)))
                for x, y in zip(s.xs, s.ys) if math.isfinite(x) and math.isfinite(y) and x0 <= x <= x1 and y0 <= y <= y1}

    others = set().union(*(cells(s) for s in fig.series if s.label and s is not series))
    return cells(series) - others


@pytest.mark.parametrize("path", PLOTTED, ids=[p.stem for p in PLOTTED])
def test_every_series_in_the_legend_covers_cells_of_its_own(path):
    shown_at_all = 0
    for where, figs in shown_figures(path):
        for size, (width, height) in DATA_AREAS.items():
            for fig in figs:
                cells = visible_cells(fig, width // len(figs), height)
                for series in (s for s in fig.series if s.label):
                    points = own_cells(fig, series, width // len(figs), height)
                    if series.same_as:  # drawn over a series with the very same points: the legend says so
                        twin = next(s for s in fig.series if s.label == series.same_as)
                        assert np.allclose(twin.xs + twin.ys, series.xs + series.ys, equal_nan=True), (where, size, series.label)
                        continue
                    assert cells.get(series.label, 0) >= min(3, (len(points) + 1) // 2), (where, size, series.label, cells)
                    shown_at_all += 1
    assert shown_at_all


def test_no_legend_entry_joins_series():
    """3.22's momentum and PyTorch's SGD draw the very same path: two legend entries, the second
    saying it lies on the first, never one entry "momentum = PyTorch's SGD"."""
    session = LevelSession(load_level(next(bundled_levels_dir().rglob("22-momentum.yaml"))).level)
    while session.stage is not None:
        session.submit(session.stage.solution if session.stage.kind != "say" else "")
    series = [s for s in drawn(figures(session)[0]).series if s.label]
    assert not any(" = " in s.label and "SGD" in s.label and "momentum:" in s.label for s in series)
    pytorch = next(s for s in series if "PyTorch" in s.label)
    assert pytorch.same_as.startswith("momentum")
