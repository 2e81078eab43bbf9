"""`- vector: [z, w, 1]`: a few numbers typed at once, each an expression of the model."""

import numpy as np
from pydantic import Field, field_validator

from gradquest.levels.common import AskCommon
from gradquest.levels.kinds.kind import AskKind


class Vector(AskCommon):
    vector: list[str] = Field(min_length=2, max_length=16)

    @field_validator("vector", mode="before")
    @classmethod
    def _numbers_are_expressions(cls, value):
        """`vector: [z, w, 1]`: a plain number is an expression too."""
        if isinstance(value, list):
            return [str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in value]
        return value


class VectorKind(AskKind):
    """A short vector: its entries are expressions, typed in one line."""
    key, model, asks = "vector", Vector, "value"

    def check_ask(self, step, c, path, scope):
        for j, text in enumerate(step.vector):
            c.expr(path + ("vector", j), text, scope)

    def asked_expressions(self, step):
        return list(step.vector)

    def expected(self, step, world, player=False):
        return np.array([float(world.evaluate(e, player)) for e in step.vector])

    def prompt(self, step, world, lang, g):
        level = world.level
        return g.say("prompt.value", lang,
                     name="(" + ", ".join(g.pretty(g.in_words(level, e, lang)) for e in step.vector) + ")")


KIND = VectorKind()
