"""Benchmark of the level tools and of answer checking (a script, not a test).

    .venv/bin/python bench/levels.py [--quick] [--profile SECTION]

1. `gradquest test` over the bundled levels: wall time of the whole command in a subprocess
   (`python -m gradquest test`, median of 5 runs) beside the in-process time of the same work
   (discover + load + playtest of every bundled level), the bare interpreter and the imports,
   so that startup cost is visible. Target: under 5 s.
2. Generated levels (bench/_generate.py: a chain, a tanh neuron, an iterate to a target, a
   randomised model with `between` and `require`; each with asks and a playthrough test) through
   `check` (discover + `load_levels` + `lint`) and `test` (discover + `load_levels` + `playtest`),
   in-process, at 100, 200, 300, 400 and 500 levels: seconds, milliseconds per level, and the
   linearity ratio (time per level at the largest count) / (time per level at the smallest).
3. Answer-check latency: every bundled level played many times (a different seed each play); at
   every `ask` stage, `submit` of a wrong answer (the expected × 1.1) and of the correct one
   (`stage.solution`) is timed once per play with `time.perf_counter_ns`. p50 and p99 in ms.
   A correct submit returns after the session has moved to the next stage, as a player sees it.
   Target: p99 under 5 ms.

4. A chain of N nodes (n0 = w·1.0001, n1 = n0·1.0001 + 0.0001, …; a forward and a gradient ask)
   through `gradquest check` in-process (`examine` + `lint` + the level's tests) at 5,000, 10,000
   and 20,000 nodes: seconds and the linearity ratio. Target: 20,000 nodes in about 2 s.
   Then the fan-in chain (`_generate.fan_in_chain`: every node also reads one leaf a, and the
   gradient asked is ∂out/∂a, the leaf with N consumers and N paths) at 1,000, 2,000 and 4,000
   nodes, the same way. Target: linear (a ratio near 1).

`--quick`: fewer repeats and plays, at most 100 generated levels. `--only chain` runs section 4 alone. `--profile test|generated|submit`
prints the top 15 functions by cumulative time of that section (cProfile) after the table.
The script never fails on time; it exits 1 only if a level itself fails (a broken benchmark).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pydantic  # noqa: E402

import gradquest  # noqa: E402
from _generate import KINDS, fan_in_chain, generate  # noqa: E402
from gradquest.author.lint import lint  # noqa: E402
from gradquest.author.playtest import playtest  # noqa: E402
from gradquest.game.session import LevelSession  # noqa: E402
from gradquest.levels.discover import bundled_levels_dir, find_level_files  # noqa: E402
from gradquest.levels.load import load_levels  # noqa: E402

TARGET_TEST_S = 5.0
TARGET_P99_MS = 5.0

problems_seen: list[str] = []  # anything that makes the numbers meaningless (a level failing, etc.)


# ---- helpers

def median(xs):
    return statistics.median(xs)


def run_wall(cmd: list[str], repeats: int) -> list[float]:
    times = []
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for _ in range(repeats):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            problems_seen.append(f"{' '.join(cmd[1:])} exited {proc.returncode}: {proc.stdout[-300:]}{proc.stderr[-300:]}")
    return times


def row(label: str, value: str, target: str = "") -> None:
    print(f"  {label:<60} {value:>22}  {target}".rstrip())


def verdict_mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


# ---- 1. gradquest test over the bundled levels

def bundled_in_process() -> tuple[int, int]:
    """What `gradquest test` does for the bundled levels, without printing: (levels, failures)."""
    loaded, errors = load_levels(find_level_files([bundled_levels_dir()]))
    failed = len(errors)
    for item in loaded:
        failed += not playtest(item.level).passed
    return len(loaded), failed


def section_test(repeats: int) -> dict:
    py = sys.executable
    cold_start = time.perf_counter()
    n_levels, failed = bundled_in_process()  # first time in this process: lazy imports, caches
    cold = time.perf_counter() - cold_start
    if failed:
        problems_seen.append(f"{failed} bundled level(s) fail playtest")
    warm = []
    for _ in range(repeats):
        start = time.perf_counter()
        bundled_in_process()
        warm.append(time.perf_counter() - start)
    bare = run_wall([py, "-c", "pass"], repeats)
    imports = run_wall([py, "-c", "import gradquest.cli, gradquest.author.playtest, gradquest.levels.load, "
                                  "gradquest.levels.discover"], repeats)
    wall = run_wall([py, "-m", "gradquest", "test"], repeats)
    return {"levels": n_levels, "wall": wall, "bare": bare, "imports": imports, "cold": cold, "warm": warm}


def print_test(r: dict, repeats: int) -> None:
    print(f"\n1. `gradquest test` over the {r['levels']} bundled levels (median of {repeats})")
    wall = median(r["wall"])
    row("python -m gradquest test, wall (subprocess)", f"{wall:.3f} s",
        f"target < {TARGET_TEST_S:.0f} s: {verdict_mark(wall < TARGET_TEST_S)}")
    row("  of which: bare interpreter (python -c pass)", f"{median(r['bare']):.3f} s")
    row("  of which: interpreter + imports (subprocess)", f"{median(r['imports']):.3f} s")
    row("in-process load + playtest, first run (cold)", f"{r['cold']:.3f} s")
    row("in-process load + playtest, warm", f"{median(r['warm']):.3f} s")
    row("startup share of the wall time (wall − warm)", f"{wall - median(r['warm']):.3f} s",
        f"({100 * (wall - median(r['warm'])) / wall:.0f} %)")
    row("subprocess wall min / max", f"{min(r['wall']):.3f} / {max(r['wall']):.3f} s")


# ---- 2. generated levels through check and test

def check_and_test(folder: Path) -> dict:
    """check: discover + load + lint; test: discover + load + playtest (as the commands do)."""
    t0 = time.perf_counter()
    files = find_level_files([folder])
    loaded, errors = load_levels(files)
    t1 = time.perf_counter()
    findings = sum(len(lint(item.level)) for item in loaded)
    t2 = time.perf_counter()
    failed = 0
    for item in loaded:
        try:
            failed += not playtest(item.level).passed
        except Exception:  # noqa: BLE001 - a crash is a failure, as in cmd_test
            failed += 1
    t3 = time.perf_counter()
    return {"files": len(files), "load": t1 - t0, "lint": t2 - t1, "playtest": t3 - t2,
            "errors": len(errors), "findings": findings, "failed": failed}


def section_generated(counts: list[int], repeats: int, tmp: Path) -> dict:
    folders = {}
    for n in counts:
        folders[n] = tmp / f"levels-{n}"
        generate(folders[n], n)
    runs = {n: [] for n in counts}
    for _ in range(repeats):  # interleaved, so that drift hits every count alike
        for n in counts:
            r = check_and_test(folders[n])
            if r["files"] != n or r["errors"] or r["findings"] or r["failed"]:
                problems_seen.append(f"{n} generated levels: {r['files']} files, {r['errors']} load errors, "
                                     f"{r['findings']} lint findings, {r['failed']} playtest failures")
            runs[n].append(r)
    out = {}
    for n in counts:
        load = median([r["load"] for r in runs[n]])
        check = median([r["load"] + r["lint"] for r in runs[n]])
        test = median([r["load"] + r["playtest"] for r in runs[n]])
        out[n] = {"load": load, "check": check, "test": test}
    return out


def print_generated(r: dict, repeats: int) -> None:
    counts = sorted(r)
    print(f"\n2. generated levels, in-process (templates: {', '.join(KINDS)}; median of {repeats})")
    print(f"  {'levels':>6} {'load s':>8} {'check s':>8} {'test s':>8} {'load ms/lvl':>12} "
          f"{'check ms/lvl':>13} {'test ms/lvl':>12}")
    for n in counts:
        x = r[n]
        print(f"  {n:>6} {x['load']:>8.2f} {x['check']:>8.2f} {x['test']:>8.2f} {1000 * x['load'] / n:>12.2f} "
              f"{1000 * x['check'] / n:>13.2f} {1000 * x['test'] / n:>12.2f}")
    lo, hi = counts[0], counts[-1]
    for what in ("load", "check", "test"):
        ratio = (r[hi][what] / hi) / (r[lo][what] / lo)
        row(f"linearity of {what}: (s/level at {hi}) / (s/level at {lo})", f"{ratio:.2f}", "(≈1 means linear)")


# ---- 3. answer-check latency

def wrong_input(expected) -> str:
    x = np.asarray(expected, dtype=float)
    wrong = x * 1.1
    if np.all(wrong == x):  # 0 × 1.1 is still right
        wrong = x + 1.0
    if wrong.ndim == 0:
        return repr(float(wrong))
    if wrong.ndim == 2:  # a matrix answer, typed row by row
        return "; ".join(" ".join(repr(float(v)) for v in row) for row in wrong)
    return "(" + ", ".join(repr(float(v)) for v in wrong) + ")"


def play_and_time(level, seed: int, correct: list[int], wrong: list[int]) -> None:
    session = LevelSession(level, seed=seed)
    guard = 0
    while not session.done:
        guard += 1
        if guard > 100_000:
            problems_seen.append(f"{level.id} seed {seed}: did not end")
            return
        stage = session.stage
        if stage.kind == "ask":
            typed = wrong_input(stage.expected)
            t0 = time.perf_counter_ns()
            verdict = session.submit(typed)
            t1 = time.perf_counter_ns()
            wrong.append(t1 - t0)
            if verdict.status != "wrong":
                problems_seen.append(f"{level.id} seed {seed} {stage.path}: {typed} got {verdict.status}")
            solution = stage.solution
            t0 = time.perf_counter_ns()
            verdict = session.submit(solution)
            t1 = time.perf_counter_ns()
            correct.append(t1 - t0)
            if verdict.status != "correct":
                problems_seen.append(f"{level.id} seed {seed} {stage.path}: solution got {verdict.status}")
        else:
            session.submit(stage.solution)


def section_submit(plays: int) -> dict:
    loaded, errors = load_levels(find_level_files([bundled_levels_dir()]))
    correct: list[int] = []
    wrong: list[int] = []
    per_level = {}
    for item in loaded:
        play_and_time(item.level, seed=10_000, correct=[], wrong=[])  # warm-up, not counted
        c, w = [], []
        for seed in range(plays):
            play_and_time(item.level, seed, c, w)
        per_level[item.level.id] = (c, w)
        correct += c
        wrong += w
    return {"correct": correct, "wrong": wrong, "per_level": per_level, "levels": len(loaded)}


def pct_ms(ns: list[int], q: float) -> float:
    return float(np.percentile(np.asarray(ns, dtype=float), q)) / 1e6 if ns else float("nan")


def print_submit(r: dict, plays: int) -> None:
    asks = len(r["correct"]) // plays if plays else 0
    print(f"\n3. answer-check latency, submit → verdict ({r['levels']} bundled levels × {plays} plays, "
          f"{asks} asks per round, {len(r['correct'])} samples each)")
    for name in ("correct", "wrong"):
        ns = r[name]
        p99 = pct_ms(ns, 99)
        row(f"{name} answer: p50 / p99 / max", f"{pct_ms(ns, 50):.3f} / {p99:.3f} / {max(ns) / 1e6 if ns else 0:.3f} ms",
            f"target p99 < {TARGET_P99_MS:.0f} ms: {verdict_mark(p99 < TARGET_P99_MS)}")
    for level_id, (c, w) in r["per_level"].items():
        if c:
            row(f"  {level_id} (correct p50/p99, wrong p50/p99)",
                f"{pct_ms(c, 50):.2f}/{pct_ms(c, 99):.2f}, {pct_ms(w, 50):.2f}/{pct_ms(w, 99):.2f} ms")
        else:
            row(f"  {level_id}", "no ask stages")


# ---- 4. a long chain through check

TARGET_CHAIN_S = 2.0


def chain_level(n: int) -> str:
    lines = ["format_version: 1", f"id: bench.chain-{n}", "title: A chain", "chapter: 1", "order: 1", "model:",
             "  params: {w: 1}", "  nodes:", "    n0: w*1.0001"]
    lines += [f"    n{i}: n{i - 1}*1.0001 + 0.0001" for i in range(1, n)]
    lines += [f"  output: n{n - 1}", "steps:", f"  - forward: n{n - 1}", "  - gradient: w"]
    return "\n".join(lines) + "\n"


def check_in_process(path: Path) -> int:
    from gradquest.author.playtest import author_tests  # noqa: PLC0415
    from gradquest.levels.load import examine  # noqa: PLC0415

    seen = examine(path)
    problems = len(seen.errors)
    if seen.item is not None:
        problems += len(lint(seen.item.level)) + len(author_tests(seen.item.level))
    return problems


def section_chain(sizes: list[int], tmp: Path, make=chain_level) -> dict:
    out = {}
    for n in sizes:
        path = tmp / f"chain-{n}.yaml"
        path.write_text(make(n), encoding="utf-8")
        start = time.perf_counter()
        problems = check_in_process(path)
        out[n] = time.perf_counter() - start
        if problems:
            problems_seen.append(f"chain of {n}: {problems} problems")
    return out


def print_chain(r: dict, fan_in: dict) -> None:
    print("\n4. a chain of N nodes through `gradquest check` (in-process: load, build, lint, tests)")
    for title, runs in (("a chain", r), ("a fan-in chain (every node also reads a)", fan_in)):
        sizes = sorted(runs)
        print(f"  {title}")
        for n in sizes:
            row(f"{n:>6} nodes", f"{runs[n]:.2f} s", f"{1e6 * runs[n] / n:.0f} µs/node")
        lo, hi = sizes[0], sizes[-1]
        row(f"linearity: (s/node at {hi}) / (s/node at {lo})", f"{(runs[hi] / hi) / (runs[lo] / lo):.2f}",
            "(≈1 means linear)")
    hi = max(r)
    row(f"chain of {hi} nodes", f"{r[hi]:.2f} s", f"target ≈ {TARGET_CHAIN_S:.0f} s: {verdict_mark(r[hi] < 1.5 * TARGET_CHAIN_S)}")


def chains(tmp: Path) -> None:
    print_chain(section_chain([5_000, 10_000, 20_000], tmp), section_chain([1_000, 2_000, 4_000], tmp, fan_in_chain))


# ---- main

def profile(section: str, fn) -> str:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(15)
    return buf.getvalue()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and plays, at most 100 generated levels")
    parser.add_argument("--profile", choices=("test", "generated", "submit"),
                        help="also print the top 15 functions of one section by cumulative time")
    parser.add_argument("--only", choices=("chain",), help="run one section alone")
    args = parser.parse_args(argv)
    if args.only == "chain":
        with tempfile.TemporaryDirectory(prefix="gradquest-bench-") as tmp:
            chains(Path(tmp))
        return 1 if problems_seen else 0
    repeats = 3 if args.quick else 5
    gen_repeats = 1 if args.quick else 3
    counts = [20, 40, 60, 80, 100] if args.quick else [100, 200, 300, 400, 500]
    plays = 10 if args.quick else 50

    print(f"GradQuest {gradquest.__version__} level benchmark{' (--quick)' if args.quick else ''}")
    print(f"Python {platform.python_version()} ({platform.python_implementation()}), numpy {np.__version__}, "
          f"pydantic {pydantic.VERSION}, {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}")

    r1 = section_test(repeats)
    print_test(r1, repeats)
    with tempfile.TemporaryDirectory(prefix="gradquest-bench-") as tmp:
        r2 = section_generated(counts, gen_repeats, Path(tmp))
        print_generated(r2, gen_repeats)
        r3 = section_submit(plays)
        print_submit(r3, plays)
        chains(Path(tmp))

        if args.profile:
            print(f"\nprofile of section '{args.profile}', top 15 by cumulative time:")
            if args.profile == "test":
                print(profile("test", bundled_in_process))
            elif args.profile == "generated":
                print(profile("generated", lambda: check_and_test(Path(tmp) / f"levels-{counts[-1]}")))
            else:
                print(profile("submit", lambda: section_submit(max(1, plays // 5))))

    if problems_seen:
        print(f"\nPROBLEMS ({len(problems_seen)}; the numbers above may not mean what they say):")
        for p in list(dict.fromkeys(problems_seen))[:20]:
            print("  " + p)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
