"""The player's progress: one JSON file in the user's data folder (`GRADQUEST_HOME` overrides it).

Written atomically (a temporary file, then a rename), so Ctrl+C or a crash mid-write never leaves
half a file. A file that cannot be read is set aside as `progress.corrupt-<time>.json` and
reported; the game then starts from an empty record instead of crashing.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

FILE_NAME = "progress.json"
VERSION = 1


def data_dir() -> Path:
    home = os.environ.get("GRADQUEST_HOME")
    if home:
        return Path(home)
    from platformdirs import user_data_dir  # noqa: PLC0415

    return Path(user_data_dir("gradquest", appauthor=False))


@dataclass
class LevelRecord:
    done: bool = False
    best_score: int = 0
    stars: int = 0
    hints_used: int = 0
    attempts: int = 0
    resume_at: int = 0  # stages completed in an unfinished play
    seed: int | None = None
    points: list[int] = field(default_factory=list)  # of the asks answered so far in that play


@dataclass
class Progress:
    levels: dict[str, LevelRecord] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)  # language, theme
    warning: str | None = None  # set when a corrupt file was set aside

    def record(self, level_id: str) -> LevelRecord:
        return self.levels.setdefault(level_id, LevelRecord())

    def save_play(self, level_id: str, session, seed: int | None = None) -> None:
        """Note where a play stands; on finishing, keep the best score."""
        r = self.record(level_id)
        r.hints_used, r.attempts, r.seed, r.points = session.hints_used, session.attempts, seed, list(session.points)
        if session.done:
            r.done, r.resume_at = True, 0
            if session.score >= r.best_score:
                r.best_score, r.stars = session.score, session.stars
        else:
            r.resume_at = session.position


class ProgressStore:
    def __init__(self, folder: Path | None = None):
        self.folder = folder or data_dir()
        self.path = self.folder / FILE_NAME

    def load(self) -> Progress:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Progress()
        except OSError as err:
            return Progress(warning=f"could not read {self.path}: {err.strerror}")
        try:
            data = json.loads(raw)
            levels = {k: LevelRecord(**v) for k, v in data["levels"].items()}
            return Progress(levels=levels, settings=dict(data.get("settings", {})))
        except (ValueError, KeyError, TypeError, AttributeError):
            aside = self.path.with_name(f"progress.corrupt-{time.strftime('%Y%m%d-%H%M%S')}.json")
            os.replace(self.path, aside)
            return Progress(warning=f"{self.path} could not be read; it was set aside as {aside.name}")

    def save(self, progress: Progress) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = {"version": VERSION, "settings": progress.settings,
                   "levels": {k: asdict(v) for k, v in progress.levels.items()}}
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".progress-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(payload, f, indent=1, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
