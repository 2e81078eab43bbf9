"""The progress store under large and hostile files: load and save times, bytes read, peak memory.
Not a timed test: it prints figures.

    python bench/progress.py [--records N] [--before REF] [--hostile]

Builds a progress file of N level records (220,000 by default, about 50 MB) in the format every
version so far writes (`json.dump(..., indent=1)`), and one just under the store's size cap. Each
case runs in a fresh process: `load()`, then one answer's change and `save()`, then a second change
and `save()` (a game saves after every answer); the process's peak memory (ru_maxrss) is reported.
`--before REF` runs `gradquest/game/progress.py` as it is at the git ref REF too, side by side (the
same files, the same steps). `--hostile` adds `progress.json` as a link to `/dev/zero` (only for
this checkout: an unbounded reader never returns) and as a 300 MB sparse file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import importlib.util, json, resource, sys, time
from pathlib import Path
module, folder = sys.argv[1], Path(sys.argv[2])
if module == "-":
    from gradquest.game import progress as store_module
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
                          capture_output=True, text=True, timeout=3600)
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
    from gradquest.game.progress import MAX_BYTES  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        variants = {"now": "-"}
        if args.before:
            old = Path(tmp) / "progress_before.py"
            old.write_bytes(subprocess.run(["git", "-C", str(ROOT), "show", f"{args.before}:gradquest/game/progress.py"],
                                           check=True, capture_output=True).stdout)
            variants = {f"{args.before}": str(old), **variants}
        per_record = build(Path(tmp) / "probe", 1000).stat().st_size / 1000
        cases = {f"{args.records:,} records": args.records,
                 f"{int(MAX_BYTES * 0.95 / per_record):,} records (under the cap)": int(MAX_BYTES * 0.95 / per_record)}
        for title, count in cases.items():
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
            zero, sparse = Path(tmp) / "zero", Path(tmp) / "sparse"
            zero.mkdir()
            (zero / "progress.json").symlink_to("/dev/zero")
            sparse.mkdir()
            with open(sparse / "progress.json", "wb") as f:
                f.truncate(300 * 2**20)
            for title, folder in (("progress.json -> /dev/zero", zero), ("a 300 MB file", sparse)):
                print(f"{title}:")
                for name, module in variants.items():
                    figures = {"skipped": "reads forever"} if folder is zero and module != "-" else run(module, folder)
                    print("  " + show(name, figures))


if __name__ == "__main__":
    main()
