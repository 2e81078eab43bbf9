"""Starting a level for a player: afresh, or where the progress file says they left it."""

from __future__ import annotations

import random

from gradquest.game.progress import Progress
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level


def open_session(level: Level, lang: str, progress: Progress, seed: int | None = None
                 ) -> tuple[LevelSession, int | None, bool]:
    """The session, the seed it was drawn with (kept for resuming) and whether it resumed."""
    record = progress.record(level.id)
    resume = record.resume_at if not record.done else 0
    if seed is None:
        seed = record.seed if resume else fresh_seed(level)
    session = LevelSession(level, seed=seed, lang=lang, resume_at=resume)
    if resume:  # the replayed part was played before: keep its hints, attempts and points
        session.hints_used, session.attempts = record.hints_used, record.attempts
        kept = record.points[:len(session.points)]
        session.points[:len(kept)] = kept
    return session, seed, bool(resume)


def fresh_seed(level: Level) -> int | None:
    """A new draw for each play of a randomised level (kept in the progress file for resuming);
    a fixed level keeps its own seed."""
    return random.randrange(2**31) if level.randomised else None
