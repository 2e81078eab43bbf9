"""`check`, `test` and `solve` play a level with the engine's own answers; a stage those answers do
not move on (training that does not reach its goal with the default settings) is reported at its
step after one try, never tried again for ever. Training is counted, not timed."""

import pytest

from gradquest.author.answer_key import answer_key
from gradquest.author.lint import lint
from gradquest.author.playtest import author_tests, playtest
from gradquest.cli import main
from gradquest.model import training
from gradquest.model.errors import ModelError
from gradquest.levels.load import load_level

UNREACHABLE = """\
format_version: 1
id: t.unreachable
title: {en: An unreachable goal, zh: 达不到的目标}
chapter: 1
order: 1
source: a test
model:
  data:
    m: {moons: 60, noise: 0.3}
  network: {sizes: [2, 1], input: m_X}
  nodes:
    loss: mean(log(1 + exp(-m_y*net)))
  output: loss
steps:
  - train:
      loss: loss
      steps: 50
      metrics: [accuracy]
      win: {expr: accuracy, min: 0.99}
  - forward: loss
tests:
  - name: after training
    at: 2
    inputs: [{input: "1", verdict: wrong}]
"""
SAID = "steps[0]", "the goal accuracy ≥ 0.99 was not reached with the default settings within 50 steps"


@pytest.fixture
def trainings(monkeypatch):
    """The training runs started; a third one means the same settings are being tried again."""
    runs = []

    def counted(*args):
        runs.append(args)
        if len(runs) > 2:
            raise RuntimeError("trained again with the same settings")
        return training.run_training(*args)
    monkeypatch.setattr("gradquest.game.session.run_training", counted)
    return runs


@pytest.fixture
def level(tmp_path):
    path = tmp_path / "unreachable.yaml"
    path.write_text(UNREACHABLE, encoding="utf-8")
    return load_level(path).level


def test_solve_stops_at_a_goal_training_does_not_reach(level, trainings):
    with pytest.raises(ModelError) as caught:
        list(answer_key(level))
    assert (caught.value.field, caught.value.message.split(" (")[0]) == SAID
    assert len(trainings) == 1


def test_the_solve_command_says_where_and_stops(tmp_path, trainings, capsys, monkeypatch):
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path / "home"))
    path = tmp_path / "unreachable.yaml"
    path.write_text(UNREACHABLE, encoding="utf-8")
    assert main(["solve", str(path)]) == 1
    said = capsys.readouterr()
    assert f"unreachable.yaml:15:5: {SAID[0]}: {SAID[1]} (it reached " in said.out + said.err
    assert len(trainings) == 1


def test_check_of_a_bundled_level_trains_once_per_language(level, trainings):
    found = [f for f in lint(level, bundled=True) if f.field == SAID[0]]
    assert [f.message.split(" (")[0] for f in found] == [SAID[1]]
    assert len(trainings) == 2  # the playthrough in English, the words in Chinese


def test_a_test_after_the_training_reports_it_instead_of_training_again(level, trainings):
    assert [(field, message.split(" (")[0]) for field, message in author_tests(level)] == \
        [("tests[0]", f"{SAID[0]}: {SAID[1]}")]
    assert len(trainings) == 1


def test_test_names_the_goal_and_the_steps(level, trainings):
    failures = playtest(level).failures
    assert failures[0].startswith(f"at: 1 ({SAID[0]}): {SAID[1]} (it reached ")
