"""Starting a level for a player: afresh, or where the progress file says they left it."""

from __future__ import annotations

import random

from gradquest.store.class_store import recorder
from gradquest.store.progress import Progress
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level


def open_session(level: Level, lang: str, progress: Progress, seed: int | None = None
                 ) -> tuple[LevelSession, int | None, bool]:
    """The session, the seed it was drawn with (kept for resuming) and whether it resumed."""
    record = progress.record(level.id)
    resume = record.resume_at if not record.done else 0
    pending = record.pending if not record.done else []
    seed = seed_for(level, progress, seed)
    session = LevelSession(level, seed=seed, lang=lang, resume_at=resume, answers=record.answers, points=record.points,
                           pending=pending)
    session.on_submit = recorder()  # None but when the game runs for a student of a class
    if resume or pending:  # the replayed part was played before: keep its hints, attempts and points
        session.hints_used, session.attempts = record.hints_used, record.attempts
        kept = record.points[:len(session.points)]
        session.points[:len(kept)] = kept
    return session, seed, bool(resume or pending)


def seed_for(level: Level, progress: Progress, seed: int | None = None) -> int | None:
    """The draws a play uses: the one asked for; else those of the game being resumed; else the
    level's own `model.seed` when the level gives one (so it plays what `gradquest solve` shows);
    else a fresh draw for a randomised level."""
    if seed is not None:
        return seed
    record = progress.record(level.id)
    if (record.resume_at or record.pending) and not record.done:
        return record.seed
    return fresh_seed(level)


def fresh_seed(level: Level) -> int | None:
    """A new draw for each play of a randomised level (kept in the progress file for resuming);
    a level that gives its `model.seed`, and a fixed level, keep their own."""
    if "seed" in level.model.model_fields_set or not level.randomised:
        return None
    return random.randrange(2**31)
