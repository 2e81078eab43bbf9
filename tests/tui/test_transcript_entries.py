"""How a transcript entry reads when it wraps: a verdict's, a diagnosis's or a hint's later lines
hang under its first word, not under the mark."""

import io
from types import SimpleNamespace

from rich.console import Console

from gradquest.game.transcript import Entry
from gradquest.tui.transcript import entry_widget

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
