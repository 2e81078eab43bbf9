"""The class store under load: 30 students answering at once for a minute, on SQLite and on PostgreSQL.

    PYTHONPATH=. .venv/bin/python bench/class_store.py [SECONDS] [STUDENTS]   (default: 60 30)

Each student is its own process (as each served tab is) with its own connection; all start together
and, once all are connected and until the time is up, play a two-ask level through the real game and its class-store hook
(`Recorder`): odd students first type a slip the game names, every fifth reveals the second ask.
Then the report is built from the store and compared with what the students sent: every submission
kept (lost = 0) and the report's counts (students reached, right at the first try, mean attempts,
reveals, the slip's students, levels done) equal to the truth. Printed per database: submissions
a second, and the time one answer's write took (the hook's call: median and p99). PostgreSQL is a
throwaway server of its own (tests/pg_cluster.py) with fsync on, as a real one is; SQLite is the
class folder's file (WAL).
"""

from __future__ import annotations

import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from gradquest.classroom.report import build
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level
from gradquest.store.class_store import ClassStore, Recorder
from tests.pg_cluster import throwaway_cluster

LEVEL = """
format_version: 1
id: class.load
title: {en: Load, zh: 负载}
chapter: 1
order: 1
model:
  params: {w: 3, b: 4}
  nodes: {x: 2*w + 3*b, y: 2*b + 1, z: x*y}
  output: z
steps:
  - forward: x
  - gradient: b
"""


def student(i: int, sid: int, folder: str, db: str | None, start, seconds: float, out) -> None:
    level = Level.model_validate(yaml.safe_load(LEVEL))
    store = ClassStore(folder, db)
    hook = Recorder(store, sid)
    waits: list[float] = []

    def timed(*args) -> None:
        began = time.perf_counter()
        hook(*args)
        waits.append(time.perf_counter() - began)

    sent = rounds = 0
    start.wait()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        session = LevelSession(level)
        session.on_submit = timed
        if i % 2:
            session.submit("17")  # a slip the game names
            sent += 1
        session.submit(session.stage.solution)
        session.reveal() if i % 5 == 0 else session.submit(session.stage.solution)
        sent, rounds = sent + 2, rounds + 1
    store.close()
    out.put((i, sent, rounds, waits))


def run(name: str, folder: Path, db: str | None, students: int, seconds: float) -> dict:
    ids = [ClassStore(folder, db).student(f"Student {i:02}").id for i in range(students)]
    context = multiprocessing.get_context("spawn")
    start, out = context.Barrier(students + 1), context.Queue()
    workers = [context.Process(target=student, args=(i, ids[i], str(folder), db, start, seconds, out))
               for i in range(students)]
    for w in workers:
        w.start()
    start.wait()  # every process imported and connected: they start together
    began = time.perf_counter()
    done = [out.get() for _ in workers]
    elapsed = time.perf_counter() - began
    for w in workers:
        w.join()
    sent = sum(d[1] for d in done)
    rounds = {d[0]: d[2] for d in done}
    waits = sorted(x for d in done for x in d[3])
    store = ClassStore(folder, db)
    kept = len(store.submissions())
    report = build(store)
    first, second = report.asks
    played = [i for i in rounds if rounds[i]]
    odd = [i for i in played if i % 2]
    attempts = [rounds[i] * (2 if i % 2 else 1) for i in played]
    truth = ((len(played), len(played) - len(odd), round(sum(attempts) / len(attempts), 2), 0, [(len(odd), "17")]),
             (len(played), sum(1 for i in played if i % 5), sum(1 for i in played if i % 5 == 0)),
             [1] * len(played))
    seen = ((first.reached, first.first_try, first.mean_attempts, first.reveals,
             [(s.students, s.example) for s in first.slips]),
            (second.reached, second.first_try, second.reveals),
            [s.levels_done for s in report.students])
    store.close()
    return {"name": name, "students": students, "seconds": elapsed, "sent": sent, "lost": sent - kept,
            "rate": kept / elapsed, "truth": seen == truth, "median_ms": 1000 * statistics.median(waits),
            "p99_ms": 1000 * waits[int(0.99 * (len(waits) - 1))]}


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    students = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    print("database    students  seconds  submissions  per second  lost  report = truth  write ms median  p99")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(run("sqlite", Path(tmp) / "sqlite", None, students, seconds))
        with throwaway_cluster(durable=True) as cluster:
            rows.append(run("postgresql", Path(tmp) / "pg", cluster.new_database(), students, seconds))
    for r in rows:
        print(f"{r['name']:<10}  {r['students']:>8}  {r['seconds']:>7.1f}  {r['sent']:>11}  {r['rate']:>10.1f}  "
              f"{r['lost']:>4}  {'yes' if r['truth'] else 'NO':>14}  {r['median_ms']:>15.1f}  {r['p99_ms']:>5.1f}",
              flush=True)


if __name__ == "__main__":
    main()
