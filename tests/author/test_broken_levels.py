"""A corpus of broken levels, each with the mistakes a teacher really made: every command
reports each mistake at the file:line:column of the field, in words, and never a traceback.

Each file in `broken/` starts with `# expect: [LINE:COL] FIELD: words` lines (FIELD `-` for the
file itself, as in a YAML error): `gradquest check`
must print each of them, as `file:LINE:COL: FIELD: …words…`; `solve` and `test` must end with a
message naming the file, and none of them, nor `play --plain`, with a traceback or an internal
error."""

import io
import re
from pathlib import Path

import pytest

from gradquest.cli import INTERNAL_ERROR, main

BROKEN = Path(__file__).with_name("broken")
FILES = sorted(BROKEN.glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (?:(\d+):(\d+) )?(\S+): (.+)$", re.M)


def expectations(path: Path) -> list[tuple[str, str, str]]:
    """(place or "", field, words) for each expected message."""
    return [(f"{line}:{col}" if line else "", field, words)
            for line, col, field, words in EXPECT.findall(path.read_text(encoding="utf-8"))]


def run(capsys, monkeypatch, tmp_path, *args) -> tuple[int, str]:
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_the_corpus_holds_many_mistakes():
    assert sum(len(expectations(p)) for p in FILES) >= 30


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_check_reports_each_mistake_where_it_is(path, capsys, monkeypatch, tmp_path):
    code, said = run(capsys, monkeypatch, tmp_path, "check", str(path))
    assert code == 1
    assert "Traceback" not in said and INTERNAL_ERROR not in said, said
    for place, field, words in expectations(path):
        start = re.compile(re.escape(f"{path}:{place}" if place else f"{path}:") + r"(\d+:\d+)?: "
                           + ("" if field == "-" else re.escape(f"{field}: ")))  # "-": the file itself
        assert any(start.match(line) and words in line for line in said.splitlines()), \
            f"{place} {field}: {words!r} not in:\n{said}"


@pytest.mark.parametrize("command", [["solve"], ["test"], ["play", "--plain"]])
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_no_command_shows_a_traceback(path, command, capsys, monkeypatch, tmp_path):
    code, said = run(capsys, monkeypatch, tmp_path, *command, str(path))
    assert "Traceback" not in said and INTERNAL_ERROR not in said, said
    lint_only = "# lint only" in path.read_text(encoding="utf-8")  # the level plays; check warns
    if command[0] != "play" and not lint_only:  # a player with no input may stop before the broken step
        assert code != 0 and path.name in said, said


def test_several_mistakes_of_every_kind_come_in_one_run_sorted_by_line(capsys, monkeypatch, tmp_path):
    path = BROKEN / "several-in-one.yaml"
    code, said = run(capsys, monkeypatch, tmp_path, "check", str(path))
    places = [tuple(map(int, m)) for m in re.findall(rf"^{re.escape(str(path))}:(\d+):(\d+): ", said, re.M)]
    assert code == 1 and places == sorted(places) and len(places) == len(expectations(path))
    for kind in ("unknown key", "unknown node", "can never be diagnosed", "would be accepted",
                 "the level's test", "unknown step id"):  # schema, names, lint, the level's tests
        assert kind in said
