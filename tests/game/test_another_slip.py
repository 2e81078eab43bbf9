"""When two slips give the same number, the second is named once, as part of the sentence, and only
when it is another mistake, not the same one in other words (ch5play, problem 13)."""

import pytest

from gradquest.game.graph_slips import also_possible
from tests.game.test_learner_slips import at_ask


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("typed, code", [("6", "other_factor"), ("-4", "no_upstream")])
def test_the_same_mistake_is_not_told_twice(typed, code, lang):
    """5.27 ∂g/∂x = −8: 6 is x for y (the product's other factor, or the slip mul_same_factor);
    −4 leaves out the 2 arriving (no_upstream, or factor_dropped along x·y → s → g)."""
    s = at_ask("27-gate-patterns.yaml", 11, lang)
    assert s.stage.prompt == "∂g/∂x = ?"
    v = s.submit(typed)
    assert v.diagnosis == code
    assert "Another slip" not in v.message and "另一种错误" not in v.message, v.message


def test_another_slip_goes_on_the_sentence_in_lower_case():
    v = at_ask("28-sigmoid-gate.yaml", 1).submit("4")  # n = w0·x0 + w1·x1 + w2: w0 + x0 for w0·x0, or w2 left out
    assert v.diagnosis == "plus_for_times"
    assert "Another slip gives the same number: you left out the term w2 of" in v.message
    assert also_possible("A.", "W is used twice.", "en") == "A. Another slip gives the same number: W is used twice."
    assert also_possible("甲。", "你漏掉了 w2。", "zh") == "甲。另一种错误也会得到这个数：你漏掉了 w2。"
