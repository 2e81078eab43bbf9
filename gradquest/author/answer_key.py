"""The answer key of a level: every step with the engine's answer, the chain-rule terms that
give it, and the range of answers the game accepts (`gradquest solve`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from gradquest.author.autoplay import answer
from gradquest.engine.explain import number
from gradquest.game.answers import accepted_range
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level


@dataclass
class KeyEntry:
    path: str
    kind: str
    prompt: str
    answer: str  # the engine's answer, full precision
    shown: str  # as the game displays it
    accepted: str  # the accepted range, in words
    working: list[str] = field(default_factory=list)  # what the answer reveals: chain-rule terms…


def answer_key(level: Level, seed: int | None = None, lang: str = "en") -> Iterator[KeyEntry]:
    session = LevelSession(level, seed=seed, lang=lang)
    while not session.done:
        stage = session.stage
        if stage.kind == "say":
            session.advance()
            continue
        before = len(session.log)
        answer(session)  # a stage its answer does not move on stops the key at its step (a ModelError)
        working = [e.text for e in session.log[before:] if e.text]
        yield KeyEntry(stage.path, stage.kind, stage.prompt, stage.solution or "(Enter)",
                       _shown(stage), _accepted(stage), working)


def _shown(stage) -> str:
    if stage.expected is None:
        return stage.solution
    return number(np.asarray(stage.expected)) if np.ndim(stage.expected) else number(stage.expected)


def _accepted(stage) -> str:
    if stage.kind != "ask":
        return {"choose": "that option", "order": "that order", "match": "those pairs",
                "guess": "that number", "probe": "inputs meeting the goal",
                "train": "settings that reach the goal"}.get(stage.kind, "")
    tolerance = getattr(stage.source, "tolerance", None)
    values = np.ravel(np.asarray(stage.expected, dtype=float))
    ranges = [accepted_range(float(v), tolerance) for v in values]
    return "; ".join(f"[{number(lo, 8)}, {number(hi, 8)}]" for lo, hi in ranges)
