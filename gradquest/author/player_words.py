"""Player words only: what a bundled level shows a learner is said in the lesson's own words.

A player does not know the sources a level was written from, reads no Python and no internal
names. The rules, over every player-facing text (`{{…}}` slots are filled with numbers, so they
are left out) and over every name or expression shown on a card, an axis, a legend or a table
header:

- no "seed", "tutorial" or "原文": what a level corrects in its source goes into `source:` (for
  teachers); `notes:` are written to the player, shown on the results screen;
- no backticks and no Python (`**`, `x.grad`, `tanh()`, snake_case names);
- a shown name that is not a mathematical symbol (one or two letters and digits: w, x1, dz; or a
  node that is the product of such symbols and is named by them, x1w1 = x1*w1) and a
  shown expression that is not plain arithmetic over such symbols need a `label:` in both
  languages. x1w1x2w2 = x1w1 + x2w2 reads as a product and is not one: it needs a label.
- the same holds for every name in the text the game writes itself while the level is played
  (`generated_findings`): prompts and hints it generates, the step log, graph boxes, plot titles,
  axes and legends, table headers.
"""

from __future__ import annotations

import re

from gradquest.engine.parser import names
from gradquest.game.diagnose import candidates, mistake_message
from gradquest.figures.graph_model import picture
from gradquest.figures.graph_cards import MAX_DRAWN, cards, drawable
from gradquest.figures.plots import figures
from gradquest.game.steps import generated_hints
from gradquest.model.world import parsed
from gradquest.levels.kinds import kind_of
from gradquest.levels.schema import (
    ContourPlot, CurvePlot, I18n, Level, TrainingPlot, every_step, NUMBER_SLOT,
)

SOURCE_WORDS = re.compile(r"\bseeds?\b|\btutorials?\b|原文|教程|种子", re.IGNORECASE)
PYTHON = re.compile(r"`|[A-Za-z0-9_)]\*\*[A-Za-z0-9_(]|\b\w+\(\)|\.(?:grad|data|backward)\b"
                    r"|\b(?:[A-Za-z]\w+_\w+|\w+_[A-Za-z]\w+)\b"
                    r"|\b[a-z_]\w*\.[a-z_]\w*\.\w+"  # a module path: torch.optim.SGD
                    r"|\b\w+\([^()]*\b[A-Za-z_]\w*=")  # a call with a keyword: SGD(momentum=0.9)
SYMBOL = re.compile(r"^[A-Za-zα-ωΑ-Ω]{1,2}\d*$")  # w, x1, dz
PRODUCT = re.compile(r"^(?:[A-Za-z]\d+){2,4}$")  # x1w1, when it is x1*w1
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PLAIN = re.compile(r"^[\w\s.+\-/()]+$")
NOT_CHECKED: set[str] = set()  # every field a player reads is checked (sources and corrections go to `source:`)


def player_word_findings(level: Level, texts) -> list[tuple[str, str]]:
    """(field, message) for every rule broken; `texts` yields (field path, text or {en, zh})."""
    return list(dict.fromkeys(text_findings(texts) + _shown_findings(level)))


def text_findings(texts, sources_go_to: str = "`source:`") -> list[tuple[str, str]]:
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


def reads_as_math(name: str, level: Level) -> bool:
    """Whether a player reads the name as the mathematics it stands for, without a label."""
    if SYMBOL.match(name):
        return True
    expr = level.model.nodes.get(name)
    return bool(PRODUCT.match(name)) and expr is not None and \
        sorted(expr.replace(" ", "").split("*")) == sorted(re.findall(r"[A-Za-z]\d+", name))


def readable(name: str, level: Level) -> bool:
    return name in level.model.labels or reads_as_math(name, level)


def unlabelled(item: str) -> str:
    return (f"players see \"{item}\" here: give it a `label:` in both languages "
            "(or a name a player reads as a symbol)")


def internal_names(level: Level) -> dict[str, str]:
    """Every name of the level's model and of its named answers, with the field that defines it."""
    model = level.model
    found = {}
    for path, step in every_step(level.steps):
        if getattr(step, "name", None):
            found.setdefault(step.name, "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)[1:] + ".name")
    for kind in ("params", "data", "nodes"):
        found.update({name: f"model.{kind}.{name}" for name in getattr(model, kind)})
    return found


def generated_findings(level: Level, texts, names: dict[str, str]) -> list[tuple[str, str]]:
    """(field, message) for each internal name without a label in text the game generated (in
    Chinese, so that every Latin word in it is a name, not an English word)."""
    found = []
    for body in texts:
        for name in IDENTIFIER.findall(body or ""):
            if name in names and not readable(name, level):
                found.append((names[name], unlabelled(name)))
    return list(dict.fromkeys(found))


def generated_texts(session) -> list[str]:
    """What the game itself writes on the screen at the current stage: a generated prompt, hints
    and the diagnoses of the mistakes it can name, graph boxes and their rules, the plot's titles, axes and legends, the table's headers."""
    stage, step = session.stage, session.stage.source
    texts = []
    if stage.kind in ("ask", "probe") and not getattr(step, "prompt", None):
        texts.append(stage.prompt)
    if stage.kind == "ask":
        texts += generated_hints(step, session.world, session.lang)
        texts += [mistake_message(c, session.world, session.lang)
                  for c in candidates(step, session.world, stage.expected, session.lang)]
    if drawable(session):
        texts += [t for c in cards(session) for t in (c.label or c.name, c.expr)]
        texts += [t for n in picture(session).nodes.values() for t in (*n.rules, n.label if n.kind == "op" else "")]
    try:
        drawn = figures(session)
    except Exception:  # noqa: BLE001 (a plot that cannot be computed is its own finding)
        drawn = []
    for fig in drawn:
        texts += [fig.heading, fig.title, fig.xlabel, fig.ylabel, *(s.label for s in fig.series)]
    texts += [k for row in session.table[-1:] for k in row]
    return texts


def _shown_findings(level: Level) -> list[tuple[str, str]]:
    labels = level.model.labels
    found = []
    for name, label in labels.items():
        if not isinstance(label, I18n) or not label.zh:
            found.append((f"model.labels.{name}", "a label gives the English and the Chinese ({en: …, zh: …})"))
    for where, item in shown_items(level):
        if not isinstance(item, str):
            continue
        if readable(item, level):
            continue
        if PLAIN.match(item) and all(readable(n, level) for n in names(parsed(item), constants=True)):
            continue
        found.append((where, unlabelled(item)))
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
        kind = kind_of(step)
        at = ".".join(str(p) for p in path)
        for j, item in enumerate(kind.table(step)):
            yield f"{at}.{kind.key}.table[{j}]", item
