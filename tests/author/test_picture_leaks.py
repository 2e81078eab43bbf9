"""The leak rule reads pictures: a tangent, a run, a path's point, an explanation and the graph's
boxes must not answer an ask before it is asked (`author/picture_leaks.py`, `author/leaks.py`)."""

from gradquest.author.lint import lint
from gradquest.figures.plots import figures
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level

BOWL = {"params": {"x": 4, "y": 4}, "nodes": {"f": "x**2 + y**2"}}
FIRST_RUN = [  # a run with η = 0.3 walks the map, then the point goes back to the start
    {"iterate": {"steps": [{"set": {"x": "x - 0.3*df_dx", "y": "y - 0.3*df_dy"}}],
                 "until": {"expr": "f", "below": 0.001}, "max": 3, "manual": 0}},
    {"set": {"x": "4", "y": "4"}},
]


def level(**body) -> Level:
    return Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1, **body})


def contour(**path) -> dict:
    return {"contour": "f", "over": ["x", "y"], "x": [-5, 5], "y": [-5, 5], "player": False,
            "paths": [{"label": "η = 0.1", "optimizer": {"kind": "sgd", "lr": 0.1}, "steps": 5, **path}]}


def leaks_of(lv: Level) -> list[str]:
    return [f.message for f in lint(lv)]


def test_a_tangent_whose_slope_is_asked_is_drawn_only_once_the_slope_is_worked_out():
    model = {"params": {"w": 1}, "nodes": {"L": "(w - 3)**2"}}
    plot = {"curve": ["L"], "over": "w", "range": [0, 4], "tangent": True}
    (finding,) = leaks_of(level(model=model, plot=plot, steps=[{"gradient": "w"}]))
    assert "plot: a straight line of slope −4 (\"tangent\")" in finding
    answered = level(model=model, plot={**plot, "tangent": "answered"}, steps=[{"gradient": "w"}, {"say": "ok"}])
    assert leaks_of(answered) == []
    session = LevelSession(answered)
    assert [s.label for s in figures(session)[0].series] == ["L", "w = 1"]  # no tangent while it is asked
    session.submit("-4")
    assert [s.label for s in figures(session)[0].series] == ["L", "w = 1", "slope −4"]


def test_a_straight_curve_of_the_asked_slope_waits_for_its_answer():
    model = {"params": {"x0": 1, "dx": 1}, "nodes": {"k": "((x0 + dx)**2 - x0**2)/dx"}}
    secant = {"expr": "x0**2 + k*(x - x0)", "label": "secant"}
    plot = {"curve": ["x**2", secant], "over": "x", "range": [-2, 3]}
    (finding,) = leaks_of(level(model=model, plot=plot, steps=[{"forward": "k"}]))
    assert "a straight line of slope 3 (\"secant\")" in finding
    waits = {**plot, "curve": ["x**2", {**secant, "draw": "answered"}]}
    assert leaks_of(level(model=model, plot=waits, steps=[{"forward": "k"}])) == []


def test_a_run_drawn_before_its_prediction_is_a_finding_and_reveal_at_draws_it_after():
    predict = {"choose": {"options": ["slow", "smooth"], "answer": 2}, "prompt": "Predict the run with η = 0.1:"}
    run = {"id": "run", "iterate": {"steps": [{"set": {"x": "x - 0.1*df_dx", "y": "y - 0.1*df_dy"}}],
                                    "until": {"expr": "f", "below": 0.001}, "max": 3, "manual": 0}}
    (finding,) = leaks_of(level(model=BOWL, plot=contour(), steps=[*FIRST_RUN, predict, run]))
    assert finding.startswith("the plot draws the run this ask is about before it is asked: the point (3.2, 3.2)")
    assert leaks_of(level(model=BOWL, plot=contour(reveal_at="run"), steps=[*FIRST_RUN, predict, run])) == []


def test_a_path_point_at_the_asked_point_is_a_finding():
    ask = {"vector": ["x - 0.1*df_dx", "y - 0.1*df_dy"]}
    (finding,) = leaks_of(level(model=BOWL, plot=contour(), steps=[*FIRST_RUN, ask]))
    assert "plot: the point (3.2, 3.2) is drawn (\"η = 0.1\")" in finding
    later = [*FIRST_RUN, ask, {"id": "after", "say": "done"}]
    assert leaks_of(level(model=BOWL, plot=contour(reveal_at="after"), steps=later)) == []


def test_an_explanation_that_writes_the_next_point_is_a_finding():
    explained = {"choose": {"options": ["flips", "shrinks"], "answer": 2}, "prompt": "What does a step do?",
                 "explain": "Each step multiplies the point by 0.8: x goes {{x}} → {{0.8*x}} → …"}
    ask = {"vector": ["x - 0.1*df_dx", "y - 0.1*df_dy"]}
    (finding,) = leaks_of(level(model=BOWL, steps=[explained, ask]))
    assert "text: the whole answer (3.2, 3.2) in \"Each step multiplies" in finding
    quiet = {**explained, "explain": "Each step multiplies the point by 0.8."}
    assert leaks_of(level(model=BOWL, steps=[quiet, ask])) == []


def test_the_graph_s_boxes_showing_a_vector_answer_before_it_is_asked_are_a_finding():
    model = {"params": {"x": 1.5, "y": 0.25}, "nodes": {"f": "x**2 + y**2", "bx": "2*x", "by": "2*y"}}
    steps = [{"say": "The gradient's entries are nodes of their own."}, {"vector": ["df_dx", "df_dy"]},
             {"id": "after", "say": "done"}]
    (finding,) = leaks_of(level(model=model, steps=steps))
    assert finding.startswith("the graph shows this ask's answer before it is asked (bx = 3, by = 0.5)")
    hidden = {**model, "nodes": {"f": "x**2 + y**2", "bx": {"expr": "2*x", "reveal_at": "after"},
                                 "by": {"expr": "2*y", "reveal_at": "after"}}}
    assert leaks_of(level(model=hidden, steps=steps)) == []
