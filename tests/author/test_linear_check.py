"""`check` and `test` do work linear in the model and in the number of steps, for any shape: the
work is counted (lines of Python executed), never timed; twice the level must cost about twice
as much (a quadratic part would cost four times)."""

import sys

import pytest

from gradquest.author.lint import lint
from gradquest.author.playtest import author_tests, place, playtest
from gradquest.levels.load import examine


def fan_in_chain(n: int) -> str:
    """Every node also reads the leaf a: a has n consumers and n paths to the output."""
    nodes = "".join(f"    n{i}: {'w' if i == 0 else f'n{i - 1}'}*1.0001 + a\n" for i in range(n))
    return f"""\
format_version: 1
id: t.fan-in
title: A fan-in chain
chapter: 1
order: 1
model:
  params: {{w: 1, a: 0.0001}}
  nodes:
{nodes}  output: n{n - 1}
steps:
  - forward: n{n - 1}
  - gradient: a
"""


def many_steps(n: int) -> str:
    asks = "".join("  - forward: z\n  - gradient: w\n" for _ in range(n))
    return f"""\
format_version: 1
id: t.many
title: Many steps
chapter: 1
order: 1
model:
  params: {{w: 2}}
  nodes: {{y: w*3, z: y + w}}
steps:
{asks}"""


def lines_run(work) -> int:
    """The lines of Python `work()` executes."""
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        count += 1
        return trace
    sys.settrace(trace)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def check(path):
    seen = examine(path)
    assert not seen.errors
    return lint(seen.item.level) + author_tests(seen.item.level)


def play_tests(path):
    result = playtest(examine(path).item.level)
    assert result.passed, result.failures


@pytest.mark.parametrize("command, make, n", [(check, fan_in_chain, 100), (play_tests, fan_in_chain, 100),
                                             (check, many_steps, 30)], ids=["check-fan-in", "test-fan-in", "check-steps"])
def test_twice_the_level_costs_about_twice_the_work(tmp_path, make, n, command):
    work = {}
    for size in (n, 2 * n):
        path = tmp_path / f"level-{size}.yaml"
        path.write_text(make(size), encoding="utf-8")
        command(path)  # imports and caches first
        work[size] = lines_run(lambda: command(path))
    assert work[2 * n] / work[n] < 2.4, work


def test_where_a_stage_is_said_without_walking_the_level(tmp_path):
    """`test` names each stage it plays by its step (`place`): looked up, not searched for."""
    work = {}
    for size in (50, 100):
        path = tmp_path / f"level-{size}.yaml"
        path.write_text(many_steps(size), encoding="utf-8")
        level = examine(path).item.level
        place(level, "steps[3]", 4)
        work[size] = lines_run(lambda: place(level, f"steps[{2 * size - 1}]", 2 * size))
    assert work[100] == work[50]
