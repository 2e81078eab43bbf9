"""Every series a plot's legend names keeps cells of its own on screen: every bundled level's plot
at every stage where it is shown (playing the right answers, seed 11), at the data area of a plot
shown full-screen at 80×24 and at 160×48 (two figures side by side share the width)."""

import math
from dataclasses import replace

import pytest

from gradquest.figures.plots import SAME, cell_owners, drawn, equal_limits, figures, legend, panel_grid, strokes, visible_cells
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
                w, h = chart_area(figs, width, height)
                cells = visible_cells(fig, w, h)
                for series in (s for s in fig.series if s.label):
                    points = own_cells(fig, series, w, h)
                    assert cells.get(series.label, 0) >= min(3, (len(points) + 1) // 2), (where, size, series.label, cells)
                    shown_at_all += 1
    assert shown_at_all


def chart_area(figs, width, height):
    """The data area of each of the charts shown side by side (or in a grid) in width×height."""
    cols, rows = panel_grid(len(figs), width, height)
    return width // cols, height // rows


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


def level_path(level_id):
    return next(p for p in find_level_files([bundled_levels_dir()]) if load_level(p).level.id == level_id)


def played(level_id, stages=None):
    """A session of the level with the right answers: to the end, or `stages` stages in."""
    session = LevelSession(load_level(level_path(level_id)).level, seed=11)
    while session.stage is not None and (stages is None or session.position < stages):
        session.submit(session.stage.solution if session.stage.kind != "say" else "")
    return session


def test_each_activation_keeps_most_of_its_curve():
    """4.24: sigmoid, tanh, ReLU and softmax each keep at least half the cells their curve draws
    alone, at both sizes and every stage (each in a chart of its own), not five dots under the others."""
    for where, figs in shown_figures(level_path("training.activation-functions")):
        for size, (width, height) in DATA_AREAS.items():
            w, h = chart_area(figs, width, height)
            for fig in figs:
                cells = visible_cells(fig, w, h)
                for s in (s for s in fig.series if s.label and len(s.xs) == 161 and "slope" not in s.label):
                    alone = visible_cells(replace(fig, series=[s]), w, h)[s.label]
                    assert cells[s.label] >= alone / 2, (where, size, s.label, cells[s.label], alone)


def test_a_flat_tangent_never_covers_the_curve_s_minimum():
    """1.4 at the end: the tangent at the minimum is flat; the loss keeps every cell of its lowest row."""
    fig = drawn(figures(played("concepts.cracking-the-black-box"))[0])
    assert any("slope" in s.label for s in fig.series)  # the tangent is drawn
    loss = fig.series[0]
    for width, height in DATA_AREAS.values():
        alone = cell_owners(replace(fig, series=[loss]), width, height)
        bottom = max(row for _, row in alone)
        owners = cell_owners(fig, width, height)
        lowest = [cell for cell in alone if cell[1] == bottom]
        assert all(fig.series[owners[c]] is loss or fig.series[owners[c]].style == "marker" for c in lowest), (width, lowest)


def test_momentum_s_paths_each_have_their_own_sign_and_points():
    """3.21: at the start every path is the start point alone, and the legend does not call them
    "the same points"; each series has a sign of its own in the legend; once momentum and PyTorch's
    SGD draw the very same path, both keep points on the plot with their own glyphs."""
    start = drawn(figures(played("descent.momentum", 0))[0])
    assert not any(SAME["en"] in words for _, _, words in legend(start, "en"))
    end = drawn(figures(played("descent.momentum"))[0])
    signs = [sign for sign, _, _ in legend(end, "en")]
    assert len(set(signs)) == len(signs), signs
    owners = set(cell_owners(end, *DATA_AREAS["80x24"]).values())
    for i, s in enumerate(end.series):
        if s.label and s.xs:
            assert i in owners, s.label


@pytest.mark.parametrize("path", PLOTTED, ids=[p.stem for p in PLOTTED])
def test_no_two_legend_entries_share_a_sign(path):
    """Every bundled plot at every stage: each series' legend sign and colour are its own (so the
    series differ on a screen without colour too), and "the same points" is said only of a series
    of more than one point."""
    for where, figs in shown_figures(path):
        for fig in figs:
            entries = legend(fig, "en")
            signs = [sign for sign, _, _ in entries]
            assert len(set(signs)) == len(signs), (where, entries)
            assert len({(sign, colour) for sign, colour, _ in entries}) == len(entries), (where, entries)
            labelled = [s for s in fig.series if s.label]
            for s, (_, _, words) in zip(labelled, entries):
                assert not words.endswith(SAME["en"]) or len(s.xs) > 1, (where, words)


def test_the_moons_show_no_empty_chart_and_one_title_over_both():
    """4.26: before a run there is no loss chart without a point; after it the loss chart has its
    points, the level's title is over both charts (not inside the first, running into the second),
    and the data are drawn with equal scales on both axes."""
    session = played("training.moons")
    assert session.done
    figs = figures(session)
    assert len(figs) == 2 and figs[0].heading and not figs[0].title and figs[1].series[0].xs
    assert figs[0].equal
    before = LevelSession(load_level(level_path("training.moons")).level, seed=11)
    assert len(figures(before)) == 1


def test_equal_limits_give_a_unit_the_same_length_across_and_up():
    (x0, x1), (y0, y1) = equal_limits((-1.3, 2.5), (-0.9, 1.4), 33, 38)
    assert (x1 - x0) / 33 == pytest.approx((y1 - y0) / (2 * 38))
    assert (x0, x1) == (-1.3, 2.5) or (y0, y1) == (-0.9, 1.4)  # only one axis widens


def test_a_fitted_line_is_a_line_not_markers_over_the_data():
    """4.25: the fitted line is drawn as a line; markers at each of its points covered the data."""
    fig = drawn(figures(played("training.linear-regression"))[0])
    fitted = next(i for i, s in enumerate(fig.series) if s.style == "line")
    assert (fitted, "line") in strokes(fig) and (fitted, "markers") not in strokes(fig)


def test_charts_side_by_side_when_wide_stacked_when_tall_and_none_at_all():
    assert panel_grid(0, 80, 20) == panel_grid(1, 80, 20) == (1, 1)  # a plot kept back: no chart
    assert panel_grid(2, 80, 20) == (2, 1) and panel_grid(2, 80, 44) == (1, 2)  # 4.26 full-screen, and beside the transcript
    assert panel_grid(4, 80, 20) == (2, 2)  # 4.24
