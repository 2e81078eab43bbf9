"""`- iterate: {steps, until, max, times, manual, table}`: the same steps again until a stop rule holds,
or a fixed number of `times`."""

from pydantic import Field

from gradquest.levels import kinds
from gradquest.levels.common import Shown, StepCommon, Strict, Text, expr_of
from gradquest.levels.kinds.kind import Kind


class StopRule(Strict):
    expr: str
    below: float


class IterateSpec(Strict):
    steps: list["Step"] = Field(min_length=1)  # noqa: F821 (every kind: schema.py rebuilds this model with its Step)
    until: StopRule | None = Field(None, description="stop once |expr| < below (or give `times`)")
    max: int = Field(50, ge=1, le=10_000, description="at most this many iterations under `until`")
    times: int | None = Field(None, ge=1, le=10_000, description="exactly this many iterations, no stop rule")
    manual: int = Field(1, ge=0, description="iterations the player does by hand; the rest play themselves")
    table: list[Shown] = Field(default_factory=list, description="the quantities shown per iteration")

    @property
    def rounds(self) -> int:
        """How many iterations at most: `times`, or `max` under a stop rule."""
        return self.times or self.max


class Iterate(StepCommon):
    iterate: IterateSpec
    say: Text | None = None


class IterateKind(Kind):
    """Steps repeated until `until` holds (or exactly `times` times): the first `manual` iterations by
    hand, the rest by the game, a row of `table` each."""
    key, model = "iterate", Iterate

    def check(self, step, c, path, scope):
        spec, at = step.iterate, path + ("iterate",)
        inner = set(scope)
        c.steps(spec.steps, at + ("steps",), inner)
        if (spec.until is None) == (spec.times is None):
            c.error(at, "give either `until` (a stop rule) or `times` (a fixed number of iterations)",
                    "`until: {expr: …, below: …}` to stop when it holds, `times: 19` to take 19 iterations")
        elif spec.times is not None and "max" in spec.model_fields_set:
            c.error(at + ("max",), "`max` goes with `until`; `times` already says how many iterations",
                    "remove `max`")
        if spec.until is not None:
            c.expr(at + ("until", "expr"), spec.until.expr, inner)
        for j, item in enumerate(spec.table):
            c.expr(c.shown_at(at + ("table", j), item), expr_of(item), inner)
        scope |= inner  # the last iteration's answers stay known

    def inner_steps(self, step):
        return list(step.iterate.steps)

    def table(self, step):
        return list(step.iterate.table)

    def changes(self, step, params):
        return set().union(*(kinds.kind_of(s).changes(s, params) for s in step.iterate.steps))

    def restores(self, step):
        return any(kinds.kind_of(s).restores(s) for s in step.iterate.steps)

    def run(self, step, session, index, iteration):
        yield from session.iterate(step, index)


KIND = IterateKind()
