"""The pieces the level format's models share: texts in two languages, random numbers, conditions,
shown expressions, and what every step and every ask may have. `schema.py` is the format; each step
kind's model is in its module in `kinds/`."""

from __future__ import annotations

import math
import re
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gradquest.engine.array_slips import NAMES as ARRAY_NAMES
from gradquest.engine.slips import COMPOSED, NAMES

NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


LEVEL_ID = r"^[a-z0-9][a-z0-9._-]*$"


NUMBER_SLOT = re.compile(r"\{\{(.+?)\}\}")  # {{expr}} in a text: the engine's value at that moment


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class I18n(Strict):
    """A text in English and, for bundled levels, Chinese."""
    en: str
    zh: str | None = None


Text = Union[str, I18n]


def text(value: Text | None, lang: str = "en") -> str:
    """The text in `lang`, falling back to English."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return (value.zh if lang == "zh" and value.zh else value.en) or ""


class Between(Strict):
    """A random number drawn for each play: `{between: [1, 5], integer: true}`."""
    between: tuple[float, float]
    integer: bool = False

    @model_validator(mode="after")
    def _ordered(self):
        lo, hi = self.between
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError("between: both bounds must be finite numbers")
        if lo > hi:
            raise ValueError("between: the first bound must not exceed the second")
        if self.integer and max(abs(lo), abs(hi)) > 2**53:
            raise ValueError("between: whole numbers beyond ±9,007,199,254,740,992 cannot be drawn exactly")
        if self.integer and math.ceil(lo) > math.floor(hi):
            raise ValueError(f"between: no whole number lies between {lo:g} and {hi:g}")
        return self


class Choice(Strict):
    """A random pick from a list: `{choice: [1, 2, 4]}`."""
    choice: list[float] = Field(min_length=1)


Number = Union[float, Between, Choice]


class Require(Strict):
    """A condition on a randomised model, checked at the initial values: `{expr, min, max}`."""
    expr: str
    min: float | None = None
    max: float | None = None


class Labelled(Strict):
    """An expression a plot or a table shows, with the words a player reads for it."""
    expr: str
    label: Text


Shown = Union[str, Labelled]


def expr_of(item: Shown) -> str:
    return item if isinstance(item, str) else item.expr


class Tolerance(Strict):
    """An answer a is accepted when |a − x| ≤ max(rel·|x|, abs). The default 0.1 % accepts any
    answer given to four significant figures (docs/authoring.md §3.1)."""
    rel: float = Field(1e-3, ge=0)
    abs: float = Field(1e-6, ge=0)


class Misconception(Strict):
    """A wrong answer the author foresaw: an expression giving its value, or a named rule."""
    expr: str | None = None
    rule: Literal["sign", "one_path", "no_upstream", "overwrite", "no_lr", "ascent", "step_only", "unchanged",
                  "other_factor", "no_local", "output_for_input", "mean", "factor", "log_base", "degrees"] | None = None
    feedback: Text

    @model_validator(mode="after")
    def _one(self):
        if (self.expr is None) == (self.rule is None):
            raise ValueError("give exactly one of expr or rule")
        return self


class StepCommon(Strict):
    """What every step may have: an `id` that tests name it by (`at: my-step`)."""
    id: str | None = Field(None, pattern=LEVEL_ID, description="a name for the step, for tests' `at:`")


DIAGNOSES = ("misconception", "precision", "one_path", "overwrite", "no_upstream", "no_lr", "ascent", "step_only",
             "unchanged", "other_factor", "no_local", "output_for_input", "mean", "factor", "log_base", "degrees", "previous",
             "swapped", "entries", "transposed", "wrong_shape", "no_velocity", "common_factor",
             "sign", "magnitude", "too_big", "too_small", "guess_high", "guess_low", "choose", "order", "match",
             "train") + COMPOSED + NAMES + tuple(n for n in ARRAY_NAMES if n not in NAMES)
# the slips: composed along the graph, each op's wrong local rules, and the array ops' wrong rules


class AskCommon(StepCommon):
    prompt: Text | None = None
    hints: list[Text] = Field(default_factory=list)
    misconceptions: list[Misconception] = Field(default_factory=list)
    tolerance: Tolerance | None = None
    explain: Text | None = None
    name: str | None = Field(None, pattern=NAME, description="keep the player's answer under this name")
    given: bool = Field(False, description="the answer may already be on the screen (check's leak rule allows it)")
    auto: bool = Field(False, description="the game works this out and shows it: for a computation the player has done by hand twice")
    slips_off: list[Literal[DIAGNOSES]] = Field(default_factory=list, description="diagnoses never given at this ask "
                                                "(a slip whose number is right for another reason here)")


class OptimizerSpec(Strict):
    kind: Literal["sgd", "momentum", "nesterov", "adam", "heavyball", "newton"] = "sgd"
    lr: float = Field(0.1, gt=0)
    momentum: float = Field(0.9, ge=0, lt=1)
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = Field(1e-8, gt=0)
    weight_decay: float = Field(0.0, ge=0)
