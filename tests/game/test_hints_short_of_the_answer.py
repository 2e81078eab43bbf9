"""A hint never is the answer: the last generated hint stops one step short of it (the answer is
shown by its own key, `!`)."""

import re

import numpy as np
import pytest

from gradquest.engine.explain import number
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level
from gradquest.levels.schema import Level

LEVELS = sorted(p for p in bundled_levels_dir().rglob("*.yaml") if p.name != "chapter.yaml")


def shown(expected) -> str:
    """The answer as the game shows it: 63, or (−0.341, 0.242, 0.0986)."""
    values = [number(float(x)) for x in np.ravel(np.asarray(expected, dtype=float))]
    return values[0] if len(values) == 1 else "(" + ", ".join(values) + ")"


def states(hint: str, answer: str) -> bool:
    """Whether the hint states the answer as a result: "… = 63", "With the numbers: 2"."""
    return re.search(r"[=:：]\s*" + re.escape(answer) + r"(?=[.。]?$|[,，;；])", hint) is not None


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", LEVELS, ids=lambda p: p.name)
def test_no_hint_of_a_bundled_ask_states_its_answer(path, lang):
    lv = load_level(path).level
    session = LevelSession(lv, seed=lv.model.seed, lang=lang)
    while not session.done:
        stage = session.stage
        if stage.kind == "ask":
            answer = shown(stage.expected)
            hints = []
            while not (hint := session.hint()).startswith(("No more hints", "这一步没有更多提示")):
                hints.append(hint)
            assert not [h for h in hints if states(h, answer)], (stage.path, answer)
        session.submit(stage.solution if stage.kind != "say" else "")


def test_the_gradient_hints_of_an_array_and_of_the_output_itself_do_not_name_the_answer():
    model = {"params": {"a": 2, "b": 1, "c": 0.1}, "output": "loss",
             "nodes": {"logits": "(a, b, c)", "p": "exp(logits)/sum(exp(logits))", "loss": "-log(p[0])"}}
    lv = Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1, "model": model,
                               "steps": [{"gradient": "logits"}, {"gradient": "loss"}]})
    session = LevelSession(lv)
    hints = [session.hint(), session.hint()]
    assert hints[0] == "Chain rule: ∂loss/∂logits = ∂loss/∂p·∂p/∂logits"
    assert hints[1].startswith("No more hints")  # not "With the numbers: (−0.340999, 0.242433, 0.0985659)"
    session.submit(session.stage.solution)
    assert session.hint() == "When loss itself moves by a little, loss moves by exactly as much."  # not "= 1"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", LEVELS, ids=lambda p: p.name)
def test_no_gradient_hint_only_restates_the_ask(path, lang):
    """A value fed straight to the output has no chain to tell: "∂o/∂x = ∂o/∂x" says nothing."""
    lv = load_level(path).level
    session = LevelSession(lv, seed=lv.model.seed, lang=lang)
    while not session.done:
        stage = session.stage
        if stage.kind == "ask":
            while not (hint := session.hint()).startswith(("No more hints", "这一步没有更多提示")):
                said = re.search(r"(∂\S+/∂\S+) = (.*)$", hint)
                assert not (said and said.group(1) == said.group(2)), (stage.path, hint)
        session.submit(stage.solution if stage.kind != "say" else "")


def test_a_gradient_fed_straight_to_the_output_is_hinted_by_the_outputs_own_rule():
    model = {"params": {"a": 2, "c": -0.5}, "nodes": {"out": "a*c"}}
    lv = Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1, "model": model,
                               "steps": [{"gradient": "c"}]})
    assert LevelSession(lv).hint() == "Differentiate out = a·c with respect to c alone."
    assert LevelSession(lv, lang="zh").hint() == "只对 c 求 out = a·c 的导数。"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_vector_of_gradients_gets_each_entrys_chain_rule_without_its_number(lang):
    """5.28's (∂s/∂w1, ∂s/∂w2) offered no hint."""
    model = {"params": {"w1": -3, "w2": -3, "x1": -2}, "nodes": {"n": "w1*x1 + w2", "s": "sigmoid(n)"}, "output": "s"}
    lv = Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1, "model": model,
                               "steps": [{"vector": ["ds_dw1", "ds_dw2"]}]})
    session = LevelSession(lv, lang=lang)
    hint = session.hint()
    assert "∂s/∂w1 = ∂s/∂n·∂n/∂w1" in hint and "∂s/∂w2 = ∂s/∂n·∂n/∂w2" in hint
    assert not any(v in hint for v in shown(session.stage.expected).strip("()").split(", "))
