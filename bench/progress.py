"""The progress store under large and hostile files: load and save times, peak memory.
Not a timed test: it prints figures.

    python bench/progress.py [--records N] [--before REF] [--hostile]

Builds a progress file of N level records (220,000 by default, about 50 MB) in the format every
version so far writes (`json.dump(..., indent=1)`), and one at the store's caps. Each case runs in a
fresh process: `load()`, then one answer's change and `save()`, then a second change and `save()`
(a game saves after every answer); the process's peak memory (VmHWM) is reported. "now" is this
checkout; "lifted" is this checkout with its caps (`MAX_BYTES`, `MAX_LEVELS`) lifted, to show the
work a save does on a file it would refuse. `--before REF` runs `gradquest/store/progress.py` as it
is at the git ref REF too, side by side (the same files, the same steps). `--hostile` adds
`progress.json` as a link to `/dev/zero` (not run for REF: an unbounded reader never returns), a
300 MB sparse file, and the size cap filled with empty records (`{"levels": {"0": {}, "1": {}, ...}}`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import importlib.util, json, resource, sys, time
from pathlib import Path
module, folder = sys.argv[1], Path(sys.argv[2])
if module in ("-", "lifted"):
    from gradquest.store import progress as store_module
    if module == "lifted":
        store_module.MAX_BYTES = store_module.MAX_LEVELS = 1 << 40
else:
    spec = importlib.util.spec_from_file_location("progress_before", module)
    store_module = sys.modules["progress_before"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(store_module)
store = store_module.ProgressStore(folder)
t = time.perf_counter()
progress = store.load()
out = {"load": time.perf_counter() - t, "records": len(progress.levels),
       "refused": progress.read_only, "said": progress.warning.message("en") if progress.warning else ""}
if not progress.read_only:
    for step in (1, 2):
        record = progress.record("bench.answered")
        record.resume_at, record.points = step, [100] * step
        t = time.perf_counter()
        notice = store.save(progress)
        out[f"save{step}"] = time.perf_counter() - t
        assert notice is None, notice
try:  # this process's own peak (ru_maxrss would carry over the parent's, across exec)
    out["rss_mb"] = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
except OSError:
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def build(folder: Path, records: int) -> Path:
    """A progress file of `records` levels as every version so far writes it."""
    levels = {}
    for i in range(records):
        done = i % 2 == 0
        levels[f"c{i // 1000}.level{i:06d}"] = {
            "done": done, "best_score": 100 if done else 0, "stars": 3 if done else 0, "hints_used": i % 3,
            "attempts": 4 + i % 5, "resume_at": 0 if done else 3, "seed": None if done else i,
            "points": [100, 75] if done else [100, 75, 100], "answers": [] if done else ["6", "-6", None]}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "progress.json"
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"version": 1, "settings": {"lang": "en"}, "levels": levels}, f, indent=1, ensure_ascii=False)
    return path


def run(module: str, folder: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", WORKER, module, str(folder)], env=env,
                          capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout)


def show(name: str, figures: dict) -> str:
    if "error" in figures:
        return f"{name:<8} error: {figures['error']}"
    if figures.get("skipped"):
        return f"{name:<8} not run: {figures['skipped']}"
    saves = "  ".join(f"save {figures[k]:7.3f} s" for k in ("save1", "save2") if k in figures)
    state = "refused: " + figures["said"] if figures["refused"] else f"{figures['records']:,} records  {saves}"
    return f"{name:<8} load {figures['load']:7.3f} s  {figures['rss_mb']:7.1f} MB peak  {state}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=220_000)
    parser.add_argument("--before", metavar="REF", help="also run progress.py as it is at this git ref")
    parser.add_argument("--hostile", action="store_true", help="add /dev/zero and a 300 MB sparse file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from gradquest.store.progress import MAX_BYTES, MAX_LEVELS  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        variants = {"now": "-", "lifted": "lifted"}
        if args.before:
            old = Path(tmp) / "progress_before.py"
            old.write_bytes(subprocess.run(["git", "-C", str(ROOT), "show", f"{args.before}:gradquest/store/progress.py"],
                                           check=True, capture_output=True).stdout)
            variants = {f"{args.before}": str(old), **variants}
        under = min(MAX_LEVELS, int(MAX_BYTES / (build(Path(tmp) / "probe", 1000).stat().st_size / 1000)))
        for title, count in {f"{args.records:,} records": args.records, f"{under:,} records (the cap)": under}.items():
            folder = Path(tmp) / f"r{count}"
            size = build(folder, count).stat().st_size
            print(f"{title}, {size / 2**20:.1f} MB:")
            for name, module in variants.items():
                os.utime(folder / "progress.json")
                for stray in folder.glob("progress.bad-*"):
                    stray.unlink()
                print("  " + show(name, run(module, folder)))
                build(folder, count)  # the next variant reads the same file
        if args.hostile:
            for title, make in (("progress.json -> /dev/zero", _zero), ("a 300 MB file", _sparse),
                                (f"{MAX_BYTES // 2**20} MB of empty records ({MAX_BYTES // 11:,})", partial(_empty, MAX_BYTES))):
                print(f"{title}:")
                for name, module in variants.items():
                    if module == "lifted":
                        continue
                    folder = Path(tempfile.mkdtemp(dir=tmp))  # made again for each: a save rewrites it
                    make(folder / "progress.json")
                    figures = {"skipped": "reads forever"} if make is _zero and module != "-" else run(module, folder)
                    print("  " + show(name, figures))


def _zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _sparse(path: Path) -> None:
    with open(path, "wb") as f:
        f.truncate(300 * 2**20)


def _empty(size: int, path: Path) -> None:
    """`{"levels": {"0": {}, "1": {}, ...}}` in at most `size` bytes."""
    records = [f'"{i:x}":{{}}' for i in range(size // 11)]
    path.write_text('{"levels":{' + ",".join(records) + "}}")

if __name__ == "__main__":
    main()
