"""What front ends show: a `Stage` to read or answer, the `Verdict` on an input, and the `Event`s
that go into the step log."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

EMPHASIS = re.compile(r"\*\*(.+?)\*\*|(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?![\w*])|`([^`]+)`", re.DOTALL)


@dataclass
class Stage:
    """What the player sees now: something to read (`say`) or to answer."""
    kind: str  # say, ask, guess, probe, choose, order, match, train
    prompt: str = ""
    body: str = ""  # narration (Markdown)
    options: list[str] = field(default_factory=list)
    size: int = 1  # how many numbers a vector answer has
    shape: tuple = ()  # the answer's shape: (rows, columns) for a matrix typed row by row
    solution: str = ""  # an input the game accepts: for `solve` and automatic play
    step: int = 0  # the level step it belongs to, from 0
    iteration: int | None = None
    node: str | None = None  # the graph node asked about, for the graph view
    graded: bool = True
    path: str = ""  # where the step is in the level file, e.g. steps[3].iterate.steps[0]
    source: object = None  # the step as the level declares it
    expected: object = None  # the engine's answer, for asks


@dataclass
class Event:
    kind: str  # forward, backward, set, value, info, explain (the author's explanation), table
    text: str
    name: str | None = None
    value: object = None
    quiet: bool = False  # the step log's only: an iteration the game played itself (the transcript sums it up)

    @property
    def row(self) -> str:
        """The text as a step log row, where Markdown is not drawn: **bold**, *italic* and `code` as plain words."""
        return EMPHASIS.sub(lambda m: m[1] or m[2] or m[3], self.text)


@dataclass
class Verdict:
    status: str  # correct, wrong, invalid, info, or revealed (out of tries: the answer is shown)
    message: str
    diagnosis: str | None = None
    events: list[Event] = field(default_factory=list)
    points: int | None = None  # a step that scores itself (a guess: by its guesses), before hints
