"""`- forward: x`: the value of a node, worked out forward."""

from pydantic import Field

from gradquest.levels.common import AskCommon
from gradquest.levels.kinds.kind import AskKind


class Forward(AskCommon):
    forward: str = Field(description="the node whose value the player computes")


class ForwardKind(AskKind):
    """The value of a named node."""
    key, model, asks, card = "forward", Forward, "value", "value"

    def check_ask(self, step, c, path, scope):
        c.ref(path + ("forward",), step.forward, c.nodes, "node")

    def shown_names(self, step, output):
        return [(("forward",), step.forward)]

    def asked_value(self, step):
        return step.forward

    def asked_node(self, step):
        return step.forward

    def lit(self, step):
        return ("tree", step.forward, None)

    def expected(self, step, world, player=False):
        with world.player_values(player):
            return world.value(step.forward)

    def prompt(self, step, world, lang, g):
        return g.say("prompt.forward", lang, node=g.shown(world.level, step.forward, lang))

    def hints(self, step, world, lang, g):
        level = world.level
        if step.forward not in level.model.nodes:
            return []
        expr, node = level.model.nodes[step.forward], g.shown(level, step.forward, lang)
        return [g.say("hint.forward.expr", lang, node=node, expr=g.pretty(g.in_words(level, expr, lang))),
                g.say("hint.forward.expr", lang, node=node, expr=g.plug(expr, world, lang))]

    def reveal(self, step, world, expected, lang, g):
        level = world.level
        expr = level.model.nodes.get(step.forward)
        detail = f" = {g.plug(expr, world, lang)}" if expr else ""
        return [g.Event("forward", f"{g.shown(level, step.forward, lang)}{detail} = {g.number(expected)}",
                        step.forward, expected)]

    def known(self, step, world):
        return ("value", step.forward)

    def remembers(self, step, world):
        return step.forward


KIND = ForwardKind()
