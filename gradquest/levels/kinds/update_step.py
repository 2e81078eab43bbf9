"""`- update: w` (or a list): the parameters' new values after one optimiser step on the output."""

import numpy as np
from pydantic import Field

from gradquest.levels.common import AskCommon, OptimizerSpec
from gradquest.levels.kinds.kind import AskKind


class Update(AskCommon):
    """The new value of a parameter (or, with a list, of several at once) after one optimiser
    step on the output."""
    update: str | list[str]
    optimizer: OptimizerSpec = Field(default_factory=OptimizerSpec)


def update_names(step: Update) -> list[str]:
    return [step.update] if isinstance(step.update, str) else list(step.update)


class UpdateKind(AskKind):
    """One optimiser step: the new value of a parameter, or of several at once."""
    key, model, asks, changes_later = "update", Update, "update", True

    def check_ask(self, step, c, path, scope):
        if isinstance(step.update, str):
            c.ref(path + ("update",), step.update, c.params, "parameter")
        for j, name in enumerate(step.update if isinstance(step.update, list) else []):
            c.ref(path + ("update", j), name, c.params, "parameter")
        if c.no_output:
            c.error(path + ("update",), "an update descends the model's output, and it has no nodes",
                    "add nodes to the model")

    def shown_names(self, step, output):
        return [(("update",), output)]

    def asked_node(self, step):
        return step.update if isinstance(step.update, str) else None

    def lit(self, step):
        return ("node", step.update, None) if isinstance(step.update, str) else None

    def changes(self, step, params):
        return set(update_names(step))

    def expected(self, step, world, player=False):
        with world.player_values(player):
            new = world.optimizer_step(update_names(step), step.optimizer)
            if isinstance(step.update, str):
                return new if np.ndim(world.params[step.update].data) else float(new[0])
            return new

    def prompt(self, step, world, lang, g):
        names = [g.shown(world.level, n, lang) for n in update_names(step)]
        shown = names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"
        return g.say("prompt.update", lang, params=shown, lr=g.number(step.optimizer.lr),
                     optimizer=g.say(f"optimizer.{step.optimizer.kind}", lang))

    def hints(self, step, world, lang, g):
        if step.optimizer.kind != "sgd":
            return []
        out = g.term(world.level, world.output.label, lang)
        return [g.say("hint.update.rule", lang, out=out, p=g.term(world.level, p, lang)) for p in update_names(step)]

    def reveal(self, step, world, expected, lang, g):
        values = [expected] if isinstance(step.update, str) else list(expected)
        return [g.Event("set", g.say("event.set", lang, name=world.level.label(n, lang), value=g.number(v)), n, v)
                for n, v in zip(update_names(step), values)]

    def keep(self, step, session, value, expected):
        session.moved()
        names = update_names(step)
        world = session.world
        world.optimizer_step(names, step.optimizer, commit=True)
        for name, theirs, exact in zip(names, np.atleast_1d(value), np.atleast_1d(expected)):
            if np.ndim(world.params[name].data):
                break  # an array parameter: the engine's values go on
            if theirs != exact:
                world.remember(name, float(theirs))


KIND = UpdateKind()
