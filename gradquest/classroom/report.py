"""`gradquest report CLASS`: what a class got right and which mistakes it made, from its class store.

Per level and ask: the students who reached it, how many were right at the first try, the mean
attempts, the hints and reveals, and the named slips ranked by how many students made them, each
with an example of what was typed (STACK's answer notes, named by our own referee). Per student:
levels done, stars, time. As a terminal table, a gradebook CSV (Student Name, Student ID, one
column per level: the level's score), JSON, or one static HTML page (`report_page.py`).

Everything a student typed (a name, an answer) and everything read from the store passes the
untrusted-text gate (`clean`) before it is shown; the HTML page escapes it as well.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gradquest.classroom.ask_labels import Labels
from gradquest.game.messages import say
from gradquest.levels.untrusted import clean
from gradquest.store.class_store import ClassStore

WIDEST = {"level": 26, "ask": 20, "student": 24, "slip": 24, "students": 12, "example": 20}  # numbers: 9
ATTEMPTS = ("correct", "wrong")  # the verdicts that use an attempt (revealed: given up; invalid: unread)


@dataclass
class Slip:
    name: str
    students: int
    example: str


@dataclass
class Ask:
    level: str
    ask: str
    label: str = ""  # the ask as the student read it ("∂z/∂w = ?"); "" when its level is not found
    reached: int = 0
    first_try: int = 0
    mean_attempts: float = 0.0
    hints: int = 0
    reveals: int = 0
    slips: list[Slip] = field(default_factory=list)

    @property
    def named(self) -> str:
        """The ask as a teacher reads it: its label over its path (the path alone without a label)."""
        return f"{self.label}\n{self.ask}" if self.label else self.ask


@dataclass
class StudentRow:
    id: int
    name: str
    levels_done: int
    stars: int
    seconds: float
    scores: dict[str, int]


@dataclass
class Report:
    levels: list[str]
    asks: list[Ask]
    students: list[StudentRow]


def build(store: ClassStore, lang: str = "en", levels: Path | None = None) -> Report:
    """The report; each ask labelled in `lang` from its level, found among the class's own `levels`
    (a folder) or the bundled ones."""
    labels = Labels(lang, levels)
    subs = store.submissions()
    by_ask: dict[tuple[str, str], list] = {}
    for s in subs:  # in time order: the asks in the order the class met them
        by_ask.setdefault((s.level, s.ask), []).append(s)
    asks = [_ask(level, ask, rows, labels(level, ask)) for (level, ask), rows in by_ask.items()]
    levels = list(dict.fromkeys(s.level for s in subs))
    results = store.results()
    students = []
    for st in store.students():
        mine = [r for r in results if r.student == st.id]
        students.append(StudentRow(st.id, clean(st.name, lines=False), len(mine), sum(r.stars for r in mine),
                                   round(sum(r.seconds for r in mine), 1), {r.level: r.score for r in mine}))
    levels += [r.level for r in results if r.level not in levels]
    return Report([clean(lv, lines=False) for lv in levels], asks,
                  [_cleaned_scores(s) for s in students])


def _cleaned_scores(row: StudentRow) -> StudentRow:
    row.scores = {clean(k, lines=False): v for k, v in row.scores.items()}
    return row


def _ask(level: str, ask: str, rows, label: str) -> Ask:
    per: dict[int, list] = {}
    for s in rows:
        per.setdefault(s.student, []).append(s)
    out = Ask(clean(level, lines=False), clean(ask, lines=False), clean(label, lines=False), reached=len(per))
    attempts = []
    slips: dict[str, tuple[set, str]] = {}
    for student, mine in per.items():
        counted = [s for s in mine if s.verdict in ATTEMPTS or s.revealed]
        out.first_try += bool(counted) and counted[0].verdict == "correct"
        attempts.append(sum(s.verdict in ATTEMPTS for s in mine))
        out.hints += max(s.hints for s in mine)
        out.reveals += any(s.revealed for s in mine)
        for s in mine:
            if s.verdict == "wrong" and s.slip:
                slips.setdefault(s.slip, (set(), s.typed))[0].add(student)
    out.mean_attempts = round(sum(attempts) / len(attempts), 2)
    out.slips = sorted((Slip(clean(name, lines=False), len(who), clean(example, lines=False))
                        for name, (who, example) in slips.items()), key=lambda s: (-s.students, s.name))
    return out


def as_json(report: Report) -> str:
    return json.dumps(asdict(report), ensure_ascii=False, indent=1)


def as_csv(report: Report) -> str:
    """A gradebook: Student Name, Student ID, then each level's score (0–100; empty when not finished)."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["Student Name", "Student ID", *report.levels])
    for s in report.students:
        out.writerow([_formula_safe(s.name), s.id, *(s.scores.get(lv, "") for lv in report.levels)])
    return buffer.getvalue()


def _formula_safe(text: str) -> str:
    """A spreadsheet runs a cell that starts with = + - @ as a formula: not a student's name."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def as_table(report: Report, width: int | None = None, lang: str = "en") -> str:
    """The report as text tables (Rich, no colour: the command writes no escape of its own): the asks,
    their slips ranked (a row each), the students."""
    def table(title: str, *keys: str) -> Table:
        made = Table(title=say(f"report.{title}", lang), title_justify="left")
        for key in keys:
            made.add_column(say(f"report.col.{key}", lang), overflow="fold", max_width=WIDEST.get(key, 9))
        return made

    def row(made: Table, *cells) -> None:
        made.add_row(*(Text(str(c)) for c in cells))

    asks = table("asks", "level", "ask", "reached", "first_short", "attempts", "hints", "reveals")
    slips = table("slips", "level", "ask", "slip", "students", "example")
    for a in report.asks:
        row(asks, a.level, a.named, a.reached, a.first_try, a.mean_attempts, a.hints, a.reveals)
        for s in a.slips:
            row(slips, a.level, a.named, s.name, say("report.n_students", lang, n=s.students), s.example)
    people = table("students", "student", "id", "done", "stars", "minutes")
    for s in report.students:
        row(people, s.name, s.id, s.levels_done, s.stars, round(s.seconds / 60, 1))
    console = Console(file=io.StringIO(), width=width or 120, color_system=None, force_terminal=False,
                      highlight=False, emoji=False)
    for made in (asks, slips, people):
        console.print(made)
    return console.file.getvalue()
