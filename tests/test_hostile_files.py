"""Hostile or broken level files through the real command: a clear error naming the file and a
non-zero exit, never a traceback or a hang."""

import os
import subprocess
import sys

import pytest

HEAD = "format_version: 1\nid: t.hostile\ntitle: T\nchapter: 1\norder: 1\n"
LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))

CASES = {
    "syntax": HEAD + "steps: [say: [unclosed\n",
    "wrong_type": HEAD.replace("chapter: 1", "chapter: one") + "steps: [{say: hi}]\n",
    "unknown_key": HEAD + "stepz: [{say: hi}]\n",
    "billion_laughs": LAUGHS,
    "python_tag": HEAD + "steps: !!python/object/apply:os.system ['touch PWNED']\n",
    "cycle": HEAD + "model: {nodes: {a: b + 1, b: a * 2}}\nsteps: [{forward: a}]\n",
    "undefined": HEAD + "model: {nodes: {a: q + 1}}\nsteps: [{forward: a}]\n",
    "refused_expr": HEAD + "model: {nodes: {a: __import__('os')}}\nsteps: [{forward: a}]\n",
    "nan_at_start": HEAD + "model: {params: {x: -1}, nodes: {y: log(x)}}\nsteps: [{forward: y}]\n",
    "division_by_zero": HEAD + "model: {params: {x: 0}, nodes: {y: 1 / x}}\nsteps: [{forward: y}]\n",
    "huge": HEAD + "steps:\n" + "  - say: " + "x" * 10_000_000 + "\n",
    "empty": "",
}
BINARY = {
    "binary_junk": bytes(range(256)) * 64,
    "not_utf8": (HEAD + "title: caf\xe9\nsteps: [{say: hi}]\n").encode("latin-1"),
}


def run(*args, cwd):
    env = {**os.environ, "GRADQUEST_HOME": str(cwd / "home")}
    return subprocess.run([sys.executable, "-m", "gradquest", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)  # a hang fails; how long a run takes is bench/'s business


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES) + sorted(BINARY))
def test_a_hostile_file_gets_a_clear_error(name, tmp_path):
    path = tmp_path / f"{name}.yaml"
    if name in BINARY:
        path.write_bytes(BINARY[name])
    else:
        path.write_text(CASES[name], encoding="utf-8")
    for command in ("check", "test", "solve"):
        done = run(command, str(path), cwd=tmp_path)
        said = done.stdout + done.stderr
        assert done.returncode != 0, (command, said)
        assert "Traceback" not in said, (command, said)
        assert f"{name}.yaml" in said, (command, said)
    assert not (tmp_path / "PWNED").exists()
