"""`hidden: true` and `reveal_at: <step id>`: a node (or the plot) kept off the screen — the graph,
the cards, the line player's list and the plot — until its step is reached; a probe turns a
parameter and the hidden nodes that use it follow."""

import yaml

from gradquest.author.lint import lint
from gradquest.author.playtest import playtest
from gradquest.figures.graph_model import as_lines, picture
from gradquest.figures.graph_cards import cards
from gradquest.figures.plots import figures
from gradquest.game.session import LevelSession
from gradquest.levels.load import load_level
from gradquest.levels.schema import Level

TEXT = """
format_version: 1
id: t.shower
title: Shower
chapter: 1
order: 1
model:
  params: {knob: 5, target: 38}
  nodes:
    mix: {expr: sigmoid(knob - 5), hidden: true}
    temp: {expr: 15 + 30*sigmoid(knob - 5), reveal_at: pipes, label: water}
  output: temp
plot: {curve: [temp], over: knob, range: [0, 10], reveal_at: pipes}
steps:
  - probe:
      inputs: [knob]
      outputs: {water: 15 + 30*mix}
      goal: {expr: abs(water - target), max: 0.5}
      range: {knob: [0, 10]}
  - say: Behind the wall, the pipes.
    id: pipes
  - gradient: knob
"""
SHOWER = yaml.safe_load(TEXT)
WORDS = {"value": "value", "grad": "grad", "inputs": "from"}


def shown(session) -> set[str]:
    pic = picture(session)
    listed = "\n".join(as_lines(pic, WORDS))
    return ({c.name for c in cards(session)} | {n.label for n in pic.nodes.values() if n.kind == "value"}
            | {name for name in ("mix", "temp", "water") if name in listed})


def test_a_hidden_node_is_never_shown_and_a_revealed_one_from_its_step_on():
    s = LevelSession(Level.model_validate(SHOWER))
    assert shown(s) == {"knob", "target"} and figures(s) == []
    assert s.submit("12").status == "invalid"  # the knob's range
    assert s.submit("2").status == "info"  # the probe's reading: knob 2 → 15 + 30·σ(−3)
    assert "water = 16.4" in s.transcript[-1].text or "16.4" in s.log[-1].text
    s.submit(s.stage.solution)
    assert s.stage.kind == "say" and "pipes" in s.reached
    assert shown(s) == {"knob", "target", "temp", "water"} and figures(s)
    s.advance()
    assert s.submit("7.5").status == "correct"
    assert s.done and "mix" not in shown(s)


def test_a_probe_of_a_parameter_moves_the_nodes_that_use_it():
    s = LevelSession(Level.model_validate(SHOWER))
    s.submit("5")
    assert s.log[-1].value["water"] == 30.0  # 15 + 30·σ(0): the node followed the knob


def test_the_level_loads_lints_and_plays_through(tmp_path):
    path = tmp_path / "shower.yaml"
    path.write_text(TEXT, encoding="utf-8")
    level = load_level(path).level
    assert level.model.hidden == {"mix": None, "temp": "pipes"}
    assert lint(level) == [] and playtest(level).passed
