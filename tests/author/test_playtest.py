"""`gradquest test`'s messages name a step the way a test's `at:` does: by its id, or the ask's
number counting from 1; the random draws only for a randomised level."""

from gradquest.author.playtest import playtest
from gradquest.levels.schema import Level

LOOSE = {"tolerance": {"rel": 0.2}}  # accepts the answer ±10 %: `gradquest test` must object


def level(params, steps) -> Level:
    return Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
                                 "model": {"params": params, "nodes": {"x": "2*w", "z": "x*x"}}, "steps": steps})


def test_a_failure_names_the_ask_by_its_number_or_its_id():
    steps = [{"say": "hello"}, {"forward": "x"}, {"forward": "z", **LOOSE}]
    failures = playtest(level({"w": 3}, steps)).failures
    assert failures[0] == "at: 2 (steps[2]): the wrong answer 39.6 got 'correct'"
    steps = [{"say": "hello"}, {"forward": "x"}, {"gradient": "w", "id": "slope", **LOOSE}]
    failures = playtest(level({"w": 3}, steps)).failures
    assert failures[0] == "at: slope (steps[2]): the wrong answer 26.400000000000002 got 'correct'"
    assert not any("seed" in f for f in failures)


def test_a_randomised_level_says_which_draws_failed():
    steps = [{"forward": "x", **LOOSE}]
    failures = playtest(level({"w": {"choice": [3]}}, steps)).failures
    assert failures[0].startswith("--seed 0: at: 1 (steps[0]): the wrong answer")
    assert any(f.startswith("--seed 2: at: 1 (steps[0])") for f in failures)
