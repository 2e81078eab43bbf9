"""What an ask means, asked of its kind (`levels/kinds`): its true answer, its prompt, the hints the
game can generate and what it reveals once answered; and the kit of words and numbers (`KIT`) the
kinds' game hooks are handed: the chain rule written out, an expression with its numbers plugged in."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np

from gradquest.engine.explain import number
from gradquest.game import answers
from gradquest.game.messages import say
from gradquest.game.naming import in_words, shown as _shown_name, term
from gradquest.game.stage import Event
from gradquest.model.world import World
from gradquest.levels.kinds import kind_of
from gradquest.levels.schema import text

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
def expected_answer(step, world: World, player: bool = False):
    """The engine's answer (or, with `player`, the answer from the player's own numbers)."""
    return kind_of(step).expected(step, world, player)


def prompt_for(step, world: World, lang: str) -> str:
    if getattr(step, "prompt", None):
        return text(step.prompt, lang)
    return kind_of(step).prompt(step, world, lang, KIT)


def value_name(step, level, lang: str) -> str:
    """What a `value` ask is called: its name's label, or its expression in the player's words."""
    if step.name:
        return _shown_name(level, step.name, lang)
    return pretty(in_words(level, ", ".join(kind_of(step).asked_expressions(step)), lang))


def generated_hints(step, world: World, lang: str) -> list[str]:
    """Hints the game writes from the model, after the author's own."""
    return kind_of(step).hints(step, world, lang, KIT)


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
    return kind_of(step).reveal(step, world, expected, lang, KIT)


def shuffled(n: int, rng) -> list[int]:
    """0 … n−1 in an order drawn with `rng`, never the order they came in."""
    order = list(range(n))
    while n > 1 and order == list(range(n)):
        order = [int(i) for i in rng.permutation(n)]
    return order


# what the step kinds' game hooks are handed (levels/kinds cannot import the game floor)
KIT = SimpleNamespace(say=say, shown=_shown_name, term=term, in_words=in_words, pretty=pretty, plug=plug, chain=chain,
                      value_name=value_name, number=number, Event=Event, answers=answers, shuffled=shuffled)
