"""Pacing: a computation done right twice plays itself (`auto:`, `manual:`), so no bundled level
asks for more than fifteen typed answers."""

import pytest

from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level
from gradquest.levels.schema import Level

BUNDLED = sorted(p for p in bundled_levels_dir().glob("*/*.yaml") if p.name != "chapter.yaml")
MAX_TYPED = 15


def typed_prompts(level: Level) -> list[str]:
    s, prompts = LevelSession(level), []
    while not s.done:
        if s.stage.kind == "ask":
            prompts.append(s.stage.prompt)
        s.submit(s.stage.solution)
    return prompts


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_no_level_asks_for_more_than_fifteen_typed_answers(path):
    assert len(typed_prompts(load_level(path).level)) <= MAX_TYPED


def test_adam_asks_the_first_step_by_hand_and_then_only_the_corrected_second_step():
    prompts = typed_prompts(load_level(next(bundled_levels_dir().glob("*/24-adam.yaml"))).level)
    second = [p for p in prompts if "t = 2" in p]
    assert prompts[0].startswith("Step t = 1.") and len(second) == 1 and second[0].startswith("Now t = 2.")


def test_an_auto_ask_is_worked_out_and_shown_by_the_game():
    lvl = Level.model_validate({
        "format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
        "model": {"params": {"w": 3, "b": 4}, "nodes": {"x": "2*w + 3*b", "y": "2*b + 1", "z": "x*y"}},
        "steps": [{"forward": "x"}, {"forward": "y", "auto": True, "explain": "y is shown."}, {"forward": "z"}]})
    s = LevelSession(lvl)
    s.submit("18")
    assert s.stage.prompt == "z = ?" and ("value", "y") in s.known
    assert [e.text for e in s.log[-3:]] == ["x = 2·3 + 3·4 = 18", "y = 2·4 + 1 = 9", "y is shown."]
