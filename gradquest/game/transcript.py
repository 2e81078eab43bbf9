"""The level's transcript: everything said and typed, in order, as a front end shows it.

A `LevelSession` writes it as the level is played (and as a resumed level is replayed), so a
front end only renders the entries it has not shown yet."""

from __future__ import annotations

from dataclasses import dataclass, field

from gradquest.game.stage import Event


@dataclass
class Entry:
    kind: str  # say (narration, Markdown), ask (a prompt and its options), answer, hint, event
    text: str = ""  # the narration, the prompt, what was typed, the hint or the event's text
    status: str = ""  # answer: correct, wrong, revealed, info
    message: str = ""  # answer: the verdict in words (the diagnosis when wrong)
    diagnosis: str = ""  # answer: the diagnosis code when wrong (a slip's name: `sum_for_product`)
    options: list[str] = field(default_factory=list)  # ask: the options of a choice, order or match
    event: Event | None = None  # event: forward, backward, set, value, info, explain, table
