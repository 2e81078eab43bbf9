"""The leak rule for a level whose numbers are hand-sized (`hand_sized: true`): its answers are
round (z1 = (−1, 2), ∂L/∂W2 = (0, −3)), and the leak rule's digits-alone search skips an answer of
one or two significant figures, since a 2 or a 0.5 in a sentence gives nothing away. Here a round
answer is looked for *where it is asked*: a text, a card or a table row that names the asked
quantity with a value (`z1 = (−1, 2)`, `net ≈ −0.5`, `∂L/∂W2 = (0, −3)`), in either language."""

from __future__ import annotations

import re

import numpy as np

from gradquest.engine.explain import number
from gradquest.game.answers import close, close_to_any

MIN_FIGURES = 3  # as the leak rule's: below it an answer is round
NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?")


def round_leaks(session, shown: dict[str, list[str]], worked, tolerance) -> list[str]:
    """Where a round answer of the current ask is stated next to the name of what is asked."""
    if not getattr(session.level, "hand_sized", False):
        return []
    round_ = [x for x in np.ravel(np.asarray(session.stage.expected, dtype=float))
              if _figures(x) < MIN_FIGURES and not close_to_any(x, worked, tolerance)]
    names = asked_names(session)
    if not round_ or not names:
        return []
    stated = re.compile(r"(?<![\w∂/])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                        + r")\s*(?:=|≈|is|为|是)\s*(\[\[[^\n]{0,160}?\]\]|[(\[][^)\]]{0,80}[)\]]|[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?)")
    found = []
    for where, texts in shown.items():
        if where == "own card":  # the leak rule reads it for every answer already
            continue
        for body in texts:
            for m in stated.finditer(body or ""):
                values = [float(t.replace("−", "-")) for t in NUMBER.findall(m.group(1))]
                found += [f"{where}: {number(x)} stated as \"{_excerpt(m.group(0))}\"" for x in round_
                          if any(close(v, x, tolerance) for v in values)]
    return found


def asked_names(session) -> set[str]:
    """The ways the screen can name the asked quantity: the node's name and labels, the ask's
    `name`, and for a gradient ∂out/∂x (names or labels) and d<out>_d<x>."""
    stage, level = session.stage, session.level
    step, node = stage.source, stage.node
    if node is None:
        return {step.name} if getattr(step, "name", None) else set()
    labels = {node, level.label(node, "en"), level.label(node, "zh")}
    if getattr(step, "gradient", None) is None:
        return labels | ({step.name} if getattr(step, "name", None) else set())
    out = step.of or session.world.output.label
    outs = {out, level.label(out, "en"), level.label(out, "zh")}
    return {f"∂{o}/∂{x}" for o in outs for x in labels} | {f"d{out}_d{node}"}


def _figures(x: float) -> int:
    return len(re.sub(r"[^0-9]", "", number(x).split("e")[0]).lstrip("0"))


def _excerpt(body: str) -> str:
    body = " ".join(body.split())
    return body if len(body) <= 50 else body[:47] + "…"
