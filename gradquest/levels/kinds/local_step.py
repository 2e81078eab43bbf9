"""`- local: n` with `wrt: x`: one local derivative ∂n/∂x of a node with respect to one of its inputs."""

from pydantic import Field

from gradquest.levels.common import AskCommon
from gradquest.levels.kinds.kind import AskKind


class Local(AskCommon):
    local: str = Field(description="the node; `wrt` names one of its inputs")
    wrt: str


class LocalKind(AskKind):
    """A local derivative: one node's rule, with respect to one input."""
    key, model, asks = "local", Local, "local"

    def check_ask(self, step, c, path, scope):
        c.ref(path + ("local",), step.local, c.nodes, "node")
        tree = c.trees.get(step.local)
        inputs = sorted({n.id for n in c.names_in(tree) if n.id in c.kinds}) if tree else []
        if tree is not None and step.wrt not in inputs:
            inputs = ", ".join(inputs)
            c.error(path + ("wrt",), f"'{step.wrt}' is not an input of {step.local} = "
                    f"{c.level.model.nodes[step.local]}", f"its inputs are: {inputs}" if inputs else None)

    def shown_names(self, step, output):
        return [(("local",), step.local), (("wrt",), step.wrt)]

    def asked_node(self, step):
        return step.local

    def lit(self, step):
        return ("tree", step.local, step.wrt)

    def expected(self, step, world, player=False):
        with world.player_values(player):
            return world.local(step.local, step.wrt)

    def prompt(self, step, world, lang, g):
        level = world.level
        return g.say("prompt.local", lang, node=g.term(level, step.local, lang), wrt=g.term(level, step.wrt, lang))

    def hints(self, step, world, lang, g):
        level = world.level
        if step.local not in level.model.nodes:
            return []
        expr = level.model.nodes[step.local]
        return [g.say("hint.local.rule", lang, node=g.shown(level, step.local, lang),
                      expr=g.pretty(g.in_words(level, expr, lang)), wrt=g.shown(level, step.wrt, lang))]

    def reveal(self, step, world, expected, lang, g):
        level = world.level
        return [g.Event("backward", f"∂{g.term(level, step.local, lang)}/∂{g.term(level, step.wrt, lang)} = "
                                    f"{g.number(expected)}", step.local, expected)]

    def known(self, step, world):
        return ("local", f"{step.local} {step.wrt}")


KIND = LocalKind()
