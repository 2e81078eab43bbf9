"""The mistakes named from the engine in any level, each pinned with the input of issue 11."""

import pytest

from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level
from gradquest.levels.schema import Level


def without_misconceptions(node):
    if isinstance(node, dict):
        return {k: without_misconceptions(v) for k, v in node.items() if k not in ("misconceptions", "tests")}
    if isinstance(node, list):
        return [without_misconceptions(v) for v in node]
    return node


def at_ask(name: str, prompt: str, n: int = 1, engine_only: bool = False) -> LevelSession:
    """A bundled level played with the engine's answers up to the n-th ask whose prompt starts so;
    `engine_only` leaves out the author's misconceptions, so that the engine's own names are heard."""
    level = load_level(next(bundled_levels_dir().glob(f"*/{name}"))).level
    if engine_only:
        level = Level.model_validate(without_misconceptions(level.model_dump(exclude_none=True)))
    s = LevelSession(level)
    seen = 0
    while True:
        if s.stage.kind == "ask" and s.stage.prompt.startswith(prompt):
            seen += 1
            if seen == n:
                return s
        s.submit(s.stage.solution)


@pytest.mark.parametrize("name, prompt, typed, code, words", [
    ("08-linear-chain-w.yaml", "∂z/∂x", "18", "other_factor", "That is x itself"),  # x for y
    ("12-manual-backprop.yaml", "∂L/∂f", "-2", "other_factor", "the other factor: in L, that is d"),
    ("18-two-layer-sigmoid.yaml", "∂L/∂ŷ", "-0.510163", "factor", "check the 0.5"),  # the ½ forgotten
    ("18-two-layer-sigmoid.yaml", "∂L/∂z", "-0.510163", "no_local", "arriving at h alone"),  # σ′ forgotten
    ("06-cracking-the-black-box.yaml", "How fast does the loss change with w?", "5.605", "mean", "divide by 4"),
    ("25-linear-regression.yaml", "How does the loss change with b?", "-10.8", "mean", "divide by 3"),
    ("11-nonlinear-chain.yaml", "b = ?", "0.60206", "log_base", "log base 10"),  # log10(4) for ln 4
    ("19-two-variables.yaml", "At (x, y) = (3, 1)", "(0.9093, 6)", "swapped", "swapped"),
    ("19-two-variables.yaml", "At (x, y) = (3, 1)", "(6, 0.5)", "entries", "The first entry is right; the second entry is too small."),
    ("15-a-neuron.yaml", "∂o/∂n", "1 - 0.812351^2", "output_for_input", "Input and output are mixed up"),
])
def test_a_named_mistake(name, prompt, typed, code, words):
    v = at_ask(name, prompt).submit(typed)
    assert v.status == "wrong" and v.diagnosis not in ("too_big", "too_small"), v.message  # the level names it
    v = at_ask(name, prompt, engine_only=True).submit(typed)
    assert (v.status, v.diagnosis) == ("wrong", code), v.message  # and so does the engine, in any level
    assert words in v.message


def test_the_previous_step_s_values_are_named():
    lvl = Level.model_validate({
        "format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
        "model": {"params": {"x": 3, "y": 9}, "nodes": {"f": "x**2 + y**2"}},
        "steps": [{"iterate": {"steps": [{"vector": ["x", "y", "x + y"]}, {"set": {"x": "x - 1", "y": "y - 1"}}],
                               "until": {"expr": "x", "below": 0.5}, "manual": 3}}]})
    s = LevelSession(lvl)
    assert s.submit("(3, 9, 12)").status == "correct"
    v = s.submit("(3, 9, 12)")
    assert v.diagnosis == "previous" and "previous step's values" in v.message


def test_an_update_left_unchanged_is_named():
    lvl = Level.model_validate({
        "format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
        "model": {"params": {"x": 3, "y": 1}, "nodes": {"f": "x**2 + y**2"}},
        "steps": [{"update": ["x", "y"], "optimizer": {"lr": 0.1}}]})
    v = LevelSession(lvl).submit("(3, 1)")
    assert v.diagnosis == "unchanged"


def test_degrees_for_radians():
    lvl = Level.model_validate({
        "format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
        "model": {"params": {"x": 1}, "nodes": {"s": "sin(x)"}}, "steps": [{"forward": "s"}]})
    v = LevelSession(lvl, lang="zh").submit("0.0174524")  # sin 1°
    assert v.diagnosis == "degrees" and "弧度" in v.message


@pytest.mark.parametrize("typed, words", [("(-4, -4)", "multiply it by the learning rate η = 0.8"),
                                          ("(10.4, 10.4)", "You stepped uphill")])
def test_a_vector_step_without_eta_or_uphill_is_named_in_the_learning_rate_level(typed, words):
    v = at_ask("21-learning-rate.yaml", "From (4, 4) with η = 0.8").submit(typed)
    assert (v.status, v.diagnosis) == ("wrong", "misconception") and words in v.message


def test_a_named_mistake_names_nodes_by_their_labels():
    lvl = Level.model_validate({
        "format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
        "model": {"params": {"x": 2, "w": 3}, "nodes": {"vsum": "x*w + 1", "L": "vsum**2"}, "output": "L",
                  "labels": {"vsum": {"en": "s", "zh": "和 s"}}},
        "steps": [{"gradient": "x"}]})
    assert LevelSession(lvl).submit("3").message == \
        "That is the local derivative ∂s/∂x alone. Multiply it by the gradient arriving at s, ∂L/∂s = 14."
    assert LevelSession(lvl, lang="zh").submit("3").message == \
        "这只是局部导数 ∂(和 s)/∂x。还要乘上传到 (和 s) 的梯度 ∂L/∂(和 s) = 14。"
