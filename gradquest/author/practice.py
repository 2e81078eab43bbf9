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
from gradquest.game.mastery import LEVEL_NAMES, LEVELS, NAMES, Mastery, review_words
from gradquest.game.session import LevelSession
from gradquest.levels.load import load_level

ROUND_ASKS = 10
MAX_TRIES = 3  # wrong answers to an ask before practice shows the answer
SETTING = "practice"
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
            return explore(text, seed=rng.randrange(10**6))
        except ExploreError:  # e.g. log of a negative at every draw: try other draws
            continue
    return explore(CORE["mul"].format(a="a"), seed=rng.randrange(10**6))


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


def play_round(mastery: Mastery, now: Callable[[], datetime], answer: Callable, write: Callable[[str], None],
               lang: str = "en", seed: int | None = None) -> dict:
    """Play one round; `answer(stage, rule)` gives what the learner types (None: quit). The counts
    of the round: asks and rights per rule."""
    rng = random.Random(seed)
    before = {r: mastery.level(r) for r in mastery.rules}
    done: dict[str, list[bool]] = {}
    asks = 0
    focus = mastery.to_practise(now())[:3]
    write(say("start", lang, n=ROUND_ASKS, rules=", ".join(NAMES[r][lang == "zh"] for r in focus)))
    with tempfile.TemporaryDirectory(prefix="gradquest-practice-") as folder:
        k = 0
        while asks < ROUND_ASKS:
            order = mastery.to_practise(now()) or list(mastery.rules)
            rule = next((r for r in order if len(done.get(r, [])) < ROUND_ASKS // 2), order[0])  # a round mixes rules
            ex = exercise(rule, mastery, rng)
            path = Path(folder) / f"{k}.yaml"
            k += 1
            path.write_text(ex.yaml(), encoding="utf-8")
            session = LevelSession(load_level(path).level, lang=lang)
            while not session.done:
                stage = session.stage
                if stage.kind != "ask":
                    write("\n" + "\n".join(line for line in stage.body.splitlines() if not line.startswith("```")))
                    session.advance()
                    continue
                source = stage.source
                forward = hasattr(source, "forward")
                asked = rule_of(ex, source.forward if forward else source.gradient, forward)
                write(f"\n{stage.prompt}")
                first, tries = None, 0
                while True:
                    typed = answer(stage, asked)
                    if typed is None:
                        return _finish(mastery, before, done, now(), write, lang)
                    if typed == "?":
                        write("  " + session.hint())
                        continue
                    verdict = session.reveal() if typed == "!" else session.submit(typed)
                    write(f"  {typed}  {verdict.message}")
                    tries += verdict.status == "wrong"
                    if tries >= MAX_TRIES and verdict.status == "wrong":
                        verdict = session.reveal()  # practice moves on: the answer is shown
                        write(f"  {verdict.message}")
                    if verdict.status in ("correct", "wrong", "revealed") and first is None:
                        first = verdict.status == "correct"
                    if verdict.status in ("correct", "revealed"):
                        break
                asks += 1
                if asked is not None:
                    mastery.record(asked, first, now())
                    done.setdefault(asked, []).append(first)
                if asks >= ROUND_ASKS:
                    break
    return _finish(mastery, before, done, now(), write, lang)


def _finish(mastery: Mastery, before: dict, done: dict, now: datetime, write, lang: str) -> dict:
    zh = lang == "zh"
    asks, right = sum(len(v) for v in done.values()), sum(sum(v) for v in done.values())
    write("\n" + say("summary", lang, right=right, asks=asks))
    for rule in done:
        old, new = LEVEL_NAMES[before[rule]][zh], LEVEL_NAMES[mastery.level(rule)][zh]
        when = review_words(mastery.due(rule, now), now, lang)
        key = "moved" if old != new else "stayed"
        write("  " + say(key, lang, rule=NAMES[rule][zh], old=old, new=new, when=when))
    return done


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


__all__ = ["play_round", "practise", "rule_of", "exercise", "LEVELS"]
