"""Each ask of the class report named as the student read it ("∂z/∂w = ?"), not only by its path
(`steps[8].iterate.steps[0]#1`): the level is played once with the engine's answers, and each ask's
rendered prompt is shortened to its last sentence, at most `WIDEST` characters.

A level is found by its id among a class's own levels (`report --levels DIR`, as `serve --levels`)
and then the bundled ones. A level that cannot be found, loaded or played has no labels: the report
shows the path alone. Every label passes the untrusted-text gate (`clean`).
"""

from __future__ import annotations

import re
from pathlib import Path

from gradquest.game.session import LevelSession
from gradquest.levels.catalog import catalog
from gradquest.levels.load import load_level
from gradquest.levels.untrusted import clean

WIDEST = 40
MOST_STAGES = 10_000  # a level that never ends is not labelled
SENTENCE_END = re.compile(r"(?<=[。！？])\s*|(?<!e\.g\.)(?<!i\.e\.)(?<=[.!?])\s+")  # "(e.g. 1c 2a)" ends none
OPENERS = {")": "(", "）": "（", "]": "["}


def short(prompt: str, widest: int = WIDEST) -> str:
    """The prompt's last sentence, what follows its question mark dropped (a remark), shortened in the
    middle to `widest` characters so that its end ("= ?") stays: "Δb, the change of b … = ?"."""
    said = " ".join(prompt.split())
    mark = max(said.rfind("?"), said.rfind("？"))
    said = said[:mark + 1] if mark > 0 else said
    sentences = [s for s in SENTENCE_END.split(said) if s.strip()]
    last = sentences[-1].strip() if sentences else ""
    if len(last) <= widest:
        return last
    equals = last.rfind("=")
    tail = last[equals:] if 0 < equals and len(last) - equals <= widest // 3 else ""
    head = last[:widest - len(tail) - 3 if tail else widest - 1]
    space = head.rfind(" ")
    if space > len(head) // 2 and last[len(head)] != " ":  # a word cut through: dropped
        head = head[:space]
    head = _without_open_bracket(head).rstrip(" ,，:：")
    return f"{head} … {tail}" if tail else head + "…"


def _without_open_bracket(head: str) -> str:
    """The head cut before a bracket it opens and does not close."""
    for close, opener in OPENERS.items():
        at = head.rfind(opener)
        if at > 0 and head.find(close, at) < 0:
            head = head[:at]
    return head


def prompts(path: Path, lang: str) -> dict[str, str]:
    """Each ask's (and each other answered stage's) path (an iteration's without its `#n`) → its label, from one play of the level with
    the engine's answers; {} when the level cannot be loaded or played."""
    try:
        session = LevelSession(load_level(path).level, seed=1, lang=lang)
        found: dict[str, str] = {}
        for _ in range(MOST_STAGES):
            stage = session.stage
            if stage is None:
                return found
            if stage.kind == "say":
                session.advance()
                continue
            if stage.prompt:  # an ask, or a choice, a guess, a probe: whatever the class store records
                found.setdefault(stage.path, clean(short(stage.prompt), lines=False))
            session.submit(stage.solution)
        return found
    except Exception:  # noqa: BLE001 (a level that cannot be played is shown by its paths, never as an error)
        return {}


class Labels:
    """The labels of the asks of a report, each level played at most once."""

    def __init__(self, lang: str = "en", levels: Path | None = None):
        self.lang, self.levels = lang, levels
        self.files: dict[str, Path] | None = None
        self.played: dict[str, dict[str, str]] = {}

    def __call__(self, level: str, ask: str) -> str:
        if level not in self.played:
            path = self._files().get(level)
            self.played[level] = prompts(path, self.lang) if path else {}
        return self.played[level].get(ask.split("#")[0], "")

    def _files(self) -> dict[str, Path]:
        """Level id → file: the class's own levels first, then the bundled ones."""
        if self.files is None:
            self.files = {}
            for folder in ([self.levels] if self.levels else []) + [None]:
                try:
                    chapters = catalog(folder)
                except OSError:
                    continue
                for chapter in chapters:
                    for entry in chapter.levels:
                        self.files.setdefault(entry.id, entry.path)
        return self.files
