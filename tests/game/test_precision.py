"""Checking that teaches precision: the default 0.1 % rejects a round number for 150.218, an
answer rounded too far is told how many figures to give and uses no attempt, and the player's
own rounded earlier answers still carry them through."""

import pytest

from gradquest.game.answers import DEFAULT_TOLERANCE, close
from gradquest.game.precision import figures_needed, too_few_figures
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level
from gradquest.levels.schema import Forward


def bundled(name: str):
    return load_level(next(bundled_levels_dir().glob(f"*/{name}"))).level


def play_to_forward(session: LevelSession, node: str) -> None:
    while not (isinstance(session.stage.source, Forward) and session.stage.source.forward == node):
        session.submit(session.stage.solution)


@pytest.mark.parametrize("name", ["09-two-paths-b.yaml", "10-both-at-once.yaml"])
def test_150_is_not_accepted_for_z_after_the_first_update(name):
    s = LevelSession(bundled(name))
    play_to_forward(s, "z")
    assert abs(s.stage.expected - 150) > 0.1  # 152.469 in 2.7, 151.725 in 2.8
    before = s.attempts
    v = s.submit("150")
    assert v.status == "invalid" and v.diagnosis == "precision"
    assert v.message == "Right idea — give at least 4 significant figures (no attempt used)."
    assert s.attempts == before and s.stage.kind == "ask"
    assert s.submit(f"{s.stage.expected:.4g}").status == "correct"


def test_the_player_s_own_rounded_answer_carries_through():
    s = LevelSession(bundled("09-two-paths-b.yaml"))
    while "0.64" not in s.stage.solution:  # Δb = 34/53 = 0.641509
        s.submit(s.stage.solution)
    assert s.submit("0.64").diagnosis == "precision"  # 2 figures are too few
    assert s.submit("0.6415").status == "correct"
    play_to_forward(s, "z")
    assert s.submit("152.5").status == "correct"  # 152.469 to four figures
    s.advance()
    assert "factor stays" in s.stage.prompt  # Δb = (150 − z) / factor, a small difference
    assert not close(-2.5 / 53, s.stage.expected)  # 1 % off the engine's Δb…
    v = s.submit("-2.5/53")
    assert v.status == "correct" and "your own earlier numbers" in v.message  # …but right from z = 152.5


def test_figures_needed_and_rounded_too_far():
    assert figures_needed(150.218, DEFAULT_TOLERANCE) == 4
    assert too_few_figures(150, 150.218) == 4
    assert too_few_figures(150.2, 150.218) is None  # accepted: nothing to say
    assert too_few_figures(200, 150.218) is None  # one figure is not the right idea
    assert too_few_figures(151, 150.218) is None  # not a rounding of it
    assert too_few_figures([0.9, 6.0], [0.9046, 6.0]) == 3  # per entry: the other one is right
