"""Nodes may be written in any order: the engine sorts them. A level whose `model.nodes` are
reversed has the same answer key, the same plot at every stage and the same graph.

The file's order stays the author's order of presentation where two things are side by side:
the terms of a sum over a node's consumers (∂z/∂b = 18·2 + 9·3), the nodes a value feeds, where
the boxes of one layer of the graph stand, and the lines of the graph's list. Those are compared as sets; every number, every box's
text, every edge and every point of a plot must be the same.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from gradquest.author.answer_key import answer_key
from gradquest.figures.graph_canvas import draw
from gradquest.figures.graph_model import as_lines, picture
from gradquest.figures.graph_cards import cards, drawable
from gradquest.figures.plots import figures
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir, find_level_files
from gradquest.levels.load import load_level
from tests.test_docs import LEVEL_EXAMPLES, level_text


def has_nodes(text: str) -> bool:
    """Whether the level has two nodes or more to shuffle."""
    return len((yaml.safe_load(text).get("model") or {}).get("nodes") or {}) > 1


BUNDLED = [p for p in find_level_files([bundled_levels_dir()]) if has_nodes(p.read_text(encoding="utf-8"))]
GUIDE = [e for e in LEVEL_EXAMPLES if has_nodes(level_text(e))]
WORDS = {"value": "value", "grad": "grad", "inputs": "inputs"}


def reversed_nodes(text: str) -> str:
    """The level's text with its nodes in reverse order (the output named, so it stays the same):
    in a chain, every node then comes before the nodes it uses."""
    data = yaml.safe_load(text)
    model = data["model"]
    names = list(model["nodes"])
    if model.get("output") is None and not model.get("network"):
        model["output"] = names[-1]
    model["nodes"] = {n: model["nodes"][n] for n in reversed(names)}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def loaded(text: str, path: Path):
    path.write_text(text, encoding="utf-8")
    return load_level(path).level


def terms(text: str) -> str:
    """A worked line with the terms of each sum sorted: 9·3 + 18·2 = 63 → 18·2 + 9·3 = 63."""
    return " = ".join(" + ".join(sorted(part.split(" + "))) for part in text.split(" = "))


def key(level) -> list:
    return [(e.path, e.kind, e.prompt, e.answer, e.shown, e.accepted, [terms(w) for w in e.working])
            for e in answer_key(level)]


def seen(session: LevelSession) -> tuple:
    """What the player sees besides the transcript: every point of the plot; the graph's boxes
    with their text, its edges, its cards and its list."""
    graph = None
    if drawable(session):
        pic = picture(session)
        d = draw(pic)
        boxes = {name: "\n".join("".join(d.chars[y][b.x:b.x + b.w]) for y in range(b.y, b.y + b.h))
                 for name, b in d.boxes.items()}
        edges = sorted((e.src, e.dst, e.label, e.lit) for e in pic.edges)
        graph = (pic.nodes, edges, pic.output, boxes, sorted(repr(replace(c, feeds=sorted(c.feeds))) for c in cards(session)),
                 sorted(as_lines(pic, WORDS)))
    return repr(figures(session)), graph


LEVELS = [pytest.param(p.read_text(encoding="utf-8"), id=p.stem) for p in BUNDLED] \
    + [pytest.param(level_text(e), id=str(e)) for e in GUIDE]


@pytest.mark.parametrize("text", LEVELS)
def test_a_level_with_its_nodes_reversed_is_the_same_level(text, tmp_path):
    """Every bundled level and every example of the authoring guide."""
    original = loaded(text, tmp_path / "original.yaml")
    other = loaded(reversed_nodes(text), tmp_path / "reversed.yaml")
    assert key(other) == key(original)
    a, b = LevelSession(original), LevelSession(other)
    while True:
        assert seen(b) == seen(a), a.stage and a.stage.path
        if a.stage is None:
            break
        for s in (a, b):
            s.advance() if s.stage.kind == "say" else s.submit(s.stage.solution)


# ---- the two levels of the bug report: a node written before the node it uses

def session_of(tmp_path: Path, text: str) -> LevelSession:
    s = LevelSession(loaded(text, tmp_path / "level.yaml"))
    while s.stage is not None:
        s.advance() if s.stage.kind == "say" else s.submit(s.stage.solution)
    return s


HEADER = "format_version: 1\nid: t.order\ntitle: Order\nchapter: 1\norder: 1\n"


def test_a_tangent_follows_a_node_written_before_the_node_it_uses(tmp_path):
    s = session_of(tmp_path, HEADER + """\
model:
  params: {w: 3}
  nodes: {L: m*2, m: w*w}
plot: {curve: [L], over: w, range: [0, 4], tangent: true}
steps:
  - forward: m
""")
    curve, marker, tangent = figures(s)[0].series
    assert (marker.xs, marker.ys) == ([3.0], [18.0])
    assert tangent.label == "slope 12"
    assert tangent.ys[0] == pytest.approx(18.0 - 12.0 * 3)  # L = 2w², slope 4w = 12 at w = 3


def test_a_descent_path_follows_a_node_written_before_the_node_it_uses(tmp_path):
    s = session_of(tmp_path, HEADER + """\
model:
  params: {x: 4, y: 1}
  nodes: {f: g + y**2, g: x**2}
plot:
  contour: f
  over: [x, y]
  x: [-5, 5]
  y: [-5, 5]
  paths: [{label: sgd, optimizer: {kind: sgd, lr: 0.25}, steps: 3}]
steps:
  - forward: g
""")
    path = next(series for series in figures(s)[0].series if series.label == "sgd")
    assert path.xs == [4.0, 2.0, 1.0, 0.5]  # x ← x − 0.25·2x
    assert path.ys == [1.0, 0.5, 0.25, 0.125]
