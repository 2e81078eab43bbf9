"""The command in terminals that cannot show everything: output in an encoding without `−` or
`∂`, a dumb terminal, input that is not a terminal. No traceback, ever."""

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args, encoding="ascii", stdin="", tmp_path=None):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "GRADQUEST_HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "gradquest", *args], input=stdin.encode(), cwd=ROOT, env=env,
                          capture_output=True, timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("args, stdin, shown", [
    (("solve", "backprop.two-paths"), "", b"dz/db"),
    (("list",), "", b"backprop.two-paths"),
    (("--lang", "zh", "list"), "", b"backprop.two-paths"),
    (("play", "--plain", "backprop.two-paths"), "\n\n!\n?\nq\n", b"Progress saved."),
    (("--plain",), "7\n\n\n!\n!\nq\nq\n", b"Level number"),
])
def test_output_in_an_encoding_without_the_games_symbols(encoding, args, stdin, shown, tmp_path):
    done = run(*args, encoding=encoding, stdin=stdin, tmp_path=tmp_path)
    assert done.returncode == 0 and b"Traceback" not in done.stderr + done.stdout, done.stderr
    assert shown in done.stdout
    if args[0] == "solve":
        assert b"-" in done.stdout and b"\xe2" not in done.stdout  # no UTF-8 bytes in an ASCII stream


def in_a_terminal(env: dict, stdin_pipe: bool, tmp_path) -> str:
    """Run the map with output on a pseudo-terminal; type q; return what it printed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "gradquest", "--lang", "en"], cwd=ROOT,
                            env={**os.environ, "GRADQUEST_HOME": str(tmp_path), **env},
                            stdin=subprocess.PIPE if stdin_pipe else slave, stdout=slave, stderr=slave)
    os.close(slave)
    if stdin_pipe:
        proc.stdin.write(b"q\n")
        proc.stdin.close()
    else:
        os.write(master, b"q\n")
    out, deadline = b"", time.monotonic() + 120  # a guard against a hang, not a measurement
    while proc.poll() is None and time.monotonic() < deadline:
        if select.select([master], [], [], 0.2)[0]:
            try:
                out += os.read(master, 65536)
            except OSError:
                break
    proc.kill() if proc.poll() is None else None
    try:
        while select.select([master], [], [], 0.2)[0]:
            chunk = os.read(master, 65536)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass
    os.close(master)
    return out.decode("utf-8", "replace")


@pytest.mark.slow
def test_a_dumb_terminal_plays_in_lines_with_a_note(tmp_path):
    out = in_a_terminal({"TERM": "dumb"}, stdin_pipe=False, tmp_path=tmp_path)
    assert "Playing line by line: this terminal (TERM=dumb)" in out and "Level number" in out
    assert "Traceback" not in out


@pytest.mark.slow
def test_input_that_is_not_a_terminal_plays_in_lines_with_a_note(tmp_path):
    out = in_a_terminal({"TERM": "xterm-256color"}, stdin_pipe=True, tmp_path=tmp_path)
    assert "the input is not a terminal" in out and "Level number" in out
    assert "Traceback" not in out
