"""What an ask means, asked of its kind (`levels/kinds`): its true answer, its prompt, the hints the
game can generate and what it reveals once answered; and the kit of words and numbers (`KIT`) the
kinds' game hooks are handed: the chain rule written out, an expression with its numbers plugged in."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np

from gradquest.engine.explain import number, rule_formula, rule_words, written_powers
from gradquest.engine.value import Value
from gradquest.game import answers
from gradquest.game.messages import say
from gradquest.game.naming import in_words, shown as _shown_name, term
from gradquest.game.stage import Event
from gradquest.model.world import World, gradient_name
from gradquest.levels.kinds import kind_of
from gradquest.levels.schema import text

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MATMUL = re.compile(r"\s*@\s*")
_PI = re.compile(r"(?<![\w.])pi(?![\w(])")
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


def inside(world: World, root: Value) -> list[Value]:
    """The op nodes of root's own expression (not descending into other named nodes), inputs first."""
    named = set(world.named.values())
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        v, done = stack.pop()
        if done:
            order.append(v)
            continue
        if v in seen or v._fn is None or (v is not root and v in named):
            continue
        seen.add(v)
        stack.append((v, True))
        stack.extend((p, False) for p in v._prev)
    return order


def uses(world: World, c: str, x: str) -> list[tuple[Value, int]]:
    """Each op inside node c that reads x, with the slot it reads it in: x's uses in c (b = a + a: two)."""
    target = world.named[x]
    return [(m, slot) for m in inside(world, world.nodes[c]) for slot, p in enumerate(m._prev) if p is target]


def reader(world: World, c: str, x: str):
    """The one op inside node c that reads x, and the slot it reads it in (None if not exactly one)."""
    found = uses(world, c, x)
    return found[0] if len(found) == 1 else None


def array_rule(x: str, of: str | None, world: World, lang: str = "en", numbers: bool = False) -> str | None:
    """The rule of the one array op that reads x on its way to `of` (the output): "∂L/∂W = ∂L/∂(W·x)·xᵀ:
    each entry is …" (with `numbers`, "∂L/∂W = ∂L/∂(W·x)·xᵀ = [[…]]", for an op that sends x its
    gradient, once x's gradient is the answer); None when x is read more than once or by a scalar op."""
    out = of or world.output.label
    consumers = [c for c in world.consumers(x) if world.reaches(c, of)]
    use = reader(world, consumers[0], x) if len(consumers) == 1 and consumers[0] in world.nodes else None
    if use is None or use[1] >= len(use[0]._fn.rules) or not any(np.ndim(v.data) for v in (use[0], *use[0]._prev)):
        return None
    m, slot = use
    formula, words = rule_formula(m, slot, out), rule_words(m, slot, lang)
    product = [(n, i) for n in inside(world, world.nodes[consumers[0]]) for i, p in enumerate(n._prev) if p is m]
    if m._fn.name == "transpose" and len(product) == 1 and product[0][0]._fn.name == "matmul":  # X·Wᵀ: the product's rule, transposed back
        n, i = product[0]
        formula = f"{formula.split(' = ')[0]} = ({rule_formula(n, i, out).split(' = ', 1)[1]})ᵀ"
        words = rule_words(n, i, lang) + ("；" if lang == "zh" else "; ") + rule_words(m, slot, lang)
    formula = in_words(world.level, formula, lang)
    if not numbers:
        return formula + ("：" if lang == "zh" else ": ") + words
    if not formula.startswith(f"∂{term(world.level, out, lang)}/∂"):
        return None  # a local derivative (softmax's Jacobian), not what reaches x
    return f"{formula} = {number(world.gradient(x, of))}"


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
    """An expression as the game prints it: `·` for `*` and `@` (W·x), whole powers as superscripts
    (x², another `^`), π for `pi`, a real minus sign."""
    expr = _MATMUL.sub("·", _PI.sub("π", expr))
    return written_powers(expr.replace("**", "^").replace("*", "·").replace("-", "−"))


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
                      array_rule=array_rule, gradient_name=gradient_name,
                      value_name=value_name, number=number, Event=Event, answers=answers, shuffled=shuffled)
