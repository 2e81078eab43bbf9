"""A network written W·x with given weights: its hidden layers are nodes that can be asked and
are drawn with their entries; Mazur's worked 2-2-2 example gives his numbers."""

import numpy as np
import yaml

from gradquest.figures.graph_model import picture
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level

MAZUR = """
format_version: 1
id: test.mazur
title: Mazur
chapter: 1
order: 1
model:
  data:
    x: [0.05, 0.10]
    target: [0.01, 0.99]
  network:
    sizes: [2, 2, 2]
    input: x
    activation: sigmoid
    weights:
      W1: [[0.15, 0.20], [0.25, 0.30]]
      b1: [0.35, 0.35]
      W2: [[0.40, 0.45], [0.50, 0.55]]
      b2: [0.60, 0.60]
  nodes:
    out: sigmoid(net)
    E: sum((target - out)**2) / 2
  output: E
steps:
  - forward: z1
  - forward: h1
  - forward: E
  - gradient: W2
  - gradient: W1
"""


def session() -> LevelSession:
    return LevelSession(Level.model_validate(yaml.safe_load(MAZUR)))


def test_the_hidden_layer_is_asked_and_the_numbers_are_mazurs():
    s = session()
    assert np.allclose(s.stage.expected, [0.3775, 0.3925])  # net_h1 = w1·i1 + w2·i2 + b1
    assert s.submit("0.3775 0.3925").status == "correct"
    assert np.allclose(s.stage.expected, [0.593269992, 0.596884378])
    s.submit("0.593269992 0.596884378")
    assert abs(s.stage.expected - 0.298371109) < 1e-9  # the total error
    s.submit("0.298371109")
    dW2 = s.stage.expected
    assert dW2.shape == (2, 2) and abs(dW2[0, 0] - 0.082167041) < 1e-9  # ∂E/∂w5: one row per output unit
    s.submit("[[0.082167041, 0.082667628], [-0.022602540, -0.022740242]]")
    assert abs(s.stage.expected[0, 0] - 0.000438568) < 1e-9  # ∂E/∂w1


def test_the_layers_are_drawn_as_boxes_with_their_entries():
    s = session()
    s.submit("0.3775 0.3925")
    boxes = {n.id: n for n in picture(s).nodes.values() if n.kind == "value"}
    assert {"x", "W1", "b1", "z1", "h1", "net", "out", "E"} <= set(boxes)
    assert boxes["z1"].value == "(0.3775, 0.3925)" and boxes["h1"].value == "?"
    assert boxes["W1"].value == "[[0.15, 0.2], [0.25, 0.3]]"


def test_a_network_over_a_data_set_shows_each_layer_s_shape_and_its_first_rows():
    from gradquest.levels.discover import bundled_levels_dir
    from gradquest.levels.load import load_level
    level = load_level(bundled_levels_dir() / "4-training" / "26-the-moons.yaml").level
    nodes = picture(LevelSession(level, seed=level.model.seed)).nodes
    X = np.asarray(LevelSession(level, seed=level.model.seed).world.value("moons_X"))
    assert nodes["moons_X"].value == "100×2"
    assert nodes["moons_X"].first == f"({X[0, 0]:.4g}, {X[0, 1]:.4g}), ({X[1, 0]:.4g}, {X[1, 1]:.4g}), …".replace("-", "−")
    assert nodes["z1"].value == "100×16" and nodes["z1"].first.count("(") == 2 and nodes["z1"].first.endswith("…), …")
    assert nodes["b1"].first == "0, 0, 0, 0, …"
    assert all(not n.first for n in nodes.values() if n.kind == "op" or "×" not in n.value and not n.value.isdigit())
