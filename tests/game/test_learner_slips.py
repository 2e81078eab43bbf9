"""Wrong answers learners really type, one per ask kind of every bundled level (where the game
has a slip for it), each named by its slip (issue 21)."""

import pytest

from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level


def at_ask(name: str, n: int, lang: str = "en") -> LevelSession:
    """A bundled level, as a player meets it, played with the engine's answers up to its n-th ask."""
    s = LevelSession(load_level(next(bundled_levels_dir().glob(f"*/{name}"))).level, lang=lang)
    seen = 0
    while True:
        if s.stage.kind == "ask":
            seen += 1
            if seen == n:
                return s
        s.submit(s.stage.solution)


# (level, its n-th ask, how the prompt starts, what the learner types, the slip's name)
SLIPS = [
    ('02-black-box.yaml', 1, 'At t = 1 the box answers 2.1', '-2.7', 'term_dropped'),  # ask
    ('03-target-practice.yaml', 1, 'How far from the centre did ', '6.5', 'term_dropped'),  # ask
    ('06-cracking-the-black-box.yaml', 1, 'Sample 1: x = 1, y = 2.21. T', '0.79', 'plus_for_times'),  # forward
    ('06-cracking-the-black-box.yaml', 3, 'How fast does the loss chang', '5.9185', 'sum_for_product'),  # gradient
    ('06-cracking-the-black-box.yaml', 4, 'One step of gradient descent with learning r', '0.859875', 'square_two'),  # update
    ('08-linear-chain-w.yaml', 7, 'Δw is the change of w, new w − old w (so w ← w + Δw)', '8.333333', 'term_dropped'),  # ask
    ('08-linear-chain-w.yaml', 1, 'x = ?', '13', 'plus_for_times'),  # forward
    ('08-linear-chain-w.yaml', 6, '∂z/∂w = ?', '11', 'sum_for_product'),  # gradient
    ('08-linear-chain-w.yaml', 5, '∂x/∂w = ?   (the local deriv', '5', 'mul_sum_of_factors'),  # local
    ('09-two-paths-b.yaml', 6, 'The factor stays at 53. z = ', '0.6415094', 'old_point'),  # ask
    ('09-two-paths-b.yaml', 5, 'z = ?', '25.70755', 'plus_for_times'),  # forward
    ('09-two-paths-b.yaml', 3, '∂z/∂b = ?', '27.5', 'sum_for_product'),  # gradient
    ('09-two-paths-b.yaml', 1, '∂x/∂b = ?   (the local deriv', '6.5', 'mul_sum_of_factors'),  # local
    ('10-both-at-once.yaml', 8, 'Δz = 150 − z = −1.72458. Δw', '1.1071429', 'old_point'),  # ask
    ('10-both-at-once.yaml', 6, 'z = ?', '27.623377', 'plus_for_times'),  # forward
    ('10-both-at-once.yaml', 1, '∂z/∂w = ?', '9', 'sum_for_product'),  # gradient
    ('10-both-at-once.yaml', 7, 'The new rates at w = 5.10714', '(14, 55)', 'old_point'),  # vector
    ('11-nonlinear-chain.yaml', 5, 'The fifth person: Δc = y − c', '2.13', 'term_dropped'),  # ask
    ('11-nonlinear-chain.yaml', 2, 'a = ?', '2', 'function_forgotten'),  # forward
    ('11-nonlinear-chain.yaml', 10, 'Now real backprop at the las', '19.55693', 'sum_for_product'),  # gradient
    ('12-manual-backprop.yaml', 11, 'Check ∂L/∂f numerically: (L(', '0', 'term_dropped'),  # ask
    ('12-manual-backprop.yaml', 1, 'e = ?', '-1', 'plus_for_times'),  # forward
    ('12-manual-backprop.yaml', 4, '∂L/∂L = ?', '0', 'seed_zero'),  # gradient
    ('13-partial-derivatives.yaml', 11, 'What the partials are for: b', '15.13', 'plus_for_times'),  # ask
    ('13-partial-derivatives.yaml', 1, 'v = ?', '9', 'plus_for_times'),  # forward
    ('13-partial-derivatives.yaml', 8, '∂J/∂a = ?', '4', 'sum_for_product'),  # gradient
    ('13-partial-derivatives.yaml', 4, '∂J/∂u = ?   (the local deriv', '29', 'mul_sum_of_factors'),  # local
    ('13-partial-derivatives.yaml', 12, 'The whole gradient at the ne', '(3, 12, 15)', 'old_point'),  # vector
    ('15-a-neuron.yaml', 15, '∂o2/∂n = ∂o2/∂e · ∂e/∂n = ? ', '10.42877', 'plus_for_times'),  # ask
    ('15-a-neuron.yaml', 1, 'x1w1 = ?', '-1', 'plus_for_times'),  # forward
    ('15-a-neuron.yaml', 7, '∂o/∂b = ?', '1.549913', 'sum_for_product'),  # gradient
    ('15-a-neuron.yaml', 6, '∂o/∂n = ?   (the derivative ', '0.4500871', 'tanh_squared'),  # local
    ('16-used-twice.yaml', 1, 'b = ?', '3', 'term_dropped'),  # forward
    ('17-checking-gradients.yaml', 2, 'The one-sided difference (f(', '0', 'term_dropped'),  # ask
    ('17-checking-gradients.yaml', 1, 'First the exact answer, by t', '24', 'pow_not_lowered'),  # gradient
    ('17-checking-gradients.yaml', 6, 'With h = 0.05: (one-sided − ', '(3.25, 0.25)', 'old_point'),  # vector
    ('18-two-layer-sigmoid.yaml', 1, 'z = ?', '2', 'plus_for_times'),  # forward
    ('18-two-layer-sigmoid.yaml', 6, '∂L/∂w2 = ?', '0.367378', 'sum_for_product'),  # gradient
    ('18-two-layer-sigmoid.yaml', 9, '∂h/∂z = σ′(z) = ?', '0.3874556', 'sigmoid_squared'),  # local
    ('04-slope-derivative.yaml', 6, 'As Δx → 0 the secant becomes', '1.5', 'square_two'),  # ask
    ('04-slope-derivative.yaml', 2, 'B is Δx = 1 further on. fB =', '1', 'term_dropped'),  # forward
    ('05-one-variable.yaml', 6, 'Every step multiplies x by t', '0.7', 'square_two'),  # ask
    ('05-one-variable.yaml', 1, 'Where you start: J(x) at x =', '1.2', 'function_forgotten'),  # forward
    ('05-one-variable.yaml', 2, 'The slope there, J′(x), also wr', '2.88', 'pow_not_lowered'),  # gradient
    ('05-one-variable.yaml', 3, 'One step: x − η·J′(x) with η', '0.84', 'square_two'),  # update
    ('19-two-variables.yaml', 2, 'The height where you stand: ', '0.7080734', 'term_dropped'),  # forward
    ('19-two-variables.yaml', 3, 'The slope in the y direction', '2.223244', 'sum_for_product'),  # gradient
    ('19-two-variables.yaml', 5, 'The new point (x, y) − η·∇J ', '(2.7, 0.9545351)', 'square_two'),  # update
    ('19-two-variables.yaml', 4, 'At (x, y) = (3, 1): the grad', '(3, 0.4546487)', 'square_two'),  # vector
    ('20-direction-gradient.yaml', 2, 'θ = 0°, straight along the x', '1', 'square_two'),  # ask
    ('20-direction-gradient.yaml', 1, 'The gradient ∇f = (∂f/∂x, ∂f', '(1, 1)', 'square_two'),  # vector
    ('21-learning-rate.yaml', 1, 'One step: x ← x − η·∂f/∂x = ', '1', 'term_dropped'),  # ask
    ('21-learning-rate.yaml', 2, 'From (4, 4) with η = 0.8: th', '(0.8, 0.8)', 'square_two'),  # vector
    ('22-momentum.yaml', 2, 'The ball is at rest, v = 0. ', '-0.4', 'square_two'),  # ask
    ('22-momentum.yaml', 1, 'Step 1. The slope under the ', '32', 'pow_not_lowered'),  # gradient
    ('23-newton.yaml', 10, 'f was 1.84405 at the start. ', '0', 'old_point'),  # ask
    ('23-newton.yaml', 6, 'How high are we? f = sin x +', '3.069054', 'plus_for_times'),  # forward
    ('23-newton.yaml', 1, 'First the slope. The gradien', '(1, 0.5)', 'square_two'),  # vector
    ('24-adam.yaml', 1, 'Step t = 1. The gradient g =', '(-0.008073418, 0.22944)', 'square_two'),  # vector
    ('14-activation-functions.yaml', 11, "The slope of the softmax's f", '0.006737038', 'old_point'),  # ask
    ('14-activation-functions.yaml', 9, 'Z = ?', '1.367879', 'term_dropped'),  # forward
    ('14-activation-functions.yaml', 2, 'The slope of the sigmoid at ', '0.5344466', 'sigmoid_squared'),  # local
    ('25-linear-regression.yaml', 4, 'One step of gradient descent', '(1.0102, 0.018)', 'square_two'),  # update
    ('26-the-moons.yaml', 1, 's = ?', '1.2', 'plus_for_times'),  # forward
    ('26-the-moons.yaml', 3, 'How does this loss change wi', '0', 'sum_for_product'),  # gradient
    ('26-the-moons.yaml', 6, 'The learning rate at the fir', '0.84994', 'square_two'),  # update
]


@pytest.mark.parametrize("name, n, prompt, typed, code", SLIPS, ids=[f"{s[0][:2]}-{s[1]}-{s[4]}" for s in SLIPS])
def test_a_learner_s_slip_is_named(name, n, prompt, typed, code):
    s = at_ask(name, n)
    assert s.stage.prompt.startswith(prompt)
    v = s.submit(typed)
    assert (v.status, v.diagnosis) == ("wrong", code), v.message


def test_the_local_derivatives_added_instead_of_multiplied():
    v = at_ask("08-linear-chain-w.yaml", 6).submit("11")  # ∂z/∂w as 2 + 9
    assert v.diagnosis == "sum_for_product"
    assert v.message == "You added the local derivatives, 2 + 9 = 11: the chain rule multiplies them, ∂x/∂w·∂z/∂x."
    assert at_ask("08-linear-chain-w.yaml", 6, "zh").submit("11").message == \
        "你把局部导数加了起来：2 + 9 = 11。链式法则是把它们相乘：∂x/∂w·∂z/∂x。"


def test_the_wrong_operation_forward():
    v = at_ask("08-linear-chain-w.yaml", 3).submit("27")  # z = x + y where z = x·y
    assert v.diagnosis == "plus_for_times" and "x + y in place of x·y" in v.message and "27" in v.message


def test_the_seed_of_backprop_taken_as_zero():
    v = at_ask("12-manual-backprop.yaml", 4).submit("0")
    assert v.diagnosis == "seed_zero" and "it is not 0" in v.message


def test_sigma_squared_for_sigma_one_minus_sigma():
    v = at_ask("18-two-layer-sigmoid.yaml", 9).submit("0.3874556")
    assert v.diagnosis == "sigmoid_squared"
    assert v.message == "You used σ² = 0.387456: the rule is σ(1 − σ)."


def test_a_burst_s_hits_summed_instead_of_averaged_is_named_once():
    s = at_ask("03-target-practice.yaml", 3)
    assert s.stage.prompt.startswith("The burst's mean error")
    v = s.submit("(6.1, 5.2)")
    assert v.diagnosis == "mean" and v.message == "That is the sum, not the mean: divide by 3."


def test_the_2_of_a_square_forgotten_in_a_step():
    s = at_ask("21-learning-rate.yaml", 2)
    assert s.stage.prompt.startswith("From (4, 4)")
    v = s.submit("(0.8, 0.8)")
    assert v.diagnosis == "square_two" and "(0.8, 0.8)" in v.message


def test_the_old_point_s_gradient_reused():
    v = at_ask("13-partial-derivatives.yaml", 12).submit("(3, 12, 15)")
    assert v.diagnosis == "old_point" and "(3, 12, 15)" in v.message


def test_upstream_times_the_same_factor_is_said_as_it_is():
    """−4 for ∂L/∂a = (−2)·b with a = 2 is (−2)·a, not a itself."""
    v = at_ask("12-manual-backprop.yaml", 9).submit("-4")
    assert v.diagnosis == "other_factor"
    assert "That is a itself" not in v.message and "(−2)·2 = −4" in v.message
    assert "Another slip gives the same number: you added the local derivatives, −3 + 1 + (−2) = −4" in v.message


def test_the_transcript_keeps_the_slip_s_name():
    s = at_ask("08-linear-chain-w.yaml", 6)
    s.submit("11")
    assert (s.transcript[-1].kind, s.transcript[-1].diagnosis) == ("answer", "sum_for_product")


def test_a_level_s_own_test_can_assert_which_slip_fires():
    from gradquest.author.playtest import playtest
    from gradquest.levels.schema import Level

    def level(code):
        return Level.model_validate({
            "format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1,
            "model": {"params": {"w": 3, "b": 4}, "nodes": {"x": "2*w + 3*b", "y": "2*b + 1", "z": "x*y"}},
            "steps": [{"gradient": "w"}],
            "tests": [{"name": "the chain rule's slip", "inputs": [{"input": "2 + 9", "verdict": "wrong",
                                                                    "diagnosis": code}]}]})
    assert playtest(level("sum_for_product")).passed
    failed = playtest(level("tanh_squared"))
    assert not failed.passed and "got 'sum_for_product'" in failed.failures[0]


def test_a_vector_with_the_same_slip_in_every_entry_is_named_once():
    v = at_ask("13-partial-derivatives.yaml", 12).submit("(4, 9, 8)")  # each entry's local derivatives added
    assert v.diagnosis == "sum_for_product"
    assert v.message.startswith("Entry by entry, that is (4, 9, 8): You added the local derivatives, 1 + 3 = 4")


def test_the_decimal_point_is_named_only_when_the_digits_match():
    s = at_ask("26-the-moons.yaml", 8)  # the network's parameter count, 337
    assert s.stage.expected == 337
    assert s.submit("33").diagnosis != "magnitude"  # 33 is not 337 with its point moved
    assert s.submit("33.7").diagnosis == "magnitude"


def test_a_lone_digit_twice_the_answer_is_no_constant_factor():
    s = at_ask("20-direction-gradient.yaml", 2)  # D_u f along the x axis = 2
    v = s.submit("4")
    assert v.diagnosis != "factor" and "check the 2" not in v.message
    assert "check the 2" not in at_ask("20-direction-gradient.yaml", 1).submit("(4, 4)").message


def test_the_buffer_times_the_learning_rate_is_named_not_the_decimal_point():
    s = at_ask("22-momentum.yaml", 7)  # PyTorch's buffer, 13.6
    v = s.submit("1.36")
    assert v.diagnosis == "misconception" and "learning rate" in v.message
