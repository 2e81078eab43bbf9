"""Wrong answers derived from the computation itself, each with the name of the slip that makes it.

- a local ask, or one edge of a gradient ask, answered with a wrong local rule of its op (the
  engine's catalogue, `engine/slips.py`: σ² for σ(1 − σ), tanh² for 1 − tanh²…);
- the chain rule composed wrongly along the graph: the local derivatives added instead of
  multiplied (`sum_for_product`), one factor left out (`factor_dropped`), ∂L/∂L taken as 0 (`seed_zero`);
- a forward value computed with the wrong operation (`plus_for_times`, `times_for_plus`), a term
  left out (`term_dropped`) or a function forgotten (`function_forgotten`);
- the 2 of a square forgotten inside ∇ (`square_two`), and the answer at the point before the
  last move (`old_point`: the old point's gradient reused).

Every message quotes the wrong answer's own number, so what it says is true of the candidate.
"""

from __future__ import annotations

import math
import re
from collections import ChainMap
from dataclasses import dataclass

import numpy as np

from gradquest.engine import Value
from gradquest.engine.explain import describe, number, written_powers
from gradquest.engine.graph import local_derivatives
from gradquest.engine.parser import VALUE_LIB, evaluate, names
from gradquest.engine.array_slips import NAMES as ARRAY_NAMES
from gradquest.engine.slips import COMPOSED, NAMES, offered
from gradquest.game.messages import chinese_seams, say
from gradquest.game.naming import in_words, term
from gradquest.game.steps import expected_answer, factor, inside as _inside, pretty, reader as _reader
from gradquest.model.world import World, gradient_name, parsed
from gradquest.levels.kinds import kind_of
from gradquest.levels.kinds.update_step import update_names
from gradquest.levels.schema import Forward, Gradient, Local, Vector, expr_of

MAX_CHAINS = 8
MAX_ASK_OPS = 6  # a longer expression of an ask is the author's, not the player's way to the number
CATALOGUE = frozenset(NAMES)  # an op's wrong local rule: less common than a flipped sign
CODES = CATALOGUE | frozenset(COMPOSED) | frozenset(ARRAY_NAMES)
SQUARE = re.compile(r"\*\*\s*2(?![\d.])|\^\s*2(?![\d.])|²")
_FUNCTIONS = {"sqrt": "√", "exp": "exp", "log": "ln", "tanh": "tanh", "sigmoid": "σ", "relu": "relu",
              "sin": "sin", "cos": "cos", "abs": "|·|", "pow": "power"}


@dataclass(frozen=True)
class Found:
    code: str
    value: object
    message: str


def slip_candidates(step, world: World, expected, lang: str) -> list[Found]:
    """The slips this ask can be diagnosed against, most common first."""
    try:
        key = kind_of(step).key
        if key == "local":
            found = _local_ask(step, world, lang)
        elif key == "gradient":
            found = _gradient_ask(step, world, expected, lang)
        elif key in ("forward", "value"):
            found = _forward_ask(step, world, lang)
        else:
            found = []
        if key == "vector":
            found += _entrywise(step, world, expected, lang)
        found += _square_two(step, world, expected, lang)
        found += _old_point(step, world, expected, lang)
    except (ArithmeticError, ValueError, KeyError, TypeError, NotImplementedError):
        return []  # a model the slips cannot be computed in: the general candidates still apply
    return found


# ---- the graph, named node by named node

def _scalar(world: World, *names_: str) -> bool:
    return all(np.ndim(world.named[n].data) == 0 for n in names_)


def as_operand(world: World, v: Value, lang: str) -> str:
    """A node as an operand: its name, a number, or its expression in parentheses."""
    if v.label:
        return term(world.level, v.label, lang)
    return f"({pretty(in_words(world.level, describe(v), lang))})" if v._fn is not None else describe(v)


def _edge_slips(world: World, c: str, x: str, lang: str, whole: float) -> list[tuple[str, float, str]]:
    """(slip name, the wrong ∂c/∂x, the slip's sentence) for each catalogue slip of the op in c that
    reads x; `whole` is the true ∂c/∂x."""
    use = _reader(world, c, x)
    if use is None:
        return []
    m, slot = use
    if m._fn.name in ("pow", "powv") and slot == 1 or any(np.ndim(p.data) for p in m._prev):
        return []
    truth = float(local_derivatives(m)[slot])
    if m is world.nodes[c]:
        scale = 1.0
    elif truth != 0 and math.isfinite(truth):
        scale = whole / truth
    else:
        return []
    ins = [p.data for p in m._prev]
    fields = {"a": as_operand(world, m._prev[0], lang), "b": as_operand(world, m._prev[-1], lang), "out": as_operand(world, m, lang),
              "x": as_operand(world, m._prev[slot], lang), "k": number(ins[-1]) if len(ins) == 2 else number(m._arg) if isinstance(m._arg, (int, float)) else "",
              "input": number(ins[0]), "truth": number(truth)}
    found = []
    for slip, used in offered(m._fn.name, ins, m.data, m._arg, slot, truth):
        said = {"used": number(used), **fields}
        sentence = written_powers((chinese_seams(slip.zh, said) if lang == "zh" else slip.en).format(**said))
        found.append((slip.name, scale * used, sentence))
    return found


def _chains(world: World, x: str, out: str, of: str | None) -> list[list[tuple[str, str, float]]]:
    """Each chain of named nodes from x to out, as its edges (consumer, input, local derivative)."""
    reach = world.gradients(of)  # read once: every local derivative below empties the world's cache
    local: dict[tuple[str, str], float] = {}
    chains, stack = [], [(x, [])]
    while stack:
        head, edges = stack.pop()
        if head == out:
            chains.append(edges)
            if len(chains) > MAX_CHAINS:
                return []
            continue
        for c in world.consumers(head):
            if c in world.nodes and world.nodes[c] in reach and _scalar(world, c) and len(edges) < 16:
                if (c, head) not in local:
                    local[c, head] = float(world.local(c, head))
                stack.append((c, edges + [(c, head, local[c, head])]))
    return chains


def _product(factors) -> float:
    p = 1.0
    for f in factors:
        p *= f
    return p


def partial(world: World, out: str, x: str, lang: str) -> str:
    return f"∂{term(world.level, out, lang)}/∂{term(world.level, x, lang)}"


# ---- the asks

def _local_ask(step: Local, world: World, lang: str) -> list[Found]:
    if step.local not in world.nodes or not _scalar(world, step.local, step.wrt):
        return []
    d = partial(world, step.local, step.wrt, lang)
    use = _reader(world, step.local, step.wrt)
    if use is None:
        return []
    direct = use[0] is world.nodes[step.local]
    return [Found(code, value, sentence if direct else then(sentence, say("slip.gives", lang, d=d, value=number(value)), lang))
            for code, value, sentence in _edge_slips(world, step.local, step.wrt, lang,
                                                     float(world.local(step.local, step.wrt)))]


def _gradient_ask(step: Gradient, world: World, expected, lang: str) -> list[Found]:
    x, out = step.gradient, step.of or world.output.label
    if not _scalar(world, x, out):
        return []
    if x == out:
        return [Found("seed_zero", 0.0, say("diagnosis.seed_zero", lang, out=term(world.level, out, lang)))]
    chains = _chains(world, x, out, step.of)
    if not chains:
        return []
    total, d = float(expected), partial(world, out, x, lang)
    found = []
    if any(len(ch) >= 2 for ch in chains):
        value = sum(sum(f for _, _, f in ch) for ch in chains)
        added = " + ".join(factor(f) if i else number(f)
                           for i, f in enumerate(f for ch in chains for _, _, f in ch))
        multiplied = " + ".join("·".join(partial(world, c, inp, lang) for c, inp, _ in ch) for ch in chains)  # in symbols:
        found.append(Found("sum_for_product", value, say("diagnosis.sum_for_product", lang, added=added,  # its value is the answer
                                                         value=number(value), multiplied=multiplied)))
    for ch in chains:
        whole = _product(f for _, _, f in ch)
        for i, (c, inp, f) in enumerate(ch):
            rest = _product(g for j, (_, _, g) in enumerate(ch) if j != i)
            if len(ch) >= 3:  # of two factors, dropping one is no_local or no_upstream (diagnose.py)
                value = total - whole + rest
                named = math.isclose(f, total, rel_tol=1e-9, abs_tol=1e-12)  # the factor's value is the answer: not said
                found.append(Found("factor_dropped", value, say(
                    "diagnosis.factor_dropped" + ("_named" if named else ""), lang, factor=partial(world, c, inp, lang),
                    f=number(f), d=d, value=number(value))))
            for code, wrong, sentence in _edge_slips(world, c, inp, lang, f):
                value = total - whole + rest * wrong
                gives = "" if f" {number(value)}:" in sentence or f" {number(value)}：" in sentence \
                    else say("slip.gives", lang, d=d, value=number(value))  # the sentence said it already
                found.append(Found(code, value, then(sentence, gives, lang)))
    return found


def _forward_ask(step, world: World, lang: str) -> list[Found]:
    """A node's value, or an ask's expression, computed with one operation of it done wrong."""
    if kind_of(step).key == "forward":
        c = step.forward
        if c not in world.nodes or not _scalar(world, c):
            return []
        root, spec = world.nodes[c], world.level.model.nodes.get(c)
        what = f"{term(world.level, c, lang)} = " + (pretty(in_words(world.level, expr_of(spec), lang))
                                                     if spec is not None else describe(root))
    else:
        labelled = {k: Value(v, label=k) for k, v in world.env().items() if np.ndim(v) == 0}
        root = evaluate(parsed(step.value), ChainMap(labelled, world.value_env()), VALUE_LIB)
        if not isinstance(root, Value):
            return []
        what = say("slip.formula", lang)  # the player may work it out another way than the file writes it
    inside = _inside(world, root)
    if not inside or any(np.ndim(v.data) for v in inside) or kind_of(step).key == "value" and len(inside) > MAX_ASK_OPS:
        return []

    def operand(v: Value) -> str:  # an ask's operands by their numbers: its names may be the file's own
        return as_operand(world, v, lang) if kind_of(step).key == "forward" else factor(v.data)
    fields = {"what": what}
    found = []
    for m in inside:
        name = m._fn.name
        a = [p.data for p in m._prev]
        alternatives = []
        if name == "mul" and m._prev[0] is not m._prev[1]:
            alternatives.append(("plus_for_times", a[0] + a[1], {"a": operand(m._prev[0]), "b": operand(m._prev[1])}))
        if name == "add":
            alternatives.append(("times_for_plus", a[0] * a[1], {"a": operand(m._prev[0]), "b": operand(m._prev[1])}))
        if name in ("add", "sub"):
            alternatives.append(("term_dropped", a[0], {"term": operand(m._prev[1])}))
            if name == "add":
                alternatives.append(("term_dropped", a[1], {"term": operand(m._prev[0])}))
        if name in _FUNCTIONS and len(a) == 1:
            fn = written_powers(f"^{number(m._arg)}") if name == "pow" else _FUNCTIONS[name]
            alternatives.append(("function_forgotten", a[0], {"fn": fn}))
        for code, replaced, more in alternatives:
            value = _recompute(inside, m, replaced)
            if value is not None and not math.isclose(value, float(root.data), rel_tol=1e-9, abs_tol=1e-12):
                found.append(Found(code, value, say(f"diagnosis.{code}", lang, value=number(value), **fields, **more)))
    return found


def _entrywise(step: Vector, world: World, expected, lang: str) -> list[Found]:
    """A vector of gradients or nodes with one slip made in every entry where it can be made (the
    other entries right), named once for the whole answer."""
    per_entry = []
    for e, truth in zip(step.vector, np.ravel(expected)):
        parts = gradient_name(e, world.named)
        if parts is not None and parts[0] in world.nodes:
            inner = Gradient(gradient=parts[1], of=parts[0])
            per_entry.append((float(truth), _gradient_ask(inner, world, truth, lang)))
        elif e in world.nodes:
            per_entry.append((float(truth), _forward_ask(Forward(forward=e), world, lang)))
        else:
            per_entry.append((float(truth), []))
    found, codes = [], dict.fromkeys(f.code for _, slips in per_entry for f in slips)
    for code in codes:
        firsts = [next((f for f in slips if f.code == code), None) for _, slips in per_entry]
        value = np.array([truth if f is None else float(f.value) for (truth, _), f in zip(per_entry, firsts)])
        first = next(f for f in firsts if f is not None)
        found.append(Found(code, value, say("slip.entrywise", lang, value=number(value), message=first.message)))
    return found


def _recompute(order: list[Value], changed: Value, replaced: float) -> float | None:
    """The value of the last node of `order` with `changed` giving `replaced` instead of its own value."""
    values: dict[Value, object] = {}
    for v in order:
        if v is changed:
            values[v] = float(replaced)
        else:
            values[v] = v._fn.forward(*(values.get(p, p.data) for p in v._prev), v._arg)
    result = float(values[order[-1]])
    return result if math.isfinite(result) else None


def _square_two(step, world: World, expected, lang: str) -> list[Found]:
    """∇ of a square without its 2: an update, or an expression of gradient names, with ∇ halved."""
    if kind_of(step).key == "update":
        out = world.output.label
        if step.optimizer.kind != "sgd" or not SQUARE.search(_formula(world, out)):  # the step is η·∇ itself
            return []
        names_ = update_names(step)
        p = np.concatenate([np.ravel(world.value(n)) for n in names_]).astype(float)
        new = np.asarray(expected, dtype=float).reshape(p.shape)
        value = p + (new - p) / 2
        value = value if value.size > 1 else float(value[0])
        return [Found("square_two", value, say("diagnosis.square_two", lang, value=number(value)))]
    exprs = kind_of(step).asked_expressions(step)
    halved = {}
    for e in exprs:
        for n in names(parsed(e)):
            parts = gradient_name(n, world.named)
            if parts and parts[0] in world.named and SQUARE.search(_formula(world, parts[0])):
                halved[n] = Value(np.asarray(world.gradient(parts[1], parts[0])) / 2.0)
    if not halved:
        return []
    env = ChainMap(halved, world.value_env())
    results = [evaluate(parsed(e), env, VALUE_LIB) for e in exprs]
    results = [float(np.mean(r.data if isinstance(r, Value) else r)) for r in results]
    value = np.array(results) if kind_of(step).key == "vector" else results[0]
    return [Found("square_two", value, say("diagnosis.square_two", lang, value=number(value)))]


def _formula(world: World, name: str) -> str:
    """A node's formula with the formulas of the named nodes it uses written in (a few levels deep)."""
    nodes = world.level.model.nodes
    text = expr_of(nodes[name]) if name in nodes else ""
    for _ in range(4):
        text = re.sub(r"[A-Za-z_]\w*", lambda m: f"({expr_of(nodes[m.group(0)])})" if m.group(0) in nodes
                      else m.group(0), text)
    return text


def _old_point(step, world: World, expected, lang: str) -> list[Found]:
    """The answer at the point before the parameters last moved (the old point's gradient reused)."""
    if kind_of(step).key not in ("vector", "gradient", "value") or len(world.trail) < 2 or world.trail[-1] == world.trail[-2]:
        return []
    with world.at(world.trail[-2]):
        value = expected_answer(step, world)
    if not np.all(np.isfinite(value)) or np.allclose(np.asarray(value, dtype=float), np.asarray(expected, dtype=float)):
        return []
    return [Found("old_point", value, say("diagnosis.old_point", lang, value=number(value)))]


def also_possible(first_message: str, other_message: str, lang: str) -> str:
    """Two slips give the same number: name the more common one, and say the other is possible."""
    if lang != "zh":  # one sentence after the colon: "… number: you left out …" (a name such as W keeps its capital)
        other_message = re.sub(r"^(?:That|This|These|Those|The|You|Your|Each|Every|It)\b", lambda m: m.group(0).lower(),
                               other_message)
    return then(first_message, say("slip.also", lang, other=other_message), lang)


def then(first: str, second: str, lang: str) -> str:
    """Two sentences, one after the other (no space between Chinese sentences)."""
    return first if not second else first + ("" if lang == "zh" else " ") + second
