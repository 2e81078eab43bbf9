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

    def hints(self, step, world, lang, g):
        """For entries that are gradients (`[ds_dw1, ds_dw2]`): each one's chain rule, without numbers."""
        each = []
        for entry in step.vector:
            if (split := g.gradient_name(entry, world.named)) is None:
                continue
            out, x = split
            formula, _ = g.chain(x, out, world, lang)
            said = f"∂{g.term(world.level, out, lang)}/∂{g.term(world.level, x, lang)}"
            if formula != said:  # fed straight to the output: the chain rule says nothing
                each.append(f"{said} = {formula}")
        return [g.say("hint.vector.chain", lang, each=("；" if lang == "zh" else "; ").join(each))] if each else []


KIND = VectorKind()
