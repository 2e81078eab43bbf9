"""A constant factor's message names only the causes the level has (a ½, a square, a mean's
division); with none it says plainly how many times the right answer the answer is (ch5play,
problem 3: "check the 2 in the formula (a ½ that cancels a 2, …)" where there is no ½, square or mean)."""

import pytest

from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level


def asked(nodes: dict, lang: str) -> LevelSession:
    lv = Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
                               "model": {"params": {"x": 1.3, "w": 1.7}, "nodes": nodes}, "steps": [{"gradient": "x"}]})
    return LevelSession(lv, lang=lang)


@pytest.mark.parametrize("nodes, typed, en, zh", [
    ({"y": "2*x*w"}, "6.8", "A constant factor is off: your answer is 2 times the right one.",
     "差了一个常数因子：你的答案是正确答案的 2 倍。"),  # ∂y/∂x = 2w = 3.4: a 2, but no ½, square or mean
    ({"y": "0.25*x*w"}, "0.10625", "A constant factor is off: your answer is the right one divided by 4.",
     "差了一个常数因子：你的答案是正确答案除以 4。"),  # 0.425 times 0.25
    ({"y": "0.5*(x - 2.1*w)**2"}, "-4.54", "A constant factor is off: check the 0.5 in the formula (a ½ that cancels a 2, "
     "the 2 of a square).", "差了一个常数因子：检查公式里的 0.5（与 2 相抵的 ½、平方求导得到的 2）。"),  # x − 2.1w = −2.27
])
def test_a_constant_factor_names_what_the_formula_has(nodes, typed, en, zh):
    for lang, said in (("en", en), ("zh", zh)):
        v = asked(nodes, lang).submit(typed)
        assert (v.diagnosis, v.message) == ("factor", said)
