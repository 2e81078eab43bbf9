import io
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from gradquest.store.progress import ProgressStore
from gradquest.tui.app import GradQuestApp
from tests.tui.textual_private import screen_update

TINY = """\
format_version: 1
id: test.tiny
title: {en: Tiny, zh: 小关}
chapter: 1
order: 1
teaches: {en: A product scales the gradient., zh: 乘法按另一个因子缩放梯度。}
story: {en: "a = 2, b = −3, e = a·b.", zh: "a = 2，b = −3，e = a·b。"}
model:
  params: {a: 2, b: -3}
  nodes: {e: a*b}
steps:
  - forward: e
  - gradient: a
    hints: [{en: "∂(a·b)/∂a is the other factor.", zh: "∂(a·b)/∂a 是另一个因子。"}]
"""

SECOND = TINY.replace("test.tiny", "test.second").replace("order: 1", "order: 2").replace(
    "{en: Tiny, zh: 小关}", "{en: Second, zh: 第二关}")

CHAPTER = "format_version: 1\nchapter: 1\ntitle: {en: Testing, zh: 测试}\nsummary: [{en: Products, zh: 乘法}]\n"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
@pytest.fixture
def levels_dir(tmp_path) -> Path:
    folder = tmp_path / "levels" / "1-test"
    folder.mkdir(parents=True)
    (folder / "chapter.yaml").write_text(CHAPTER, encoding="utf-8")
    (folder / "01-tiny.yaml").write_text(TINY, encoding="utf-8")
    (folder / "02-second.yaml").write_text(SECOND, encoding="utf-8")
    return folder.parent


@pytest.fixture
def store(tmp_path) -> ProgressStore:
    return ProgressStore(tmp_path / "home")


@pytest.fixture
def make_app(levels_dir, store):
    def make(**kwargs) -> GradQuestApp:
        kwargs.setdefault("levels_dir", levels_dir)
        app = GradQuestApp(kwargs.pop("lang", "en"), store=store, **kwargs)
        app.animation_level = "none"  # the tab underline slides otherwise, and screens would differ by timing
        return app
    return make


def screen_text(app) -> str:
    """What the terminal shows, as plain text (the characters, not the colours)."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system=None)
    console.print(screen_update(app))
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


def bundled_copy(tmp_path, *names) -> Path:
    """Some bundled levels in a folder of their own."""
    from gradquest.levels.discover import bundled_levels_dir

    folder = tmp_path / "bundled"
    for name in names:
        found = next(bundled_levels_dir().rglob(name))
        target = folder / found.parent.name
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(found, target)
        shutil.copy(found.parent / "chapter.yaml", target)
    return folder
