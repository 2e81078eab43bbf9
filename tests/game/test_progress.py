"""The progress store cannot crash the game or lose what the player did (issue 13's cases)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gradquest.store import progress as progress_module
from gradquest.store.progress import LevelRecord, ProgressStore

GOOD = {"version": 1, "settings": {"lang": "zh"},
        "levels": {"a.one": {"done": True, "best_score": 100, "stars": 3, "attempts": 4},
                   "a.two": {"resume_at": 2, "seed": 7, "points": [100, 75]}}}


def write(folder: Path, content) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "progress.json"
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


def finish(progress, level_id: str, score: int = 100) -> None:
    r = progress.record(level_id)
    r.done, r.best_score, r.stars = True, score, 3


UNREADABLE = {
    "binary": bytes(range(256)) * 4,
    "utf-16": json.dumps(GOOD).encode("utf-16"),
    "deeply nested": b"[" * 200_000 + b"]" * 200_000,
    "nested object": b'{"levels": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001,
    "not an object": b"[1, 2, 3]",
    "levels not an object": b'{"levels": [1, 2]}',
    "settings not an object": b'{"levels": {}, "settings": 5}',
    "truncated": json.dumps(GOOD).encode()[:40],
}


@pytest.mark.parametrize("name", UNREADABLE)
def test_an_unreadable_file_is_never_overwritten(name, tmp_path):
    path = write(tmp_path, UNREADABLE[name])
    store = ProgressStore(tmp_path)
    progress = store.load()
    assert progress.levels == {} and progress.read_only
    assert "will not be saved" in progress.warning.message("en") and "不会保存" in progress.warning.message("zh")
    finish(progress, "a.three")
    assert store.save(progress) is None  # said once, when read
    assert path.read_bytes() == UNREADABLE[name]
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]


def test_a_folder_in_place_of_the_file_is_reported_and_kept(tmp_path):
    (tmp_path / "progress.json").mkdir()
    store = ProgressStore(tmp_path)
    progress = store.load()
    assert progress.read_only and "could not be read" in str(progress.warning)
    assert store.save(progress) is None and (tmp_path / "progress.json").is_dir()


def test_a_bad_record_is_repaired_or_left_out_and_the_rest_kept(tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["levels"]["a.bad"] = "not a record"
    data["levels"]["a.odd"] = {"done": "yes", "stars": 9, "attempts": 3, "seed": 2.5, "points": ["x"]}
    path = write(tmp_path, data)
    store = ProgressStore(tmp_path)
    progress = store.load()
    assert progress.levels["a.one"] == LevelRecord(done=True, best_score=100, stars=3, attempts=4)
    assert progress.levels["a.two"].points == [100, 75] and progress.settings == {"lang": "zh"}
    assert progress.levels["a.odd"] == LevelRecord(attempts=3) and "a.bad" not in progress.levels
    assert "a.bad, a.odd" in str(progress.warning) and not progress.read_only
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("progress.bad-")]
    assert len(aside) == 1 and json.loads(aside[0].read_text()) == data  # the file as it was
    assert store.save(progress) is None
    assert set(json.loads(path.read_text())["levels"]) == {"a.one", "a.two", "a.odd"}


def test_unknown_keys_are_ignored(tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["version"], data["achievements"] = 7, {"x": 1}
    data["levels"]["a.one"]["badge"] = "gold"
    write(tmp_path, data)
    progress = ProgressStore(tmp_path).load()
    assert progress.warning is None and progress.levels["a.one"].stars == 3


@pytest.mark.parametrize("failure", ["no space", "no permission", "directory in its place", "home is a file"])
def test_a_failed_save_is_a_notice_said_once_not_an_error(failure, tmp_path, monkeypatch):
    folder = tmp_path / "home"
    store = ProgressStore(folder)
    progress = store.load()
    finish(progress, "a.one")
    if failure == "no space":
        monkeypatch.setattr(progress_module.os, "fsync", _raise(OSError(errno.ENOSPC, "No space left on device")))
    elif failure == "no permission":  # the tests may run as root, where chmod does not refuse
        monkeypatch.setattr(progress_module.os, "replace", _raise(PermissionError(errno.EACCES, "Permission denied")))
    elif failure == "directory in its place":
        (folder / "progress.json").mkdir(parents=True)
    else:
        folder.write_text("a file")
        store = ProgressStore(folder)
    notice = store.save(progress)
    assert notice is not None and "not be saved" in notice.message("en") and "保存" in notice.message("zh")
    assert store.save(progress) is None  # once per cause, not at every step
    if folder.is_dir():
        assert not list(folder.glob(".progress-*.tmp"))  # nothing half-written left behind
    if failure in ("no space", "no permission"):
        monkeypatch.undo()
        assert store.save(progress) is None
        assert ProgressStore(folder).load().levels["a.one"].done


def _raise(error):
    def fail(*args, **kwargs):
        raise error
    return fail


def test_stray_temporary_files_are_cleaned(tmp_path):
    tmp_path.joinpath(".progress-abc.tmp").write_text("{half")
    store = ProgressStore(tmp_path)
    progress = store.load()
    finish(progress, "a.one")
    store.save(progress)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".progress.lock", "progress.json"]


def test_a_game_that_read_the_file_earlier_does_not_erase_another_games_level(tmp_path):
    first, second = ProgressStore(tmp_path), ProgressStore(tmp_path)
    mine, theirs = first.load(), second.load()
    finish(theirs, "a.theirs", 80)
    second.save(theirs)
    finish(mine, "a.mine")
    mine.record("a.theirs").resume_at = 3  # a replay here does not undo their finished level
    first.save(mine)
    levels = ProgressStore(tmp_path).load().levels
    assert levels["a.mine"].done and levels["a.theirs"].done and levels["a.theirs"].best_score == 80
    assert "a.theirs" in mine.levels  # and this game now sees it


SAVER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from gradquest.store.progress import ProgressStore

    folder, name, start = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    store = ProgressStore(folder)
    progress = store.load()  # read once, as a game does when it starts
    while time.time() < start:
        pass
    for i in range(40):
        r = progress.record(f"{name}.{i}")
        r.done, r.best_score, r.stars = True, 100, 3
        assert store.save(progress) is None
""")


def test_two_processes_saving_at_once_keep_every_level(tmp_path):
    import time

    start = time.time() + 1.5
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    procs = [subprocess.Popen([sys.executable, "-c", SAVER, str(tmp_path), name, str(start)], env=env)
             for name in ("left", "right")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    levels = ProgressStore(tmp_path).load().levels
    assert len(levels) == 80 and all(r.done for r in levels.values())
    assert not list(tmp_path.glob(".progress-*.tmp"))
