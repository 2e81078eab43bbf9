"""`- gradient: x` (with `of: out`, else the model's output): ∂out/∂x by the chain rule."""

from pydantic import Field

from gradquest.levels.common import AskCommon
from gradquest.levels.kinds.kind import AskKind


class Gradient(AskCommon):
    gradient: str = Field(description="the node or parameter x in ∂out/∂x")
    of: str | None = Field(None, description="out; the model's output when left out")


class GradientKind(AskKind):
    """A gradient: every path from x to the output, each a product of local derivatives."""
    key, model, asks, card = "gradient", Gradient, "gradient", "grad"

    def check_ask(self, step, c, path, scope):
        quantities = c.params | c.nodes
        c.ref(path + ("gradient",), step.gradient, quantities, "node or parameter")
        if step.of is not None:
            c.ref(path + ("of",), step.of, quantities, "node or parameter")
        elif c.no_output:
            c.error(path + ("gradient",), "the gradient of what? the model has no nodes",
                    "add `of: <parameter>` to the step, or nodes to the model")

    def shown_names(self, step, output):
        return [(("gradient",), step.gradient), (("of",), step.of) if step.of is not None else (("gradient",), output)]

    def asked_node(self, step):
        return step.gradient

    def lit(self, step):
        return ("paths", step.gradient, step.of)

    def expected(self, step, world, player=False):
        with world.player_values(player):
            return world.gradient(step.gradient, step.of)

    def prompt(self, step, world, lang, g):
        level = world.level
        return g.say("prompt.gradient", lang, out=g.term(level, step.of or world.output.label, lang),
                     x=g.term(level, step.gradient, lang))

    def hints(self, step, world, lang, g):
        """The chain rule, then its numbers one step short of the answer (the products, not their
        sum); none that would be the answer itself (∂L/∂L, a gradient fed straight to the output,
        an array's gradient): the answer is the reveal's, a key of its own."""
        level = world.level
        out = step.of or world.output.label
        if step.gradient == out:
            return [g.say("hint.gradient.self", lang, out=g.term(level, out, lang))]
        formula, numbers = g.chain(step.gradient, step.of, world, lang)
        x = g.term(level, step.gradient, lang)
        if formula == f"∂{g.term(level, out, lang)}/∂{x}" and out in level.model.nodes:  # fed straight to the
            # output: the chain rule would only say ∂out/∂x = ∂out/∂x, so the output's own rule instead
            return [g.say("hint.local.rule", lang, node=g.shown(level, out, lang),
                          expr=g.pretty(g.in_words(level, level.model.nodes[out], lang)),
                          wrt=g.shown(level, step.gradient, lang))]
        hints = [g.say("hint.gradient.chain", lang, out=g.term(level, out, lang), x=x, formula=formula)]
        if " = " in numbers:  # "9·3 + 18·2 = 63": the working without its total
            hints.append(g.say("hint.gradient.numbers", lang, numbers=numbers.rsplit(" = ", 1)[0]))
        rule = g.array_rule(step.gradient, step.of, world, lang)
        if rule is not None:  # an array op: its rule in words ("∂L/∂W = ∂L/∂(W·x)·xᵀ: each entry is …")
            hints.append(g.say("hint.gradient.rule", lang, rule=rule))
        return hints

    def reveal(self, step, world, expected, lang, g):
        out = g.term(world.level, step.of or world.output.label, lang)
        _, numbers = g.chain(step.gradient, step.of, world, lang)
        text = g.array_rule(step.gradient, step.of, world, lang, numbers=True) \
            or f"∂{out}/∂{g.term(world.level, step.gradient, lang)} = {numbers}"
        return [g.Event("backward", text, step.gradient, expected)]

    def known(self, step, world):  # ∂of/∂x of another output than the level's is known as ("grad of", "of x")
        out = step.of or world.output.label
        return ("grad", step.gradient) if out == world.output.label else ("grad of", f"{out} {step.gradient}")

    def remembers(self, step, world):
        return f"d{step.of or world.output.label}_d{step.gradient}"


KIND = GradientKind()
