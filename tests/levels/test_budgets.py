"""A level asks for bounded work: every loop it can request has a limit (`levels/budgets.py`),
checked at load, with the field, the figure and the limit at file:line. Levels that would run for
minutes or hang `check`, `test` and `solve` fail at once, before anything is computed; every
bundled level stays well inside each limit."""

import pytest

from gradquest.levels import budgets
from gradquest.levels.discover import bundled_levels_dir, find_level_files
from gradquest.levels.load import LevelErrors, load_level, load_levels

HEAD = """\
format_version: 1
id: t.costly
title: T
chapter: 1
order: 1
"""
SMALL = """\
model:
  params: {x: 1}
  nodes: {z: x*x}
"""


def refused(tmp_path, text: str):
    """The one problem loading `text` reports."""
    path = tmp_path / "level.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    with pytest.raises(LevelErrors) as caught:
        load_level(path)
    assert len(caught.value.errors) == 1, caught.value
    return caught.value.errors[0]


def chain(n: int) -> str:
    return "".join(f"    n{i}: {'x' if i == 0 else f'n{i - 1}'}*1.5\n" for i in range(n))


def test_a_level_of_too_many_steps_is_refused_at_its_steps(tmp_path):
    asks = "".join("  - forward: z\n" for _ in range(budgets.MAX_STAGES + 1))
    e = refused(tmp_path, SMALL + "steps:\n" + asks)
    assert (e.line, e.field) == (10, "steps")
    assert e.message.startswith(f"{budgets.MAX_STAGES + 1:,} steps to go through") and "over the limit of 2,000" in e.message


def test_an_iteration_played_by_hand_too_often_is_refused_at_manual(tmp_path):
    e = refused(tmp_path, SMALL + """\
steps:
  - iterate:
      steps:
        - forward: z
        - set: {x: x + 1}
      until: {expr: z, below: -1}
      max: 10000
      manual: 10000
""")
    assert (e.line, e.field) == (16, "steps[0].iterate.manual")
    assert e.message == "10,000 iterations by hand × 2 steps = 20,000: over the limit of 2,000 steps a player goes through"


def test_iterations_the_game_plays_are_refused_at_max(tmp_path):
    e = refused(tmp_path, SMALL + """\
steps:
  - iterate:
      steps:
        - forward: z
        - set: {x: x + 1}
        - forward: z
      until: {expr: z, below: -1}
      max: 10000
""")
    assert (e.line, e.field) == (16, "steps[0].iterate.max")
    assert "9,999 iterations played by the game × 3 steps = 29,997: over the limit of 20,000 steps" in e.message


def test_a_long_training_is_refused_at_its_steps(tmp_path):
    e = refused(tmp_path, """\
model:
  data:
    moons: {moons: 2000, noise: 0.1}
  network: {sizes: [2, 16, 16, 1], input: moons_X}
  nodes:
    loss: mean(relu(1 - moons_y*net))
steps:
  - train:
      loss: loss
      steps: 100000
""")
    assert (e.line, e.field) == (15, "steps[0].train.steps")
    assert e.message == "100,000 steps: over the limit of 20,000 training steps"


def test_training_on_many_rows_with_many_weights_is_refused(tmp_path):
    e = refused(tmp_path, """\
model:
  data:
    moons: {moons: 2000, noise: 0.1}
  network: {sizes: [2, 16, 16, 1], input: moons_X}
  nodes:
    loss: mean(relu(1 - moons_y*net))
steps:
  - train:
      loss: loss
      steps: 100
      choose:
        - {name: steps, min: 1, max: 5000, default: 100}
""")
    assert (e.line, e.field) == (17, "steps[0].train.choose[0].max")
    assert e.message == ("5,000 steps × 2,000 rows × 337 parameters = 3,370,000,000: over the limit of 500,000,000 "
                         "training steps × rows × parameters")


def test_training_a_large_model_is_refused(tmp_path):
    e = refused(tmp_path, "model:\n  params: {x: 1}\n  nodes:\n" + chain(300) + """\
steps:
  - train:
      loss: n299
      steps: 1000
""")
    assert e.field == "steps[0].train.steps"
    assert e.message == ("1,000 steps × a model of size 302 = 302,000: over the limit of 200,000 training steps × "
                         "model size")


def test_a_training_inside_iterations_counts_every_play(tmp_path):
    e = refused(tmp_path, SMALL + """\
steps:
  - iterate:
      steps:
        - train: {loss: z, steps: 100}
      until: {expr: z, below: -1}
      max: 300
      manual: 300
""")
    assert e.field == "steps[0].iterate.steps[0].train.steps"
    assert e.message == "300 plays of this step × 100 steps: over the limit of 20,000 training steps"


def test_many_asks_of_a_large_model_are_refused(tmp_path):
    asks = "".join("  - forward: n999\n" for _ in range(201))
    e = refused(tmp_path, "model:\n  params: {x: 1}\n  nodes:\n" + chain(1000) + "steps:\n" + asks)
    assert e.field == "steps"
    assert e.message == ("1 playthrough(s) × 201 steps × a model of size 1,002 = 201,402: over the limit of 200,000 "
                         "playthroughs × steps × model size")


def test_iterations_of_a_large_model_are_refused(tmp_path):
    e = refused(tmp_path, "model:\n  params: {x: 1}\n  nodes:\n" + chain(60) + """\
steps:
  - iterate:
      steps:
        - set: {x: x*0.5}
        - set: {x: x*2}
      until: {expr: n59, below: -1}
      max: 10000
      manual: 0
""")
    assert e.field == "steps"
    assert e.message == ("1 playthrough(s) × 20,000 steps the iterations play themselves × a model of size 62 = "
                         "1,240,000: over the limit of 1,000,000 playthroughs × steps × model size")


def test_a_large_model_drawn_until_require_holds_is_refused(tmp_path):
    e = refused(tmp_path, "model:\n  params: {x: {between: [1, 2]}}\n  require: [{expr: x, min: 1}]\n  nodes:\n"
                + chain(600) + "steps:\n  - forward: n0\n")
    assert (e.line, e.field) == (8, "model.require")
    assert e.message.startswith("up to 1,000 draws × a model of size 602 = 602,000: over the limit of 500,000")


def test_too_many_tests_are_refused(tmp_path):
    tests = "".join(f"  - {{name: t{i}, inputs: [{{input: '1', verdict: correct}}]}}\n" for i in range(101))
    e = refused(tmp_path, SMALL + "steps:\n  - forward: z\ntests:\n" + tests)
    assert (e.field, e.message) == ("tests", "101 tests: over the limit of 100 tests")


def test_limits_below_the_file_limits_are_checked_too(tmp_path, monkeypatch):
    """The file itself (50,000 values) keeps nodes and probes small today; their limits hold anyway."""
    monkeypatch.setattr(budgets, "MAX_NODES", 3)
    e = refused(tmp_path, "model:\n  params: {x: 1}\n  nodes:\n" + chain(4) + """\
steps:
  - probe:
      inputs: [x]
      outputs: {y: n3}
      goal: {expr: y, min: 1}
""")
    assert e.field == "model.nodes" and e.message == "4 nodes: over the limit of 3 nodes"
    monkeypatch.setattr(budgets, "MAX_NODES", 50_000)
    monkeypatch.setattr(budgets, "MAX_PROBE_WORK", 5)
    e = refused(tmp_path, "model:\n  params: {x: 1}\n  nodes:\n" + chain(4) + """\
steps:
  - probe:
      inputs: [x]
      outputs: {y: n3}
      goal: {expr: y, min: 1}
""")
    assert e.field == "steps[0].probe" and e.message.startswith("1 probe(s) × a model of size 6 = 6: over the limit of 5")


def test_every_bundled_level_is_within_a_fifth_of_every_limit():
    loaded, errors = load_levels(find_level_files([bundled_levels_dir()]))
    assert loaded and not errors
    for item in loaded:
        c = budgets.costs(item.level)
        steps = max([t.times * t.steps for t in c.trains] or [0])
        data = max([t.times * t.steps * t.batch * c.parameters for t in c.trains] or [0])
        figures = {"MAX_NODES": len(item.level.model.nodes), "MAX_WEIGHTS": c.weights, "MAX_STAGES": c.stages,
                   "MAX_ITERATION_STEPS": c.iteration_steps, "MAX_PLAY_WORK": c.play_work,
                   "MAX_ITERATION_WORK": c.iteration_work, "MAX_TRAIN_STEPS": steps,
                   "MAX_TRAIN_WORK": steps * c.size, "MAX_TRAIN_DATA_WORK": data,
                   "MAX_PROBE_WORK": len(c.probes) * c.size, "MAX_PLOT_WORK": c.plot_steps * c.size,
                   "MAX_TESTS": len(item.level.tests)}
        for name, figure in figures.items():
            assert figure <= getattr(budgets, name) / 5, (item.level.id, name, figure)


def test_contour_paths_over_a_large_model_are_refused(tmp_path):
    paths = "".join(f"    - {{label: p{i}, steps: 1000}}\n" for i in range(4))
    e = refused(tmp_path, "model:\n  params: {x: 1, y: 1}\n  nodes:\n" + chain(60) + f"""\
plot:
  contour: n59 + y*y
  over: [x, y]
  x: [-1, 1]
  y: [-1, 1]
  paths:
{paths}steps:
  - forward: n0
""")
    assert e.field == "plot.paths"
    assert e.message == ("4,000 descent steps × a model of size 63 = 252,000: over the limit of 200,000 descent steps "
                         "× model size")


def test_a_model_over_many_rows_counts_as_a_larger_one(tmp_path):
    nodes = "".join(f"    e{i}: w*pts_x + b - pts_y + {i}\n" for i in range(39))
    e = refused(tmp_path, f"""\
model:
  params: {{w: 1, b: 0}}
  data:
    pts: {{linear: 10000, w: 3, b: 0.8}}
  nodes:
{nodes}    L: mean(e0**2)
steps:
  - train: {{loss: L, steps: 3000}}
""")
    assert e.message.startswith("3,000 steps × a model of size 83 = 249,000: over the limit of 200,000")  # 40 nodes × 2
