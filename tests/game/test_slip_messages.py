"""Every slip's message is true of the wrong answer it names: it quotes that answer's number, and
each sum or product it writes out (2 + 9 = 11) recomputes to the number it states."""

import re

import numpy as np
import pytest

from gradquest.engine.explain import number
from gradquest.game.diagnose import candidates, mistake_message
from gradquest.game.session import LevelSession
from gradquest.game.graph_slips import CODES
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level

LEVELS = sorted(p for p in bundled_levels_dir().glob("*/*.yaml") if p.name != "chapter.yaml")
NUM = r"\(?−?\d+(?:\.\d+)?(?:e−?\d+)?\)?"
CLAIM = re.compile(rf"(?<![\w^/.])({NUM}(?:\s*[+·]\s*{NUM})+) = (−?\d+(?:\.\d+)?(?:e−?\d+)?)(?![\w^(])")


def _float(text: str) -> float:
    return float(text.replace("−", "-").strip("()"))


def claims(message: str):
    """(what the message computes, the number it says that comes to) for each written-out sum or product."""
    for left, right in CLAIM.findall(message):
        total = 0.0
        for term in re.split(r"\s*\+\s*", left):
            product = 1.0
            for f in term.split("·"):
                product *= _float(f)
            total += product
        yield total, _float(right)


def every_slip(path, lang):
    s = LevelSession(load_level(path).level, lang=lang)
    while s.stage is not None and s.stage.kind != "done":
        if s.stage.kind == "ask":
            for c in candidates(s.stage.source, s.world, s.stage.expected, lang):
                if c.code in CODES or "say" in c.fields:  # a slip, or other_factor said with its upstream
                    yield s.stage.prompt, c.value, mistake_message(c, s.world, lang)
        s.submit(s.stage.solution)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", LEVELS, ids=lambda p: p.stem)
def test_every_slip_message_is_true_of_its_number(path, lang):
    checked = 0
    for prompt, value, message in every_slip(path, lang):
        assert number(np.asarray(value, dtype=float)) in message, (prompt, message)
        for computed, stated in claims(message):
            assert np.isclose(computed, stated, rtol=2e-5, atol=1e-6), (prompt, message)
            checked += 1
    if path.stem.startswith(("06", "10")):
        assert checked > 0  # the claims are found where the levels write them out


def test_a_claim_that_does_not_add_up_is_caught():
    assert [np.isclose(a, b) for a, b in claims("You added the local derivatives, 2 + 9 = 12: …")] == [False]
    assert [np.isclose(a, b) for a, b in claims("(−2)·2 = −4 and −3 + 1 + (−2) = −4")] == [True, True]
