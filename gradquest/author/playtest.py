"""Headless playthroughs of a level, as `gradquest test` runs them:

1. auto-solve with the engine's answers, for every seed a randomised level is checked with: the
   level must finish;
2. at every ask, generated wrong answers (the answer ±10 %, a flipped sign) must be judged wrong
   and malformed ones must be refused without using an attempt;
3. the author's playthrough tests (`tests:` in the file) must get the verdicts they expect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gradquest.author.autoplay import answer, goal_not_reached
from gradquest.author.lint import seeds_for
from gradquest.game.session import LevelSession
from gradquest.model.errors import ModelError
from gradquest.game.memo import per_object
from gradquest.levels.schema import Level, Playthrough, every_step
from gradquest.levels.source import dotted

MALFORMED = ("", "abc", "1..2", "(1", "2 ☃", "__import__('os')")
MAX_STAGES = 100_000


@dataclass
class Result:
    level_id: str
    failures: list[str] = field(default_factory=list)
    checks: int = 0

    @property
    def passed(self) -> bool:
        return not self.failures


def playtest(level: Level) -> Result:
    result = Result(level.id)
    for seed in seeds_for(level):
        _auto_solve(level, seed, result)
    for test in level.tests:
        _author_test(level, test, result)
    return result


def _auto_solve(level: Level, seed: int, result: Result) -> None:
    drawn = f"--seed {seed}: " if level.randomised else ""  # a fixed level plays with its own seed
    try:
        session = LevelSession(level, seed=seed)
    except (ValueError, ArithmeticError) as err:
        result.failures.append(f"{drawn}the level cannot start: {err}")
        return
    asks, current = 0, None
    for _ in range(MAX_STAGES):
        if session.done:
            return
        stage = session.stage
        if stage is not current and stage.kind != "say":
            asks += 1
        current = stage
        where = drawn + place(level, stage.path, asks)
        if stage.kind in ("ask", "guess", "choose", "order", "match", "probe", "train") and stage.graded:
            _reject_malformed(session, result, where)
        if stage.kind == "ask":
            _reject_wrong(session, result, where)
        verdict = session.submit(stage.solution)
        result.checks += 1
        if stage.kind not in ("say", "probe", "train") and verdict.status != "correct":
            result.failures.append(f"{where}: the engine's answer {stage.solution!r} "
                                   f"got '{verdict.status}': {verdict.message}")
            return
        if stage.kind == "train" and verdict.status != "correct":  # "info": a free run that missed the goal
            result.failures.append(f"{where}: {goal_not_reached(session)}")
            return
    result.failures.append(f"{drawn}the level did not end within {MAX_STAGES} stages")


def place(level: Level, path: str, asks: int) -> str:
    """Where a playthrough is, in the words a test's `at:` uses: the step's id, else the ask's
    number counting from 1 ("at: db (steps[4])", "at: 4 (steps[3])")."""
    return f"at: {_step_ids(level).get(path) or asks} ({path})"


@per_object
def _step_ids(level: Level) -> dict[str, str]:
    """The steps' ids by their dotted path (looked up at every stage: built once per level)."""
    return {dotted(p): step.id for p, step in every_step(level.steps) if step.id}


def _reject_malformed(session: LevelSession, result: Result, where: str) -> None:
    stage = session.stage
    for typed in MALFORMED:
        if stage.kind == "train" and typed == "" or stage.kind == "match" and typed == "abc":
            continue  # Enter trains with the defaults; "abc" is a match written as letters
        before = session.attempts
        verdict = session.submit(typed)
        result.checks += 1
        if verdict.status != "invalid" or session.attempts != before or session.stage is not stage:
            result.failures.append(f"{where}: malformed input {typed!r} got "
                                   f"'{verdict.status}' (attempts {before} → {session.attempts})")


def _reject_wrong(session: LevelSession, result: Result, where: str) -> None:
    stage = session.stage
    expected = np.asarray(stage.expected, dtype=float)
    wrongs = [expected * 1.1, expected * 0.9] + ([-expected] if np.any(expected != 0) else [])
    for wrong in wrongs:
        if np.all(wrong == expected):
            continue
        typed = _as_input(wrong)
        verdict = session.submit(typed)
        result.checks += 1
        if verdict.status != "wrong":
            result.failures.append(f"{where}: the wrong answer {typed} got '{verdict.status}'")


def _author_test(level: Level, test: Playthrough, result: Result) -> None:
    for place, message in author_test(level, test, result):
        result.failures.append(f"test '{test.name}' ({place}): {message}")


def author_tests(level: Level, skip: set[int] = frozenset()) -> list[tuple[str, str]]:
    """The level's own tests played (as `gradquest check` runs them), but those in `skip`:
    (field, message) for each input that did not get what the test expects."""
    found, result = [], Result(level.id)
    for i, test in enumerate(level.tests):
        if i in skip:
            continue
        found += [(f"tests[{i}]{field}", message) for field, message in author_test(level, test, result)]
    return found


def author_test(level: Level, test: Playthrough, result: Result) -> list[tuple[str, str]]:
    """One test: play with the engine's answers up to `at` (a step id, or the n-th ask), then type
    the inputs. (field under the test, message) for each expectation not met."""
    seed = test.seed if test.seed is not None else level.model.seed
    try:
        session = LevelSession(level, seed=seed)
    except ModelError as err:
        return [("", f"the level cannot start: {err.message}")]
    start = _start_of(level, test.at)
    asks, current = 0, None
    try:
        while not session.done:
            stage = session.stage
            if isinstance(test.at, str):
                if stage.kind != "say" and (stage.path == start or stage.path.startswith(start + ".")):
                    break
            elif stage.kind != "say" and stage is not current:  # a probe's reading stays on its stage
                asks += 1
                if asks == test.at:
                    break
            current = stage
            answer(session)
        else:
            total = asks if isinstance(test.at, int) else None
            return [(".at", f"the level has fewer than {test.at} things to answer (asks, guesses, choices…)" if total is not None
                     else f"the step '{test.at}' asks nothing (a `say` or `set`): name a step the player answers")]
        problems = []
        for n, expect in enumerate(test.inputs):
            where = f".inputs[{n}]"
            while not session.done and session.stage.kind == "say":
                session.advance()
            if session.done:
                return problems + [(where, "the level had already ended")]
            verdict = session.submit(expect.input)
            result.checks += 1
            if verdict.status != expect.verdict:
                problems.append((where, f"{expect.input!r}: expected '{expect.verdict}', got '{verdict.status}': "
                                        f"{verdict.message}"))
            elif expect.diagnosis and verdict.diagnosis != expect.diagnosis:
                problems.append((where, f"{expect.input!r}: expected the diagnosis '{expect.diagnosis}', got "
                                        f"'{verdict.diagnosis}': {verdict.message}"))
        return problems
    except ModelError as err:
        return [("", f"{err.field}: {err.message}")]


def _start_of(level: Level, at) -> str:
    """The dotted path of the step a test names by id ("" when it counts asks)."""
    if isinstance(at, int):
        return ""
    return next((dotted(path) for path, step in every_step(level.steps) if step.id == at), "")


def _as_input(value: np.ndarray) -> str:
    if value.ndim == 0:
        return repr(float(value))
    return "(" + ", ".join(repr(float(v)) for v in np.ravel(value)) + ")"  # a matrix row after row, as the game reads it
