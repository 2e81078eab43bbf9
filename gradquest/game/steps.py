"""What each kind of ask means: its true answer, its prompt, the hints the game can generate,
and what it reveals once answered."""

from __future__ import annotations

import re

import numpy as np

from gradquest.engine.explain import number
from gradquest.game.messages import say
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
    if isinstance(step, Forward):
        return say("prompt.forward", lang, node=step.forward)
    if isinstance(step, Local):
        return say("prompt.local", lang, node=step.local, wrt=step.wrt)
    if isinstance(step, Gradient):
        return say("prompt.gradient", lang, out=step.of or world.output.label, x=step.gradient)
    if isinstance(step, Update):
        names = update_names(step)
        shown = names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"
        return say("prompt.update", lang, params=shown, lr=number(step.optimizer.lr),
                   optimizer=OPTIMIZER_NAMES[step.optimizer.kind])
    if isinstance(step, Vector):
        return say("prompt.value", lang, name="(" + ", ".join(step.vector) + ")")
    return say("prompt.value", lang, name=step.name or step.value)


def generated_hints(step, world: World, lang: str) -> list[str]:
    """Hints the game writes from the model, after the author's own."""
    if isinstance(step, Gradient):
        formula, numbers = chain(step.gradient, step.of, world)
        out = step.of or world.output.label
        return [say("hint.gradient.chain", lang, out=out, x=step.gradient, formula=formula),
                say("hint.gradient.numbers", lang, numbers=numbers)]
    if isinstance(step, Forward) and step.forward in world.level.model.nodes:
        expr = world.level.model.nodes[step.forward]
        return [say("hint.forward.expr", lang, node=step.forward, expr=pretty(expr)),
                say("hint.forward.expr", lang, node=step.forward, expr=plug(expr, world))]
    if isinstance(step, Local) and step.local in world.level.model.nodes:
        expr = world.level.model.nodes[step.local]
        return [say("hint.local.rule", lang, node=step.local, expr=pretty(expr), wrt=step.wrt)]
    if isinstance(step, Update) and step.optimizer.kind == "sgd":
        out = world.output.label
        return [say("hint.update.rule", lang, out=out, p=p) for p in update_names(step)]
    return []


def chain(x: str, of: str | None, world: World) -> tuple[str, str]:
    """∂out/∂x as the chain rule over x's named consumers that reach out: the formula and the numbers."""
    out = of or world.output.label
    if x == out:
        return f"∂{out}/∂{out} = 1", "1"
    formula, numbers = [], []
    consumers = [c for c in world.consumers(x) if world.reaches(c, of)]
    if any(np.ndim(world.named[n].data) for n in (x, *consumers)):  # arrays: Jacobians, not one number each
        terms = [f"∂{out}/∂{x}" if c == out else f"∂{out}/∂{c}·∂{c}/∂{x}" for c in consumers]
        return " + ".join(terms) or "0", number(world.gradient(x, of))
    for c in consumers:
        local = world.local(c, x)
        if c == out:
            formula.append(f"∂{out}/∂{x}")
            numbers.append(factor(local))
        else:
            formula.append(f"∂{out}/∂{c}·∂{c}/∂{x}")
            numbers.append(f"{factor(world.gradient(c, of))}·{factor(local)}")
    total = number(world.gradient(x, of))
    working = " + ".join(numbers) or "0"
    if len(numbers) == 1 and formula[0] == f"∂{out}/∂{x}":  # x feeds the output directly
        working = number(world.gradient(x, of))
    return " + ".join(formula) or "0", working if working == total else f"{working} = {total}"


def factor(x) -> str:
    """A number as a factor in a product: negative numbers in parentheses."""
    text = number(x)
    return f"({text})" if text.startswith("−") else text


def plug(expr: str, world: World) -> str:
    """The expression with each name replaced by its current value."""
    named = world.named

    def value(m: re.Match) -> str:
        name = m.group(0)
        if name in named and np.ndim(named[name].data) == 0:
            return factor(named[name].data) if m.start() > 0 else number(named[name].data)
        return name
    return pretty(_NAME.sub(value, expr))


def pretty(expr: str) -> str:
    """An expression as the game prints it: `·` for `*`, `^` for `**`, a real minus sign."""
    return expr.replace("**", "^").replace("*", "·").replace("-", "−")


def reveal_events(step, world: World, expected, lang: str) -> list:
    shown = number(expected)
    if isinstance(step, Forward):
        expr = world.level.model.nodes.get(step.forward)
        detail = f" = {plug(expr, world)}" if expr else ""
        return [Event("forward", f"{step.forward}{detail} = {shown}", step.forward, expected)]
    if isinstance(step, Gradient):
        out = step.of or world.output.label
        _, numbers = chain(step.gradient, step.of, world)
        return [Event("backward", f"∂{out}/∂{step.gradient} = {numbers}", step.gradient, expected)]
    if isinstance(step, Local):
        return [Event("backward", f"∂{step.local}/∂{step.wrt} = {shown}", step.local, expected)]
    if isinstance(step, Update):
        names = update_names(step)
        values = [expected] if isinstance(step.update, str) else list(expected)
        return [Event("set", say("event.set", lang, name=world.level.label(n, lang), value=number(v)), n, v)
                for n, v in zip(names, values)]
    label = step.name or pretty(", ".join(step.vector) if isinstance(step, Vector) else step.value)
    return [Event("value", f"{label} = {shown}", step.name, expected)]
