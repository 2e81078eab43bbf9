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


@pytest.mark.parametrize("lang, typed, words", [
    ("en", "-2, -9, -16.5, -34", "Every entry is the right one divided by 2: the same slip in all of them. "
                                 "Look for one factor of 2 left out of each."),  # the 2 of each square left out
    ("en", "2, 9, 16.5, 34", "Every entry is the right one divided by 2: the same slip in all of them. "
                             "Look for one factor of 2 left out of each. The sign is flipped too."),
    ("en", "-12, -54, -99, -204", "Every entry is 3 times the right one: the same slip in all of them. "
                                  "Look for one extra factor in each."),
    ("zh", "-2, -9, -16.5, -34", "每个分量都是正确值除以 2：所有分量犯了同一个错误。找找每一项里漏掉的那个因子 2。")])
def test_a_vector_with_the_same_factor_off_in_every_entry_is_named_once_for_the_whole_vector(lang, typed, words):
    s = at_ask("33-batches.yaml", "Each point alone", engine_only=True)
    s.lang = lang
    verdict = s.submit(typed)
    assert (verdict.diagnosis, verdict.message) == ("common_factor", words)


@pytest.mark.parametrize("lang, words", [
    ("en", "That is a plain gradient step, old value − η·∇. Momentum also carries on the velocity of the steps "
           "before (μ = 0.5): add it."),
    ("zh", "这是普通的梯度步：旧值 − η·∇。动量法还要带上前几步留下的速度（μ = 0.5）：把它加上。")])
def test_a_momentum_step_without_the_velocity_is_named(lang, words):
    s = at_ask("31-valleys-and-saddles.yaml", "One step of momentum", n=2, engine_only=True)
    s.lang = lang
    verdict = s.submit("-3.872, -3.92")  # x − η·∇f from the first step's point, the velocity forgotten
    assert (verdict.diagnosis, verdict.message) == ("no_velocity", words)


def test_nesterov_s_first_step_taken_plainly_is_not_called_a_forgotten_velocity():
    """Nesterov's first step is (1 + μ)·∇ with no velocity yet: "momentum carries on the velocity of the steps
    before" would be false there."""
    optimizer = "{kind: nesterov, lr: 0.1, momentum: 0.5}"
    import yaml

    level = Level.model_validate(yaml.safe_load(f"""
format_version: 1
id: test.nesterov
title: t
chapter: 1
order: 1
model: {{params: {{w: 3}}, nodes: {{L: w*w}}, output: L}}
steps:
  - update: w
    optimizer: {optimizer}
"""))
    s = LevelSession(level)
    assert s.submit("2.4").diagnosis != "no_velocity"  # w − η·∂L/∂w = 3 − 0.1·6
