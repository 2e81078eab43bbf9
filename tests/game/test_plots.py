"""The numbers behind plots come from the engine and the session's state."""

import math

import pytest
import numpy as np
import yaml

from gradquest.figures.plots import figures, ring_score
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level
from gradquest.levels.schema import Level, TargetPlot
from gradquest.levels.source import LevelErrors


def level(**body) -> Level:
    return Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1, **body})


def play_all(session: LevelSession) -> None:
    while not session.done:
        session.submit(session.stage.solution)


def test_the_tangent_has_the_engines_slope_at_the_parameter():
    lvl = level(model={"params": {"x": 1.5}, "nodes": {"J": "x**2"}},
                plot={"curve": ["J"], "over": "x", "range": [-2, 2], "tangent": True}, steps=[{"forward": "J"}])
    curve, marker, tangent = figures(LevelSession(lvl))[0].series
    assert curve.ys[0] == 4.0 and curve.ys[80] == 0.0  # J follows x over the sweep
    assert (marker.xs, marker.ys) == ([1.5], [2.25])
    assert tangent.ys[0] == pytest.approx(2.25 + 3.0 * (-2 - 1.5))  # slope 2x = 3


def test_a_curve_over_a_parameter_of_a_model_with_data():
    lvl = level(model={"params": {"w": 1}, "data": {"x": [1, 2, 3]}, "nodes": {"L": "mean((w*x - 2*x)**2)"}},
                plot={"curve": ["L"], "over": "w", "range": [0, 4], "tangent": True}, steps=[{"forward": "L"}])
    curve, marker, tangent = figures(LevelSession(lvl))[0].series
    assert curve.ys[0] == pytest.approx(4 * 14 / 3) and curve.ys[80] == 0.0  # L = (w − 2)²·mean(x²)
    assert (marker.xs, marker.ys) == ([1.0], [pytest.approx(14 / 3)])
    assert tangent.ys[0] == pytest.approx(14 / 3 + 28 / 3)  # slope 2(w − 2)·14/3 = −28/3 at w = 1


def test_descent_paths_come_from_the_optimisers_and_the_player_path_from_the_level():
    lvl = level(model={"params": {"x": 4, "y": 4}, "nodes": {"f": "x**2 + y**2"}},
                plot={"contour": "f", "over": ["x", "y"], "x": [-5, 5], "y": [-5, 5],
                      "paths": [{"label": "lr 0.5", "optimizer": {"lr": 0.5}, "steps": 3},
                                {"label": "heavy ball", "optimizer": {"kind": "heavyball", "lr": 0.1}, "steps": 3}]},
                steps=[{"update": ["x", "y"], "optimizer": {"lr": 0.1}}])
    session = LevelSession(lvl)
    levels, half, heavy, player = figures(session)[0].series
    assert levels.xs and all(-5 <= x <= 5 for x in levels.xs)
    assert (half.xs, half.ys, heavy.xs, player.xs) == ([4], [4], [4], [4])  # drawn only as far as walked
    play_all(session)
    _, half, heavy, player = figures(session)[0].series
    assert (half.xs, half.ys) == ([4, 0, 0, 0], [4, 0, 0, 0])  # lr 0.5 lands in one step (seed 002 says it diverges)
    assert heavy.xs[1] == pytest.approx(3.2) and heavy.xs[2] == pytest.approx(4 - 0.8 - 0.1 * 6.4 - 0.9 * 0.8)
    assert player.xs == [4, pytest.approx(3.2)]


def test_a_descent_path_is_drawn_as_the_player_walks_it():
    lvl = level(model={"params": {"x": 4, "y": 4}, "nodes": {"f": "x**2 + y**2"}},
                plot={"contour": "f", "over": ["x", "y"], "x": [-5, 5], "y": [-5, 5],
                      "paths": [{"label": "sgd", "optimizer": {"lr": 0.1}, "steps": 5}]},
                steps=[{"update": ["x", "y"], "optimizer": {"lr": 0.1}}, {"update": ["x", "y"], "optimizer": {"lr": 0.1}},
                       {"say": "done"}])
    session = LevelSession(lvl)
    lengths = []
    while not session.done:
        lengths.append(len(figures(session)[0].series[1].xs))
        session.submit(session.stage.solution)
    assert lengths == [1, 2, 3] and len(figures(session)[0].series[1].xs) == 6


def test_the_tangent_shows_its_slope_only_once_the_player_has_worked_it_out():
    lvl = level(model={"params": {"w": 3, "b": 4}, "nodes": {"x": "2*w + 3*b", "y": "2*b + 1", "z": "x*y"}},
                plot={"curve": ["z"], "over": "b", "range": [3, 5], "tangent": True},
                steps=[{"forward": "x"}, {"gradient": "b"}, {"say": "next"}])
    session = LevelSession(lvl)
    legends = []
    while not session.done:
        legends.append(figures(session)[0].series[-1].label)
        session.submit(session.stage.solution)
    assert legends == ["tangent", "tangent", "slope 63"]


def test_training_curves_run_from_the_start_to_after_the_last_step_and_the_boundary_separates_the_moons():
    lvl = level(model={"data": {"m": {"moons": 60, "noise": 0.1}}, "network": {"sizes": [2, 8, 1], "input": "m_X"},
                       "nodes": {"loss": "mean(relu(1 - m_y*net))"}},
                plot={"training": ["loss", "accuracy"], "boundary": True},
                steps=[{"train": {"loss": "loss", "steps": 5, "metrics": ["accuracy"]}}])
    session = LevelSession(lvl)
    seen = []
    session.on_train = seen.append
    play_all(session)
    data, curves = figures(session)
    assert len(seen) == 6 and seen[-1].final
    assert [s.label for s in curves.series] == ["loss", "accuracy"] and curves.series[0].xs == [0, 1, 2, 3, 4, 5]  # on all the data after 0…5 steps
    boundary, plus, minus = data.series
    assert boundary.xs and len(plus.xs) + len(minus.xs) == 60


def test_a_boundary_for_any_model_with_a_score_node_and_the_points_marked_by_class():
    x1, x2, cls = [1, 2, 3, 4, -1, -2, -3, -1], [2, 1, 3, 2, -2, -1, -2, -3], [1, 1, 1, 1, 0, 0, 0, 0]
    lvl = level(model={"params": {"w1": 1, "w2": -1, "b": 0.5}, "data": {"x1": x1, "x2": x2, "cls": cls},
                       "nodes": {"score": "w1*x1 + w2*x2 + b", "p": "sigmoid(score)",
                                 "loss": "-mean(cls*log(p) + (1 - cls)*log(1 - p))"}},
                plot={"training": ["loss"], "boundary": {"score": "score", "points": ["x1", "x2"], "classes": "cls"}},
                steps=[{"train": {"loss": "loss", "optimizer": {"lr": 0.5}, "steps": 50}}])
    data, = figures(LevelSession(lvl))  # no loss chart before a run has recorded a loss
    boundary, ones, zeros = data.series
    assert (ones.label, ones.xs, ones.ys) == ("1", [1, 2, 3, 4], [2, 1, 3, 2])
    assert (zeros.label, zeros.xs) == ("0", [-1, -2, -3, -1]) and ones.style == zeros.style == "marker"
    # w1·x1 − x2 + 0.5 = 0: every boundary point lies within a grid cell of the line x2 = x1 + 0.5
    cell = max((data.xlim[1] - data.xlim[0]) / 63, (data.ylim[1] - data.ylim[0]) / 39)
    assert boundary.xs and all(abs(y - x - 0.5) <= 1.5 * cell for x, y in zip(boundary.xs, boundary.ys))
    probability = {"score": "p", "points": ["x1", "x2"], "classes": "cls", "threshold": 0.5}
    same = figures(LevelSession(lvl.model_copy(update={"plot": lvl.plot.model_copy(
        update={"boundary": lvl.plot.boundary.model_validate(probability)})})))[0]
    assert same.series[0].xs == boundary.xs  # σ(score) = 0.5 where score = 0


def test_ring_scores():
    plot = TargetPlot(target=("hx", "hy"))
    assert [ring_score(0, 0, plot), ring_score(0.99, 0, plot), ring_score(1.0, 0, plot),
            ring_score(6, 8, plot), ring_score(9.99, 0, plot)] == [10, 10, 9, 0, 1]


def test_numbers_in_texts_are_the_engines(tmp_path):
    lvl = level(model={"params": {"w": 3}, "nodes": {"z": "w*w"}},
                steps=[{"say": {"en": "z = {{z}}, dz/dw = {{dz_dw}}", "zh": "z = {{z}}"}}, {"forward": "z"}])
    assert LevelSession(lvl).stage.body == "z = 9, dz/dw = 6"
    assert LevelSession(lvl, lang="zh").stage.body == "z = 9"
    data = lvl.model_dump(exclude_defaults=True)
    data["steps"][0]["say"]["zh"] = "z = {{zz}}"
    path = tmp_path / "l.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(LevelErrors) as caught:
        load_level(path)
    assert "unknown name 'zz'" in str(caught.value) and "l.yaml:13:9: steps[0].say.zh" in str(caught.value)


def test_numbers_in_a_plots_title_and_path_labels(tmp_path):
    lvl = level(model={"params": {"x": 4, "y": 4}, "nodes": {"f": "x**2 + y**2"}},
                plot={"contour": "f", "over": ["x", "y"], "x": [-5, 5], "y": [-5, 5], "title": "f = {{f}}",
                      "paths": [{"label": "from f = {{f}}", "steps": 1}]},
                steps=[{"gradient": "x", "name": "g"}])
    fig = figures(LevelSession(lvl))[0]
    assert fig.title == "f = 32" and fig.series[1].label == "from f = 32"
    data = lvl.model_dump(exclude_defaults=True)
    data["plot"]["title"] = "{{g}}"  # an ask's name is not known before the ask, and a plot is drawn from the start
    path = tmp_path / "l.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(LevelErrors) as caught:
        load_level(path)
    (error,) = caught.value.errors
    assert (error.field, error.message) == ("plot.title", "unknown name 'g'; known: f, x, y")


def test_plot_names_are_checked(tmp_path):
    path = tmp_path / "l.yaml"
    path.write_text("format_version: 1\nid: t\ntitle: t\nchapter: 1\norder: 1\nmodel: {params: {x: 1}, nodes: {J: x*x}}\n"
                    "plot: {contour: J, over: [x, q], x: [1, 0], y: [0, 1]}\nsteps: [forward: J]\n")
    with pytest.raises(LevelErrors) as caught:
        load_level(path)
    messages = [e.message for e in caught.value.errors]
    assert any("unknown parameter 'q'" in m for m in messages) and any("low to high" in m for m in messages)
    assert not math.isnan(caught.value.errors[0].line)


def test_accuracy_is_a_metric_of_a_boundarys_score_and_classes():
    x1, x2, cls = [1, 2, 3, 4, -1, -2, -3, -1], [2, 1, 3, 2, -2, -1, -2, -3], [1, 1, 1, 1, 0, 0, 0, 0]
    lvl = level(model={"params": {"w1": 0, "w2": 0, "b": -1}, "data": {"x1": x1, "x2": x2, "cls": cls},
                       "nodes": {"score": "w1*x1 + w2*x2 + b", "p": "sigmoid(score)",
                                 "loss": "-mean(cls*log(p) + (1 - cls)*log(1 - p))"}},
                plot={"training": ["loss", "accuracy"],
                      "boundary": {"score": "score", "points": ["x1", "x2"], "classes": "cls"}},
                steps=[{"train": {"loss": "loss", "optimizer": {"lr": 0.5}, "steps": 30, "metrics": ["accuracy"],
                                  "win": {"expr": "accuracy", "min": 1}}}])
    session = LevelSession(lvl)
    assert session.world.accuracy() == 0.5  # every score −1: all called class 0
    play_all(session)
    assert session.training[0].metrics["accuracy"] == 0.5 and session.training[-1].metrics["accuracy"] == 1.0


def test_the_marker_writes_its_number_in_the_games_format():
    lvl = level(model={"params": {"x": -0.27391}, "nodes": {"J": "x**2"}},
                plot={"curve": ["J"], "over": "x", "range": [-2, 2]}, steps=[{"forward": "J"}])
    marker = figures(LevelSession(lvl))[0].series[1]
    assert marker.label == "x = \u22120.2739"  # a real minus sign, as every number the game prints


def test_a_curve_s_peak_inside_the_range_is_never_cut_but_a_curve_running_off_the_edge_is():
    """5.30 compares σ′ (at most 0.25) with tanh′ (at most 1): the range must show tanh′'s peak. A curve that only
    runs away at the edge of the range (ReLU up to 6 beside σ and tanh) is still cut so it does not squeeze them."""
    from gradquest.figures.plots import curve_limits

    xs = np.linspace(-4, 4, 161)
    sigma = 1 / (1 + np.exp(-xs))
    low, high = curve_limits([sigma * (1 - sigma), 1 - np.tanh(xs) ** 2])
    assert high >= 1 and low <= 0.0014
    xs = np.linspace(-6, 6, 161)
    low, high = curve_limits([1 / (1 + np.exp(-xs)), np.tanh(xs), np.maximum(xs, 0)])
    assert high < 3  # ReLU, 6 at the right edge, cut at half the others' height above them


def test_5_30s_plot_shows_the_whole_of_tanh_s_local_gradient():
    path = next(p for p in bundled_levels_dir().rglob("30-vanishing-and-dying.yaml"))
    [fig] = figures(LevelSession(load_level(path).level))
    assert fig.ylim[1] >= 1
