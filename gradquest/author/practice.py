"""`gradquest practice`: a round of about ten asks on the rules a learner has not mastered.

Each exercise is an explored expression (`author/explore.py`) built around the rule most due
(`game/mastery.py`), a little deeper as the rule's level rises (`relu(a)`, then `relu(w*x)`,
then `relu(w*x + b)`); every ask is put down to the rule it exercises (a node's forward value
to its operation; a gradient to the operation it flows back through, or `fork` when the value
feeds several nodes, `reuse` when one node reads it twice) and recorded right at the first try
or not. The round ends with a summary of the levels moved and when each rule comes back. The
state is kept in the progress file (the setting `practice`, as JSON), so it is saved, locked,
merged and repaired with the rest of the progress.
"""

from __future__ import annotations

import random
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from gradquest.author.explore import ExploreError, explore
from gradquest.engine.parser import Binary, Call, Unary, parse
from gradquest.game.mastery import LEVEL_NAMES, LEVELS, NAMES, SETTING, Mastery, review_words
from gradquest.game.session import LevelSession
from gradquest.levels.load import load_level

ROUND_ASKS = 10
MAX_TRIES = 3  # wrong answers to an ask before practice shows the answer
CORE = {"mul": "{a}*c", "add": "{a} + c", "div": "{a} / c", "pow": "({a})**2", "exp": "exp({a})", "log": "log({a})",
        "tanh": "tanh({a})", "sigmoid": "sigmoid({a})", "relu": "relu({a})",
        "fork": "s = 3*{a}; L = s*c + s", "reuse": "r = 3*{a}; L = r*r"}
ARGUMENT = ("a", "w*x", "w*x + b")  # deeper as the rule is better known
WORDS = {
    "start": ("Practice: a round of about {n} asks on {rules}.", "练习：大约 {n} 题，练 {rules}。"),
    "summary": ("Round over: {right} of {asks} right at the first try.", "本轮结束：{asks} 题中首次答对 {right} 题。"),
    "moved": ("{rule}: {old} → {new}; {when}", "{rule}：{old} → {new}；{when}"),
    "stayed": ("{rule}: {new}; {when}", "{rule}：{new}；{when}"),
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def say(key: str, lang: str, **values) -> str:
    en, zh = WORDS[key]
    return (zh if lang == "zh" else en).format(**values)


def exercise(rule: str, mastery: Mastery, rng: random.Random):
    """An exploration around `rule`, as deep as the rule's level asks."""
    argument = ARGUMENT[min(max(mastery.rules[rule].level - 1, 0), len(ARGUMENT) - 1)]
    text = CORE[rule].format(a=argument)
    for _ in range(20):
        try:
            return _drawn_here(explore(text, seed=rng.randrange(10**6)))
        except ExploreError:  # e.g. log of a negative at every draw: try other draws
            continue
    return _drawn_here(explore(CORE["mul"].format(a="a"), seed=rng.randrange(10**6)))


def _drawn_here(ex):
    """The exercise without the seed of its draws: `explore --seed` would draw them again, but a
    practice round's story should not send the learner to another command."""
    ex.seed = None
    return ex


def rule_of(ex, node: str, forward: bool) -> str | None:
    """The rule an ask exercises."""
    if forward:
        return _op(ex.nodes[node])
    readers = [(n, t) for n, t in ex.nodes.items() if node in _NAME.findall(t)]
    if not readers:
        return None  # the output
    if len(readers) > 1:
        return "fork"
    name, text = readers[0]
    return "reuse" if _NAME.findall(text).count(node) > 1 else _op(text)


def _op(text: str) -> str | None:
    tree = parse(text)
    if type(tree) is Binary:
        return {"*": "mul", "+": "add", "-": "add", "/": "div", "**": "pow"}[tree.op]
    if type(tree) is Unary:
        return "add"
    if type(tree) is Call and tree.fn in CORE:
        return tree.fn
    return None


class Round:
    """A round being played, by any front end: the next exercise as a level file (in `folder`),
    each ask's verdicts heard and put down to its rule, the summary at the end."""

    def __init__(self, mastery: Mastery, now: Callable[[], datetime], folder: Path, lang: str = "en",
                 seed: int | None = None):
        self.mastery, self.now, self.folder, self.lang = mastery, now, Path(folder), lang
        self.rng = random.Random(seed)
        self.before = {r: mastery.level(r) for r in mastery.rules}
        self.done: dict[str, list[bool]] = {}
        self.asks = 0
        self.ex = None
        self.size = ROUND_ASKS
        self._stage, self._first, self._tries = None, None, 0

    @property
    def over(self) -> bool:
        return self.asks >= ROUND_ASKS

    def start_words(self) -> str:
        focus = self.mastery.to_practise(self.now())[:3]
        zh = self.lang == "zh"
        return say("start", self.lang, n=ROUND_ASKS, rules=("、" if zh else ", ").join(NAMES[r][zh] for r in focus))

    def next_level(self) -> Path:
        """The next exercise, written as a level file: on the rule most due (a round mixes rules)."""
        order = self.mastery.to_practise(self.now()) or list(self.mastery.rules)
        rule = next((r for r in order if len(self.done.get(r, [])) < ROUND_ASKS // 2), order[0])
        self.ex = exercise(rule, self.mastery, self.rng)
        path = self.folder / f"{len(list(self.folder.glob('*.yaml')))}.yaml"
        path.write_text(self.ex.yaml(), encoding="utf-8")
        return path

    def rule(self, stage) -> str | None:
        source = stage.source
        forward = hasattr(source, "forward")
        return rule_of(self.ex, source.forward if forward else source.gradient, forward)

    def heard(self, stage, status: str) -> bool:
        """A verdict on an ask (`correct`, `wrong`, `revealed`, `invalid`): the ask is recorded once
        it is over, right or not at the first try. True when practice should show the answer now
        (`MAX_TRIES` wrong answers)."""
        if stage is not self._stage:
            self._stage, self._first, self._tries = stage, None, 0
        self._tries += status == "wrong"
        if status in ("correct", "wrong", "revealed") and self._first is None:
            self._first = status == "correct"
        if status == "wrong" and self._tries >= MAX_TRIES:
            return True
        if status in ("correct", "revealed"):
            self.asks += 1
            asked = self.rule(stage)
            if asked is not None:
                self.mastery.record(asked, self._first, self.now())
                self.done.setdefault(asked, []).append(self._first)
            self._stage = None
        return False

    def summary(self) -> list[str]:
        """The round's end: rights at the first try, then each rule's level moved and its next review."""
        zh, now = self.lang == "zh", self.now()
        asks, right = sum(len(v) for v in self.done.values()), sum(sum(v) for v in self.done.values())
        lines = [say("summary", self.lang, right=right, asks=asks)]
        for rule in self.done:
            old, new = LEVEL_NAMES[self.before[rule]][zh], LEVEL_NAMES[self.mastery.level(rule)][zh]
            when = review_words(self.mastery.due(rule, now), now, self.lang)
            lines.append(say("moved" if old != new else "stayed", self.lang, rule=NAMES[rule][zh], old=old,
                             new=new, when=when))
        return lines


def play_round(mastery: Mastery, now: Callable[[], datetime], answer: Callable, write: Callable[[str], None],
               lang: str = "en", seed: int | None = None) -> dict:
    """Play one round line by line; `answer(stage, rule)` gives what the learner types (None: quit).
    The counts of the round: asks and rights per rule."""
    with tempfile.TemporaryDirectory(prefix="gradquest-practice-") as folder:
        round_ = Round(mastery, now, Path(folder), lang, seed)
        write(round_.start_words())
        while not round_.over and _play_exercise(round_, answer, write):
            pass
    write("\n" + "\n  ".join(round_.summary()))
    return round_.done


def _play_exercise(round_: Round, answer: Callable, write: Callable[[str], None]) -> bool:
    """One exercise, until it ends or the round does; False when the learner quit."""
    session = LevelSession(load_level(round_.next_level()).level, lang=round_.lang)
    while not session.done and not round_.over:
        stage = session.stage
        if stage.kind != "ask":
            write("\n" + "\n".join(line for line in stage.body.splitlines() if not line.startswith("```")))
            session.advance()
            continue
        write(f"\n{stage.prompt}")
        while True:
            typed = answer(stage, round_.rule(stage))
            if typed is None:
                return False
            if typed == "?":
                write("  " + session.hint())
                continue
            verdict = session.reveal() if typed == "!" else session.submit(typed)
            write(f"  {typed}  {verdict.message}")
            if round_.heard(stage, verdict.status):
                verdict = session.reveal()  # practice moves on: the answer is shown
                write(f"  {verdict.message}")
                round_.heard(stage, verdict.status)
            if verdict.status in ("correct", "revealed"):
                break
    return True


def practise(lang: str, read: Callable[[str], str] = input, write: Callable[[str], None] = print,
             store=None, seed: int | None = None, clock: Callable[[], datetime] | None = None) -> int:
    """`gradquest practice`, line by line: a round, then the state saved with the progress."""
    from gradquest.game.gate import MAX_INPUT  # noqa: PLC0415
    from gradquest.store.progress import ProgressStore  # noqa: PLC0415

    store = store or ProgressStore()
    progress = store.load()
    mastery = Mastery.from_json(progress.settings.get(SETTING))
    clock = clock or (lambda: datetime.now(timezone.utc))

    def answer(stage, rule):
        try:
            typed = read("> ")[:MAX_INPUT].strip()
        except EOFError:
            return None
        return None if typed.lower() in ("q", "quit") else typed or "?"

    try:
        play_round(mastery, clock, answer, write, lang, seed)
    finally:
        progress.settings[SETTING] = mastery.to_json()
        notice = store.save(progress)
        if notice is not None:
            write(notice.message(lang))
    return 0


__all__ = ["Round", "play_round", "practise", "rule_of", "exercise", "LEVELS", "SETTING"]
