"""The progress store under hostile and unusual files (issue 20 items 2, 4 and 9): only a regular
file in the folder is read, never past a cap; saves of a large file do only the work of what changed;
a newer version's file keeps what this version does not know; a level never moves back; a setting
of the wrong type is set aside like a bad record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gradquest.store import progress as progress_module
from gradquest.store.progress import ProgressStore

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"version": 1, "settings": {"lang": "zh"},
        "levels": {"a.one": {"done": True, "best_score": 100, "stars": 3, "attempts": 4},
                   "a.two": {"resume_at": 2, "seed": 7, "points": [100, 75]}}}

LOADER = textwrap.dedent("""
    import resource, sys
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # an unbounded read fails here, not the machine
    from gradquest.store.progress import ProgressStore
    progress = ProgressStore(Path(sys.argv[1])).load()
    print(progress.read_only)
    for lang in ("en", "zh"):
        print(progress.warning.message(lang) if progress.warning else "")
""")


def load_elsewhere(folder: Path) -> list[str]:
    """`load()` in a process of its own, with its memory capped (a reader that never stops fails)."""
    done = subprocess.run([sys.executable, "-c", LOADER, str(folder)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def write(folder: Path, content: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "progress.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


# ---- item 2: what is opened, and how much is read

@pytest.mark.parametrize("kind", ["/dev/zero", "/dev/full", "a pipe", "a link out of the folder"])
def test_only_a_regular_file_in_the_folder_is_read(kind, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    path = home / "progress.json"
    if kind == "a pipe":
        os.mkfifo(path)
    elif kind.startswith("/dev/"):
        path.symlink_to(kind)
    else:
        write(tmp_path / "elsewhere", GOOD)
        path.symlink_to(tmp_path / "elsewhere" / "progress.json")
    read_only, en, zh = load_elsewhere(home)
    said = {"/dev/zero": ("a device", "设备"), "/dev/full": ("a device", "设备"), "a pipe": ("a pipe", "管道"),
            "a link out of the folder": ("outside the progress folder", "进度文件夹之外")}[kind]
    assert read_only == "True" and said[0] in en and said[1] in zh
    assert "left as it is" in en and "will not be saved" in en and "不会保存" in zh
    store = ProgressStore(home)
    progress = store.load()
    progress.record("a.three").done = True
    assert store.save(progress) is None and os.path.islink(path) == (kind != "a pipe")
    if kind == "a link out of the folder":
        assert json.loads((tmp_path / "elsewhere" / "progress.json").read_text()) == GOOD
        path.unlink()  # a link that stays in the folder is read
        write(home, GOOD).rename(home / "kept.json")
        path.symlink_to("kept.json")
        assert load_elsewhere(home) == ["False", "", ""] and ProgressStore(home).load().levels["a.one"].done


def test_a_file_over_the_cap_is_kept_and_never_read_past_it(tmp_path, monkeypatch):
    monkeypatch.setattr(progress_module, "MAX_BYTES", 4096)
    data = json.loads(json.dumps(GOOD))
    data["levels"].update({f"b.{i}": {"attempts": i} for i in range(400)})
    path = write(tmp_path, data)
    read = []

    def growing_open(file, mode="r", *args, **kwargs):  # the file grows after it was looked at
        f = open(file, mode, *args, **kwargs)
        if isinstance(file, int):
            with open(path, "ab") as more:
                more.write(b" " * 100_000)
            return Spy(f, read)
        return f

    store = ProgressStore(tmp_path)
    progress = store.load()  # over the cap as it stands: not opened at all
    assert progress.read_only and "larger than 4 kB" in progress.warning.message("en")
    assert "4 kB" in progress.warning.message("zh") and "不会保存" in progress.warning.message("zh")
    path.write_bytes(json.dumps(GOOD).encode())
    monkeypatch.setattr(progress_module, "open", growing_open, raising=False)
    progress = store.load()
    assert progress.read_only and "larger than 4 kB" in str(progress.warning)
    assert 0 < sum(read) <= 4097
    progress.record("a.three").done = True
    assert store.save(progress) is None and path.stat().st_size > 100_000  # kept as it is


class Spy:
    def __init__(self, f, read: list[int]):
        self.f, self.counts = f, read

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()

    def fileno(self):
        return self.f.fileno()

    def read(self, n=-1):
        data = self.f.read(n)
        self.counts.append(len(data))
        return data


def test_saves_of_a_large_file_parse_it_once_and_encode_only_what_changed(tmp_path, monkeypatch):
    data = json.loads(json.dumps(GOOD))
    data["levels"].update({f"b.{i:04d}": {"done": True, "best_score": 90, "stars": 2, "points": [90] * 5}
                           for i in range(2000)})
    path = write(tmp_path, data)
    parsed, encoded = [], []
    loads, iterencode = json.loads, json.JSONEncoder.iterencode

    def counting_loads(*args, **kwargs):
        parsed.append(1)
        return loads(*args, **kwargs)

    def counting_iterencode(self, o, _one_shot=False):
        chunks = list(iterencode(self, o, _one_shot))
        encoded.append(sum(map(len, chunks)))
        return chunks

    monkeypatch.setattr(progress_module.json, "loads", counting_loads)
    monkeypatch.setattr(json.JSONEncoder, "iterencode", counting_iterencode)
    store = ProgressStore(tmp_path)
    progress = store.load()
    assert store.save(progress) is None  # the first save writes every line once
    encoded.clear()
    for stage in (3, 4, 5):  # then a game saves after every answer
        progress.record("a.two").resume_at = stage
        assert store.save(progress) is None
    assert len(parsed) == 1  # read once: the file did not change under this store
    assert sum(encoded) < path.stat().st_size / 50  # only the changed level's line, three times
    assert ProgressStore(tmp_path).load().levels["a.two"].resume_at == 5
    other = ProgressStore(tmp_path)
    theirs = other.load()
    theirs.record("a.new").done = True
    assert other.save(theirs) is None
    parsed.clear()
    progress.record("a.two").resume_at = 6
    assert store.save(progress) is None and len(parsed) == 1  # changed elsewhere: read again
    assert progress.levels["a.new"].done and len(ProgressStore(tmp_path).load().levels) == 2003


# ---- item 4: a newer version's file, and a level open in two games

def test_a_newer_versions_file_keeps_what_this_version_does_not_know(tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["version"], data["achievements"] = 7, {"streak": [1, 2, 3]}
    data["settings"]["sound"] = {"volume": 0.5}
    data["levels"]["a.one"]["badge"] = "gold"
    data["levels"]["a.two"]["hints_seen"] = [1, 2]
    path = write(tmp_path, data)
    store = ProgressStore(tmp_path)
    progress = store.load()
    assert progress.warning is None and progress.levels["a.one"].stars == 3
    progress.record("a.one").attempts = 9
    progress.record("a.three").done = True
    progress.settings["lang"] = "en"
    assert store.save(progress) is None
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["version"] == 7 and saved["achievements"] == {"streak": [1, 2, 3]}
    assert saved["settings"] == {"lang": "en", "sound": {"volume": 0.5}}
    assert saved["levels"]["a.one"]["badge"] == "gold" and saved["levels"]["a.one"]["attempts"] == 9
    assert saved["levels"]["a.two"] == data["levels"]["a.two"]  # untouched here: as it was
    assert saved["levels"]["a.three"]["done"] is True


def play(progress, stage: int, seed: int) -> None:
    r = progress.record("a.level")
    r.resume_at, r.seed, r.points, r.answers = stage, seed, [100] * stage, [str(seed)] * stage


def stands(folder: Path):
    return ProgressStore(folder).load().levels["a.level"]


@pytest.mark.parametrize("order", ["further saved first", "further saved last"])
def test_a_level_open_in_two_games_never_moves_back(order, tmp_path):
    far_store, near_store = ProgressStore(tmp_path), ProgressStore(tmp_path)
    far, near = far_store.load(), near_store.load()
    play(far, 9, seed=1)
    play(near, 2, seed=2)
    for store, progress in ((far_store, far), (near_store, near))[::1 if order == "further saved first" else -1]:
        assert store.save(progress) is None
    play(near, 3, seed=2)  # the game behind plays on
    assert near_store.save(near) is None
    r = stands(tmp_path)
    assert (r.resume_at, r.seed, r.points, r.answers) == (9, 1, [100] * 9, ["1"] * 9)  # one play, whole
    assert near.levels["a.level"].resume_at == 9  # and the game behind now sees it
    play(near, 10, seed=2)  # until it goes further
    near_store.save(near)
    assert (stands(tmp_path).resume_at, stands(tmp_path).seed) == (10, 2)
    near.record("a.level").done, near.record("a.level").resume_at = True, 0
    near_store.save(near)
    play(far, 11, seed=1)
    far_store.save(far)  # a finished level beats a later stage of an unfinished play
    assert stands(tmp_path).done and far.levels["a.level"].done


GAME = textwrap.dedent("""
    import sys
    from pathlib import Path
    from gradquest.store.progress import ProgressStore

    store = ProgressStore(Path(sys.argv[1]))
    progress = store.load()
    print("read", flush=True)
    sys.stdin.readline()
    r = progress.record("a.level")
    r.resume_at, r.seed, r.points = 9, 1, [100] * 9
    print(store.save(progress), flush=True)
""")


@pytest.mark.parametrize("order", ["other process first", "this process first"])
def test_a_level_never_moves_back_across_processes(order, tmp_path):
    other = subprocess.Popen([sys.executable, "-c", GAME, str(tmp_path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert other.stdout.readline() == "read\n"
        store = ProgressStore(tmp_path)
        progress = store.load()
        if order == "other process first":
            assert other.communicate("go\n", timeout=120)[0] == "None\n"
        play(progress, 2, seed=2)
        assert store.save(progress) is None
        if order == "this process first":
            assert other.communicate("go\n", timeout=120)[0] == "None\n"
        play(progress, 3, seed=2)
        assert store.save(progress) is None
    finally:
        other.kill()
        other.wait()
    assert other.returncode == 0 and (stands(tmp_path).resume_at, stands(tmp_path).seed) == (9, 1)


# ---- item 9: a setting of the wrong type

def test_a_setting_of_the_wrong_type_is_set_aside_like_a_bad_record(tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["settings"]["theme"] = {"name": "nord"}
    path = write(tmp_path, data)
    store = ProgressStore(tmp_path)
    progress = store.load()
    assert progress.settings == {"lang": "zh"} and not progress.read_only
    assert "settings.theme" in progress.warning.message("en") and "settings.theme" in progress.warning.message("zh")
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("progress.bad-")]
    assert len(aside) == 1 and json.loads(aside[0].read_text()) == data and aside[0].name in str(progress.warning)
    progress.settings["theme"] = "nord"
    assert store.save(progress) is None
    assert json.loads(path.read_text())["settings"] == {"lang": "zh", "theme": "nord"}
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("progress.bad-")]) == 1  # one copy, not one a save
