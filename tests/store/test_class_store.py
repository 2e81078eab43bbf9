"""The class store: schema and migrations, students, the class code, and the game's hook."""

import sqlite3

import yaml

from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level
from gradquest.store import class_store
from gradquest.store.class_store import MIGRATIONS, VERSION, ClassStore, Recorder
from gradquest.store.progress import Progress
from gradquest.store.resume import open_session

TWO_PATHS = """
format_version: 1
id: test.level
title: {en: Test, zh: 测试}
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


def level() -> Level:
    return Level.model_validate(yaml.safe_load(TWO_PATHS))


def test_a_new_store_is_at_the_last_version_and_an_old_one_is_migrated_keeping_its_rows(tmp_path):
    old = sqlite3.connect(tmp_path / "class.sqlite3")
    old.executescript(MIGRATIONS[0] + "PRAGMA user_version=1;")
    old.execute("INSERT INTO students (name, name_key, created) VALUES ('Ada', 'ada', 0)")
    old.commit()
    old.close()
    store = ClassStore(tmp_path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == VERSION == 3
    assert [s.name for s in store.students()] == ["Ada"]
    assert store.results() == []  # the second migration's table is there
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_one_student_per_name_whatever_its_case_and_spacing(tmp_path):
    store = ClassStore(tmp_path)
    ada = store.student("Ada  Lovelace")
    assert store.student(" ada lovelace ") == ada
    assert store.student("Grace").id != ada.id
    assert store.count_students() == 2


def test_the_class_code_is_kept_hashed(tmp_path):
    store = ClassStore(tmp_path)
    assert not store.has_code() and not store.check_code("x")
    store.set_code("owl-42")
    stored = store.db.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()[0]
    assert "owl-42" not in stored and stored.startswith("scrypt$")
    assert store.check_code("owl-42") and not store.check_code("owl-43")


def test_every_answer_is_recorded_with_its_slip_hints_and_the_level_result(tmp_path):
    store = ClassStore(tmp_path)
    ada = store.student("Ada")
    session = LevelSession(level())
    session.on_submit = Recorder(store, ada.id)
    session.submit("18")
    session.hint()
    assert session.submit("36").status == "wrong"  # only the path through y
    session.reveal()
    rows = store.submissions()
    assert [(r.ask, r.typed, r.verdict, r.slip, r.hints, r.revealed) for r in rows] == [
        ("steps[0]", "18", "correct", None, 0, False),
        ("steps[1]", "36", "wrong", "one_path", 1, False),
        ("steps[1]", "", "revealed", None, 1, True),
    ]
    assert all(r.student == ada.id and r.level == "test.level" for r in rows)
    [result] = store.results()
    assert (result.student, result.level, result.stars) == (ada.id, "test.level", session.stars)


def test_only_a_game_run_for_a_student_of_a_class_records(tmp_path, monkeypatch):
    monkeypatch.setattr(class_store, "_recorder", [])
    monkeypatch.delenv(class_store.CLASS_ENV, raising=False)
    assert open_session(level(), "en", Progress())[0].on_submit is None  # the local game
    ada = ClassStore(tmp_path).student("Ada")
    monkeypatch.setenv(class_store.CLASS_ENV, str(tmp_path))
    monkeypatch.setenv(class_store.STUDENT_ENV, str(ada.id))
    session = open_session(level(), "en", Progress())[0]
    session.submit("17")
    [row] = ClassStore(tmp_path).submissions()
    assert (row.student, row.level, row.ask, row.typed, row.verdict, row.session) == (
        ada.id, "test.level", "steps[0]", "17", "wrong", session.on_submit.session)
    assert row.slip  # the game named the mistake


def test_a_login_is_kept_hashed_outlives_the_store_object_and_expires(tmp_path):
    store = ClassStore(tmp_path)
    ada = store.student("Ada").id
    token = store.add_login(ada, days=1)
    assert store.login(token) == ada and store.login(token + "x") is None
    kept = store.db.execute("SELECT token_hash, expires FROM logins").fetchall()
    assert len(kept) == 1 and token not in kept[0][0]  # only its hash
    store.close()
    again = ClassStore(tmp_path)  # a restart
    assert again.login(token) == ada
    now = class_store.time.time()
    again.clock = lambda: now + 86400 + 1
    assert again.login(token) is None  # a day later
    again.add_login(ada)
    assert again.db.execute("SELECT count(*) FROM logins").fetchone()[0] == 1  # the expired one cleared


def test_a_level_that_ends_with_narration_is_recorded_as_finished(tmp_path):
    """Many levels end with a few words after the last ask: reading them on ends the level."""
    store = ClassStore(tmp_path)
    ada = store.student("Ada")
    ending = Level.model_validate(yaml.safe_load(TWO_PATHS + "  - say: {en: Well done., zh: 做得好。}\n"))
    session = LevelSession(ending)
    session.on_submit = Recorder(store, ada.id)
    session.submit("18")
    session.submit("63")
    assert not session.done and store.results() == []
    session.advance()
    assert session.done
    [result] = store.results()
    assert (result.level, result.stars, result.score) == ("test.level", 3, 100)
    assert len(store.submissions()) == 2  # the narration is no answer
