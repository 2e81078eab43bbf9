"""Matrices given as parameters and answered row by row: the prompt says the shape, each entry
gets its verdict, and the transpose and a wrong shape are named (`transposed`, `wrong_shape`)."""

import numpy as np
import pytest
import yaml

from gradquest.game.answers import Unreadable, read_matrix
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level

LAYER = """
format_version: 1
id: test.layer
title: {en: A layer, zh: 一层}
chapter: 1
order: 1
model:
  params:
    W: [[0.5, -1, 2], [1, 0.5, 0]]
    x: [1, 2, 3]
    b: [0.1, -0.2]
  nodes:
    y: W @ x + b
    L: sum(y**2) / 2
  output: L
steps:
  - gradient: W
  - gradient: x
"""


def session(lang="en") -> LevelSession:
    return LevelSession(Level.model_validate(yaml.safe_load(LAYER)), lang=lang)


@pytest.mark.parametrize("text", ["[[1, 2, 3], [4, 5, 6]]", "1 2 3; 4 5 6", "1, 2, 3; 4, 5, 6", "1 2 3\n4 5 6",
                                  "(1, 2, 3, 4, 5, 6)", "[(1, sqrt(4), 3), (4, 5, 6)]", "[[1 2 3] [4 5 6]]"])
def test_a_matrix_is_typed_row_by_row_or_in_one_line(text):
    assert read_matrix(text, (2, 3)).tolist() == [[1, 2, 3], [4, 5, 6]]


def test_another_shape_is_read_as_typed_and_ragged_rows_are_refused():
    assert read_matrix("[[1, 2], [3, 4], [5, 6]]", (2, 3)).shape == (3, 2)
    for text, code in (("[[1, 2, 3], [4]]", "matrix_ragged"), ("1 2 3 4", "matrix"), ("[[1, 2, 3], [4, 5, 6]] 7", "matrix")):
        with pytest.raises(Unreadable) as err:
            read_matrix(text, (2, 3))
        assert err.value.code == code


def test_the_gradient_of_a_matrix_parameter_is_delta_times_x_transposed():
    s = session()
    stage = s.stage
    assert stage.shape == (2, 3) and "2×3 matrix shaped like W" in stage.prompt and "row by row" in stage.prompt
    assert np.allclose(stage.expected, np.outer([4.6, 1.8], [1, 2, 3]))
    verdict = s.submit("[[4.6, 1.8], [9.2, 3.6], [13.8, 5.4]]")
    assert (verdict.status, verdict.diagnosis) == ("wrong", "transposed")
    assert "∂L/∂W has the shape of W" in verdict.message
    verdict = s.submit("[[4.6, 9.2], [1.8, 3.6]]")
    assert (verdict.status, verdict.diagnosis) == ("wrong", "wrong_shape") and "2×2" in verdict.message
    verdict = s.submit("4.6 9.2 13.8; 1.8 -3.6 5.5")
    assert verdict.diagnosis == "entries"
    assert "row 2, column 2 entry has its sign flipped" in verdict.message and "the other entries are right" in verdict.message
    assert "row 1" not in verdict.message
    assert s.submit("4.6 9.2 13.8; 1.8 3.6 5.4").status == "correct"


def test_the_shape_and_the_verdicts_in_chinese():
    s = session("zh")
    assert "形状与 W 相同的 2×3 矩阵" in s.stage.prompt
    verdict = s.submit("[[4.6, 1.8], [9.2, 3.6], [13.8, 5.4]]")
    assert verdict.diagnosis == "transposed" and "转置" in verdict.message
    assert "第 2 行第 3 列" in s.submit("4.6 9.2 13.8; 1.8 3.6 5.5").message
