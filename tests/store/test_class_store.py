"""The class store: schema and migrations, students, the class code, and the game's hook; each test runs on
SQLite and on PostgreSQL (the `class_db` fixture, tests/conftest.py)."""

import pytest
import yaml

from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level
from gradquest.store import class_store
from gradquest.store.class_db import StoreError, connect
from gradquest.store.class_store import VERSION, ClassStore, Recorder, migrate
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


def test_a_new_store_is_at_the_last_version_and_an_old_one_is_migrated_keeping_its_rows(tmp_path, class_db):
    old = connect(class_db or tmp_path / "class.sqlite3")
    assert migrate(old, target=1) == 1  # a store as the first GradQuest with classes left it
    old.rows("INSERT INTO students (name, name_key, created) VALUES ('Ada', 'ada', 0)")
    old.close()
    store = ClassStore(tmp_path, class_db)
    assert store.db.version() == VERSION == 3
    assert [s.name for s in store.students()] == ["Ada"]
    assert store.results() == []  # the second migration's table is there
    assert store.student("Grace").id == 2  # ids go on from the rows kept
    if class_db is None:
        assert store.db.rows("PRAGMA journal_mode")[0][0] == "wal"
    with store.db.write():
        store.db.set_version(VERSION + 1)
    with pytest.raises(StoreError, match="newer GradQuest"):
        ClassStore(tmp_path, class_db)


def test_servers_starting_at_once_migrate_one_after_the_other(tmp_path, class_db):
    import threading

    stores = []
    threads = [threading.Thread(target=lambda: stores.append(ClassStore(tmp_path, class_db))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(stores) == 6 and {s.db.version() for s in stores} == {VERSION}


def test_a_store_that_cannot_be_reached_is_said_in_one_line_without_its_password(tmp_path):
    from tests.pg_cluster import free_port

    with pytest.raises(StoreError, match=r"cannot reach the class store postgresql://ada:\*\*\*@127\.0\.0\.1") as err:
        ClassStore(tmp_path / "c", f"postgresql://ada:secret@127.0.0.1:{free_port()}/class")
    assert "secret" not in str(err.value) and "\n" not in str(err.value)
    assert not (tmp_path / "c").exists()  # nothing written beside a class on a server
    with pytest.raises(StoreError, match="postgresql://"):
        ClassStore(tmp_path, "mysql://ada@host/class")


def test_one_student_per_name_whatever_its_case_and_spacing(tmp_path, class_db):
    store = ClassStore(tmp_path, class_db)
    ada = store.student("Ada  Lovelace")
    assert store.student(" ada lovelace ") == ada
    assert store.student("Grace").id != ada.id
    assert store.count_students() == 2


def test_the_class_code_is_kept_hashed(tmp_path, class_db):
    store = ClassStore(tmp_path, class_db)
    assert not store.has_code() and not store.check_code("x")
    store.set_code("owl-42")
    stored = store.db.rows("SELECT value FROM meta WHERE key = 'code'")[0][0]
    assert "owl-42" not in stored and stored.startswith("scrypt$")
    assert store.check_code("owl-42") and not store.check_code("owl-43")


def test_every_answer_is_recorded_with_its_slip_hints_and_the_level_result(tmp_path, class_db):
    store = ClassStore(tmp_path, class_db)
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


def test_only_a_game_run_for_a_student_of_a_class_records(tmp_path, monkeypatch, class_db):
    monkeypatch.setattr(class_store, "_recorder", [])
    monkeypatch.delenv(class_store.CLASS_ENV, raising=False)
    assert open_session(level(), "en", Progress())[0].on_submit is None  # the local game
    ada = ClassStore(tmp_path, class_db).student("Ada")
    monkeypatch.setenv(class_store.CLASS_ENV, str(tmp_path))
    monkeypatch.setenv(class_store.STUDENT_ENV, str(ada.id))
    if class_db:
        monkeypatch.setenv(class_store.DB_ENV, class_db)  # as `gradquest serve --db` gives each game
    else:
        monkeypatch.delenv(class_store.DB_ENV, raising=False)
    session = open_session(level(), "en", Progress())[0]
    session.submit("17")
    [row] = ClassStore(tmp_path, class_db).submissions()
    assert (row.student, row.level, row.ask, row.typed, row.verdict, row.session) == (
        ada.id, "test.level", "steps[0]", "17", "wrong", session.on_submit.session)
    assert row.slip  # the game named the mistake


def test_a_login_is_kept_hashed_outlives_the_store_object_and_expires(tmp_path, class_db):
    store = ClassStore(tmp_path, class_db)
    ada = store.student("Ada").id
    token = store.add_login(ada, days=1)
    assert store.login(token) == ada and store.login(token + "x") is None
    kept = store.db.rows("SELECT token_hash, expires FROM logins")
    assert len(kept) == 1 and token not in kept[0][0]  # only its hash
    store.close()
    again = ClassStore(tmp_path, class_db)  # a restart
    assert again.login(token) == ada
    now = class_store.time.time()
    again.clock = lambda: now + 86400 + 1
    assert again.login(token) is None  # a day later
    again.add_login(ada)
    assert again.db.rows("SELECT count(*) FROM logins")[0][0] == 1  # the expired one cleared


def test_a_level_that_ends_with_narration_is_recorded_as_finished(tmp_path, class_db):
    """Many levels end with a few words after the last ask: reading them on ends the level."""
    store = ClassStore(tmp_path, class_db)
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


def test_answers_made_while_the_server_is_down_wait_and_are_written_when_it_is_back(tmp_path):
    """A PostgreSQL server restarted mid-class, or down when a game starts: the game goes on, and what was
    answered meanwhile is written, in order, once it is back."""
    from tests.pg_cluster import throwaway_cluster

    with throwaway_cluster() as cluster:
        url = cluster.new_database()
        store = ClassStore(tmp_path, url)
        session = LevelSession(level())
        session.on_submit = hook = Recorder(store, store.student("Ada").id)
        session.submit("18")
        cluster.stop()
        session.hint()
        assert session.submit("36").status == "wrong"  # the game goes on
        assert len(hook.waiting) == 1
        cluster.start()
        session.reveal()  # the store is back: this answer and the one waiting are written, in order
        assert hook.waiting == []
        rows = ClassStore(tmp_path, url).submissions()
        assert [(r.ask, r.verdict, r.slip, r.hints) for r in rows] == [
            ("steps[0]", "correct", None, 0), ("steps[1]", "wrong", "one_path", 1), ("steps[1]", "revealed", None, 1)]

        cluster.stop()  # down when a game starts: it starts, and records once the server is back
        session = LevelSession(level())
        session.on_submit = hook = Recorder(lambda: ClassStore(tmp_path, url), 1)
        session.submit("17")
        assert hook.store is None and len(hook.waiting) == 1
        cluster.start()
        session.submit("18")
        late = ClassStore(tmp_path, url).submissions()[3:]
    assert [(r.typed, r.verdict, r.session) for r in late] == [("17", "wrong", hook.session), ("18", "correct", hook.session)]
    assert hook.session != rows[0].session


def test_a_write_the_store_refuses_is_dropped_and_the_answers_after_it_are_kept(tmp_path, class_db):
    """A refusal (here: a submission naming a student the store does not know) is not a lost connection:
    retrying it cannot help, so it must neither raise into the game nor hold back every later answer."""
    store = ClassStore(tmp_path, class_db)
    ada = store.student("Ada")
    ghost = Recorder(store, ada.id)
    ghost.student = ada.id + 1000  # a row that breaks the foreign key
    session = LevelSession(level())
    session.on_submit = ghost
    session.submit("18")  # refused, and the game goes on
    ghost.student = ada.id
    session.submit("63")
    assert [s.typed for s in store.submissions()] == ["63"] and ghost.waiting == []
    store.close()
