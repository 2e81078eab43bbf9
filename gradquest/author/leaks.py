"""The leak rule: at an ask, its answer must not be readable on the screen already.

What a screen can show at that moment is computed by the game layer, and `check` looks there
while it plays the level with the engine's answers. The answer leaks when a number the checker would
accept for it (as the game displays it, or rounded but still within the tolerance) can be read in:

- the asked node's own card (its value for a forward ask, its gradient for a gradient ask), or
  another node's card holding the answer (for any ask but a gradient's, whose answer is often a
  value on the graph by right: ∂(x·y)/∂x = y);
- what a card gives away by one step of arithmetic: a node that is one name plus, minus, times or
  over a number (num = e − 1, den = e + 1) shows that name's value too (4.077 + 1 = e);
- the plot: its title, axes and legends (a marker's legend is the parameter's given value);
- the iteration table;
- the narration and prompts read so far.

A number the player has already worked out is no leak (the chain rule often multiplies a known
number by 1), and outside the asked node's own card neither is an answer of one or two
significant figures: a 2 or a 0.5 in a sentence gives nothing away, a 0.3293 does.

An ask whose answer the level means to give away says `given: true`.

Between the asks, the graph keeps the value of a node asked later only when a step before that ask
changes what the node is computed from (`figures/graph_cards.py`); `early_values` checks that the value
shown then really is not that ask's answer (an update with a zero gradient would leave it as is).
"""

from __future__ import annotations

import re

import numpy as np

from gradquest.engine.explain import number
from gradquest.engine.parser import Binary, Name, Num
from gradquest.game.answers import DEFAULT_TOLERANCE, close, close_to_any
from gradquest.figures.graph_cards import HIDDEN, cards, drawable
from gradquest.author.picture_leaks import drawn, picture_leaks
from gradquest.author.round_leaks import round_leaks
from gradquest.model.world import parsed
from gradquest.levels.kinds import asked_value, kind_of

MIN_FIGURES = 3
NUMBER = re.compile(r"(?<![\w.])[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?(?![\w.]*\d)")


def screen(session, narration: list[str]) -> dict[str, list[str]]:
    """What the screen can show now that could give the current answer away, by where."""
    stage, step = session.stage, session.stage.source
    shown: dict[str, list[str]] = {"own card": [], "card": [], "plot": [], "table": [], "text": [*narration, stage.prompt]}
    if drawable(session):
        card = kind_of(step).card  # the field of the asked node's card that is the answer
        for c in cards(session):
            if c.name == stage.node and card == "value" and c.value != HIDDEN:
                shown["own card"].append(f"{c.label or c.name} = {c.value}")
            elif c.name == stage.node and card == "grad" and c.grad != HIDDEN:
                shown["own card"].append(f"∂/∂{c.label or c.name} = {c.grad}")
            elif c.name in session.level.model.nodes and c.value != HIDDEN:
                if card != "grad":
                    shown["card"].append(f"{c.label or c.name} = {c.value}")
                if solved := _solved(session.level.model.nodes[c.name], c.value):
                    name, value = solved
                    shown["card"].append(f"{c.label or c.name} = {c.value}, so {session.level.label(name, session.lang)} "
                                         f"= {number(value)}")
    for fig in drawn(session):
        shown["plot"] += [fig.heading, fig.title, fig.xlabel, fig.ylabel] + [s.label for s in fig.series if s.style != "marker"]
    for row in session.table:
        shown["table"] += [f"{k} {_shown(v)}" for k, v in row.items()]
    return shown


def _solved(expr: str, shown: str) -> tuple[str, float] | None:
    """For a card whose node is one name plus, minus, times or over a number, the name and the value
    the card's number gives it: num = e − 1 showing 4.077 gives e = 5.077."""
    try:
        v = float(shown.replace("−", "-"))
        tree = parsed(expr)
    except ValueError:
        return None
    if type(tree) is not Binary or tree.op not in "+-*/":
        return None
    if type(tree.left) is Name and type(tree.right) is Num:
        y, c = tree.left.id, tree.right.value
        solved = {"+": v - c, "-": v + c, "*": v / c if c else None, "/": v * c}[tree.op]
    elif type(tree.left) is Num and type(tree.right) is Name:
        y, c = tree.right.id, tree.left.value
        solved = {"+": v - c, "-": c - v, "*": v / c if c else None, "/": c / v if v else None}[tree.op]
    else:
        return None
    return None if solved is None else (y, solved)


def _shown(value) -> str:
    return number(float(np.mean(value))) if np.ndim(value) else number(value)


def leaks(session, narration: list[str]) -> list[str]:
    """Where the current ask's answer can be read, as 'plot: 63 in "slope 63"', or measured on the
    plot (`picture_leaks`)."""
    stage = session.stage
    step = stage.source
    if getattr(step, "given", False):
        return []
    tolerance = getattr(step, "tolerance", None) or DEFAULT_TOLERANCE
    answer = np.ravel(np.asarray(stage.expected, dtype=float))  # a matrix answer: its entries
    fresh = [not close_to_any(x, session.worked_out, tolerance) for x in answer]  # the numbers worked out grow
    found, shown = [], screen(session, narration)
    for where, texts in shown.items():
        for body in texts:
            tokens = {float(t.replace("−", "-")) for t in NUMBER.findall(body or "")}
            seen = [any(close(t, x, tolerance) for t in tokens) for x in answer]
            for x, new, hit in zip(answer, fresh, seen):
                if new and hit and (where == "own card" or _figures(float(x)) >= MIN_FIGURES):
                    found.append(f"{where}: {number(x)} in \"{_excerpt(body)}\"")
            if 1 < answer.size <= 3 and any(fresh) and max(map(_figures, answer)) >= 2 and _written(answer, body, tolerance):
                found.append(f"{where}: the whole answer ({_point(answer)}) in \"{_excerpt(body)}\"")  # (−2.4, −2.4)
        if where == "card" and answer.size > 1 and any(fresh) and _in_cards(answer, texts, tolerance):
            found.append(f"card: the whole answer ({_point(answer)}) in the graph's boxes")  # bx = 2, by = 1
    found += round_leaks(session, shown, session.worked_out, tolerance)
    return list(dict.fromkeys(found + picture_leaks(session, answer, tolerance, fresh)))


def _point(answer) -> str:
    return ", ".join(number(float(x)) for x in answer)


def _written(answer, body: str, tolerance) -> bool:
    """A vector answer written out in a text: its entries (a repeated one once: (−2.4, −2.4) as
    "x goes 4 → −2.4") one after the other among the text's numbers."""
    entries = [float(x) for i, x in enumerate(answer) if i == 0 or x != answer[i - 1]]
    tokens = [float(t.replace("−", "-")) for t in NUMBER.findall(body or "")]
    return any(all(close(t, x, tolerance) for t, x in zip(tokens[i:], entries))
               for i in range(len(tokens) - len(entries) + 1))


def _in_cards(answer, cards: list[str], tolerance) -> bool:
    """Each entry of a vector answer on a box of its own (a box the player reads, not one solved for)."""
    plain = [{float(t.replace("−", "-")) for t in NUMBER.findall(c)} for c in cards if ", so " not in c]
    used: set[int] = set()
    for x in answer:
        box = next((i for i, tokens in enumerate(plain) if i not in used and any(close(t, x, tolerance) for t in tokens)),
                   None)
        if box is None:
            return False
        used.add(box)
    return True


def _figures(x: float) -> int:
    """Significant figures of x as the game displays it: 0.5 has 1, 150.218 has 6."""
    return len(re.sub(r"[^0-9]", "", number(x).split("e")[0]).lstrip("0"))


def _excerpt(body: str) -> str:
    body = " ".join(body.split())
    return body if len(body) <= 70 else body[:67] + "…"


def graph_moment(session) -> tuple[dict[str, str], str | None, str | None, str, tuple[str, ...] | None, dict]:
    """At this stage: the values the graph shows that the player has not worked out, the node whose
    value is asked (if any) with its answer, the stage's path, a vector ask's answer as shown, and
    the nodes' boxes among the values shown (not the parameters: they are given)."""
    stage, step = session.stage, session.stage.source
    given = getattr(step, "given", False)
    asked = None if given else asked_value(step)
    shown = {c.name: c.value for c in cards(session) if c.value != HIDDEN and ("value", c.name) not in session.known}
    vector = None
    if stage.kind == "ask" and not given and np.size(stage.expected) > 1:
        vector = tuple(number(float(x)) for x in np.ravel(np.asarray(stage.expected, dtype=float)))
    boxes = {n: v for n, v in shown.items() if n in session.level.model.nodes}
    return (shown, asked if stage.kind == "ask" else None, number(stage.expected) if asked else None, stage.path,
            vector, boxes)


def early_values(moments) -> list[tuple[str, str]]:
    """(path of the ask, node) for each ask whose answer the graph showed at an earlier stage."""
    found: list[list[tuple[str, str]]] = []  # per stage, from the last one back (one pass, not one per stage)
    coming: dict[str, tuple[str, str, int]] = {}  # node → the first ask of it from this stage on: answer, path, index
    for i in range(len(moments) - 1, -1, -1):
        shown, asked, answer, path, *_ = moments[i]
        if asked is not None:
            coming[asked] = (answer, path, i)
        hits = sorted((coming[node][2], node) for node, value in shown.items()
                      if node in coming and coming[node][0] == value)
        found.append([(coming[node][1], node) for _, node in hits])
    return list(dict.fromkeys(pair for hits in reversed(found) for pair in hits))


def early_points(moments) -> list[tuple[str, str]]:
    """(path of a vector ask, the boxes) when the graph showed every entry of its answer, each in a
    box of its own, on a screen read since the ask before it: ∇f = (2, 1) after bx = 2, by = 1."""
    found, since = [], 0
    for i, (_, _, _, path, vector, _) in enumerate(moments):
        if vector is None:
            continue
        for *_, shown in moments[since:i]:
            boxes, free = [], dict(shown)
            for entry in vector:
                name = next((n for n, v in free.items() if v == entry), None)
                if name is None:
                    break
                boxes.append(f"{name} = {free.pop(name)}")
            else:
                found.append((path, ", ".join(boxes)))
                break
        since = i + 1
    return list(dict.fromkeys(found))
