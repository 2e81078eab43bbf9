"""Playing a level with the engine's own answers, as `check`, `test` and `solve` do: a stage that
does not move on is a problem at its step, never a loop (training is deterministic, so training
again with the same settings would never win)."""

from __future__ import annotations

import math

from gradquest.engine.explain import number
from gradquest.model.errors import ModelError
from gradquest.game.session import LevelSession
from gradquest.game.stage import Verdict
from gradquest.levels.schema import every_step
from gradquest.levels.source import dotted


def answer(session: LevelSession) -> Verdict:
    """Submit the engine's answer to the current stage; a noisy probe is tried again until it
    meets its goal or its tries run out. Raises `ModelError` at the stage's step when the stage
    does not move on."""
    stage = session.stage
    verdict = session.submit(stage.solution)
    while session.stage is stage and stage.kind == "probe" and verdict.status in ("info", "wrong"):
        verdict = session.submit(stage.solution)  # the probe's `tries` (at most 200) end it
    if session.stage is stage and stage.kind != "say":
        raise ModelError(stage.path, stuck(session, verdict))
    return verdict


def stuck(session: LevelSession, verdict: Verdict) -> str:
    """Why the engine's own answer did not move the current stage on."""
    stage = session.stage
    if stage.kind == "train":
        return goal_not_reached(session)
    if stage.kind == "guess":
        return f"the secret {stage.solution} cannot be typed exactly: add `within:`"
    return f"the engine's own answer {stage.solution!r} was not accepted: {verdict.message}"


def goal_not_reached(session: LevelSession) -> str:
    """"the goal acc ≥ 0.99 was not reached with the default settings within 200 steps (it reached 0.825)"."""
    path = session.stage.path
    win = next(step for at, step in every_step(session.level.steps) if dotted(at) == path).train.win
    goal = f"≥ {number(win.min)}" if win.min is not None else f"≤ {number(win.max)}"
    steps = sum(not p.final for p in session.training)
    reached = session.training[-1].metrics.get(win.expr, math.nan) if session.training else math.nan
    return (f"the goal {win.expr} {goal} was not reached with the default settings within {steps:,} steps "
            f"(it reached {number(reached)}): change the defaults or the goal")
