"""A level being played: the headless game every front end drives.

The flow of a level is written as one generator (`_flow`) that yields a `Stage` whenever the
player has something to read or answer and receives what they typed. The session wraps it with
the bookkeeping: verdicts, attempts, hints, score and the step log. Given a seed it is
deterministic, so a level resumes by replaying correct answers up to the saved position.
"""

from __future__ import annotations

import math
import re
from collections.abc import Generator

import numpy as np

from gradquest.engine.explain import number
from gradquest.game import answers, gate
from gradquest.game.answers import Unreadable, close
from gradquest.game.diagnose import diagnose
from gradquest.model.errors import ModelError, debug_traceback, reason
from gradquest.game.messages import say
from gradquest.game.play import guess_flow, pick_flow, probe_flow, train_flow
from gradquest.game.stage import Event, Stage, Verdict
from gradquest.game.naming import in_words, model_inputs, term
from gradquest.game.steps import expected_answer, generated_hints, pretty, prompt_for, reveal_events
from gradquest.model.training import run_training
from gradquest.game.transcript import Entry
from gradquest.model.world import World, fill_numbers
from gradquest.levels.kinds import kind_of
from gradquest.levels.schema import Iterate, Level, Set, expr_of, text

ABS = re.compile(r"\babs\(([^()]*)\)")  # abs(x) as |x|
GRADIENT = re.compile(r"\bd([A-Za-z]\w*?)_d([A-Za-z]\w*)\b")  # dloss_dw as ∂loss/∂w
POINTS_FIRST_TRY = 100
PENALTY_WRONG = 25
PENALTY_HINT = 20
FLOOR_SOLVED = 20


UNNAMED = ("too_big", "too_small", "entries", "magnitude")  # verdicts that name no mistake

class LevelSession:
    def __init__(self, level: Level, seed: int | None = None, lang: str = "en", resume_at: int = 0,
                 answers: list[str | None] = (), points: list[int] = (), pending: list[str | None] = ()):
        """`resume_at` stages are replayed as they were played: with the `answers` accepted then
        (None: the answer was shown), else the engine's; an ask that scored 0 `points` was shown.
        Then the ask in progress gets again what was `pending` there (see `here`): the same wrong
        answers, with their verdicts, and the same hints, with their cost."""
        self.level, self.lang = level, lang
        self.world = World(level, seed)
        self.log: list[Event] = []
        self.transcript: list[Entry] = []  # everything said and typed, in order (see transcript.py)
        self._logged = 0  # the entries of log already in the transcript
        self.table: list[dict[str, object]] = []  # the rows of the current iterate step
        self.known: set[tuple[str, str]] = set()  # ("value" | "grad", name) the player has worked out
        self.reached: set[str] = set()  # the ids of the steps begun (what `reveal_at` waits for)
        self._previous: dict[int, object] = {}  # each ask's last answer, by step
        self.worked_out: list[float] = []  # every number an ask has had the player work out, in order
        self.training: list = []  # the TrainPoints of the last training run
        self.runs: list = []  # every training run of this play, in order: (the train spec, its settings, its TrainPoints)
        self.on_train = None  # called with each TrainPoint as training runs (a front end draws)
        self.on_submit = None  # called with (session, stage, typed, verdict, revealed, hints) after each answer and at the end
        self.attempts = 0
        self.hints_used = 0
        self.points: list[int] = []
        self.position = 0  # stages completed: where a saved game resumes
        self.answers: list[str | None] = []  # what each completed stage accepted (None: the answer was shown)
        self.slips: list[str] = []  # "<ask>:<diagnosis>" for each named mistake made (the progress store keeps them)
        self._wrong_here = 0
        self._hints_here = 0
        self.here: list[str | None] = []  # at the ask in progress: each input that did not end it, None a hint
        self._hints: list[str] = []
        self.stage_hints: list[str] = []
        self._path = ""
        self._flow_gen = self._flow()
        self.stage: Stage | None = self._next()
        self._prepare_stage()
        while self.stage is not None and self.position < resume_at:
            self._replay(answers[self.position] if self.position < len(answers) else "", points)
        for typed in pending if resume_at == self.position else ():
            if self.stage is None or self.position != resume_at:
                break  # the level changed: the rest no longer applies
            self.hint() if typed is None else self.submit(typed)

    # ---- what front ends call
    @property
    def done(self) -> bool:
        return self.stage is None

    @property
    def score(self) -> int:
        return round(sum(self.points) / len(self.points)) if self.points else 100

    @property
    def stars(self) -> int:
        return 3 if self.score >= 90 else 2 if self.score >= 60 else 1

    def submit(self, typed: str) -> Verdict:
        """Everything a player types comes in here, and passes the gate (`gate.admit`) first."""
        if self.stage is None:
            return Verdict("invalid", say("input.done", self.lang))
        try:
            typed = gate.admit(typed)
        except Unreadable as err:
            return Verdict("invalid", err.message(self.lang))
        return self._send(typed)

    def advance(self) -> Verdict:
        """Move past narration (the same as submitting nothing)."""
        return self.submit("")

    def hint(self) -> str:
        if self.stage is None or self._hints_here >= len(self._hints):
            return say("hint.none", self.lang)
        hint = self._hints[self._hints_here]
        self._hints_here += 1
        self.hints_used += 1
        self.here.append(None)
        self.transcript.append(Entry("hint", hint))
        return hint

    def slips_made(self) -> list[tuple[str, str]]:
        """(the ask's prompt, what the game said) for each named slip made in this play, in order."""
        made, prompt = [], ""
        for entry in self.transcript:
            if entry.kind == "ask":
                prompt = entry.text
            elif entry.kind == "answer" and entry.status == "wrong" and entry.diagnosis and entry.diagnosis not in UNNAMED:
                made.append((prompt, entry.message))
        return made

    @property
    def hints_left(self) -> int:
        return len(self._hints) - self._hints_here

    def reveal(self) -> Verdict:
        """Give up on this ask: the answer is shown and entered, for no points."""
        if self.stage is None or self.stage.kind == "say":
            return self.advance()
        return self._send(self.stage.solution, revealed=True)

    # ---- bookkeeping around the flow
    def _send(self, typed: str, revealed: bool = False) -> Verdict:
        stage, hints = self.stage, self._hints_here
        verdict = self._guarded(self._flow_gen.send, typed)  # the flow answers with a Verdict, then yields the next stage
        if verdict.status == "wrong":
            self.attempts += 1
            self._wrong_here += 1
            if verdict.diagnosis and verdict.diagnosis not in UNNAMED and stage.path:
                slip = f"{stage.path}:{verdict.diagnosis}"
                if slip not in self.slips:
                    self.slips.append(slip)
        if verdict.status == "correct":
            self.attempts += 1
            if revealed:  # shown, never "correct"
                shown = _said(stage, stage.solution) if stage.expected is None else number(stage.expected)
                verdict.status, verdict.message = "revealed", say("answer.revealed", self.lang, answer=shown)
        if stage.kind != "say" and verdict.status != "invalid":
            self.transcript.append(Entry("answer", "" if revealed else _said(stage, typed), verdict.status,
                                         verdict.message, diagnosis=verdict.diagnosis or ""))
        self.log.extend(verdict.events)
        self._transcribe_log()
        if verdict.status in ("wrong", "info") and stage.kind not in ("say", "train") and not revealed:
            self.here.append(typed)  # replayed on resuming (a training run is not run again)
        if verdict.status in ("correct", "revealed") or self.stage.kind == "say":
            if self.stage.graded and self.stage.kind != "say":
                self.points.append(0 if revealed or verdict.status == "revealed" else self._points(verdict.points))
            self.answers.append(None if verdict.status == "revealed" else typed)
            self.position += 1
            self.stage = self._next()
            self._prepare_stage()
        if self.on_submit is not None and (stage.kind != "say" or self.done):  # a class's record (store/class_store.py):
            self.on_submit(self, stage, typed, verdict, revealed, hints)  # each answer, and the level's end
        return verdict

    def _next(self) -> Stage | None:
        return self._guarded(next, self._flow_gen, None)

    def _guarded(self, call, *args):
        """Run the flow on; a failure computing a step is a `ModelError` at that step (the level
        cannot go on: a front end shows the message, never a traceback)."""
        try:
            return call(*args)
        except ModelError as err:
            if err.field:
                raise
            raise ModelError(self._path or "steps", err.message) from None
        except StopIteration:
            raise
        except Exception as err:  # a step the engine cannot compute is the level's to fix
            debug_traceback(err)  # unless it is a bug of ours: GRADQUEST_DEBUG=1 shows where
            raise ModelError(self._path or "steps", reason(err)) from err

    def _points(self, earned: int | None = None) -> int:
        """An ask's points: 100 less each wrong attempt (or what a step that scores itself `earned`),
        less each hint, never below the floor for solving it."""
        if earned is None:
            earned = POINTS_FIRST_TRY - PENALTY_WRONG * self._wrong_here
        return max(FLOOR_SOLVED, earned - PENALTY_HINT * self._hints_here)

    def _prepare_stage(self) -> None:
        self._wrong_here = self._hints_here = 0
        self.here = []
        self._hints = self.stage_hints
        self._transcribe_log()
        stage = self.stage
        if stage is not None:
            if not stage.path:
                stage.path = self._path
            listed = {"match": stage.options,  # a choice: the one chosen, with its answer
                      "order": [f"{i}. {o}" for i, o in enumerate(stage.options, start=1)]}.get(stage.kind, [])
            self.transcript.append(Entry("say", stage.body) if stage.kind == "say"
                                   else Entry("ask", stage.prompt, options=list(listed)))

    def _transcribe_log(self) -> None:
        self.transcript.extend(Entry("event", e.text, event=e) for e in self.log[self._logged:] if not e.quiet)
        self._logged = len(self.log)

    def _replay(self, typed: str | None, points) -> None:
        """Complete the stage as it was played: a shown answer is shown again, the player's own
        accepted answer is accepted again (the engine's when none was kept, or when it is no longer
        accepted: the level changed)."""
        stage = self.stage
        if stage.kind == "say":
            self._send("")
            return
        asked = len(self.points)  # this ask's place among the graded ones
        if typed is None or (stage.graded and asked < len(points) and points[asked] == 0):
            self.reveal()
            return
        mark = len(self.transcript)
        if typed and self._send(typed).status == "correct" and self.stage is not stage:
            return
        del self.transcript[mark:]
        self._send(stage.solution)
        if stage.expected is not None:  # the engine's answer, as the game prints numbers
            next(e for e in self.transcript[mark:] if e.kind == "answer").text = _shown(stage.expected)

    # ---- the flow
    def _flow(self) -> Generator:
        if self.level.story:
            yield from self._narrate(self.words(self.level.story), step=0)
        for index, step in enumerate(self.level.steps):
            yield from self._run(step, index, path=f"steps[{index}]")

    def words(self, value) -> str:
        """A text in the player's language, with every `{{expr}}` replaced by the engine's value now."""
        return fill_numbers(text(value, self.lang), self.world)

    def _narrate(self, body: str, step: int) -> Generator:
        yield Stage("say", body=body, step=step, graded=False)
        yield Verdict("info", "")

    def _run(self, step, index: int, iteration: int | None = None, path: str = "") -> Generator:
        self.stage_hints = []
        self._path = path
        if step.id:
            self.reached.add(step.id)
        yield from kind_of(step).run(step, self, index, iteration)

    # ---- what the step kinds' `run` and `keep` call (levels/kinds)
    def narrate(self, value, index: int) -> Generator:
        """A text of the level said, in the player's language, `{{…}}` filled."""
        yield from self._narrate(self.words(value), index)

    def explain(self, value) -> None:
        self.log.append(Event("info", self.words(value)))

    def guess(self, step, index: int) -> Generator:
        return guess_flow(self, step, index)

    def probe(self, step, index: int) -> Generator:
        return probe_flow(self, step, index)

    def pick(self, step, index: int) -> Generator:
        return pick_flow(self, step, index)

    def train(self, step, index: int) -> Generator:
        return train_flow(self, step, index, run_training)

    def _shown(self, item) -> str:
        """A table column's header in the level's words: its label, or the name or expression worded."""
        return self.words(item.label) if not isinstance(item, str) else self._worded(item)

    def _worded(self, expr: str) -> str:
        """A name or an expression as the player reads it: each model name by its label, the game's
        signs (z − 150, not z - 150)."""
        if expr in self.level.model.labels:
            return self.level.label(expr, self.lang)
        worded = in_words(self.level, pretty(expr), self.lang)
        worded = GRADIENT.sub(lambda m: f"∂{term(self.level, m[1], self.lang)}/∂{term(self.level, m[2], self.lang)}", worded)
        return ABS.sub(r"|\1|", worded)

    def apply_set(self, step: Set, log: bool = True) -> list[Event]:
        """Set the parameters and recompute; the lines saying what changed, logged now or (`log=False`) by the caller."""
        self.moved()
        new = self.world.set(step.set)
        said = [Event("set", say("event.set", self.lang, name=self.level.label(k, self.lang), value=number(v)), k, v)
                for k, v in new.items() if k in model_inputs(self.level)]
        if log:
            self.log.extend(said)
        return said

    def ask(self, step, index: int, iteration: int | None) -> Generator:
        expected = _one_or_few(expected_answer(step, self.world), self._path)
        if not np.all(np.isfinite(expected)):
            raise ModelError(self._path, f"the answer here is {_shown(expected)}, not a finite number: "
                                         "no one could type it (an overflow, a division by zero, a log of 0?)")
        self.stage_hints = [self.words(h) for h in step.hints] + generated_hints(step, self.world, self.lang)
        prompt = fill_numbers(prompt_for(step, self.world, self.lang), self.world)
        if answers.is_matrix(expected):  # the shape, and how to type it, said where it is asked (∂L/∂W: W's shape)
            x = kind_of(step).asked_node(step) if kind_of(step).asks == "gradient" else None
            rows, cols = expected.shape
            prompt += (say("prompt.matrix_like", self.lang, rows=rows, cols=cols, x=term(self.level, x, self.lang))
                       if x else say("prompt.matrix", self.lang, rows=rows, cols=cols))  # its own brackets: （…） in Chinese
        stage = Stage("ask", prompt=prompt, size=int(np.size(expected)), shape=np.shape(expected),
                      solution=_solution_text(expected), step=index, iteration=iteration, node=kind_of(step).asked_node(step),
                      path=self._path, source=step, expected=expected)
        typed = yield stage
        reader = answers.reader_for(expected)

        while True:
            value, invalid = gate.read(reader, typed, self.lang)
            if invalid:
                typed = yield invalid
                continue
            tolerance = step.tolerance
            if close(value, expected, tolerance):
                verdict = Verdict("correct", say("correct", self.lang))
            else:
                theirs = self._player_expected(step)
                if theirs is not None and close(value, theirs, tolerance):
                    verdict = Verdict("correct", say("correct.yours", self.lang, exact=_solution_text(expected)))
                else:
                    d = diagnose(value, expected, step, self.world, self.lang, self._previous.get(id(step)))
                    status = "invalid" if d.code == "precision" else "wrong"  # rounded too far: no attempt
                    typed = yield Verdict(status, d.message, d.code)
                    continue
            self._remember(step, value, expected)
            self._previous[id(step)] = expected  # an iteration asks it again at the next point
            verdict.events = reveal_events(step, self.world, expected, self.lang)
            if step.explain:
                verdict.events.append(Event("explain", self.words(step.explain)))
            yield verdict
            return

    def _player_expected(self, step):
        if not self.world.answers:
            return None
        try:
            return expected_answer(step, self.world, player=True)
        except (ValueError, KeyError, ArithmeticError):
            return None

    def moved(self) -> None:
        """The parameters move: the nodes' values and every gradient are to be worked out again."""
        self.known = {(kind, name) for kind, name in self.known if kind == "value" and name in self.world.params}

    def _remember(self, step, value, expected) -> None:
        """Keep the accepted answer for the player's world; an update also moves the parameters."""
        self.worked_out += [float(v) for v in np.ravel(np.asarray(expected, dtype=float))]
        kind = kind_of(step)
        if (known := kind.known(step, self.world)) is not None:
            self.known.add(known)
        kind.keep(step, self, value, expected)

    def iterate(self, step: Iterate, index: int) -> Generator:
        spec = step.iterate
        self.table = []
        if step.say:
            yield from self._narrate(self.words(step.say), index)
        for n in range(1, spec.rounds + 1):
            self.world.iteration = n
            start = len(self.log)
            self.log.append(Event("info", say("event.iteration", self.lang, n=n)))
            if n <= spec.manual:
                for j, inner in enumerate(spec.steps):
                    yield from self._run(inner, index, iteration=n, path=f"steps[{index}].iterate.steps[{j}]")
            else:
                for inner in spec.steps:
                    self.autoplay(inner)
            self.table.append({self._shown(item): self.world.evaluate(expr_of(item)) for item in spec.table})
            self.log.append(Event("table", "", value=self.table[-1]))
            stop = spec.until is not None and abs(self.world.evaluate(spec.until.expr)) < spec.until.below
            if n > spec.manual:  # played by the game: the step log has it all, the transcript two lines
                for event in self.log[start:]:
                    event.quiet = True
                if stop or n == spec.rounds:
                    self._sum_up(spec, n, stop)
                    return
            elif stop:
                return
        if spec.until is not None:  # `times` iterations are all there was to do: nothing was missed
            self.log.append(Event("info", say("event.no_stop", self.lang, n=spec.rounds)))

    def _sum_up(self, spec, n: int, stop: bool) -> None:
        """The game's own iterations in the transcript: the last row, how many and why they stopped."""
        row = self.log[-1]
        row.text, row.quiet = "   ".join(f"{k} = {number(float(v))}" for k, v in row.value.items()), False
        if spec.until is None:  # a fixed number of iterations: said as what happened, not as a miss
            row.text = say("event.after", self.lang, n=n, row=row.text)
            return
        bare = lambda expr: expr.replace(" ", "").strip("()")  # noqa: E731
        named = {bare(expr_of(item)): self._shown(item) for item in spec.table}  # a column the rule watches
        watched = named.get(bare(spec.until.expr)) or self._worded(spec.until.expr)
        rule = f"{watched if '|' in watched else f'|{watched}|'} < {number(spec.until.below)}"
        summary = say("event.autoplay", self.lang, n=n, rule=rule) if stop else say("event.no_stop", self.lang, n=n)
        self.log.append(Event("info", summary))

    def autoplay(self, step) -> None:
        """A step played by the game itself (an inner step of an iteration, an `auto:` ask)."""
        if step.id:
            self.reached.add(step.id)
        kind_of(step).autoplay(step, self)

    def answer_itself(self, step) -> None:
        """An ask answered by the game: the engine's answer kept and revealed."""
        expected = expected_answer(step, self.world)
        self._remember(step, expected, expected)
        self.log.extend(reveal_events(step, self.world, expected, self.lang))


def _said(stage: Stage, typed: str) -> str:
    """What the player answered, as the transcript shows it: a choice by its number and its words."""
    if stage.kind != "choose":
        return typed
    n = answers.read_choice(typed, len(stage.options))
    return f"{n}. {stage.options[n - 1]}"


MAX_ENTRIES = 16  # the most numbers one answer may hold (one input line)


def _one_or_few(expected, path: str):
    """The answer as one number, a flat vector, or a matrix (two rows or more of two entries or more,
    typed row by row) the player can type in one line."""
    if not isinstance(expected, np.ndarray):
        return expected
    if expected.size > MAX_ENTRIES:
        raise ModelError(path, f"the answer holds {expected.size} numbers (an array of shape "
                               f"{'×'.join(map(str, expected.shape))}): too many to type; ask for one entry or a mean")
    if expected.size == 1:
        return float(expected.flat[0])
    return expected if answers.is_matrix(expected) else expected.reshape(-1)


def _shown(expected) -> str:
    if answers.is_matrix(expected):
        return "[" + ", ".join(_shown(row) for row in expected) + "]"
    if isinstance(expected, np.ndarray):
        return "(" + ", ".join(number(float(v)) for v in expected) + ")"
    return number(expected)


def _solution_text(expected) -> str:
    """An input the game accepts: a matrix as [[…], […]], row by row."""
    if answers.is_matrix(expected):
        return "[" + ", ".join("[" + ", ".join(repr(float(v)) for v in row) + "]" for row in expected) + "]"
    if isinstance(expected, np.ndarray):
        return "(" + ", ".join(repr(float(v)) for v in expected) + ")"
    return repr(float(expected)) if math.isfinite(expected) else str(expected)
