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
    def __init__(self, folder: Path, durable: bool):
        self.folder, self.bin = folder, binaries()
        self.data, self.log = folder / "data", folder / "log"
        self.password = secrets.token_hex(16)
        self.as_user: list[str] = []
        self.settings = f"-c listen_addresses=127.0.0.1 -k {folder} -c max_connections=200"
        if not durable:  # the tests need no crash safety
            self.settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self.port, self.databases = 0, 0

    def run(self, program: str, *args: str) -> None:
        done = subprocess.run([*self.as_user, str(self.bin / program), *args], capture_output=True, text=True)
        if done.returncode:
            tail = (self.log.read_text(errors="replace") if self.log.exists() else "")[-2000:]
            raise RuntimeError(f"{program} failed: {done.stdout}{done.stderr}{tail}")

    def create(self) -> None:
        (self.folder / "password").write_text(self.password)
        if os.getuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise MissingPostgres("running as root, the tests start PostgreSQL as the `postgres` user, which "
                                      "does not exist (Debian's postgresql package makes it)") from None
            for path in (self.folder, self.folder / "password"):
                os.chown(path, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.run("initdb", "-D", str(self.data), "-U", USER, "--pwfile", str(self.folder / "password"),
                 "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync")

    def start(self) -> None:
        """Start the server: on a free port the first time, then on the same one."""
        for attempt in range(3):  # another program may take the free port first
            port = self.port or free_port()
            try:
                self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                         "-o", f"{self.settings} -p {port}", "start")
                self.port = port
                return
            except RuntimeError:
                if attempt == 2 or self.port:
                    raise

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "stop")

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
    """A running server (fsync off unless `durable`), then none: stopped and its folder deleted."""
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="gradquest-pg-")), durable)
    try:
        cluster.create()
        cluster.start()
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster.stop()
        shutil.rmtree(cluster.folder, ignore_errors=True)
