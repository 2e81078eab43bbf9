"""A training plot's runs side by side: each run of the play is a series of its own, named in the
player's words by how it was run ("batch, η = 0.1", "SGD, η = 0.01"), its points the metrics on
all the data after each step (a batch's own loss is not the loss the legend names). A run that
diverged is drawn up to where it leaves the chart of the runs that did not."""

from __future__ import annotations

import math

import numpy as np

from gradquest.engine.explain import number
from gradquest.game.play import diverged

MAX_RUNS = 6  # the latest runs drawn; older ones make room (one glyph and colour each)
WORDS = {
    "batch": ("batch", "整批"),
    "sgd": ("SGD", "SGD"),
    "mini": ("mini-batch of {n}", "{n} 个点的小批量"),
    "lr": ("η = {v}", "η = {v}"),
    "steps": ("{v} steps", "{v} 步"),
    "run": ("run {n}", "第 {n} 次"),
}


def _say(key: str, lang: str, **values) -> str:
    return WORDS[key][lang == "zh"].format(**values)


def rows(world) -> int:
    """The number of data points a batch is drawn from (as `run_training` counts them)."""
    return max((len(v.data) for v in world.data.values() if np.ndim(v.data) >= 1), default=0)


def batched(level) -> bool:
    """Whether any run of the level uses batches (then every run says what batch it used)."""
    return any(getattr(s, "train", None) is not None and (s.train.batch_size or any(c.name == "batch_size" for c in s.train.choose))
               for s in level.steps)


def run_words(session, spec, settings: dict[str, float], n: int) -> str:
    """How a run was run, in the player's words: its batch (when the level uses batches) and the
    settings the player chose; "run n" when there is nothing to tell them apart."""
    lang, parts = session.lang, []
    if batched(session.level):
        size = settings.get("batch_size", spec.batch_size)
        whole = not size or int(size) >= rows(session.world)
        parts.append(_say("batch", lang) if whole else _say("sgd", lang) if int(size) == 1 else _say("mini", lang, n=int(size)))
    for c in spec.choose:
        if c.name != "batch_size":
            value = number(settings.get(c.name, c.default))
            parts.append(_say(c.name, lang, v=value) if c.name in WORDS else f"{c.name} = {value}")
    return ("，" if lang == "zh" else ", ").join(parts) or _say("run", lang, n=n)


def run_series(session, expr: str) -> list[tuple[str, list[float], list[float]]]:
    """(words, steps, values) of each run drawn, in the order run: `expr` on all the data after
    each step; a diverged run only up to where it leaves the chart of the runs that did not."""
    shown = list(enumerate(session.runs, 1))[-MAX_RUNS:]
    lines = [(run_words(session, spec, settings, n), [float(p.step) for p in history],
              [p.on_all.get(expr, math.nan) for p in history], history) for n, (spec, settings, history) in shown if history]
    calm = [y for *_, ys, history in lines if not diverged(history) for y in ys if math.isfinite(y)]
    top = max(calm, default=math.inf)
    out = []
    for words, xs, ys, history in lines:
        if diverged(history):
            kept = next((k for k, y in enumerate(ys) if not math.isfinite(y) or y > top), len(ys))
            xs, ys = xs[:kept] or xs[:1], ys[:kept] or ys[:1]
        out.append((words, xs, ys))
    return out
