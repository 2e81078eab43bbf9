"""A model's names as the player reads them: the level's `label` in the player's language where it
gives one (x1w1x2w2 is "x1w1+x2w2", den is 分母 in Chinese), else the name. Every text the game
writes itself (prompts, hints, the step log) names things through here."""

from __future__ import annotations

import re

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
    """An expression with every labelled name replaced by its label (functions keep their names)."""
    labels = level.model.labels
    return _NAME.sub(lambda m: term(level, m.group(0), lang) if m.group(0) in labels else m.group(0), expr)
