"""`gradquest report`: a simulated class whose truth is known; the report's counts equal it, on SQLite and
on PostgreSQL (the `class_db` fixture)."""

import csv
import io
import json
import random
from collections import Counter, defaultdict

from gradquest.classroom.report import as_csv, as_json, as_table, build
from gradquest.classroom.report_page import as_html
from gradquest.cli import main
from gradquest.store.class_store import ClassStore, Result, Submission

LEVELS = {"lv.one": ["steps[0]", "steps[1]", "steps[2]"], "lv.two": ["steps[0]", "steps[3].iterate.steps[0]#1"]}
SLIPS = ["sign", "one_path", "no_upstream", None]
HOSTILE = "\x1b[2JEve <script>alert(1)</script>"


def simulate(store: ClassStore, students: int, seed: int = 7):
    """Play a class at random straight into the store; what it played, counted as the report should."""
    rng = random.Random(seed)
    truth = {"reached": Counter(), "first": Counter(), "attempts": defaultdict(list), "hints": Counter(),
             "reveals": Counter(), "slips": defaultdict(lambda: defaultdict(set)), "done": Counter(), "stars": Counter()}
    clock = 0.0
    names = [f"Student {i}" for i in range(students - 1)] + [HOSTILE]
    for name in names:
        who = store.student(name).id
        for level, asks in LEVELS.items():
            finished = True
            for ask in asks[:rng.randint(0, len(asks))] if rng.random() < 0.3 else asks:
                key = (level, ask)
                truth["reached"][key] += 1
                hints, tries = 0, 0
                while True:
                    clock += 1
                    hints += rng.random() < 0.2
                    if rng.random() < 0.15:  # gives up
                        store.record(Submission(who, level, ask, "", "revealed", None, hints, True, clock))
                        truth["reveals"][key] += 1
                        break
                    tries += 1
                    if rng.random() < 0.5:
                        store.record(Submission(who, level, ask, "1.5", "correct", None, hints, False, clock))
                        truth["first"][key] += tries == 1
                        break
                    slip = rng.choice(SLIPS)
                    store.record(Submission(who, level, ask, f"-{tries}", "wrong", slip, hints, False, clock))
                    if slip:
                        truth["slips"][key][slip].add(who)
                truth["attempts"][key].append(tries)
                truth["hints"][key] += hints
            else:
                finished = len(asks) > 0
            if finished and truth["reached"][(level, asks[-1])] and rng.random() < 0.8:
                stars = rng.randint(1, 3)
                store.finish(Result(who, level, stars, 50 + stars, 60.0))
                truth["done"][who] += 1
                truth["stars"][who] += stars
    return truth


def test_the_reports_counts_equal_the_simulated_truth(tmp_path, class_db):
    store = ClassStore(tmp_path, class_db)
    truth = simulate(store, 25)
    report = build(store)
    assert {(a.level, a.ask) for a in report.asks} == set(truth["reached"])
    for a in report.asks:
        key = (a.level, a.ask)
        assert (a.reached, a.first_try, a.hints, a.reveals) == (
            truth["reached"][key], truth["first"][key], truth["hints"][key], truth["reveals"][key]), key
        tries = truth["attempts"][key]
        assert a.mean_attempts == round(sum(tries) / len(tries), 2)
        assert {s.name: s.students for s in a.slips} == {k: len(v) for k, v in truth["slips"][key].items()}
        assert [s.students for s in a.slips] == sorted((s.students for s in a.slips), reverse=True)
        assert all(s.example.startswith("-") for s in a.slips)
    for s in report.students:
        assert (s.levels_done, s.stars) == (truth["done"][s.id], truth["stars"][s.id])
    assert len(report.students) == 25


def test_csv_is_a_gradebook_and_json_holds_the_same_counts(tmp_path, class_db):
    store = ClassStore(tmp_path, class_db)
    simulate(store, 6)
    report = build(store)
    rows = list(csv.reader(io.StringIO(as_csv(report))))
    assert rows[0] == ["Student Name", "Student ID", "lv.one", "lv.two"]
    assert len(rows) == 7 and all(len(r) == 4 for r in rows)
    data = json.loads(as_json(report))
    assert [a["reached"] for a in data["asks"]] == [a.reached for a in report.asks]


def test_what_students_typed_passes_the_gate_and_is_escaped(tmp_path, class_db):
    store = ClassStore(tmp_path, class_db)
    who = store.student(HOSTILE).id
    store.record(Submission(who, "lv.one", "steps[0]", "\x1b]52;c;x\x07 <b>", "wrong", "sign", 0, False, 1.0))
    store.student("=HYPERLINK(1)")
    report = build(store)
    for shown in (as_table(report), as_json(report), as_csv(report), as_html(report)):
        assert "\x1b" not in shown and "\x07" not in shown
    page = as_html(report)
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;" in page
    assert "http" not in page.replace("http-equiv", "").replace("http://www.w3.org/2000/svg", "")  # loads nothing
    assert "'=HYPERLINK(1)" in as_csv(report)  # no formula in a gradebook


def test_the_report_command(tmp_path, capsys, class_db):
    store = ClassStore(tmp_path / "class", class_db)
    simulate(store, 4)
    db = ["--db", class_db] if class_db else []
    assert main(["report", str(tmp_path / "class"), "--csv", *db]) == 0
    assert capsys.readouterr().out.startswith("Student Name,Student ID,")
    assert main(["report", str(tmp_path / "class"), *db]) == 0
    assert "right 1st" in capsys.readouterr().out
    assert main(["report", str(tmp_path / "nothing")]) == 1
    assert "holds no class" in capsys.readouterr().err


def test_a_class_store_that_report_or_serve_cannot_reach_is_one_line(tmp_path, capsys):
    from tests.pg_cluster import free_port

    url = f"postgresql://teacher:hunter2@127.0.0.1:{free_port()}/class"
    for command in (["report", str(tmp_path)], ["serve", "--class", str(tmp_path), "--port", str(free_port())]):
        assert main([*command, "--db", url]) == 1
        err = capsys.readouterr().err
        assert err.startswith("gradquest: cannot reach the class store postgresql://teacher:***@")
        assert "hunter2" not in err and "Traceback" not in err and err.count("\n") == 1


SMOKE = """
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


def test_thirty_students_playing_at_once_lose_no_submission_and_the_report_counts_them(tmp_path, class_db):
    """30 students, each in its own thread with its own connection, play the level 10 times through
    the real game and its hook: every submission is kept, and the report equals what they did
    (bench/class_store.py runs the same for a minute on each database)."""
    import threading

    import yaml

    from gradquest.game.session import LevelSession
    from gradquest.levels.schema import Level
    from gradquest.store.class_store import Recorder

    level = Level.model_validate(yaml.safe_load(SMOKE))
    ids = [ClassStore(tmp_path, class_db).student(f"Student {i:02}").id for i in range(30)]
    rounds, sent = 10, Counter()

    def play(i: int) -> None:
        store = ClassStore(tmp_path, class_db)
        hook = Recorder(store, ids[i])
        for _ in range(rounds):
            session = LevelSession(level)
            session.on_submit = hook
            if i % 2:
                session.submit("17")  # a slip the game names
                sent[i] += 1
            session.submit(session.stage.solution)
            session.reveal() if i % 5 == 0 else session.submit(session.stage.solution)
            sent[i] += 2
        store.close()

    threads = [threading.Thread(target=play, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store = ClassStore(tmp_path, class_db)
    assert len(store.submissions()) == sum(sent.values()) == 30 * rounds * 2 + 15 * rounds  # none lost
    first, second = build(store).asks
    assert (first.reached, first.first_try, first.mean_attempts, first.reveals) == (30, 15, 15.0, 0)
    assert [(s.students, s.example) for s in first.slips] == [(15, "17")]
    assert (second.reached, second.first_try, second.reveals) == (30, 24, 6)
    assert all(s.levels_done == 1 and s.stars >= 1 for s in build(store).students)


def row_with(table: str, *cells: str) -> bool:
    """Whether one line of a drawn table holds all these cells (whatever the table's borders are drawn with)."""
    return any(all(cell in line for cell in cells) for line in table.splitlines())


def test_one_student_is_singular_and_the_report_speaks_chinese_too(tmp_path):
    store = ClassStore(tmp_path)
    ada, bob = store.student("Ada").id, store.student("Bob").id
    for who, slip in ((ada, "sign"), (ada, "one_path"), (bob, "one_path")):
        store.record(Submission(who, "lv.one", "steps[0]", "-3", "wrong", slip, 0, False, 1.0))
    report = build(store)
    page, table = as_html(report), as_table(report, width=200)
    assert "1 student<" in page and "2 students<" in page and "1 students" not in page
    assert row_with(table, "one_path", "2 students", "-3") and row_with(table, "sign", "1 student ", "-3")
    page, table = as_html(report, "zh"), as_table(report, width=200, lang="zh")
    assert "1 名学生<" in page and "2 名学生<" in page and '<html lang="zh">' in page
    assert row_with(table, "sign", "1 名学生", "-3") and "首次答对" in table


def test_a_long_label_stays_clear_of_its_bar_and_the_slips_table_counts_students(tmp_path):
    """A level not found here (no label): the bar is named by the ask's long path."""
    store = ClassStore(tmp_path)
    who = store.student("Ada").id
    store.record(Submission(who, "course.nonlinear-chain", "steps[0].iterate.steps[8]#1", "-3", "wrong", "sign", 0,
                            False, 1.0))
    page = as_html(build(store))
    label = "course.nonlinear-chain steps[0].iterate.steps[8]#1"
    bar_x = int(page.split(f">{label}</text><rect x=\"", 1)[1].split('"', 1)[0])
    assert bar_x >= 7 * len(label)  # about 7 px a character at 12 px sans-serif
    assert "<th>slip</th><th>students</th><th>an example typed</th>" in page
