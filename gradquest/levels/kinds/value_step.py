"""`- value: (z - 150) / dz_dw`: any number the engine can compute from the model."""

from gradquest.levels.common import AskCommon
from gradquest.levels.kinds.kind import AskKind


class Ask(AskCommon):
    """Any number the engine can compute from the model: `value: (z - 150) / dz_dw`."""
    value: str


class ValueKind(AskKind):
    """The value of an expression of the model (and of the player's named answers)."""
    key, model, asks = "value", Ask, "value"

    def check_ask(self, step, c, path, scope):
        c.expr(path + ("value",), step.value, scope)

    def asked_value(self, step):
        return step.value

    def asked_expressions(self, step):
        return [step.value]

    def expected(self, step, world, player=False):
        return world.evaluate(step.value, player)


KIND = ValueKind()
