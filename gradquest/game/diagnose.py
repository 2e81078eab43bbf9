"""Naming the mistake behind a wrong number.

Each diagnosis is a candidate wrong answer the engine can compute (the value with its sign
flipped, the product along only some of the paths, the local derivative without the upstream
gradient, the update without the learning rate…). The first candidate the player's answer
matches names the mistake; the author's own misconceptions are tried first.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from gradquest.engine.explain import number
from gradquest.game.answers import close
from gradquest.game.messages import say
from gradquest.game.naming import in_words, shown, term
from gradquest.game.steps import uses
from gradquest.game.mistakes import (
    activation_candidates, common_factor, entry_words, factor_candidates, shape_words, function_candidates, no_local_candidates,
    product_candidates,
)
from gradquest.game.precision import too_few_figures
from gradquest.engine.array_slips import SIGN_FLIPS
from gradquest.game.array_paths import array_candidates
from gradquest.game.graph_slips import CATALOGUE, CODES as SLIP_CODES, also_possible, slip_candidates
from gradquest.model.world import World, fill_numbers
from gradquest.levels.kinds import kind_of
from gradquest.levels.schema import Gradient, Misconception, Update, text

MAX_PATHS_FOR_SUBSETS = 8


@dataclass(frozen=True)
class Diagnosis:
    code: str  # a rule name, "misconception", "too_big" or "too_small"
    message: str


@dataclass(frozen=True)
class Candidate:
    code: str
    value: object
    fields: dict
    message: str | None = None  # said already (a slip of game/slips.py)


def diagnose(answer, expected, step, world: World, lang: str = "en", previous=None) -> Diagnosis:
    """The first mistake the answer matches; `previous` is this ask's answer the last time it was
    asked (in an iteration), for "those are the previous step's values"."""
    tolerance = getattr(step, "tolerance", None)
    for m in getattr(step, "misconceptions", []):
        for value in _author_candidates(m, step, world, expected):
            if value is not None and near(answer, value, tolerance):
                return Diagnosis(m.rule or "misconception", fill_numbers(text(m.feedback, lang), world))
    shape = shape_words(answer, expected, lambda a, x: near(a, x, tolerance))
    if shape is not None:
        code, fields = shape
        rows, cols = np.shape(expected)
        message = say(f"diagnosis.{code}", lang, rows=rows, cols=cols, **fields)
        if kind_of(step).asks == "gradient":  # the convention: ∂L/∂W has W's shape
            x, out = kind_of(step).asked_node(step), getattr(step, "of", None) or world.output.label
            message += ("" if lang == "zh" else " ") + say("diagnosis.matrix_gradient", lang, x=term(world.level, x, lang),
                                 out=term(world.level, out, lang))
        return Diagnosis(code, message)
    figures = too_few_figures(answer, expected, tolerance)
    if figures:
        return Diagnosis("precision", say("diagnosis.precision", lang, n=figures))
    if previous is not None and near(answer, previous, tolerance) and not near(expected, previous, tolerance):
        return Diagnosis("previous", say("diagnosis.previous", lang))
    off = set(getattr(step, "slips_off", ()))
    found = [c for c in candidates(step, world, expected, lang) if c.code not in off]
    for i, c in enumerate(found):
        if explains(c, answer, tolerance):
            message = mistake_message(c, world, lang)
            other = next((o for o in found[i + 1:] if o.code != c.code and {c.code, o.code} & SLIP_CODES
                          and not (c.code in SIGN_FLIPS and o.code == "sign") and not same_mistake(c.code, o.code)
                          and explains(o, answer, tolerance)), None)
            said = None if other is None else mistake_message(other, world, lang)
            if said is not None and said != message:
                message = also_possible(message, said, lang)
            return Diagnosis(c.code, message)
    common = common_factor(answer, expected, lambda a, x: near(a, x, tolerance))
    if common is not None:  # one slip in every entry, named once before any entry's words
        code, fields = common
        message = say(f"diagnosis.{fields['say']}", lang, k=fields["k"])
        if fields["sign"]:
            message += ("" if lang == "zh" else " ") + say("diagnosis.common_factor_sign", lang)
        return Diagnosis(code, message)
    entries = entry_words(answer, expected, lambda a, x: near(a, x, tolerance), lang)
    if entries is not None:
        code, fields = entries
        if code == "swapped":
            return Diagnosis(code, say("diagnosis.swapped", lang))
        parts = fields["parts"]
        if np.ndim(expected) == 2:  # a matrix: the wrong entries by row and column, the others in one word
            wrong = [(n, state) for n, state in parts if state != "right"]
            parts = wrong + ([(None, "others_right")] if len(wrong) < len(parts) else [])
        said = [say(f"entry.{state}", lang, n=n) for n, state in parts]
        message = ("；" if lang == "zh" else "; ").join(said)
        return Diagnosis(code, message[:1].upper() + message[1:] + ("。" if lang == "zh" else "."))
    bigger = float(np.sum(np.asarray(answer, float) - np.asarray(expected, float))) > 0
    code = "too_big" if bigger else "too_small"
    return Diagnosis(code, say(f"wrong.{code}", lang))


# two names of one mistake: the other factor of a product; a factor of the chain left out (the one
# arriving, the local one, or one of three or more): the second is not "another slip"
SAME_MISTAKE = (frozenset({"other_factor", "mul_same_factor"}), frozenset({"no_upstream", "no_local", "factor_dropped"}))


def same_mistake(a: str, b: str) -> bool:
    return any({a, b} <= family for family in SAME_MISTAKE)


PATTERNS = {"magnitude", "factor"}  # a decimal point or a constant factor: told by the digits alone


def explains(c: Candidate, answer, tolerance) -> bool:
    """Whether the candidate's mistake explains the answer. A pattern (the decimal point, a constant
    factor) does only when the digits match: the answer is the wrong value within the tolerance, not
    rounded from it (33 is not 337 with its point moved), and carries two significant digits or more
    (a lone 4 is twice 2 by coincidence as often as by a lost 2)."""
    if c.code not in PATTERNS:
        return near(answer, c.value, tolerance)
    return close(answer, c.value, tolerance) and min(_figures(v) for v in np.atleast_1d(answer)) >= 2


def _figures(value: float) -> int:
    """The significant digits of a number as typed (1.36: 3, 4: 1, 0.05: 1)."""
    return len(f"{abs(float(value)):.10g}".split("e")[0].replace(".", "").strip("0")) or 1


def near(answer, wrong, tolerance) -> bool:
    """The answer is this wrong value, within the tolerance or rounded from it."""
    return close(answer, wrong, tolerance) or too_few_figures(answer, wrong, tolerance) is not None


def _author_candidates(m: Misconception, step, world: World, expected):
    if m.expr is not None:
        try:
            yield world.evaluate(m.expr)
        except (ValueError, KeyError):  # the loader checked the names; a domain error is no match
            return
    else:
        for c in candidates(step, world, expected, "en"):
            if c.code == m.rule:
                yield c.value


def candidates(step, world: World, expected, lang: str) -> list[Candidate]:
    """The wrong answers this ask can be diagnosed against, most specific first."""
    found: list[Candidate] = []
    kind = kind_of(step)
    if kind.asks == "gradient":
        found += _gradient_candidates(step, world, expected, lang)
    if kind.asks == "update":
        found += _update_candidates(step, world, expected)
    general = (product_candidates(step, world) + no_local_candidates(step, world)
               + activation_candidates(step, world, lang) + function_candidates(step, world))
    found += [Candidate(code, value, fields) for code, value, fields in general]
    slips = slip_candidates(step, world, expected, lang) + array_candidates(step, world, expected, lang)  # the chain rule composed wrongly, before a sign…
    found += [Candidate(s.code, s.value, {}, s.message) for s in slips if s.code not in CATALOGUE]
    flat = np.asarray(expected, dtype=float)
    if np.any(flat != 0):
        found.append(Candidate("sign", -flat if flat.ndim else -float(flat), {}))
        found += [Candidate(code, value if flat.ndim else float(value), fields)
                  for code, value, fields in factor_candidates(step, world, expected, lang)]
    found += [Candidate(s.code, s.value, {}, s.message) for s in slips if s.code in CATALOGUE]  # …an op's wrong rule after
    if kind.asks != "local" and np.all(flat != 0):
        for factor in (10.0, 0.1, 100.0, 0.01):
            found.append(Candidate("magnitude", flat * factor, {}))
    return found


_NAMED = ("x", "c", "out", "where", "other")  # fields that hold a model name


def mistake_message(c: Candidate, world: World, lang: str) -> str:
    """What the player reads for a candidate mistake, every name in the player's words."""
    if c.message is not None:
        return c.message
    fields = {k: term(world.level, v, lang) if k in _NAMED and isinstance(v, str)
              else in_words(world.level, v, lang) if k == "rule" else v for k, v in c.fields.items()}
    return say(f"diagnosis.{fields.get('say') or fields.get('variant') or c.code}", lang, **fields)


def _route(names: tuple[str, ...], lang: str, level=None) -> str:
    if level is not None:
        names = tuple(shown(level, n, lang) for n in names)
    return " → ".join(names) if names else ("the direct edge" if lang == "en" else "直接相连的边")


def _gradient_candidates(step: Gradient, world: World, expected, lang: str) -> list[Candidate]:
    x, out = step.gradient, step.of or world.output.label
    found = []
    routes = world.named_paths(x, step.of, limit=MAX_PATHS_FOR_SUBSETS)  # more are never split into subsets
    if 2 <= len(routes) <= MAX_PATHS_FOR_SUBSETS:
        for size in range(1, len(routes)):
            for subset in combinations(range(len(routes)), size):
                value = sum(routes[i][1] for i in subset)
                taken = {routes[i][0] for i in subset}
                missing = {r for j, (r, _) in enumerate(routes) if j not in subset}
                if len({r for r, _ in routes}) == 1:  # one route, several uses: x appears twice
                    found.append(Candidate("overwrite", value, _reused(world, x, routes[0][0], out)))
                elif not taken & missing:
                    found.append(Candidate("one_path", value, {
                        "x": x, "out": out,
                        "taken": ("、" if lang == "zh" else ", ").join(_route(r, lang, world.level) for r in sorted(taken)),
                        "missing": ("、" if lang == "zh" else ", ").join(_route(r, lang, world.level) for r in sorted(missing)),
                    }))
    named = world.named
    for c in world.consumers(x):
        if np.ndim(named[c].data) or np.ndim(named[x].data):
            continue  # between arrays a local derivative is a Jacobian, not one number to forget
        if c == out or not world.reaches(c, step.of):
            continue
        upstream = world.gradient(c, step.of)
        if not close(upstream, 1.0):  # its number, unless it is the answer itself (a local derivative of 1)
            found.append(Candidate("no_upstream", world.local(c, x), {"c": c, "x": x, "out": out, "upstream": number(upstream)}
                                   | ({"variant": "no_upstream_named"} if close(upstream, expected) else {})))
    return found


def _reused(world: World, x: str, route: tuple[str, ...], out: str) -> dict:
    """Along the one route x → … → out, the first node that uses the node before it more than once,
    and how many times (its uses, not the paths: in c = b + b with b = a + a, a is used twice in b)."""
    chain = (x, *route, out)
    for used, where in zip(chain, chain[1:]):
        count = len(uses(world, where, used)) if where in world.nodes else 0
        if count > 1:
            return {"x": used, "count": count, "where": where}
    return {"x": x, "count": len(world.named_paths(x, None if out == world.output.label else out)),
            "where": route[0] if route else out}


def _update_candidates(step: Update, world: World, expected) -> list[Candidate]:
    names = [step.update] if isinstance(step.update, str) else list(step.update)
    p = np.concatenate([np.ravel(world.value(n)) for n in names]).astype(float)
    new = np.asarray(expected, dtype=float).reshape(p.shape)
    delta = new - p
    lr = step.optimizer.lr
    shape = lambda v: v if len(v) > 1 else float(v[0])  # noqa: E731
    found = []
    if step.optimizer.kind in ("momentum", "heavyball"):  # not Nesterov: its first step is (1 + μ)·∇, no velocity yet
        grads = np.concatenate([np.ravel(world.gradient(n)) for n in names])
        plain = p - lr * (grads + step.optimizer.weight_decay * p)  # the velocity left out, and only it
        if not np.allclose(plain, new):
            found.append(Candidate("no_velocity", shape(plain), {"mu": number(step.optimizer.momentum)}))
    return found + [
        Candidate("no_lr", shape(p + delta / lr), {"lr": number(lr)}),
        Candidate("ascent", shape(p - delta), {}),
        Candidate("step_only", shape(-delta), {}),
        Candidate("step_only", shape(delta), {}),
        Candidate("unchanged", shape(p), {}),
    ]
