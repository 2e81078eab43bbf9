"""An author can switch a slip off at an ask: the answer then gets the next diagnosis instead."""

import textwrap

from gradquest.author.playtest import playtest
from gradquest.levels.load import load_level

LEVEL = """\
format_version: 1
id: test.slips-off
title: Slips off
chapter: 1
order: 1
model:
  params: {{w: 3, b: 4}}
  nodes: {{x: 2*w + 3*b, y: 2*b + 1, z: x*y}}
steps:
  - forward: x
  - forward: y
  - forward: z
  - gradient: x
  - local: x
    wrt: w
  - gradient: w
    {off}
tests:
  - name: 2 + 9
    inputs:
      - {{input: "18", verdict: correct}}
      - {{input: "9", verdict: correct}}
      - {{input: "162", verdict: correct}}
      - {{input: "9", verdict: correct}}
      - {{input: "2", verdict: correct}}
      - {{input: "11", verdict: wrong, diagnosis: {code}}}
      - {{input: "18", verdict: correct}}
"""


def play(tmp_path, off: str, code: str):
    path = tmp_path / "level.yaml"
    path.write_text(textwrap.dedent(LEVEL.format(off=off, code=code)), encoding="utf-8")
    return playtest(load_level(path).level)


def test_a_slip_switched_off_is_never_given_and_the_next_candidate_speaks(tmp_path):
    assert play(tmp_path, "", "sum_for_product").passed
    result = play(tmp_path, "slips_off: [sum_for_product]", "sum_for_product")
    assert not result.passed
    assert play(tmp_path, "slips_off: [sum_for_product]", "too_small").passed


def test_the_named_slips_a_player_makes_are_kept_per_ask_in_the_progress_file(tmp_path):
    from gradquest.game.session import LevelSession
    from gradquest.store.progress import ProgressStore

    path = tmp_path / "level.yaml"
    path.write_text(textwrap.dedent(LEVEL.format(off="", code="sum_for_product")), encoding="utf-8")
    level = load_level(path).level
    session = LevelSession(level)
    for typed in ("18", "9", "162", "9", "2", "11", "12", "18"):
        session.submit(typed)
    assert session.slips == ["steps[5]:sum_for_product"]  # 12 is only "too big": no slip is named
    store = ProgressStore(tmp_path / "home")
    progress = store.load()
    progress.save_play(level.id, session)
    store.save(progress)
    again = ProgressStore(tmp_path / "home").load()
    assert again.record(level.id).slips == ["steps[5]:sum_for_product"]
