"""`- guess: {secret, style, bands}`: guess a number with feedback (too high, close, …)."""

import math
from typing import Literal

from pydantic import Field

from gradquest.levels.common import Between, Number, StepCommon, Strict, Text
from gradquest.levels.kinds.kind import Kind


class Vague(Strict):
    """A feedback band for guesses: said when the guess − secret is within [min, max)."""
    min: float | None = None
    max: float | None = None
    say: Text


class GuessSpec(Strict):
    secret: Number | str = Field(description="a number, a random draw, or an expression of the model (e.g. `w*2`)")
    style: Literal["vague", "signed", "quantitative"] = "vague"
    bands: list[Vague] = Field(default_factory=list)
    within: float = Field(0.0, ge=0)
    tries: int = Field(12, ge=1, le=100)


class Guess(StepCommon):
    guess: GuessSpec
    prompt: Text | None = None
    hints: list[Text] = Field(default_factory=list)


def _num(x: float) -> str:
    return "−∞" if x == -math.inf else "∞" if x == math.inf else f"{x:g}"


def check_bands(c, at, spec) -> None:
    """A secret the player can hit, and feedback bands that cover every miss once."""
    secret = spec.secret
    if isinstance(secret, Between) and not secret.integer and spec.within == 0:
        c.error(at + ("secret",), "a secret drawn from a continuous range can never be typed exactly",
                "add `within:` (how close a guess must be), or `integer: true`")
    if not spec.bands:
        return
    bands = sorted(enumerate(spec.bands), key=lambda b: -math.inf if b[1].min is None else b[1].min)
    reach = -math.inf
    for j, band in bands:
        lo = -math.inf if band.min is None else band.min
        hi = math.inf if band.max is None else band.max
        if lo > reach and not (reach >= -spec.within and lo <= spec.within):
            c.error(at + ("bands", j), f"no band says anything for a guess − secret between {_num(reach)} "
                                    f"and {_num(lo)}", "make the bands meet: each min the max of another")
        elif lo < reach:
            c.error(at + ("bands", j), f"this band overlaps another between {_num(lo)} and {_num(min(reach, hi))}: "
                                    "only the first one listed is ever said", "make the bands meet without overlapping")
        reach = max(reach, hi)
    if reach < math.inf:
        c.error(at + ("bands",), f"no band says anything for a guess − secret of {_num(reach)} or more",
                "leave out the last band's max")


class GuessKind(Kind):
    """A secret number found by guessing, each guess answered by its feedback band."""
    key, model = "guess", Guess

    def check(self, step, c, path, scope):
        check_bands(c, path + ("guess",), step.guess)
        if isinstance(step.guess.secret, str):
            c.expr(path + ("guess", "secret"), step.guess.secret, scope)

    def texts(self, step, path):
        return [(path + ("guess", "bands", j, "say"), b.say) for j, b in enumerate(step.guess.bands)]

    def run(self, step, session, index, iteration):
        yield from session.guess(step, index)


KIND = GuessKind()
