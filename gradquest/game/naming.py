"""A model's names as the player reads them: the level's `label` in the player's language where it
gives one (x1w1x2w2 is "x1w1+x2w2", den is 分母 in Chinese), else the name. Every text the game
writes itself (prompts, hints, the step log) names things through here."""

from __future__ import annotations

import re

from gradquest.game.memo import per_object
from gradquest.levels.load import model_names
from gradquest.levels.schema import Level

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ONE_TOKEN = re.compile(r"^[\w\u0370-\u03ff\u4e00-\u9fff′']+$")


def shown(level: Level, name: str, lang: str) -> str:
    """The name as a player reads it."""
    return level.label(name, lang)


def term(level: Level, name: str, lang: str) -> str:
    """The name as one term of a formula (after ∂, inside an expression): a label that is itself a
    formula, like x1w1+x2w2, is put in parentheses."""
    label = shown(level, name, lang)
    return label if _ONE_TOKEN.match(label) or label == name else f"({label})"


def in_words(level: Level, expr: str, lang: str) -> str:
    """An expression with every labelled name replaced by its label (functions keep their names),
    and every gradient name d<out>_d<x> written ∂out/∂x."""
    labels = level.model.labels

    def word(m) -> str:
        name = m.group(0)
        if name in labels:
            return term(level, name, lang)
        pair = _gradient(level, name)
        if not pair:
            return name
        written = f"∂{term(level, pair[0], lang)}/∂{term(level, pair[1], lang)}"
        before, after = expr[:m.start()].rstrip()[-1:], expr[m.end():].lstrip()[:1]
        return f"({written})" if before in ("/", "*", "^") or after in ("/", "*", "^") else written

    return _NAME.sub(word, expr)


@per_object
def _quantities(model) -> tuple[dict[str, str], set[str]]:
    """The model's names and those that are not data, worked out once per model (a text names
    many things: once per name would be quadratic in the model)."""
    kinds = model_names(model)
    return kinds, {n for n, kind in kinds.items() if kind != "data"}


def _gradient(level: Level, name: str) -> tuple[str, str] | None:
    """(out, x) when `name` is d<out>_d<x> for two of the model's quantities (not a name of its own)."""
    if not name.startswith("d") or "_d" not in name:  # before the model's names: most names are not
        return None
    kinds, quantities = _quantities(level.model)
    if name in kinds:
        return None
    for m in re.finditer("_d", name):
        out, x = name[1:m.start()], name[m.end():]
        if out in quantities and x in quantities:
            return out, x
    return None


@per_object
def model_inputs(level: Level) -> frozenset[str]:
    """The names the model's nodes read, and the plot's axes: setting any other parameter (a
    counter, a value kept for later) changes nothing the player sees, so the game does not say it."""
    used = {n for expr in level.model.nodes.values() for n in _NAME.findall(str(expr))}
    over = getattr(level.plot, "over", None) or ()
    return frozenset(used | ({over} if isinstance(over, str) else set(over)))
