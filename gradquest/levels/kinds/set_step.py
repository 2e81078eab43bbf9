"""`- set: {w: "w - dw"}`: parameters moved by the level (to an expression or a number)."""

from gradquest.engine.parser import names, parse
from gradquest.levels.common import StepCommon, Text
from gradquest.levels.kinds.kind import Kind


class Set(StepCommon):
    """Change parameters (and recompute the model): `set: {w: "w - dw"}`, or to a number: `set: {w: 4}`."""
    set: dict[str, str | float]
    say: Text | None = None


class SetKind(Kind):
    """Parameters set by the level, the model recomputed; it may say something as it does."""
    key, model = "set", Set

    def check(self, step, c, path, scope):
        for name, text in step.set.items():
            c.ref(path + ("set", name), name, c.params, "parameter")
            c.expr(path + ("set", name), str(text), scope)

    def changes(self, step, params):
        return set(step.set)

    def restores(self, step):
        return any(not names(parse(str(v), max_length=2000), constants=True) for v in step.set.values())

    def run(self, step, session, index, iteration):
        if not step.say:
            session.apply_set(step)
            return
        said = session.apply_set(step, log=False)  # the words first ("Back to the start."), then what changed
        yield from session.narrate(step.say, index)
        session.log.extend(said)

    def autoplay(self, step, session):
        session.apply_set(step)


KIND = SetKind()
