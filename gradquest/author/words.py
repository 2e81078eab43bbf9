"""Player words only: what a bundled level shows a learner is said in the lesson's own words.

A player does not know the sources a level was written from, reads no Python and no internal
names. The rules, over every player-facing text (`{{…}}` slots are filled with numbers, so they
are left out) and over every name or expression shown on a card, an axis, a legend or a table
header:

- no "seed", "tutorial" or "原文": what a level corrects in its source goes into `notes:`;
- no backticks and no Python (`**`, `x.grad`, `tanh()`, snake_case names);
- a shown name that is not a mathematical symbol (one or two letters and digits: w, x1, dz; or a
  product of such symbols, x1w1) and a
  shown expression that is not plain arithmetic over such symbols need a `label:` in both
  languages.
"""

from __future__ import annotations

import re

from gradquest.engine.parser import names
from gradquest.game.graph_view import MAX_DRAWN
from gradquest.game.world import parsed
from gradquest.levels.schema import (
    ContourPlot, CurvePlot, I18n, Iterate, Level, TrainingPlot, every_step, NUMBER_SLOT,
)

SOURCE_WORDS = re.compile(r"\bseeds?\b|\btutorials?\b|原文|教程|种子", re.IGNORECASE)
PYTHON = re.compile(r"`|[A-Za-z0-9_)]\*\*[A-Za-z0-9_(]|\b\w+\(\)|\.(?:grad|data|backward)\b"
                    r"|\b(?:[A-Za-z]\w+_\w+|\w+_[A-Za-z]\w+)\b")
MATH_NAME = re.compile(r"^[A-Za-zα-ωΑ-Ω]{1,2}\d*$|^(?:[A-Za-z]\d+){2,4}$")  # w, x1, dz; x1w1 (a product)
PLAIN = re.compile(r"^[\w\s.+\-/()]+$")
NOT_CHECKED = {"notes"}  # the notes speak about the sources on purpose


def player_word_findings(level: Level, texts) -> list[tuple[str, str]]:
    """(field, message) for every rule broken; `texts` yields (field path, text or {en, zh})."""
    return list(dict.fromkeys(text_findings(texts) + _shown_findings(level)))


def text_findings(texts, sources_go_to: str = "`notes:`") -> list[tuple[str, str]]:
    """The rules on written texts alone (a level's or a chapter's): `texts` yields (field path,
    text or {en, zh})."""
    found = []
    for where, value in texts:
        if where.split(".")[0].split("[")[0] in NOT_CHECKED:
            continue
        bodies = [value] if isinstance(value, str) else [v for v in value.values() if v]
        for body in bodies:
            plain = NUMBER_SLOT.sub("0", body)
            if m := SOURCE_WORDS.search(plain):
                found.append((where, f"the player reads \"{m.group(0)}\": a player does not know the sources; "
                                     "say it in the lesson's own words, and name the source in "
                                     f"{sources_go_to}"))
            if m := PYTHON.search(plain):
                found.append((where, f"the player reads \"{m.group(0).strip()}\": no code, backticks or "
                                     "internal names in a player's text; write it as mathematics"))
    return found


def _shown_findings(level: Level) -> list[tuple[str, str]]:
    labels = level.model.labels
    found = []
    for name, label in labels.items():
        if not isinstance(label, I18n) or not label.zh:
            found.append((f"model.labels.{name}", "a label gives the English and the Chinese ({en: …, zh: …})"))
    for where, item in shown_items(level):
        if not isinstance(item, str):
            continue
        if MATH_NAME.match(item):
            continue
        if item in labels:
            continue
        if PLAIN.match(item) and all(MATH_NAME.match(n) or n in labels for n in names(parsed(item), constants=True)):
            continue
        found.append((where, f"players see \"{item}\" here: give it a `label:` in both languages "
                             "(or a name a player reads as a symbol)"))
    return found


def shown_items(level: Level):
    """(field, name or expression) for everything a player sees by its name: cards, axes,
    legends and table headers."""
    model = level.model
    named = [*model.params, *model.data, *model.nodes]
    if model.network is None and len(named) <= MAX_DRAWN:
        for name in [*model.params, *model.nodes]:
            yield f"model.{'params' if name in model.params else 'nodes'}.{name}", name
    plot = level.plot
    if isinstance(plot, CurvePlot):
        yield "plot.over", plot.over
        for j, item in enumerate(plot.curve):
            yield f"plot.curve[{j}]", item
    elif isinstance(plot, ContourPlot):
        for j, name in enumerate(plot.over):
            yield f"plot.over[{j}]", name
        if plot.title is None:
            yield "plot.contour", plot.contour
    elif isinstance(plot, TrainingPlot):
        for j, item in enumerate(plot.training):
            yield f"plot.training[{j}]", item
        if plot.data:
            yield "plot.data[0]", plot.data[0]
        if plot.line is not None:
            yield "plot.line", plot.line
    for path, step in every_step(level.steps):
        if isinstance(step, Iterate):
            at = ".".join(str(p) for p in path)
            for j, item in enumerate(step.iterate.table):
                yield f"{at}.iterate.table[{j}]", item
