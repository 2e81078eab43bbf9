"""`- iterate: {steps, until, max, manual, table}`: the same steps again until a stop rule holds."""

from gradquest.levels import kinds
from gradquest.levels.kinds.kind import Kind
from gradquest.levels.schema import Iterate, expr_of


class IterateKind(Kind):
    """Steps repeated until `until` holds: the first `manual` iterations by hand, the rest by the game,
    a row of `table` each."""
    key, model = "iterate", Iterate

    def check(self, step, c, path, scope):
        spec, at = step.iterate, path + ("iterate",)
        inner = set(scope)
        c.steps(spec.steps, at + ("steps",), inner)
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
