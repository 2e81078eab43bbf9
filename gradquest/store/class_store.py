"""A class's record: its students, their sessions and every answer they submitted, for the teacher's
report (`gradquest report`) and the served game (`gradquest serve`).

One SQLite file per class (`<class folder>/class.sqlite3`, WAL, so many game processes write at
once), with a schema of its own, versioned: `MIGRATIONS[n]` brings a file from version n to n + 1,
and opening a file runs the ones it lacks (SQLite's `user_version` holds the number). Everything goes
through `ClassStore`, so another database can stand behind the same methods.

The local single-player game never opens one: a game records here only when it runs for a student
of a class (`GRADQUEST_CLASS` and `GRADQUEST_STUDENT` set, as `gradquest serve` does for each tab);
`recorder()` is then the session's `on_submit` hook. What a student typed is kept as typed; whoever
shows it (the report) passes it through the untrusted-text gate.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "class.sqlite3"
CLASS_ENV, STUDENT_ENV = "GRADQUEST_CLASS", "GRADQUEST_STUDENT"
MAX_NAME = 80  # the longest student name kept
MAX_TYPED = 500  # the longest answer kept
LOGIN_DAYS = 7  # a browser's login lasts this long (a weekly class logs in once a week)

MIGRATIONS = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE students (id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE,
                           created REAL NOT NULL);
    CREATE TABLE sessions (id INTEGER PRIMARY KEY, student INTEGER NOT NULL REFERENCES students(id),
                           started REAL NOT NULL);
    CREATE TABLE submissions (id INTEGER PRIMARY KEY, student INTEGER NOT NULL REFERENCES students(id),
                              session INTEGER REFERENCES sessions(id), level TEXT NOT NULL, ask TEXT NOT NULL,
                              typed TEXT NOT NULL, verdict TEXT NOT NULL, slip TEXT, hints INTEGER NOT NULL,
                              revealed INTEGER NOT NULL, time REAL NOT NULL);
    CREATE INDEX submissions_by_level ON submissions (level, ask);
    """,
    """
    CREATE TABLE results (student INTEGER NOT NULL REFERENCES students(id), level TEXT NOT NULL,
                          stars INTEGER NOT NULL, score INTEGER NOT NULL, seconds REAL NOT NULL, time REAL NOT NULL,
                          PRIMARY KEY (student, level));
    """,
    """
    CREATE TABLE logins (token_hash TEXT PRIMARY KEY, student INTEGER NOT NULL REFERENCES students(id),
                         expires BIGINT NOT NULL);
    """,
]
VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Student:
    id: int
    name: str


@dataclass(frozen=True)
class Submission:
    student: int
    level: str
    ask: str  # the step's place in the level (steps[3], steps[2].iterate.steps[0]#1 for an iteration)
    typed: str
    verdict: str  # correct, wrong, invalid, revealed
    slip: str | None  # the mistake's name when the game named one
    hints: int  # hints taken on this ask before this answer
    revealed: bool
    time: float
    session: int | None = None


@dataclass(frozen=True)
class Result:
    student: int
    level: str
    stars: int
    score: int
    seconds: float  # from the level's first submission to its end


def name_key(name: str) -> str:
    """Two logins with the same name (any case, spacing) are one student."""
    return " ".join(name.split()).casefold()


def hash_code(code: str, salt: bytes | None = None) -> str:
    """A class code as stored: scrypt, its salt and parameters beside it."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(code.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt$16384$8$1${salt.hex()}${digest.hex()}"


def code_matches(code: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        theirs = hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(theirs.hex(), digest)


def _token_hash(token: str) -> str:
    """A token is 256 random bits: one SHA-256 keeps a stolen store from logging anyone in."""
    return hashlib.sha256(token.encode()).hexdigest()


class ClassStore:
    """A class's record on SQLite; the one interface the report, the server and the game use."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / FILE_NAME
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA busy_timeout=30000")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.migrate()

    def migrate(self) -> int:
        """Run the migrations this file lacks, each in one transaction; the version it is now at."""
        with self._write():
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > VERSION:
                raise ValueError(f"{self.path} was written by a newer GradQuest (class store version {version})")
            for n in range(version, VERSION):
                for statement in filter(str.strip, MIGRATIONS[n].split(";")):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={n + 1}")
        return VERSION

    def _write(self):
        return _Transaction(self.db)

    def close(self) -> None:
        self.db.close()

    # ---- the class code
    def set_code(self, code: str) -> None:
        with self._write():
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (hash_code(code),))

    def has_code(self) -> bool:
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'code'").fetchone() is not None

    def check_code(self, code: str) -> bool:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()
        return row is not None and code_matches(code, row[0])

    # ---- students and sessions
    def student(self, name: str) -> Student:
        """The student of this name, added the first time it is seen."""
        name = " ".join(name.split())[:MAX_NAME]
        key = name_key(name)
        with self._write():
            self.db.execute("INSERT OR IGNORE INTO students (name, name_key, created) VALUES (?, ?, ?)",
                            (name, key, time.time()))
            row = self.db.execute("SELECT id, name FROM students WHERE name_key = ?", (key,)).fetchone()
        return Student(*row)

    def students(self) -> list[Student]:
        return [Student(*r) for r in self.db.execute("SELECT id, name FROM students ORDER BY name_key")]

    def count_students(self) -> int:
        return self.db.execute("SELECT count(*) FROM students").fetchone()[0]

    def start_session(self, student: int) -> int:
        with self._write():
            return self.db.execute("INSERT INTO sessions (student, started) VALUES (?, ?)",
                                   (student, time.time())).lastrowid

    # ---- logins: a browser's session token, kept only as its hash, with its expiry
    clock = staticmethod(time.time)

    def add_login(self, student: int, days: float = LOGIN_DAYS) -> str:
        """A new random token for this student's browser (the only copy leaves in the cookie)."""
        token, now = secrets.token_urlsafe(32), self.clock()
        with self._write():
            self.db.execute("DELETE FROM logins WHERE expires <= ?", (int(now),))
            self.db.execute("INSERT INTO logins (token_hash, student, expires) VALUES (?, ?, ?)",
                            (_token_hash(token), student, int(now + days * 86400)))
        return token

    def login(self, token: str) -> int | None:
        """The student a token was given to, while it has not expired."""
        row = self.db.execute("SELECT student FROM logins WHERE token_hash = ? AND expires > ?",
                              (_token_hash(token), int(self.clock()))).fetchone()
        return row[0] if row else None

    # ---- what was played
    def record(self, s: Submission) -> None:
        with self._write():
            self.db.execute("INSERT INTO submissions (student, session, level, ask, typed, verdict, slip, hints, "
                            "revealed, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (s.student, s.session, s.level, s.ask, s.typed[:MAX_TYPED], s.verdict, s.slip, s.hints,
                             int(s.revealed), s.time))

    def finish(self, r: Result) -> None:
        """A level finished: the best stars and score kept, the time of the last play."""
        with self._write():
            self.db.execute("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (student, level) DO UPDATE SET "
                            "stars = max(stars, excluded.stars), score = max(score, excluded.score), "
                            "seconds = excluded.seconds, time = excluded.time",
                            (r.student, r.level, r.stars, r.score, r.seconds, time.time()))

    def submissions(self) -> list[Submission]:
        rows = self.db.execute("SELECT student, level, ask, typed, verdict, slip, hints, revealed, time, session "
                               "FROM submissions ORDER BY time, id")
        return [Submission(s, lv, a, t, v, sl, h, bool(rv), tm, se) for s, lv, a, t, v, sl, h, rv, tm, se in rows]

    def results(self) -> list[Result]:
        return [Result(*r) for r in self.db.execute("SELECT student, level, stars, score, seconds FROM results")]


class _Transaction:
    """`BEGIN IMMEDIATE` … `COMMIT` (or `ROLLBACK`): a writer waits for the others instead of failing."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, *_):
        self.db.execute("ROLLBACK" if kind else "COMMIT")


class Recorder:
    """The game's `on_submit` hook for one student: every answer submitted, and each level finished."""

    def __init__(self, store: ClassStore, student: int):
        self.store, self.student = store, student
        self.session = store.start_session(student)
        self.began: dict[str, float] = {}

    def __call__(self, session, stage, typed: str, verdict, revealed: bool, hints: int) -> None:
        level = session.level.id
        now = time.time()
        self.began.setdefault(level, now)
        ask = stage.path + (f"#{stage.iteration}" if stage.iteration is not None else "")
        if stage.kind != "say":  # narration ending the level is no answer
            self.store.record(Submission(self.student, level, ask, "" if revealed else typed, verdict.status,
                                         verdict.diagnosis, hints, revealed, now, self.session))
        if session.done:
            self.store.finish(Result(self.student, level, session.stars, session.score, now - self.began.pop(level)))


_recorder: list = []


def recorder(environ=os.environ) -> Recorder | None:
    """The hook for a game run for a student of a class (see the module's words), else None."""
    folder, student = environ.get(CLASS_ENV), environ.get(STUDENT_ENV)
    if not folder or not student or not student.isdigit():
        return None
    if not _recorder:
        _recorder.append(Recorder(ClassStore(folder), int(student)))
    return _recorder[0]
