"""`play` and `solve` agree: a level that gives its `model.seed` plays what `solve` shows, and a
randomised level says which draws it played so that `play --seed S` and `solve --seed S` repeat them."""

import io
import re

from gradquest.cli import main

LEVEL = """\
format_version: 1
id: t.{id}
title: T
chapter: 1
order: 1
model:
  params: {{a: {{between: [1, 1000], integer: true}}}}
  nodes: {{z: a*3}}
{seed}steps:
  - forward: z
"""


def run(capsys, monkeypatch, *args, typed=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def answer(capsys, monkeypatch, *args) -> str:
    _, out, _ = run(capsys, monkeypatch, "solve", *args)
    return re.search(r"answer: (\S+)", out).group(1)


def test_a_level_with_its_own_seed_plays_what_solve_shows(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path / "home"))
    path = tmp_path / "fixed.yaml"
    path.write_text(LEVEL.format(id="fixed", seed="  seed: 7\n"), encoding="utf-8")
    right = answer(capsys, monkeypatch, str(path))
    _, out, err = run(capsys, monkeypatch, "play", "--plain", str(path), typed=f"{right}\n\n\n")
    assert "✓" in out and "--seed 7" in err


def test_a_randomised_level_says_its_draws_and_replays_them(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path / "home"))
    path = tmp_path / "random.yaml"
    path.write_text(LEVEL.format(id="random", seed=""), encoding="utf-8")
    _, _, err = run(capsys, monkeypatch, "play", "--plain", str(path), typed="q\n")
    seed = re.search(r"drawn with --seed (\d+): `gradquest play .* --seed \1`", err).group(1)
    right = answer(capsys, monkeypatch, str(path), "--seed", seed)
    _, out, _ = run(capsys, monkeypatch, "play", "--plain", str(path), "--seed", seed, typed=f"{right}\n\n\n")
    assert "✓" in out


def test_solve_says_which_draws_it_shows(tmp_path, capsys, monkeypatch):
    path = tmp_path / "random.yaml"
    path.write_text(LEVEL.format(id="random", seed=""), encoding="utf-8")
    _, out, _ = run(capsys, monkeypatch, "solve", str(path))
    assert "--seed 0" in out and "draws anew" in out


def test_long_work_says_it_is_still_working(capsys):
    import sys
    import time

    from gradquest.cli import progress

    with progress("checking big.yaml", after=0.0, every=3600):
        for _ in range(1000):  # wait for the message (no limit on how long it may take)
            if "checking big.yaml" in capsys.readouterr().err:
                break
            time.sleep(0.01)
        else:
            raise AssertionError("no progress message")
    print("", file=sys.stderr)


def test_a_seed_out_of_range_is_refused_as_an_argument(capsys):
    import pytest

    from gradquest.cli import main

    for bad in ("-5", "99999999999999999999999", "abc"):
        with pytest.raises(SystemExit) as exit_:
            main(["solve", "--seed", bad, "whatever.yaml"])
        assert exit_.value.code == 2 and "--seed" in capsys.readouterr().err
