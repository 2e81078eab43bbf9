"""Every series a plot's legend names keeps cells of its own on screen: the paths compared in 3.20
(four learning rates) and 3.21 (plain descent against momentum), at the data area of a plot shown
full-screen at 80×24 and at 160×48."""

import pytest

from gradquest.figures.plots import drawn, figures, visible_cells
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level

DATA_AREAS = {"80x24": (70, 12), "160x48": (150, 36)}  # columns × rows inside the axes


@pytest.mark.parametrize("name", ["20-learning-rate.yaml", "21-momentum.yaml"])
@pytest.mark.parametrize("size", DATA_AREAS)
def test_every_series_in_the_legend_covers_cells_of_its_own(name, size):
    session = LevelSession(load_level(next(bundled_levels_dir().rglob(name))).level)
    for moment in ("start", "end"):
        if moment == "end":
            while session.stage is not None:
                session.submit(session.stage.solution if session.stage.kind != "say" else "")
        shown = drawn(figures(session)[0])
        cells = visible_cells(shown, *DATA_AREAS[size])
        labelled = [s for s in shown.series if s.label]
        if moment == "start" and name == "20-learning-rate.yaml":
            assert labelled == []  # each run is drawn from the step that runs it, after its prediction
        else:
            assert len(labelled) >= (3 if moment == "end" else 1)  # paths are drawn as the player reaches them
        for series in labelled:
            points = {(round(x, 3), round(y, 3)) for x, y in zip(series.xs, series.ys)}
            assert cells[series.label] >= min(3, len(points)), (name, size, moment, series.label, cells)


def test_series_with_the_very_same_points_are_one_legend_entry():
    session = LevelSession(load_level(next(bundled_levels_dir().rglob("21-momentum.yaml"))).level)
    while session.stage is not None:
        session.submit(session.stage.solution if session.stage.kind != "say" else "")
    labels = [s.label for s in drawn(figures(session)[0]).series if s.label]
    assert any(" = PyTorch's SGD" in label for label in labels)  # the two momentum forms draw one path
