"""The player's progress: one JSON file in the user's data folder (`GRADQUEST_HOME` overrides it).

Nothing here may crash the game or lose what the player did:

- Reading never raises. A file that cannot be read at all (not UTF-8, not JSON, nested too deep,
  not an object, a folder in its place, no permission) is left exactly as it is: the game plays on
  without saving and says so once. A record of the wrong shape is repaired field by field or, if
  it is not a record at all, left out alone (the file is first copied to `progress.bad-<time>.json`);
  unknown keys are ignored, so a newer version's file loads.
- Saving never raises: a failure (no space, no permission, a folder where the file should be,
  `GRADQUEST_HOME` naming a file) comes back as a `Notice` for the status line, once.
- Saves merge with what is on disk, per level, under a lock file (`.progress.lock`): levels this
  game changed are written (a level done elsewhere stays done, with the better score), all the
  others are taken from the disk, so two games saving at once never erase each other's levels.
- Written atomically (a temporary file, then a rename); temporary files left by a crash are removed.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from gradquest.game.messages import say

FILE_NAME = "progress.json"
LOCK_NAME = ".progress.lock"
VERSION = 1
REASONS = {  # why a file could not be read, for the player
    "encoding": ("it is not UTF-8 text", "不是 UTF-8 文本"),
    "json": ("it is not valid JSON", "不是有效的 JSON"),
    "shape": ("it is not a progress file", "不是进度文件"),
}


def data_dir() -> Path:
    home = os.environ.get("GRADQUEST_HOME")
    if home:
        return Path(home)
    from platformdirs import user_data_dir  # noqa: PLC0415

    return Path(user_data_dir("gradquest", appauthor=False))


@dataclass(frozen=True)
class Notice:
    """Something about the progress file the player should know, in either language."""
    key: str
    path: str
    reason: str = ""  # a key of REASONS, or the system's own words
    extra: tuple = ()

    def message(self, lang: str = "en") -> str:
        reason = REASONS[self.reason][lang == "zh"] if self.reason in REASONS else self.reason
        return say(self.key, lang, path=self.path, reason=reason, **dict(self.extra))

    def __str__(self) -> str:
        return self.message()


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
    answers: list[str | None] = field(default_factory=list)  # what was accepted at each stage (None: shown)


@dataclass
class Progress:
    levels: dict[str, LevelRecord] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)  # language, theme
    warning: Notice | None = None  # what the player should be told about the file, once
    read_only: bool = False  # the file could not be read: it is never overwritten
    base: dict = field(default_factory=dict, repr=False)  # what the disk held when read or last saved

    def record(self, level_id: str) -> LevelRecord:
        return self.levels.setdefault(level_id, LevelRecord())

    def save_play(self, level_id: str, session, seed: int | None = None) -> None:
        """Note where a play stands; on finishing, keep the best score."""
        r = self.record(level_id)
        r.hints_used, r.attempts, r.seed, r.points = session.hints_used, session.attempts, seed, list(session.points)
        r.answers = [] if session.done else list(session.answers)
        if session.done:
            r.done, r.resume_at = True, 0
            if session.score >= r.best_score:
                r.best_score, r.stars = session.score, session.stars
        else:
            r.resume_at = session.position


class _Unreadable(Exception):
    def __init__(self, reason: str):
        self.reason = reason


class ProgressStore:
    def __init__(self, folder: Path | None = None):
        self.folder = folder or data_dir()
        self.path = self.folder / FILE_NAME
        self._failure: str | None = None  # the last save failure already reported

    # ---- reading
    def load(self) -> Progress:
        try:
            raw = self.path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return Progress()
        except OSError as err:
            return self._unreadable(err.strerror or type(err).__name__)
        try:
            data = _decode(raw)
        except _Unreadable as err:
            return self._unreadable(err.reason)
        levels, bad = _records(data.get("levels", {}))
        progress = Progress(levels=levels, settings=_settings(data.get("settings", {})))
        progress.base = _snapshot(progress)
        if bad:
            aside = self.path.with_name(f"progress.bad-{time.strftime('%Y%m%d-%H%M%S')}.json")
            try:
                aside.write_bytes(raw)
            except OSError:
                progress.read_only = True  # no copy of the bad records: keep the file as it is
            progress.warning = Notice("progress.repaired", str(self.path), extra=(
                ("names", ", ".join(bad)), ("count", len(bad)), ("aside", aside.name)))
        return progress

    def _unreadable(self, reason: str) -> Progress:
        return Progress(read_only=True, warning=Notice("progress.unreadable", str(self.path), reason))

    # ---- writing
    def save(self, progress: Progress) -> Notice | None:
        """Merge `progress` into the file; a `Notice` when it could not be saved (once per cause)."""
        if progress.read_only:
            return None  # said when it was read
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with _Lock(self.folder / LOCK_NAME):
                disk = self.load()
                if disk.read_only:  # something unreadable appeared since: keep it, stop saving
                    progress.read_only, progress.warning = True, disk.warning
                    return disk.warning
                _merge(progress, disk)
                self._write(progress)
                self._clean()
        except OSError as err:
            reason = err.strerror or type(err).__name__
            if reason == self._failure:
                return None
            self._failure = reason
            return Notice("progress.save_failed", str(self.path), reason)
        self._failure = None
        progress.base = _snapshot(progress)
        return None

    def _write(self, progress: Progress) -> None:
        payload = {"version": VERSION, "settings": progress.settings,
                   "levels": {k: asdict(v) for k, v in progress.levels.items()}}
        tmp = self.folder / f".progress-{os.getpid()}-{time.monotonic_ns()}.tmp"
        try:
            with open(tmp, "x", encoding="utf-8") as f:
                json.dump(payload, f, indent=1, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def _clean(self) -> None:
        """Temporary files of saves that never finished (no save is under way: we hold the lock)."""
        for stray in self.folder.glob(".progress-*.tmp"):
            stray.unlink(missing_ok=True)


class _Lock:
    """An exclusive lock on a file for as long as a save takes (no lock where fcntl is missing)."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            import fcntl  # noqa: PLC0415
        except ImportError:  # Windows: saves are still atomic, only not merged under a lock
            return self
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        os.close(self.fd)  # closing releases the lock


def _decode(raw: bytes) -> dict:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Unreadable("encoding") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise _Unreadable("json") from None
    if not isinstance(data, dict) or not isinstance(data.get("levels", {}), dict) \
            or not isinstance(data.get("settings", {}), dict):
        raise _Unreadable("shape")
    return data


_DEFAULTS = LevelRecord()
_CHECKS = {
    "done": lambda v: isinstance(v, bool),
    "points": lambda v: isinstance(v, list) and all(_count(p) for p in v),
    "answers": lambda v: isinstance(v, list) and all(a is None or (isinstance(a, str) and len(a) <= 1000) for a in v),
    "seed": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
    "stars": lambda v: _count(v) and v <= 3,
}


def _count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**63


def _records(raw: dict) -> tuple[dict[str, LevelRecord], list[str]]:
    """The readable records, and the ids of those that were not (left out, or repaired field by
    field: a wrong field takes its default). Unknown fields are ignored."""
    records, bad = {}, []
    for level_id, value in raw.items():
        if not isinstance(value, dict):
            bad.append(level_id)
            continue
        kept = {}
        for f in fields(LevelRecord):
            if f.name in value:
                if _CHECKS.get(f.name, _count)(value[f.name]):
                    kept[f.name] = value[f.name]
                elif level_id not in bad:
                    bad.append(level_id)
        records[level_id] = LevelRecord(**kept)
    return records, bad


def _settings(raw: dict) -> dict[str, str]:
    return {k: v for k, v in raw.items() if isinstance(v, str)}


def _snapshot(progress: Progress) -> dict:
    return {"levels": {k: asdict(v) for k, v in progress.levels.items()}, "settings": dict(progress.settings)}


def _merge(progress: Progress, disk: Progress) -> None:
    """What this game changed since it read the file goes over the disk's; the rest comes from the
    disk. A level done on either side stays done, with the better score."""
    base = progress.base.get("levels", {})
    levels = dict(disk.levels)
    for level_id, mine in progress.levels.items():
        theirs = disk.levels.get(level_id)
        if theirs is not None and base.get(level_id) == asdict(mine):
            continue  # unchanged here: the disk's is as new or newer
        if theirs is not None and theirs.done and theirs.best_score > mine.best_score:
            mine.done, mine.best_score, mine.stars = True, theirs.best_score, theirs.stars
        levels[level_id] = mine
    progress.levels.clear()
    progress.levels.update(levels)
    old = progress.base.get("settings", {})
    settings = dict(disk.settings)
    settings.update({k: v for k, v in progress.settings.items() if old.get(k) != v})
    progress.settings.clear()
    progress.settings.update(settings)
