"""A diagnosis says what the player did with the numbers, never the answer of the ask being answered:
over every ask of every bundled level, in both languages, no wrong answer the game can name gets a
message that states the expected value (as the game prints it, or rounded to 4 figures)."""

import re

import numpy as np
import pytest

from gradquest.engine.explain import number
from gradquest.engine.slips import SLIPS
from gradquest.game.diagnose import candidates, mistake_message
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level

LEVELS = sorted(p for p in bundled_levels_dir().glob("*/*.yaml") if p.name != "chapter.yaml")
NUM = r"\(?−?\d+(?:\.\d+)?(?:e−?\d+)?\)?"
# where a number is stated as a result: "= 0.196612", "it is 1", "是 3", "就成了 2", "the other factor, 9."
STATED = r"(?:=|\bis|\bto|是|为|就成了|就是)\s*{}(?![\w(²]|\.\d|\s*[+·/^−]|\s*times)|[,，]\s*{}[.。](?!\d)"


def states_answer(message: str, expected, own) -> bool:
    """Whether the message states the expected value; the player's own computation ("1 + 0.549913 =
    1.54991", the number they typed) is theirs to see again."""
    text = re.sub(rf"(?:{NUM}\s*[+·]\s*)+{NUM} = {re.escape(number(own))}", "", message)
    e = np.asarray(expected, dtype=float)
    forms = {number(e), number(e, 4)}
    if e.ndim:
        return any(f in text for f in forms)
    return any(re.search(STATED.format(re.escape(f), re.escape(f)), text) for f in forms)


def named_mistakes(path, lang):
    s = LevelSession(load_level(path).level, lang=lang)
    while s.stage is not None and s.stage.kind != "done":
        if s.stage.kind == "ask":
            expected = s.stage.expected
            for c in candidates(s.stage.source, s.world, expected, lang):
                try:
                    if np.allclose(np.asarray(c.value, dtype=float), np.asarray(expected, dtype=float)):
                        continue  # the right answer is accepted before any diagnosis
                except (ValueError, TypeError):
                    pass
                yield s.stage.prompt, expected, c, mistake_message(c, s.world, lang)
        s.submit(s.stage.solution)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", LEVELS, ids=lambda p: p.stem)
def test_no_diagnosis_of_a_bundled_ask_states_its_answer(path, lang):
    told = [(prompt, c.code, message) for prompt, expected, c, message in named_mistakes(path, lang)
            if states_answer(message, expected, c.value)]
    assert not told, told


def test_the_rule_is_caught_stating_an_answer_and_lets_the_players_own_numbers_be():
    assert states_answer("You used σ² = 0.534447: the rule is σ(1 − σ) = 0.196612.", 0.196612, 0.534447)
    assert states_answer("你用了 σ(n) 本身 0.731059：它的导数是 σ(1 − σ) = 0.1966。", 0.196612, 0.731059)
    assert states_answer("∂L/∂L is where backprop starts, so it is 1, not 0.", 1.0, 0.0)
    assert states_answer("乘积对其中一个因子的导数是另一个因子：在 J 中，就是 3。", 3.0, 2.0)
    assert not states_answer("You added the local derivatives, 1 + 0.549913 = 1.54991: the chain rule multiplies "
                             "them, ∂n/∂b·∂o/∂n.", 0.549913, 1.549913)
    assert not states_answer("the power rule is 2·x^(2−1).", 2.0, 4.0)


@pytest.mark.parametrize("slip", SLIPS, ids=lambda s: f"{s.op}-{s.name}")
def test_no_slip_of_the_catalogue_says_its_true_value(slip):
    """Said as the rule in symbols: on a local ask (or with every other factor 1) its value is the answer."""
    assert "{truth}" not in slip.en + slip.zh
