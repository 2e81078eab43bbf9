"""The line-mode map and player read what any keyboard types without failing."""

import pytest

from gradquest.store.progress import ProgressStore
from gradquest.lineplay.player import play_chapters, play_level
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level


def reader(first: str, then: str = "q"):
    """Types `first` at the first prompt; then Enter at narration and `then` elsewhere."""
    typed = [first]

    def read(prompt: str) -> str:
        return typed.pop() if typed else "" if prompt == "[Enter]" else then
    return read


@pytest.mark.parametrize("typed", ["²", "①", "9" * 5000, "٣٣", "\x00", "x" * 2_000_000])
def test_the_line_map_reads_any_choice(typed, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path))
    out = []
    assert play_chapters("en", read=reader(typed), write=out.append) == 0
    assert any("Guess the number" in line for line in out)


def test_the_line_map_reads_a_full_width_level_number(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path))
    out = []
    assert play_chapters("en", read=reader("１", "ｑ"), write=out.append) == 0
    assert any("== Guess the number ==" in line for line in out)


def test_full_width_commands_while_playing(tmp_path):
    level = load_level(next(bundled_levels_dir().rglob("07-*.yaml"))).level
    out = []

    def read(prompt):
        return "" if prompt == "[Enter]" else "？" if not any("💡" in line for line in out) else "ｑ"

    play_level(level, "en", store=ProgressStore(tmp_path), read=read, write=out.append)
    assert "Progress saved." in out
