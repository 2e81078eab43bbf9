"""A throwaway PostgreSQL server for the class store's tests and bench/class_store.py: its own cluster
in a temporary folder (initdb + pg_ctl), on a free loopback port, with a password; stopped and
deleted at the end. No system service is used. Root cannot run postgres, so as root the server runs
as the `postgres` user (Debian's package makes it). Missing binaries are an error, never a skip:
.ci/run installs Debian's `postgresql` package when `initdb` is missing.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

USER = "gradquest"


class MissingPostgres(Exception):
    pass


def binaries() -> Path:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if debian:
        return Path(debian[-1]).parent
    raise MissingPostgres("the PostgreSQL server's programs (initdb, pg_ctl) are not installed: the class store's "
                          "PostgreSQL tests need them (`apt-get install postgresql`, as .ci/run does)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, folder: Path, port: int, password: str):
        self.folder, self.port, self.password = folder, port, password
        self.databases = 0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database on this server: its address."""
        import psycopg

        self.databases += 1
        name = f"class_{self.databases}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@contextmanager
def throwaway_cluster(durable: bool = False):
    """A running server (fsync off unless `durable`: the tests need no crash safety), then none."""
    bin_dir = binaries()
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="gradquest-pg-"))
    password = secrets.token_hex(16)
    (folder / "password").write_text(password)
    if os.getuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise MissingPostgres("running as root, the tests start PostgreSQL as the `postgres` user, which does "
                                  "not exist (Debian's postgresql package makes it)") from None
        for path in (folder, folder / "password"):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log = folder / "data", folder / "log"

    def run(*args: str) -> None:
        done = subprocess.run([*as_user, *args], capture_output=True, text=True)
        if done.returncode:
            tail = (log.read_text(errors="replace") if log.exists() else "")[-2000:]
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}{tail}")

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "--pwfile", str(folder / "password"),
            "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync")
        settings = f"-c listen_addresses=127.0.0.1 -k {folder} -c max_connections=200"
        if not durable:
            settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        for attempt in range(3):  # another program may take the free port first
            port = free_port()
            try:
                run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                    "-o", f"{settings} -p {port}", "start")
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        yield Cluster(folder, port, password)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
