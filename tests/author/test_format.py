"""What the format can say since teachers asked: tuples and indexing in expressions, vectors of
any length the screen shows, a guess's secret as an expression of the model."""

import numpy as np
import pytest

from gradquest.engine import Value
from gradquest.engine.parser import VALUE_LIB, ParseError, evaluate, parse
from gradquest.game.answers import Unreadable, read_number
from gradquest.game.session import LevelSession
from gradquest.levels.load import load_level

HEAD = "format_version: 1\nid: t.format\ntitle: T\nchapter: 1\norder: 1\n"


def level(tmp_path, body):
    path = tmp_path / "level.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return load_level(path).level


def test_a_tuple_is_a_vector_whose_gradient_reaches_each_entry():
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    total = evaluate(parse("sum(exp((a, 2*b, c)))"), {"a": a, "b": b, "c": c}, VALUE_LIB)
    total.backward()
    assert np.allclose([a.grad, b.grad, c.grad], [np.e, 2 * np.exp(4), np.exp(3)])


def test_indexing_picks_an_entry_and_refuses_what_is_not_one():
    xs = Value(np.array([1.0, 2.0, 3.0]))
    picked = evaluate(parse("xs[0] * 2 + xs[-1]"), {"xs": xs}, VALUE_LIB)
    picked.backward()
    assert picked.data == 5.0 and list(xs.grad) == [2.0, 0.0, 1.0]
    with pytest.raises(ParseError, match="whole number"):
        parse("xs[1.5]")
    with pytest.raises(IndexError, match="not an entry"):
        evaluate(parse("xs[3]"), {"xs": xs}, VALUE_LIB)


def test_a_player_typing_a_tuple_for_one_number_is_told_without_a_grade():
    with pytest.raises(Unreadable) as err:
        read_number("(1, 2)")
    assert err.value.code == "vector_size"


def test_softmax_over_a_tuple_with_a_tuple_misconception(tmp_path):
    lv = level(tmp_path, """\
model:
  params: {a: 2, b: 1, c: 0.5}
  nodes:
    logits: (a, b, c)
    p0: exp(logits[0]) / sum(exp(logits))
  output: p0
steps:
  - value: exp(logits) / sum(exp(logits))
    misconceptions:
      - expr: logits / sum(logits)
        feedback: not the logits themselves
  - vector: [a, b, c, 1, 2, 3]
""")
    session = LevelSession(lv)
    assert session.stage.size == 3
    verdict = session.submit("(0.571428, 0.285714, 0.142857)")
    assert verdict.status == "wrong" and verdict.diagnosis == "misconception"
    assert session.submit(session.stage.solution).status == "correct"
    assert session.stage.size == 6


def test_a_secret_written_as_an_expression_of_the_model(tmp_path):
    lv = level(tmp_path, "model:\n  params: {w: 3}\nsteps:\n  - guess: {secret: 2*w + 1}\n")
    session = LevelSession(lv)
    assert session.submit("6").status == "wrong"
    assert session.submit("7").status == "correct"


def test_hessian_entries_optimizer_state_and_the_iteration_are_names(tmp_path):
    lv = level(tmp_path, """\
model:
  params: {p: 1, q: 2}
  nodes: {f: p**2*q + q**3}
  output: f
steps:
  - value: d2f_dp_dq + 10*d2f_dp_dp
  - update: [p, q]
    optimizer: {kind: adam, lr: 0.1}
  - value: (m_p, v_p, buf_q)
  - iterate:
      steps: [{update: p, optimizer: {kind: momentum, lr: 0.01}}]
      until: {expr: p, below: 0.5}
      max: 3
      manual: 0
      table: [iteration, buf_p]
  - say: "{{iteration}} iterations"
""")
    session = LevelSession(lv)
    assert session.stage.expected == 2 + 10 * 4  # ∂²f/∂p∂q = 2p, ∂²f/∂p² = 2q
    session.submit(session.stage.solution)
    session.submit(session.stage.solution)
    assert np.allclose(session.stage.expected, [0.1 * 4, 0.001 * 16, 0.0])  # Adam's m and v; no momentum buffer
    session.submit(session.stage.solution)
    assert [row["iteration"] for row in session.table] == [1, 2, 3]
    assert session.stage.body == "3 iterations"


def test_network_as_its_sizes_takes_the_one_matrix_as_input(tmp_path):
    lv = level(tmp_path, """\
model:
  data:
    pts: [[1, 2], [2, 1], [-1, -2]]
    pts_y: [1, 1, 0]
  network: [2, 1]
  nodes: {loss: mean((sigmoid(net) - pts_y)**2)}
steps:
  - gradient: W1
""")
    assert lv.model.network.sizes == [2, 1] and lv.model.network.input == "pts"
    assert LevelSession(lv).stage.size == 2  # ∂loss/∂W1: two weights, one vector answer
