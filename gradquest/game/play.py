"""The flows of the steps that are games of their own: guessing a number, probing a hidden
function, choosing, ordering and matching, and training a model."""

from __future__ import annotations

import math
import re
from collections.abc import Generator, MutableMapping

import numpy as np

from gradquest.engine import Value
from gradquest.engine.explain import magnitude, number
from gradquest.engine.parser import VALUE_LIB, evaluate
from gradquest.game import answers, gate
from gradquest.game.answers import Unreadable
from gradquest.game.messages import say
from gradquest.model.evaluator import parsed
from gradquest.game.naming import in_words
from gradquest.game.naming import shown as shown_name
from gradquest.game.stage import Event, Stage, Verdict
from gradquest.game.steps import KIT, pretty
from gradquest.levels.kinds import kind_of
from gradquest.levels.common import Between
from gradquest.levels.schema import Guess, Probe, Train


def _read(session, reader, typed):
    """Read input inside a flow: (value, None), or (None, an invalid verdict to yield)."""
    return gate.read(reader, typed, session.lang)


# ---- guess the number

def guess_flow(session, step: Guess, index: int) -> Generator:
    spec, lang = step.guess, session.lang
    secret = float(session.world.evaluate(spec.secret)) if isinstance(spec.secret, str) \
        else session.world.draw(spec.secret)
    session.stage_hints = [session.words(h) for h in step.hints]
    prompt = session.words(step.prompt) if step.prompt else say("prompt.guess", lang)
    typed = yield Stage("guess", prompt=prompt, solution=number(secret).replace("−", "-"), step=index)
    tries = 0
    while True:
        value, invalid = _read(session, answers.read_number, typed)
        if invalid:
            typed = yield invalid
            continue
        tries += 1
        error = value - secret
        if abs(error) <= spec.within:
            par = guess_par(spec)
            yield Verdict("correct", say("correct.guess", lang, n=tries, par=par, cost=GUESS_PAST_PAR),
                          events=[Event("value", f"{number(value)} ✓", None, value)], points=guess_points(tries, par))
            return
        message = guess_feedback(session, spec, error)
        if tries >= spec.tries:
            yield Verdict("revealed", say("out_of_tries", lang, answer=number(secret)),
                          events=[Event("value", f"{number(value)}: {message}", None, value)])
            return
        typed = yield Verdict("wrong", message, "guess_high" if error > 0 else "guess_low",
                              events=[Event("value", f"{number(value)}: {message}", None, value)])


GUESS_PAST_PAR = 10  # points each guess past the par costs (a guess is the game, not a wrong answer)


def guess_par(spec) -> int:
    """The guesses halving needs at most: guessing the middle of what is still possible finds one
    of n numbers in ⌊log2 n⌋ + 1. A secret from a range the player is told has n whole numbers (or
    n steps of 2·`within`); any other secret is given half the tries."""
    secret = spec.secret
    if isinstance(secret, Between):
        lo, hi = secret.between
        if secret.integer:
            n = math.floor(hi) - math.ceil(lo) + 1
        elif spec.within > 0:
            n = math.ceil((hi - lo) / (2 * spec.within)) + 1
        else:
            n = 0
        if n >= 1:
            return min(spec.tries, math.floor(math.log2(n)) + 1)
    return max(1, math.ceil(spec.tries / 2))


def guess_points(tries: int, par: int) -> int:
    """Full points up to the par, then `GUESS_PAST_PAR` fewer for each guess past it."""
    return 100 - GUESS_PAST_PAR * max(0, tries - par)


def guess_feedback(session, spec, error: float) -> str:
    lang = session.lang
    for band in spec.bands:
        if (band.min is None or error >= band.min) and (band.max is None or error < band.max):
            return session.words(band.say)
    vague = say("diagnosis.guess_high" if error > 0 else "diagnosis.guess_low", lang)
    if spec.style == "vague":
        return vague
    return f"{vague} ({number(error)})" if spec.style == "quantitative" else number(error)


# ---- probe a hidden function

def probe_flow(session, step: Probe, index: int) -> Generator:
    spec, lang, world = step.probe, session.lang, session.world
    session.stage_hints = [session.words(h) for h in step.hints]
    prompt = session.words(step.prompt) if step.prompt else say("prompt.probe", lang, inputs=", ".join(
        shown_name(session.level, k, lang) for k in spec.inputs))
    solution = _format_inputs(solve_probe(spec, world))
    typed = yield Stage("probe", prompt=prompt, size=len(spec.inputs), solution=solution, step=index, source=step)
    tries = 0
    while True:
        reader = answers.read_number if len(spec.inputs) == 1 else lambda t: answers.read_vector(t, len(spec.inputs))
        value, invalid = _read(session, reader, typed)
        if invalid:
            typed = yield invalid
            continue
        inputs = dict(zip(spec.inputs, np.atleast_1d(value).tolist()))
        outside = next((k for k, v in inputs.items() if k in spec.range
                        and not spec.range[k][0] <= v <= spec.range[k][1]), None)
        if outside is not None:
            lo, hi = spec.range[outside]
            typed = yield Verdict("invalid", say("input.probe_range", lang, name=outside, min=number(lo), max=number(hi)))
            continue
        tries += 1
        shots = [probe_outputs(spec, world, inputs, noisy=True) for _ in range(spec.repeat)]
        seen = {k: float(np.mean([s[k] for s in shots])) for k in shots[0]}
        goal = seen["goal"]
        shown = ", ".join(f"{shown_name(session.level, k, lang)} = {number(v)}" for k, v in seen.items() if k != "goal")
        event = Event("value", f"{_format_inputs(list(inputs.values()))} → {shown}", None, seen)
        if _meets(goal, spec.goal):
            yield Verdict("correct", f"{shown}. " + say("correct", lang), events=[event])
            return
        if tries >= spec.tries:
            yield Verdict("revealed", f"{shown}. " + say("out_of_tries", lang, answer=solution), events=[event])
            return
        typed = yield Verdict("info", shown, events=[event])


def probe_env(world, inputs: dict) -> MutableMapping:
    """The model's values with the probe's inputs in place: an input that names a parameter (or a
    node) turns it, and the nodes that use it follow (a hidden node is a black box the player probes)."""
    return world.evaluator.with_values(world.value_env(), inputs)


def probe_outputs(spec, world, inputs: dict, noisy: bool) -> dict[str, float]:
    """The hidden function's outputs (with noise when `noisy`), the extra shown values and the goal."""
    env = probe_env(world, {k: Value(float(v)) for k, v in inputs.items()})
    outputs = {}
    for name, expr in spec.outputs.items():
        value = float(evaluate(parsed(expr), env, VALUE_LIB).data)
        if noisy and spec.noise.get(name):
            value += float(world.rng.normal(0.0, spec.noise[name]))
        outputs[name] = value
        env[name] = Value(value)
    for expr in spec.show:
        outputs[expr] = float(evaluate(parsed(expr), env, VALUE_LIB).data)
    outputs["goal"] = float(evaluate(parsed(spec.goal.expr), env, VALUE_LIB).data)
    return outputs


def solve_probe(spec, world) -> list[float]:
    """Inputs meeting the goal without noise, found with the engine's gradients (for `solve`
    and automatic play): gradient descent on how far the goal is missed, with backtracking."""
    def violation(x: np.ndarray) -> tuple[float, np.ndarray]:
        leaves = [Value(float(v)) for v in x]
        env = probe_env(world, dict(zip(spec.inputs, leaves)))
        for name, expr in spec.outputs.items():
            env[name] = evaluate(parsed(expr), env, VALUE_LIB)
        goal = evaluate(parsed(spec.goal.expr), env, VALUE_LIB)
        goal = goal if isinstance(goal, Value) else Value(goal)
        miss = Value(0.0)
        if spec.goal.max is not None:
            miss = miss + (goal - spec.goal.max * 0.5).relu()
        if spec.goal.min is not None:
            miss = miss + (spec.goal.min + (1 if spec.goal.min > 0 else 0.01) - goal).relu()
        loss = miss * miss
        loss.backward()
        return loss.data, np.array([leaf.grad for leaf in leaves])

    best = np.zeros(len(spec.inputs))
    for start in (np.zeros(len(spec.inputs)), np.ones(len(spec.inputs))):
        if spec.range:  # start inside the range the player may choose from
            start = np.array([np.clip(v, *spec.range.get(k, (-np.inf, np.inf))) for k, v in zip(spec.inputs, start)])
        x = start.copy()
        f, g = violation(x)
        step = 1.0
        for _ in range(500):
            if f == 0.0 or not np.any(g):
                break
            while step > 1e-12:
                trial = x - step * g
                ft, gt = violation(trial)
                if ft < f:
                    x, f, g = trial, ft, gt
                    step *= 2.0
                    break
                step *= 0.5
            else:
                break
        if f == 0.0 and _inside(spec, x):
            return [float(v) for v in x]
        best = x
    found = reach(spec, world)
    if found is None:  # nothing wins (`check` says so): at least an input the player may type
        found = [float(np.clip(v, *spec.range.get(k, (-np.inf, np.inf)))) for k, v in zip(spec.inputs, best)]
    return found


def _inside(spec, x) -> bool:
    return all(k not in spec.range or spec.range[k][0] <= v <= spec.range[k][1] for k, v in zip(spec.inputs, x))


def reachable(spec, world) -> bool:
    """Whether some input the player may type meets the probe's goal (without noise): the engine's
    own descent first, then a search of the whole range."""
    x = solve_probe(spec, world)
    goal = probe_outputs(spec, world, dict(zip(spec.inputs, x)), noisy=False)["goal"]
    return _inside(spec, x) and _meets(goal, spec.goal) or reach(spec, world) is not None


PROBE_GRID = {1: 2001, 2: 201}  # points per input searched for a goal (a line; a square)


def reach(spec, world) -> list[float] | None:
    """Inputs within the probe's range (default [−100, 100] each) that meet the goal without noise,
    found on a grid, or None: no player could meet it."""
    axes = [np.linspace(*spec.range.get(k, (-100.0, 100.0)), PROBE_GRID[len(spec.inputs)]) for k in spec.inputs]
    points = np.stack([g.ravel() for g in np.meshgrid(*axes, indexing="ij")], axis=1)
    with np.errstate(all="ignore"):
        env = probe_env(world, {k: Value(points[:, i]) for i, k in enumerate(spec.inputs)})
        for name, expr in spec.outputs.items():
            env[name] = evaluate(parsed(expr), env, VALUE_LIB)
        goal = evaluate(parsed(spec.goal.expr), env, VALUE_LIB)
    values = np.broadcast_to(np.asarray(goal.data if isinstance(goal, Value) else goal, dtype=float), len(points))
    ok = np.isfinite(values)
    if spec.goal.min is not None:
        ok &= values >= spec.goal.min
    if spec.goal.max is not None:
        ok &= values <= spec.goal.max
    hits = np.flatnonzero(ok)
    return None if not len(hits) else [float(v) for v in points[hits[len(hits) // 2]]]


def _meets(value: float, rule) -> bool:
    return math.isfinite(value) and (rule.min is None or value >= rule.min) and (rule.max is None or value <= rule.max)


def _format_inputs(values) -> str:
    values = list(values)
    if len(values) == 1:
        return repr(float(values[0]))
    return "(" + ", ".join(repr(float(v)) for v in values) + ")"


# ---- choose, order, match

def pick_flow(session, step, index: int) -> Generator:
    lang, rng, fill = session.lang, session.world.rng, session.words
    session.stage_hints = [fill(h) for h in step.hints]
    kind = kind_of(step)
    options, reader, solution, is_right, feedback = kind.pick(step, fill, rng, lang, KIT)
    typed = yield Stage(kind.key, prompt=session.words(step.prompt), options=options, solution=solution, step=index)
    tried = set()  # the wrong picks so far: the same one again costs no attempt
    while True:
        value, invalid = _read(session, reader, typed)
        if invalid:
            typed = yield invalid
            continue
        if is_right(value):
            events = [Event("explain", session.words(step.explain))] if step.explain else []
            yield Verdict("correct", say("correct", lang), events=events)
            return
        if repr(value) in tried:
            typed = yield Verdict("invalid", say("tried_already", lang))
            continue
        tried.add(repr(value))
        typed = yield Verdict("wrong", feedback(value), kind.key)


# ---- train

_SETTING = re.compile(r"(lr|steps|batch_size)\s*[=:]\s*([^\s,;]+)")


def read_settings(typed: str, spec) -> dict[str, float]:
    """`lr=0.5 steps=100` within the ranges the level allows; anything left out keeps its default."""
    settings = {c.name: c.default for c in spec.choose}
    choosable = {c.name: c for c in spec.choose}
    found = _SETTING.findall(typed)
    bare = [v for v in re.split(r"[\s,;]+", typed.strip()) if v]
    if bare and not found and len(bare) <= len(choosable):  # the values alone, in the order shown
        found = list(zip(choosable, bare))
    if typed.strip() and not found:
        raise Unreadable("settings", 0, (("names", ", ".join(choosable) or "—"),))
    for name, raw in found:
        if name not in choosable:
            raise Unreadable("settings", 0, (("names", ", ".join(choosable) or "—"),))
        value = answers.read_number(raw)
        c = choosable[name]
        if not c.min <= value <= c.max:
            raise Unreadable("setting_range", 0, (("name", name), ("min", number(c.min)), ("max", number(c.max))))
        settings[name] = value
    return settings


def train_flow(session, step: Train, index: int, run_training) -> Generator:
    spec, lang, world = step.train, session.lang, session.world
    if step.say:
        yield Stage("say", body=session.words(step.say), step=index, graded=False)
        yield Verdict("info", "")
    form = " ".join(f"{c.name}={number(c.default)}" for c in spec.choose)
    bare = ", ".join(number(c.default) for c in spec.choose)
    prompt = say("prompt.train", lang, form=form, bare=bare) if spec.choose else say("prompt.train_fixed", lang)
    typed = yield Stage("train", prompt=prompt, solution="", step=index)
    start = {k: v.data for k, v in world.params.items()}
    while True:
        settings, invalid = _read(session, lambda t: read_settings(t, spec), typed)
        if invalid:
            typed = yield invalid
            continue
        for name, value in start.items():  # every run starts afresh; a failed run's model stays drawn until then
            world.params[name].data = value
        world.changed()
        history = session.training = []
        session.runs.append((spec, settings, history))  # drawn beside the runs before it, growing as it runs
        with np.errstate(all="ignore"):  # a run that blows up is named below, not warned about on stderr
            for point in run_training(world, spec, settings):
                history.append(point)
                if session.on_train is not None:
                    session.on_train(point)
        last = history[-1]
        summary = ", ".join(f"{pretty(in_words(session.level, k, lang))} {magnitude(v)}" for k, v in last.metrics.items())
        events = [Event("info", say("event.trained", lang, steps=sum(not p.final for p in history), summary=summary))]
        if spec.win is None or _meets(last.metrics.get(spec.win.expr, math.nan), spec.win):
            yield Verdict("correct", say("correct", lang), events=events)
            return
        status = "info" if spec.explore else "wrong"  # trying settings the level invites costs nothing
        typed = yield Verdict(status, _missed(session, spec, history), "train", events=events)


def diverged(history) -> bool:
    """Whether a run blew up: its loss ends not finite, or ten times what it was at the start."""
    first, last = history[0].loss, history[-1].loss
    return not math.isfinite(last) or (first > 0 and last >= 10 * first)


def _missed(session, spec, history) -> str:
    """Why a run did not win: the step too big (it diverged), or the goal not reached."""
    lang, last = session.lang, history[-1]
    if diverged(history):
        metric = pretty(in_words(session.level, spec.loss, lang))
        if math.isfinite(last.loss):
            return say("diagnosis.diverged", lang, metric=metric, value=magnitude(last.loss))
        biggest = max((p.loss for p in history if math.isfinite(p.loss)), default=math.inf)
        return say("diagnosis.overflowed", lang, metric=metric, value=magnitude(biggest))
    goal = f"≥ {number(spec.win.min)}" if spec.win.min is not None else f"≤ {number(spec.win.max)}"
    return say("diagnosis.train", lang, metric=pretty(in_words(session.level, spec.win.expr, lang)),
               value=number(last.metrics.get(spec.win.expr, math.nan)), goal=goal)
