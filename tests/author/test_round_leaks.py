"""A hand-sized level's round answers leak where the screen states them by name, and only there."""

from pathlib import Path

import yaml

from gradquest.author.lint import lint
from gradquest.levels.schema import Level

BROKEN = Path(__file__).with_name("broken") / "hand-sized-leak.yaml"


def findings(text: str) -> list[str]:
    return [f.message for f in lint(Level.model_validate(yaml.safe_load(text))) if "read on the screen" in f.message]


def test_a_round_answer_stated_by_name_leaks_in_a_hand_sized_level_only():
    text = BROKEN.read_text(encoding="utf-8")
    found = findings(text)
    assert any('−1 stated as "z1 = (−1, 2)"' in f for f in found)
    assert any('−0.5 stated as "net ≈ −0.5"' in f for f in found)
    assert any('0.75 stated as "∂L/∂W1 = [[0, 0], [0.75, 1.5]]"' in f for f in found)
    assert findings(text.replace("hand_sized: true", "hand_sized: false")) == []  # digits alone: round, no leak


def test_the_same_digits_not_naming_the_asked_quantity_are_no_leak():
    text = BROKEN.read_text(encoding="utf-8").replace(
        "Spoilers: z1 = (−1, 2), net ≈ −0.5 and ∂L/∂W1 = [[0, 0], [0.75, 1.5]]", "x = (1, 2), y = −0.5 and −1, 0.75, 1.5")
    assert findings(text) == []
