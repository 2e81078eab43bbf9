"""A class's record: its students, their sessions and every answer they submitted, for the teacher's
report (`gradquest report`) and the served game (`gradquest serve`).

One SQLite file per class by default (`<class folder>/class.sqlite3`, WAL, so many game processes
write at once), or a PostgreSQL database (`--db postgresql://…`, for a class served from several
machines): store/class_db.py holds the two. The schema is its own and versioned, the same for both:
`MIGRATIONS[n]` brings a database from version n to n + 1, and opening one runs the ones it lacks.
Everything goes through `ClassStore`.

The local single-player game never opens one: a game records here only when it runs for a student
of a class (`GRADQUEST_CLASS` and `GRADQUEST_STUDENT` set, as `gradquest serve` does for each tab,
and `GRADQUEST_CLASS_DB` when the class is on PostgreSQL); `recorder()` is then the session's
`on_submit` hook. What a student typed is kept as typed; whoever shows it (the report) passes it
through the untrusted-text gate.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gradquest.store.class_db import StoreError, StoreRefused, connect, is_server_url

FILE_NAME = "class.sqlite3"
CLASS_ENV, STUDENT_ENV, DB_ENV = "GRADQUEST_CLASS", "GRADQUEST_STUDENT", "GRADQUEST_CLASS_DB"
MAX_NAME = 80  # the longest student name kept
MAX_TYPED = 500  # the longest answer kept
LOGIN_DAYS = 7  # a browser's login lasts this long (a weekly class logs in once a week)

# Written once for both databases: `{id}` and `{real}` are spelled by each (class_db.py's `words`).
MIGRATIONS = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE students (id {id}, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE,
                           created {real} NOT NULL);
    CREATE TABLE sessions (id {id}, student INTEGER NOT NULL REFERENCES students(id),
                           started {real} NOT NULL);
    CREATE TABLE submissions (id {id}, student INTEGER NOT NULL REFERENCES students(id),
                              session INTEGER REFERENCES sessions(id), level TEXT NOT NULL, ask TEXT NOT NULL,
                              typed TEXT NOT NULL, verdict TEXT NOT NULL, slip TEXT, hints INTEGER NOT NULL,
                              revealed INTEGER NOT NULL, time {real} NOT NULL);
    CREATE INDEX submissions_by_level ON submissions (level, ask);
    """,
    """
    CREATE TABLE results (student INTEGER NOT NULL REFERENCES students(id), level TEXT NOT NULL,
                          stars INTEGER NOT NULL, score INTEGER NOT NULL, seconds {real} NOT NULL, time {real} NOT NULL,
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


def migrate(db, target: int = VERSION) -> int:
    """Run the migrations a database lacks (up to `target`), in one transaction; its version now."""
    with db.write():
        version = db.version()
        if version > VERSION:
            raise StoreError(f"{db.name} was written by a newer GradQuest (class store version {version})")
        for n in range(version, target):
            for statement in filter(str.strip, MIGRATIONS[n].format(**db.words).split(";")):
                db.rows(statement)
            db.set_version(n + 1)
    return max(version, target)


class ClassStore:
    """A class's record (SQLite or PostgreSQL); the one interface the report, the server and the game use."""

    def __init__(self, folder: Path | str, db: str | None = None):
        """The class in `folder` (each student's progress); its record there, or in the PostgreSQL
        database at `db` (a `postgresql://` address)."""
        self.folder = Path(folder)
        if not is_server_url(db):
            self.folder.mkdir(parents=True, exist_ok=True)
        self.db = connect(db or self.folder / FILE_NAME)
        try:
            migrate(self.db)
        except BaseException:
            self.db.close()
            raise

    def close(self) -> None:
        self.db.close()

    # ---- the class code
    def set_code(self, code: str) -> None:
        with self.db.write():
            self.db.rows("INSERT INTO meta VALUES ('code', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         (hash_code(code),))

    def has_code(self) -> bool:
        return bool(self.db.rows("SELECT 1 FROM meta WHERE key = 'code'"))

    def check_code(self, code: str) -> bool:
        rows = self.db.rows("SELECT value FROM meta WHERE key = 'code'")
        return bool(rows) and code_matches(code, rows[0][0])

    # ---- students and sessions
    def student(self, name: str) -> Student:
        """The student of this name, added the first time it is seen."""
        name = " ".join(name.split())[:MAX_NAME]
        key = name_key(name)
        with self.db.write():
            self.db.rows("INSERT INTO students (name, name_key, created) VALUES (?, ?, ?) "
                         "ON CONFLICT (name_key) DO NOTHING", (name, key, time.time()))
            [row] = self.db.rows("SELECT id, name FROM students WHERE name_key = ?", (key,))
        return Student(*row)

    def students(self) -> list[Student]:
        rows = self.db.rows("SELECT id, name, name_key FROM students")  # ordered here: the same on both databases
        return [Student(i, name) for i, name, _ in sorted(rows, key=lambda r: r[2])]

    def count_students(self) -> int:
        return self.db.rows("SELECT count(*) FROM students")[0][0]

    def start_session(self, student: int) -> int:
        with self.db.write():
            return self.db.rows("INSERT INTO sessions (student, started) VALUES (?, ?) RETURNING id",
                                (student, time.time()))[0][0]

    # ---- logins: a browser's session token, kept only as its hash, with its expiry
    clock = staticmethod(time.time)

    def add_login(self, student: int, days: float = LOGIN_DAYS) -> str:
        """A new random token for this student's browser (the only copy leaves in the cookie)."""
        token, now = secrets.token_urlsafe(32), self.clock()
        with self.db.write():
            self.db.rows("DELETE FROM logins WHERE expires <= ?", (int(now),))
            self.db.rows("INSERT INTO logins (token_hash, student, expires) VALUES (?, ?, ?)",
                         (_token_hash(token), student, int(now + days * 86400)))
        return token

    def login(self, token: str) -> int | None:
        """The student a token was given to, while it has not expired."""
        rows = self.db.rows("SELECT student FROM logins WHERE token_hash = ? AND expires > ?",
                            (_token_hash(token), int(self.clock())))
        return rows[0][0] if rows else None

    # ---- what was played
    def record(self, s: Submission) -> None:
        with self.db.write():
            self.db.rows("INSERT INTO submissions (student, session, level, ask, typed, verdict, slip, hints, "
                         "revealed, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (s.student, s.session, s.level, s.ask, s.typed[:MAX_TYPED], s.verdict, s.slip, s.hints,
                          int(s.revealed), s.time))

    def finish(self, r: Result) -> None:
        """A level finished: the best stars and score kept, the time of the last play."""
        with self.db.write():
            self.db.rows("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (student, level) DO UPDATE SET "
                         "stars = CASE WHEN excluded.stars > results.stars THEN excluded.stars ELSE results.stars END, "
                         "score = CASE WHEN excluded.score > results.score THEN excluded.score ELSE results.score END, "
                         "seconds = excluded.seconds, time = excluded.time",
                         (r.student, r.level, r.stars, r.score, r.seconds, time.time()))

    def submissions(self) -> list[Submission]:
        rows = self.db.rows("SELECT student, level, ask, typed, verdict, slip, hints, revealed, time, session "
                            "FROM submissions ORDER BY time, id")
        return [Submission(s, lv, a, t, v, sl, h, bool(rv), tm, se) for s, lv, a, t, v, sl, h, rv, tm, se in rows]

    def results(self) -> list[Result]:
        return [Result(*r) for r in self.db.rows("SELECT student, level, stars, score, seconds FROM results")]


class Recorder:
    """The game's `on_submit` hook for one student: every answer submitted, and each level finished.
    While the store cannot be reached (even when the game starts) they wait here, in order, and the game
    goes on; the next answer writes them all."""

    def __init__(self, store: ClassStore | Callable[[], ClassStore], student: int):
        """`store`: the class store, or how to open it."""
        self.store = store if isinstance(store, ClassStore) else None
        self.open, self.student = store, student
        self.session: int | None = None
        self.began: dict[str, float] = {}
        self.waiting: list[Callable[[], None]] = []  # writes the store could not take yet
        self._write()

    def _write(self, *writes: Callable[[], None]) -> None:
        self.waiting += writes
        try:
            if self.store is None:
                self.store = self.open()
            if self.session is None:
                self.session = self.store.start_session(self.student)
            while self.waiting:
                try:
                    self.waiting[0]()
                except StoreRefused:
                    pass  # refused, not unreachable: trying it again cannot help, and the game goes on
                del self.waiting[0]
        except StoreError:
            pass

    def __call__(self, session, stage, typed: str, verdict, revealed: bool, hints: int) -> None:
        level = session.level.id
        now = time.time()
        self.began.setdefault(level, now)
        ask = stage.path + (f"#{stage.iteration}" if stage.iteration is not None else "")
        if stage.kind != "say":  # narration ending the level is no answer
            kept, status, slip = "" if revealed else typed, verdict.status, verdict.diagnosis
            self._write(lambda: self.store.record(Submission(self.student, level, ask, kept, status, slip, hints,
                                                             revealed, now, self.session)))
        if session.done:
            result = Result(self.student, level, session.stars, session.score, now - self.began.pop(level))
            self._write(lambda: self.store.finish(result))


_recorder: list = []


def recorder(environ=os.environ) -> Recorder | None:
    """The hook for a game run for a student of a class (see the module's words), else None."""
    folder, student = environ.get(CLASS_ENV), environ.get(STUDENT_ENV)
    if not folder or not student or not student.isdigit():
        return None
    if not _recorder:
        _recorder.append(Recorder(lambda: ClassStore(folder, environ.get(DB_ENV) or None), int(student)))
    return _recorder[0]
