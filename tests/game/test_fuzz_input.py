"""Hostile input at every stage of every bundled level: no exception, no attempt used on input
that cannot be read, and the work of each submit bounded by the gate's length cap (counted: the
readers and the parser never see more than the caps allow; nothing is timed)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradquest.game import answers, gate
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir, find_level_files
from gradquest.levels.load import load_level

LEVEL_FILES = find_level_files([bundled_levels_dir()])

HOSTILE = [
    "", " ", "٣.٥", "३", "３．５", "（１，２）", "（1，2）", "１，５", "①", "⑳", "²", "3²", "x⁻¹", "½", "𝟙𝟚",
    "\x00", "\x1b[2J", "\x7f", "\u202e12", "\u200f-3\u200e", "\u200b", "\ufeff1", "\ud800", "1\n2",
    "1" * 20_000, "1" * 20_000 + "a", "9" * 4301, "x" * 1_000_000, "1 " * 500_000, "(" * 100_000,
    "1e308*10", "9**9**9", "2**2**2**2**2", "(" * 60 + "1" + ")" * 60, "(" * 5000 + "1" + ")" * 5000,
    "-" * 500 + "1", "1,5", "1,5 2,5", "0/0", "exp(1000)", "sqrt(-1)", "log(0)", "1e309", "nan", "inf",
    "a", "z", "1a 1a 1a", "lr=1e308 steps=9**9**9", "steps=99999999999", "lr=-1", "__import__('os')",
]

unicode_digits = st.lists(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=30).map("".join)
anything = st.text(max_size=40)
wide = st.text(alphabet=st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF), max_size=20)
controls = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"]), max_size=20)
mixed = st.lists(st.one_of(st.sampled_from(["1", ",", "(", ")", " ", "-", "**", "e", ".", "²", "，"]),
                           unicode_digits), max_size=30).map("".join)
long_digits = st.integers(4_000, 30_000).map(lambda n: "7" * n)
deep = st.integers(40, 3_000).map(lambda n: "(" * n + "2" + ")" * n)
generated = st.one_of(unicode_digits, anything, wide, controls, mixed, long_digits, deep)


class Counter:
    """Wraps the readers and the parser to record how much text each one is given."""

    READERS = ("read_number", "read_vector", "read_choice", "read_permutation", "read_pairs")

    def __init__(self, monkeypatch):
        self.read: list[int] = []
        self.parsed: list[int] = []
        for name in self.READERS:
            monkeypatch.setattr(answers, name, self.wrap(getattr(answers, name), self.read))
        monkeypatch.setattr(answers, "parse", self.wrap(answers.parse, self.parsed))

    @staticmethod
    def wrap(function, sizes):
        def counted(text, *args, **kwargs):
            sizes.append(len(text))
            return function(text, *args, **kwargs)
        return counted


def play_hostile(level, extra: list[str], counter: Counter) -> None:
    session = LevelSession(level, seed=0)
    for _ in range(10_000):
        if session.done:
            return
        stage = session.stage
        for typed in HOSTILE + extra:
            if session.stage is not stage:
                break
            before = session.attempts
            counter.read.clear()
            counter.parsed.clear()
            verdict = session.submit(typed)
            assert verdict.status in ("correct", "wrong", "invalid", "info", "revealed")
            # the gate caps what one submit can read: a vector's parts are read once more each
            assert sum(counter.read) <= 2 * gate.MAX_INPUT and sum(counter.parsed) <= gate.MAX_INPUT
            if verdict.status == "invalid":
                assert session.attempts == before and session.stage is stage, (stage.path, typed[:40])
                assert verdict.message
        if session.stage is stage:
            session.reveal() if stage.kind != "say" else session.advance()
    pytest.fail(f"{level.id} did not end")


@pytest.mark.parametrize("path", LEVEL_FILES, ids=lambda p: p.stem)
def test_every_stage_survives_hostile_input(path, monkeypatch):
    level = load_level(path).level
    counter = Counter(monkeypatch)

    @settings(max_examples=2, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(extra=st.lists(generated, min_size=1, max_size=3))
    def play(extra):
        play_hostile(level, extra, counter)

    play()
