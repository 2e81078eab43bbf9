"""Linting a level as code: its plot can be computed, every ask is solvable and its answer finite,
the value the game displays is accepted, and the foreseeable wrong answers (the author's
misconceptions, a flipped sign, the answer ±10 %) are rejected. Bundled levels must also be
bilingual and name a source."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from gradquest.engine.explain import number
from gradquest.game.answers import DEFAULT_TOLERANCE, Unreadable, close, is_matrix, reader_for
from gradquest.game.play import reachable
from gradquest.figures.plots import figures
from gradquest.game.session import LevelSession
from gradquest.author.autoplay import goal_not_reached
from gradquest.author.leaks import early_points, early_values, graph_moment, leaks
from gradquest.author.picture_leaks import early_runs, path_steps, reached_points
from gradquest.author.played_words import played_word_findings
from gradquest.author.player_words import player_word_findings
from gradquest.author.typography import text_typography
from gradquest.model.world import ModelError
from gradquest.engine.slips import SLIPS
from gradquest.game.diagnose import candidates, near
from gradquest.levels.kinds import kind_of
from gradquest.levels.schema import NUMBER_SLOT, Level, every_step

SEEDS_FOR_RANDOM = (0, 1, 2)


@dataclass(frozen=True)
class Finding:
    field: str  # e.g. steps[3] or model.nodes.z
    message: str


def seeds_for(level: Level) -> tuple[int, ...]:
    """Randomised levels are checked with several seeds; fixed ones with their own."""
    return SEEDS_FOR_RANDOM if level.randomised else (level.model.seed,)


def lint(level: Level, bundled: bool = False) -> list[Finding]:
    findings: list[Finding] = []  # what a level costs is refused at load (levels.budgets)
    if bundled:
        findings += _bundled_rules(level)
    for seed in seeds_for(level):
        findings += _play_and_check(level, seed)
    return list(dict.fromkeys(findings))  # the same finding from several seeds once


def _round_numbers(level: Level) -> set[float]:
    """The whole numbers the level's texts name (150 in "the target is z = 150")."""
    dumped = level.model_dump(exclude={"model", "tests"}, exclude_none=True)
    found = set()
    for _, value in _texts(dumped, ""):
        for body in ([value] if isinstance(value, str) else value.values()):
            found |= {float(n) for n in _WHOLE.findall(NUMBER_SLOT.sub("", body or ""))}
    return found


_WHOLE = re.compile(r"(?<![\w.])\d+(?![\w.]*\d)")


def _play_and_check(level: Level, seed: int) -> list[Finding]:
    drawn = f" (with the random draws of --seed {seed})" if level.randomised else ""
    try:
        session = LevelSession(level, seed=seed)
    except ModelError as err:
        return [Finding(err.field, err.message + drawn)]
    findings = _check_plot(session)
    named = _round_numbers(level)
    narration: list[str] = []  # what the player has read so far
    moments = []  # what the graph shows at each stage, for answers shown before their ask
    runs = []  # at each ask: the steps the plot's paths draw and the player's points so far, for runs drawn early
    guard = 0
    while not session.done:
        stage = session.stage
        moments.append(graph_moment(session))
        guard += 1
        if guard > 100_000:
            return findings + [Finding(stage.path, "the level does not end (more than 100,000 stages)")]
        if stage.kind != "say":
            runs.append((stage.path, path_steps(session), reached_points(session)))
        if stage.kind == "ask":
            findings += _check_ask(stage, session, named)
            findings += _coinciding_slips(stage, session)
            findings += [Finding(stage.path, f"the answer can be read on the screen before it is asked ({where}); "
                                             "hide it, or mark the ask `given: true`") for where in leaks(session, narration)]
        narration += [stage.body, *stage.options] if stage.kind != "ask" else []
        if stage.kind == "probe" and not reachable(stage.source.probe, session.world):
            spec = stage.source.probe
            where = ", ".join(f"{k} in [{number(spec.range[k][0])}, {number(spec.range[k][1])}]" if k in spec.range
                              else f"{k} in [−100, 100]" for k in spec.inputs)
            findings.append(Finding(f"{stage.path}.probe.goal", f"no input ({where}) meets the goal (without noise): "
                                                                "the player can never win this probe; declare "
                                                                "the inputs' `range:` or change the goal"))
        try:
            verdict = session.submit(stage.solution)
        except ModelError as err:
            return findings + [Finding(err.field, err.message + drawn)]
        if stage.kind != "say" and verdict.status != "correct" and session.stage is stage:
            if stage.kind == "probe" and verdict.status in ("info", "wrong"):
                continue  # a noisy probe: the solution is tried again
            if stage.kind == "guess":
                return findings + [Finding(f"{stage.path}.guess.secret", f"the secret {stage.solution} cannot be "
                                                                         "typed exactly: add `within:`")]
            if stage.kind == "train":  # training is deterministic: another try would loop for ever
                return findings + [Finding(stage.path, goal_not_reached(session))]
            return findings + [Finding(stage.path, f"the engine's own answer {stage.solution!r} was not accepted: "
                                                   f"{verdict.message}")]
        narration += [e.text for e in verdict.events if e.kind == "explain"]  # read before the next ask
    findings += [Finding(path, f"the plot draws the run this ask is about before it is asked: the point {point}, "
                               "which the parameters reach only after it; draw that path from a later step "
                               "(`reveal_at:` on the path)") for path, point in early_runs(runs, reached_points(session))]
    findings += [Finding(path, f"the graph shows this ask's answer before it is asked ({boxes}): hide those nodes "
                               "until the ask is answered (`reveal_at:`)") for path, boxes in early_points(moments)]
    return findings + [Finding(path, f"the graph shows {node}'s value, this ask's answer, at an earlier stage: "
                                     f"the steps before the ask leave {node} as it was; ask it before them, or "
                                     "mark the ask `given: true`") for path, node in early_values(moments)]


def _check_plot(session) -> list[Finding]:
    """The level's plot, built once at the start: an error drawing it is the author's to fix."""
    try:
        figures(session)
    except Exception as err:  # noqa: BLE001 (any failure to compute a plot is a finding)
        return [Finding("plot", f"the plot cannot be computed: {err}")]
    return []


SLIPS_BY_NAME = {s.name: s.op for s in SLIPS}  # each op's wrong local rules, by name


def _coinciding_slips(stage, session) -> list[Finding]:
    """Two wrong rules of one op that give the same number at a local ask (at x = 2, x^(2−1) and the
    bare exponent 2 of ∂(x^2)/∂x): the player who makes the second is told the first. Switching one
    off says which is meant."""
    step = stage.source
    if kind_of(step).asks != "local":  # along a gradient the first slip met speaks; a local ask is the rule itself
        return []
    off = set(getattr(step, "slips_off", ()))
    found = [c for c in candidates(step, session.world, stage.expected, "en") if c.code in SLIPS_BY_NAME
             and c.code not in off and not near(c.value, stage.expected, None)]  # the right number is never a slip
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            if a.code != b.code and SLIPS_BY_NAME[a.code] == SLIPS_BY_NAME[b.code] and near(a.value, b.value, None):
                return [Finding(stage.path, f"the slips {a.code} and {b.code} give the same number here "
                                            f"({number(a.value)}): a player making {b.code} is told {a.code}; "
                                            f"change the numbers, or say which you mean with `slips_off: [{b.code}]`")]
    return []


def _check_ask(stage, session, named: set[float] = frozenset()) -> list[Finding]:
    step, expected = stage.source, stage.expected
    tolerance = getattr(step, "tolerance", None) or DEFAULT_TOLERANCE
    where = stage.path
    values = np.atleast_1d(np.asarray(expected, dtype=float))
    if not np.all(np.isfinite(values)):
        return [Finding(where, f"the answer is {number(expected)} at seed {session.world.seed}: not a finite number")]
    found = []
    shown = _shown(expected)
    try:
        as_read = reader_for(expected)(shown)
    except Unreadable:
        as_read = None
    if as_read is None or not close(as_read, expected, tolerance):
        found.append(Finding(where, f"the value the game displays, {shown}, would not be accepted"))
    if np.any((np.abs(values) <= tolerance.abs) & (values != 0)):
        found.append(Finding(where, f"the answer {shown} is within the absolute tolerance {tolerance.abs} of 0, "
                                    "so 0 would be accepted: set a smaller tolerance.abs"))
    if np.any(values != 0) and close(-np.asarray(expected), expected, tolerance):
        found.append(Finding(where, "a flipped sign would be accepted: tighten the tolerance"))
    for factor in (1.1, 0.9):
        if np.any(values != 0) and close(np.asarray(expected) * factor, expected, tolerance):
            found.append(Finding(where, f"the answer ×{factor} would be accepted: tighten the tolerance"))
    for n in sorted(named):  # the misconception the story invites: "z = 150" for 150.218
        if values.size == 1 and not np.isclose(n, values[0], rtol=1e-9, atol=0) and close(n, expected, tolerance):
            found.append(Finding(where, f"{number(n)}, a round number the level names, would be accepted for "
                                        f"{shown}: tighten the tolerance"))
    for i, m in enumerate(getattr(step, "misconceptions", [])):
        if m.expr is None:
            continue
        try:
            wrong = session.world.evaluate(m.expr)
        except (ValueError, KeyError, ArithmeticError) as err:
            found.append(Finding(f"{where}.misconceptions[{i}]", f"cannot be evaluated: {err}"))
            continue
        if np.size(wrong) != values.size:
            found.append(Finding(f"{where}.misconceptions[{i}]", _shape_mismatch(np.size(wrong), values.size)))
            continue
        if close(wrong, expected, tolerance):
            found.append(Finding(f"{where}.misconceptions[{i}]",
                                 f"equals the right answer ({number(wrong)}), so it can never be diagnosed"))
    return found


def _shape_mismatch(got: int, wanted: int) -> str:
    said = "one number" if got == 1 else f"{got} numbers"
    asked = "one number" if wanted == 1 else f"{wanted} numbers, like (1, 2)"
    return f"gives {said}, but the ask takes {asked}: it can never match an answer"


def _shown(expected) -> str:
    if isinstance(expected, np.ndarray) and not is_matrix(expected):
        return "(" + ", ".join(number(v) for v in expected) + ")"
    return number(expected)


def _bundled_rules(level: Level) -> list[Finding]:
    findings = []
    if not level.source:
        findings.append(Finding("source", "a bundled level names the seed passage it comes from"))
    dumped = level.model_dump(exclude={"model", "tests"}, exclude_none=True)
    for where, value in _texts(dumped, ""):
        if isinstance(value, str) or not value.get("zh"):
            findings.append(Finding(where, "a bundled level gives every text in English and Chinese ({en: …, zh: …})"))
    findings += [Finding(where, message) for where, message in player_word_findings(level, _texts(dumped, ""))]
    findings += [Finding(where, message) for where, message in played_word_findings(level, _texts(dumped, ""))]
    findings += [Finding(where, message) for where, message in text_typography(_texts(dumped, ""))]
    for path, step in every_step(level.steps):
        findings += [Finding(_step_path(path) + field, message) for field, message in kind_of(step).bundled_findings(step)]
    return findings


_TEXT_FIELDS = {"title", "story", "teaches", "say", "prompt", "hints", "feedback", "explain", "options", "why", "order",
                "match", "label", "notes"}


def _texts(node, where: str):
    """Every player-facing text in a dumped level: (field path, value)."""
    if isinstance(node, dict):
        if set(node) <= {"en", "zh"} and "en" in node:
            yield where, node
            return
        for k, v in node.items():
            path = f"{where}.{k}" if where else k
            if k in _TEXT_FIELDS:
                yield from _text_values(v, path)
            else:
                yield from _texts(v, path)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _texts(v, f"{where}[{i}]")


def _text_values(value, where: str):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict) and set(value) <= {"en", "zh"}:
        yield where, value
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _text_values(v, f"{where}[{i}]")
    elif isinstance(value, dict):
        yield from _texts(value, where)


def _step_path(path: tuple) -> str:
    """("steps", 3, "iterate", "steps", 0) → steps[3].iterate.steps[0]"""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
