"""What each kind of ask means: its true answer, its prompt, the hints the game can generate,
and what it reveals once answered."""

from __future__ import annotations

import re

import numpy as np

from gradquest.engine.explain import number
from gradquest.game.messages import say
from gradquest.game.naming import in_words, shown as _shown_name, term
from gradquest.game.stage import Event
from gradquest.game.world import World
from gradquest.levels.schema import Ask, Forward, Gradient, Local, Update, Vector, text

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "momentum", "nesterov": "Nesterov", "adam": "Adam",
                   "heavyball": "momentum (v = μv − η∇)", "newton": "Newton's method"}


def update_names(step: Update) -> list[str]:
    return [step.update] if isinstance(step.update, str) else list(step.update)


def expected_answer(step, world: World, player: bool = False):
    """The engine's answer (or, with `player`, the answer from the player's own numbers)."""
    if isinstance(step, Ask):
        return world.evaluate(step.value, player)
    if isinstance(step, Vector):
        return np.array([float(world.evaluate(e, player)) for e in step.vector])
    with world.player_values(player):
        if isinstance(step, Forward):
            return world.value(step.forward)
        if isinstance(step, Local):
            return world.local(step.local, step.wrt)
        if isinstance(step, Gradient):
            return world.gradient(step.gradient, step.of)
        if isinstance(step, Update):
            new = world.optimizer_step(update_names(step), step.optimizer)
            if isinstance(step.update, str):
                return new if np.ndim(world.params[step.update].data) else float(new[0])
            return new
    raise TypeError(f"not an ask: {step!r}")


def prompt_for(step, world: World, lang: str) -> str:
    if getattr(step, "prompt", None):
        return text(step.prompt, lang)
    level = world.level
    if isinstance(step, Forward):
        return say("prompt.forward", lang, node=_shown_name(level, step.forward, lang))
    if isinstance(step, Local):
        return say("prompt.local", lang, node=term(level, step.local, lang), wrt=term(level, step.wrt, lang))
    if isinstance(step, Gradient):
        return say("prompt.gradient", lang, out=term(level, step.of or world.output.label, lang),
                   x=term(level, step.gradient, lang))
    if isinstance(step, Update):
        names = [_shown_name(level, n, lang) for n in update_names(step)]
        shown = names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"
        return say("prompt.update", lang, params=shown, lr=number(step.optimizer.lr),
                   optimizer=OPTIMIZER_NAMES[step.optimizer.kind])
    if isinstance(step, Vector):
        return say("prompt.value", lang, name="(" + ", ".join(pretty(in_words(level, e, lang)) for e in step.vector) + ")")
    return say("prompt.value", lang, name=value_name(step, level, lang))


def value_name(step, level, lang: str) -> str:
    """What a `value` ask is called: its name's label, or its expression in the player's words."""
    if step.name:
        return _shown_name(level, step.name, lang)
    return pretty(in_words(level, ", ".join(step.vector) if isinstance(step, Vector) else step.value, lang))


def generated_hints(step, world: World, lang: str) -> list[str]:
    """Hints the game writes from the model, after the author's own."""
    level = world.level
    if isinstance(step, Gradient):
        formula, numbers = chain(step.gradient, step.of, world, lang)
        out = step.of or world.output.label
        return [say("hint.gradient.chain", lang, out=term(level, out, lang), x=term(level, step.gradient, lang),
                    formula=formula),
                say("hint.gradient.numbers", lang, numbers=numbers)]
    if isinstance(step, Forward) and step.forward in level.model.nodes:
        expr, node = level.model.nodes[step.forward], _shown_name(level, step.forward, lang)
        return [say("hint.forward.expr", lang, node=node, expr=pretty(in_words(level, expr, lang))),
                say("hint.forward.expr", lang, node=node, expr=plug(expr, world, lang))]
    if isinstance(step, Local) and step.local in level.model.nodes:
        expr = level.model.nodes[step.local]
        return [say("hint.local.rule", lang, node=_shown_name(level, step.local, lang),
                    expr=pretty(in_words(level, expr, lang)), wrt=_shown_name(level, step.wrt, lang))]
    if isinstance(step, Update) and step.optimizer.kind == "sgd":
        out = term(level, world.output.label, lang)
        return [say("hint.update.rule", lang, out=out, p=term(level, p, lang)) for p in update_names(step)]
    return []


def chain(x_name: str, of: str | None, world: World, lang: str = "en") -> tuple[str, str]:
    """∂out/∂x as the chain rule over x's named consumers that reach out: the formula and the numbers."""
    x, out_name = x_name, of or world.output.label
    out = term(world.level, out_name, lang)
    if x == out_name:
        return f"∂{out}/∂{out} = 1", "1"
    def d(c: str) -> str:
        return term(world.level, c, lang)
    formula, numbers = [], []
    consumers = [c for c in world.consumers(x) if world.reaches(c, of)]
    if any(np.ndim(world.named[n].data) for n in (x, *consumers)):  # arrays: Jacobians, not one number each
        terms = [f"∂{out}/∂{d(x)}" if c == out_name else f"∂{out}/∂{d(c)}·∂{d(c)}/∂{d(x)}" for c in consumers]
        return " + ".join(terms) or "0", number(world.gradient(x, of))
    for c in consumers:
        local = world.local(c, x)
        if c == out_name:
            formula.append(f"∂{out}/∂{d(x)}")
            numbers.append(factor(local))
        else:
            formula.append(f"∂{out}/∂{d(c)}·∂{d(c)}/∂{d(x)}")
            numbers.append(f"{factor(world.gradient(c, of))}·{factor(local)}")
    total = number(world.gradient(x, of))
    working = " + ".join(numbers) or "0"
    if len(numbers) == 1 and formula[0] == f"∂{out}/∂{d(x)}":  # x feeds the output directly
        working = number(world.gradient(x, of))
    return " + ".join(formula) or "0", working if working == total else f"{working} = {total}"


def factor(x) -> str:
    """A number as a factor in a product: negative numbers in parentheses."""
    text = number(x)
    return f"({text})" if text.startswith("−") else text


def plug(expr: str, world: World, lang: str = "en") -> str:
    """The expression with each name replaced by its current value."""
    named = world.named

    def value(m: re.Match) -> str:
        name = m.group(0)
        if name in named and np.ndim(named[name].data) == 0:
            return factor(named[name].data) if m.start() > 0 else number(named[name].data)
        return term(world.level, name, lang) if name in world.level.model.labels else name
    return pretty(_NAME.sub(value, expr))


def pretty(expr: str) -> str:
    """An expression as the game prints it: `·` for `*`, `^` for `**`, a real minus sign."""
    return expr.replace("**", "^").replace("*", "·").replace("-", "−")


def reveal_events(step, world: World, expected, lang: str) -> list:
    shown, level = number(expected), world.level
    if isinstance(step, Forward):
        expr = level.model.nodes.get(step.forward)
        detail = f" = {plug(expr, world, lang)}" if expr else ""
        return [Event("forward", f"{_shown_name(level, step.forward, lang)}{detail} = {shown}", step.forward, expected)]
    if isinstance(step, Gradient):
        out = term(level, step.of or world.output.label, lang)
        _, numbers = chain(step.gradient, step.of, world, lang)
        return [Event("backward", f"∂{out}/∂{term(level, step.gradient, lang)} = {numbers}", step.gradient, expected)]
    if isinstance(step, Local):
        return [Event("backward", f"∂{term(level, step.local, lang)}/∂{term(level, step.wrt, lang)} = {shown}",
                      step.local, expected)]
    if isinstance(step, Update):
        names = update_names(step)
        values = [expected] if isinstance(step.update, str) else list(expected)
        return [Event("set", say("event.set", lang, name=world.level.label(n, lang), value=number(v)), n, v)
                for n, v in zip(names, values)]
    label = value_name(step, level, lang)
    return [Event("value", f"{label} = {shown}", step.name, expected)]
