"""Watching level files, as rustlings' `watch` does: run again each time a file is saved.

`gradquest check --watch PATH…` checks, then waits; every save of a level file under the paths
(a new file too) checks again. `gradquest play FILE --watch` reloads the level in the full-screen
game on each save (the level screen's Ctrl+R). Polling the files' modification times twice a
second needs no dependency and works on every file system."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

POLL = 0.5  # seconds between looks at the files


def snapshot(files: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    """Each file's modification time and size (files that vanished are left out)."""
    seen = {}
    for f in files:
        try:
            stat = Path(f).stat()
        except OSError:
            continue
        seen[Path(f)] = (stat.st_mtime_ns, stat.st_size)
    return seen


def watch(find: Callable[[], list[Path]], run: Callable[[], object], *, rounds: int | None = None,
          sleep: Callable[[float], None] = time.sleep) -> None:
    """Run `run()` now and after every change of the files `find()` lists, until interrupted
    (or, for tests, after `rounds` looks at the files)."""
    run()
    before = snapshot(find())
    looked = 0
    while rounds is None or looked < rounds:
        sleep(POLL)
        looked += 1
        now = snapshot(find())
        if now != before:
            before = now
            run()
