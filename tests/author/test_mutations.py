"""Bundled levels damaged at random, as an author's slip would: a key deleted, a node renamed, a
number turned into a word or a list, the file cut short. No command may ever print a traceback
or an internal error for any of them (hypothesis picks the damage; bounded for a 2-core CI)."""

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradquest.cli import INTERNAL_ERROR, main
from gradquest.levels.discover import bundled_levels_dir

HEAVY = ("26-the-moons",)  # trains a network: checked, not solved or played through, to stay bounded
LEVELS = sorted(p for p in bundled_levels_dir().rglob("*.yaml") if p.name != "chapter.yaml")
NAME = re.compile(r"\b[A-Za-z_]\w*\b")
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")


@st.composite
def damaged(draw):
    """(a bundled level, its text with one slip)."""
    path = draw(st.sampled_from(LEVELS))
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    how = draw(st.sampled_from(["delete a line", "rename a name", "retype a number", "cut the file",
                                "dedent a line"]))
    if how == "delete a line":
        del lines[draw(st.integers(0, len(lines) - 1))]
        text = "\n".join(lines)
    elif how == "dedent a line":
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = lines[i][draw(st.integers(1, 3)):]
        text = "\n".join(lines)
    elif how == "rename a name":
        names = sorted(set(NAME.findall(text)))
        old = draw(st.sampled_from(names))
        new = draw(st.sampled_from([old + "x", old[:-1] or "q", "net", "exp", "W1"]))
        spots = [m.start() for m in re.finditer(rf"\b{re.escape(old)}\b", text)]
        at = draw(st.sampled_from(spots))
        text = text[:at] + new + text[at + len(old):]
    elif how == "retype a number":
        spots = list(NUMBER.finditer(text)) or [None]
        spot = draw(st.sampled_from(spots))
        if spot is not None:
            new = draw(st.sampled_from(["abc", "[1, 2]", "{a: 1}", "-1", "1e300", "0", "null", "1.5"]))
            text = text[:spot.start()] + new + text[spot.end():]
    else:
        text = text[:draw(st.integers(0, len(text)))]
    return path, how, text


@pytest.mark.slow
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(damaged())
def test_no_command_prints_a_traceback_for_a_damaged_level(capsys, monkeypatch, tmp_path, case):
    source, how, text = case
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path / "home"))
    commands = [["check"]] + ([] if source.stem in HEAVY else [["solve"], ["play", "--plain"]])
    for command in commands:
        monkeypatch.setattr("sys.stdin", io.StringIO("\n" * 5))
        main([*command, str(path)])
        out = capsys.readouterr()
        said = out.out + out.err
        assert "Traceback" not in said and INTERNAL_ERROR not in said, (source.name, how, command, said[-2000:])
