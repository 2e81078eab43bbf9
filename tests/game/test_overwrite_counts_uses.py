""""x is used N times in y" counts x's uses in y (the edges into it), not the paths from x to the
output (ch5play, problem 2: 5.29's a = 1; b = a + a; c = b + b said "a is used 4 times in b")."""

import pytest

from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level


def doubled_twice(lang):
    model = {"params": {"a": 1}, "nodes": {"b": "a + a", "c": "b + b"}}
    lv = Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1, "model": model,
                               "steps": [{"gradient": "a"}]})
    return LevelSession(lv, lang=lang)


@pytest.mark.parametrize("lang, said", [("en", "a is used 2 times in b"), ("zh", "a 在 b 中被用了 2 次")])
@pytest.mark.parametrize("typed", ["2", "3"])  # two of the four paths, or three
def test_a_node_used_twice_in_a_node_used_twice_is_used_twice(typed, lang, said):
    v = doubled_twice(lang).submit(typed)
    assert v.diagnosis == "overwrite"
    assert said in v.message, v.message
