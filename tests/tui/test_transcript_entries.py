"""How a transcript entry reads when it wraps: a verdict's, a diagnosis's or a hint's later lines
hang under its first word, not under the mark."""

import io
from types import SimpleNamespace

from rich.console import Console

from gradquest.game.transcript import Entry
from gradquest.tui.transcript_view import entry_widget

DIAGNOSIS = "That is only the path through y. b also reaches z through x: add every path's product."


def wrapped(entry: Entry, width: int = 40) -> list[str]:
    widget = entry_widget(entry, SimpleNamespace(current_theme=None))
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)
    return [line.rstrip() for line in console.export_text().splitlines() if line.strip()]


def test_a_wrapped_diagnosis_hangs_under_the_answer():
    lines = wrapped(Entry("answer", "36", "wrong", DIAGNOSIS))
    assert lines[0].startswith("› 36  ✗ That is") and len(lines) >= 3
    assert all(line.startswith("  ") and not line.startswith("   ") for line in lines[1:]), lines


def test_a_wrapped_hint_hangs_under_its_text():
    lines = wrapped(Entry("hint", DIAGNOSIS))
    assert lines[0].startswith("💡 That is") and len(lines) >= 3
    assert all(line.startswith("   ") and not line.startswith("    ") for line in lines[1:]), lines


def test_a_wrapped_option_hangs_under_its_text_in_the_transcript():
    options = ["1. Loss function", "b. Yi comparing your number with the secret: too big or too small, and how much"]
    lines = wrapped(Entry("ask", "Match them:", options=options))
    assert lines[:3] == ["Match them:", "  1. Loss function", "  b. Yi comparing your number with the"], lines
    assert len(lines) >= 5 and all(line.startswith("     ") and line[5] != " " for line in lines[3:]), lines


async def test_a_wrapped_option_hangs_under_its_text_in_the_pinned_list(tmp_path):
    from gradquest.store.progress import ProgressStore
    from gradquest.tui.app import GradQuestApp
    from tests.tui.conftest import screen_text

    level = tmp_path / "pick.yaml"
    level.write_text("""format_version: 1
id: test.pick
title: Pick
chapter: 1
order: 1
model: {params: {w: 1}, nodes: {y: 2*w}}
steps:
  - choose:
      options: ["Yi comparing your number with the secret: too big or too small, and how much, every time", "No"]
      answer: 1
    prompt: Which?
""", encoding="utf-8")
    app = GradQuestApp("en", level_file=level, store=ProgressStore(tmp_path / "home"))
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
    first = next(i for i, line in enumerate(lines) if "1. Yi comparing" in line)
    indent = lines[first].index("Yi")
    assert lines[first + 1][:indent].strip() == "" and lines[first + 1][indent] != " ", lines[first:first + 3]
    assert "2. No" in lines[first + 2]
