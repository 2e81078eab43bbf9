"""The player's progress: one JSON file in the user's data folder (`GRADQUEST_HOME` overrides it).

Nothing here may crash the game, hang it, or lose what the player did:

- Reading never raises and never reads more than `MAX_BYTES`. Only a regular file is opened (not a
  folder, a device, a pipe, or a link that leads out of the progress folder); a file that cannot be
  read at all (one of those, larger than the cap, more than `MAX_LEVELS` records, not UTF-8, not
  JSON, nested too deep, not an object, no permission) is left exactly as it is: the game plays on without saving and says so
  once, and why. A record or a known setting of the wrong shape is repaired field by field or left
  out alone, and the file is first copied to `progress.bad-<time>.json`.
- What this version does not know (a newer version's keys, settings and record fields, its version
  number) is kept and written back as it was.
- Saving never raises: a failure (no space, no permission, a folder where the file should be,
  `GRADQUEST_HOME` naming a file) comes back as a `Notice` for the status line, once.
- Saves merge with what is on disk, per level, under a lock file (`.progress.lock`): levels this
  game did not change are taken from the disk; a level changed here and on the disk keeps the
  furthest of the two (finished over unfinished, the later stage; the better score either way), so
  two games saving at once never erase each other's levels or move a level back.
- Written atomically (a temporary file, then a rename), one line per level; a save re-reads the file
  only if it changed since this store last read or wrote it, and re-writes only the changed levels'
  lines. Temporary files left by a crash are removed.
"""

from __future__ import annotations

import json
import os
import stat
import time
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from gradquest.game.messages import say

FILE_NAME = "progress.json"
LOCK_NAME = ".progress.lock"
VERSION = 1
MAX_BYTES = 4 * 2**20  # the largest progress file read (every bundled level played: 10 kB; 10,000: 3 MB)
MAX_LEVELS = 10_000  # the most level records read (4 MB of empty ones would be 400,000: a minute, 350 MB)
MAX_PENDING = 200  # the most inputs kept of the ask in progress (each is played again on resuming)
SETTINGS = ("lang", "theme")  # the settings this version reads; each is a string
REASONS = {  # why a file could not be read, for the player
    "encoding": ("it is not UTF-8 text", "不是 UTF-8 文本"),
    "json": ("it is not valid JSON", "不是有效的 JSON"),
    "shape": ("it is not a progress file", "不是进度文件"),
    "too_large": ("it is larger than {cap}, the most a progress file may be", "文件大于 {cap}，超过进度文件的上限"),
    "folder": ("it is a folder, not a file", "它是文件夹，不是文件"),
    "device": ("it is a device, not a regular file", "它是设备，不是普通文件"),
    "fifo": ("it is a pipe (FIFO), not a regular file", "它是管道（FIFO），不是普通文件"),
    "special": ("it is not a regular file", "它不是普通文件"),
    "outside": ("it is a link to {target}, outside the progress folder", "它是指向进度文件夹之外（{target}）的链接"),
    "too_many": ("it holds more than {most} level records, the most a progress file may",
                 "其中的关卡记录超过 {most} 条，超过进度文件的上限"),
    "no_copy": ("entries in it could not be read and no copy of it could be kept", "其中有条目无法读取，且无法另存副本"),
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
        extra = dict(self.extra)
        reason = REASONS[self.reason][lang == "zh"].format(**extra) if self.reason in REASONS else self.reason
        return say(self.key, lang, path=self.path, reason=reason, **extra)

    def __str__(self) -> str:
        return self.message()


MAX_SLIPS = 500  # the named slips a level's record keeps (the newest)


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
    slips: list[str] = field(default_factory=list)  # "<ask>:<diagnosis>" for each named slip made, over every play
    pending: list[str | None] = field(default_factory=list)  # at the ask in progress: wrong inputs, None a hint


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
        r.slips = (r.slips + [s for s in session.slips if s not in r.slips])[-MAX_SLIPS:]
        r.pending = [] if session.done else list(session.here[:MAX_PENDING])
        if session.done:
            r.done, r.resume_at = True, 0
            if session.score >= r.best_score:
                r.best_score, r.stars = session.score, session.stars
        else:
            r.resume_at = session.position


class _Unreadable(Exception):
    def __init__(self, reason: str, **extra):
        self.reason, self.extra = reason, tuple(extra.items())


@dataclass
class _Disk:
    """The file as this store last read or wrote it: its JSON object as read (what this version does
    not know included; what it could not read repaired or left out), each level's fields as a tuple,
    and each level's line as last written (reused while the level is unchanged)."""
    raw: bytes | None = None
    doc: dict = field(default_factory=lambda: {"version": VERSION, "settings": {}, "levels": {}})
    keys: dict[str, tuple] = field(default_factory=dict)
    lines: dict[str, str] = field(default_factory=dict)


class ProgressStore:
    def __init__(self, folder: Path | None = None):
        self.folder = folder or data_dir()
        self.path = self.folder / FILE_NAME
        self._failure: str | None = None  # the last save failure already reported
        self._disk: _Disk | None = None  # the file as last read or written here

    # ---- reading
    def load(self) -> Progress:
        try:
            disk, bad = self._read(again=True)
        except _Unreadable as err:
            return Progress(read_only=True, warning=Notice("progress.unreadable", str(self.path), err.reason, err.extra))
        progress = Progress(levels={k: _record(key) for k, key in disk.keys.items()},
                            settings=_strings(disk.doc["settings"]))
        progress.base = {"levels": dict(disk.keys), "settings": dict(progress.settings)}
        if bad:
            aside = self._set_aside(disk.raw)
            if aside is None:  # no copy of the bad entries: keep the file as it is
                progress.read_only, self._disk = True, None
            progress.warning = Notice("progress.repaired", str(self.path), extra=(
                ("names", ", ".join(bad)), ("count", len(bad)), ("aside", aside or "")))
        return progress

    def _read(self, again: bool = False) -> tuple[_Disk, list[str]]:
        """The file (parsed `again`, or if its bytes changed since this store read or wrote it), and
        the names of the entries that could not be read."""
        try:
            raw = self._bytes()
        except OSError as err:
            raise _Unreadable(err.strerror or type(err).__name__) from None
        if raw is None:
            self._disk = _Disk()
        elif again or self._disk is None or raw != self._disk.raw:
            self._disk, bad = _parse(raw)
            return self._disk, bad
        return self._disk, []

    def _bytes(self) -> bytes | None:
        """The file's bytes (None: there is none), from a regular file in the folder, at most MAX_BYTES."""
        try:
            st = os.lstat(self.path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        link = stat.S_ISLNK(st.st_mode)
        if link:
            try:
                st = os.stat(self.path)
            except FileNotFoundError:
                return None
        _regular(st)
        if link:
            target, folder = os.path.realpath(self.path), os.path.realpath(self.folder)
            if not target.startswith(folder.rstrip(os.sep) + os.sep):
                raise _Unreadable("outside", target=target)
        if st.st_size > MAX_BYTES:
            raise _Unreadable("too_large", cap=_size(MAX_BYTES))
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        with open(os.open(self.path, flags), "rb") as f:
            st = os.fstat(f.fileno())
            _regular(st)  # what was opened is what was looked at
            raw = f.read(min(st.st_size, MAX_BYTES) + 1)  # a byte more than its size: does it grow?
            if len(raw) > st.st_size:
                raw += f.read(MAX_BYTES + 1 - len(raw))
        if len(raw) > MAX_BYTES:
            raise _Unreadable("too_large", cap=_size(MAX_BYTES))
        return raw

    def _set_aside(self, raw: bytes) -> str | None:
        """Copy the file as it was next to it, under a new name; None if that failed."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for n in range(1, 100):
            aside = self.path.with_name(f"progress.bad-{stamp}{'' if n == 1 else f'-{n}'}.json")
            try:
                with open(aside, "xb") as f:
                    f.write(raw)
                return aside.name
            except FileExistsError:
                continue
            except OSError:
                return None
        return None

    # ---- writing
    def save(self, progress: Progress) -> Notice | None:
        """Merge `progress` into the file; a `Notice` when it could not be saved (once per cause)."""
        if progress.read_only:
            return None  # said when it was read
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with _Lock(self.folder / LOCK_NAME):
                try:
                    disk, bad = self._read()
                    if bad and self._set_aside(disk.raw) is None:
                        raise _Unreadable("no_copy")
                except _Unreadable as err:  # something unreadable appeared since: keep it, stop saving
                    self._disk = None
                    progress.read_only = True
                    progress.warning = Notice("progress.unreadable", str(self.path), err.reason, err.extra)
                    return progress.warning
                try:
                    _merge(progress, disk)
                    disk.raw = self._write(disk)
                except BaseException:
                    self._disk = None  # what is in memory may differ from the file now
                    raise
                progress.base = {"levels": dict(disk.keys), "settings": dict(progress.settings)}
                self._clean()
        except OSError as err:
            reason = err.strerror or type(err).__name__
            if reason == self._failure:
                return None
            self._failure = reason
            return Notice("progress.save_failed", str(self.path), reason)
        self._failure = None
        return None

    def _write(self, disk: _Disk) -> bytes:
        data = _dump(disk).encode("utf-8")
        tmp = self.folder / f".progress-{os.getpid()}-{time.monotonic_ns()}.tmp"
        try:
            with open(tmp, "xb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return data

    def _clean(self) -> None:
        """Temporary files of saves that never finished (no save is under way: we hold the lock)."""
        for stray in self.folder.glob(".progress-*.tmp"):
            stray.unlink(missing_ok=True)


class _Lock:
    """An exclusive lock on a file for as long as a save takes (no lock where fcntl is missing)."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)  # not a link
        try:
            import fcntl  # noqa: PLC0415
        except ImportError:  # Windows: saves are still atomic, only not merged under a lock
            return self
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        os.close(self.fd)  # closing releases the lock


def _size(n: int) -> str:
    return f"{n // 2**20} MB" if n >= 2**20 else f"{n // 1024} kB"


def _regular(st: os.stat_result) -> None:
    if stat.S_ISREG(st.st_mode):
        return
    kind = "folder" if stat.S_ISDIR(st.st_mode) else "fifo" if stat.S_ISFIFO(st.st_mode) else \
        "device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "special"
    raise _Unreadable(kind)


def _parse(raw: bytes) -> tuple[_Disk, list[str]]:
    """The file's JSON object with its levels read (a wrong field takes its default, a record that
    is not one is left out), its known settings checked, everything else kept as it is; and the
    names of what could not be read."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Unreadable("encoding") from None
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise _Unreadable("json") from None
    if not isinstance(doc, dict) or not isinstance(doc.setdefault("levels", {}), dict) \
            or not isinstance(doc.setdefault("settings", {}), dict):
        raise _Unreadable("shape")
    if len(doc["levels"]) > MAX_LEVELS:
        raise _Unreadable("too_many", most=f"{MAX_LEVELS:,}")
    version = doc.get("version")
    if not (isinstance(version, int) and not isinstance(version, bool) and version > VERSION):
        doc["version"] = VERSION  # a newer version's number is kept
    disk, bad = _Disk(raw, doc), []
    levels = doc["levels"]
    for level_id, value in list(levels.items()):
        if not isinstance(value, dict):
            bad.append(level_id)
            del levels[level_id]
            continue
        wrong = [name for name in _NAMES if name in value and not _CHECKS.get(name, _count)(value[name])]
        if wrong:
            bad.append(level_id)
            for name in wrong:
                del value[name]
        disk.keys[level_id] = tuple(tuple(v) if isinstance(v, list) else v
                                    for v in (value.get(name, default) for name, default in _DEFAULTS))
    settings = doc["settings"]
    for name in SETTINGS:
        if name in settings and not isinstance(settings[name], str):
            bad.append(f"settings.{name}")
            del settings[name]
    return disk, bad


_NAMES = tuple(f.name for f in fields(LevelRecord))
_DEFAULTS = tuple((f.name, getattr(LevelRecord(), f.name)) for f in fields(LevelRecord))
_CHECKS = {
    "done": lambda v: isinstance(v, bool),
    "points": lambda v: isinstance(v, list) and all(_count(p) for p in v),
    "answers": lambda v: isinstance(v, list) and all(a is None or (isinstance(a, str) and len(a) <= 1000) for a in v),
    "pending": lambda v: isinstance(v, list) and all(a is None or (isinstance(a, str) and len(a) <= 1000) for a in v),
    "seed": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
    "stars": lambda v: _count(v) and v <= 3,
    "slips": lambda v: isinstance(v, list) and len(v) <= MAX_SLIPS and all(isinstance(x, str) and len(x) <= 200 for x in v),
}


def _count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**63


def _key(r: LevelRecord) -> tuple:
    """A record's fields in order, as a tuple: what is compared to tell whether a level changed."""
    return tuple(tuple(v) if isinstance(v, list) else v for v in vars(r).values())


def _record(key: tuple) -> LevelRecord:
    return LevelRecord(*(list(v) if isinstance(v, tuple) else v for v in key))


def _strings(settings: dict) -> dict[str, str]:
    return {k: v for k, v in settings.items() if isinstance(v, str)}


def _further(mine: LevelRecord, theirs: LevelRecord) -> LevelRecord:
    """One level changed in two games: the play that went further (a finished one, else the later
    stage; this game's when even) with the better score of the two; done if either is."""
    reach = [(r.done, 0 if r.done else r.resume_at) for r in (mine, theirs)]
    lead = theirs if reach[1] > reach[0] else mine
    merged = replace(lead, points=list(lead.points), answers=list(lead.answers), pending=list(lead.pending),
                     done=mine.done or theirs.done)
    merged.best_score, merged.stars = max((mine.best_score, mine.stars), (theirs.best_score, theirs.stars))
    return merged


def _merge(progress: Progress, disk: _Disk) -> None:
    """Bring `disk` and `progress` together. A level this game changed since it read the file is
    written (the furthest of it and the disk's when both have it); every other level, and every
    setting not changed here, comes from the disk. Fields and keys this version does not know are
    the disk's."""
    base, levels = progress.base.get("levels", {}), disk.doc["levels"]
    mine_keys = {}
    for level_id, mine in progress.levels.items():
        key = mine_keys[level_id] = _key(mine)
        if key == base.get(level_id):
            continue  # unchanged here: the disk's is as new or newer
        theirs = disk.keys.get(level_id)
        if theirs is not None and theirs != key:
            key = _key(_further(mine, _record(theirs)))
        if key != theirs:
            known = dict(zip(_NAMES, (list(v) if isinstance(v, tuple) else v for v in key)))
            levels[level_id] = {**levels.get(level_id, {}), **known}
            disk.keys[level_id] = key
            disk.lines.pop(level_id, None)
    for level_id, key in disk.keys.items():
        if mine_keys.get(level_id) != key:
            progress.levels[level_id] = _record(key)
    for level_id in [k for k in progress.levels if k not in disk.keys]:
        del progress.levels[level_id]  # gone from the file (reset by hand), not changed here
    old, settings = progress.base.get("settings", {}), disk.doc["settings"]
    settings.update({k: v for k, v in progress.settings.items() if old.get(k) != v})
    progress.settings.clear()
    progress.settings.update(_strings(settings))


def _dump(disk: _Disk) -> str:
    """The file's text: the other keys on the first line, then one line per level (a level's line
    is made again only when it changed)."""
    head = "".join(f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}, "
                   for k, v in disk.doc.items() if k != "levels")
    lines = disk.lines
    for level_id, value in disk.doc["levels"].items():
        if level_id not in lines:
            lines[level_id] = f"{json.dumps(level_id, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
    body = ",\n  ".join(lines[level_id] for level_id in disk.doc["levels"])
    return "{" + head.rstrip() + '\n "levels": {' + (f"\n  {body}\n " if body else "") + "}\n}\n"
