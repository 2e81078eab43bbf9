import gc
import subprocess
import sys

import pytest
from textual import events

from gradquest import cli
from gradquest.tui.app import GradQuestApp
from tests.tui.conftest import screen_text

FIRST_FRAME = """
import sys
from gradquest.cli import practice_round
from gradquest.tui.app import GradQuestApp
from gradquest.tui.chapter_map import ChapterMap

class Once(GradQuestApp):
    def on_ready(self):
        assert isinstance(self.screen, ChapterMap) and self.screen.entries
        assert "practice" in [o.id for o in self.screen.query_one("#levels").options]
        self.exit()

Once("en", practice=practice_round).run(headless=True)
heavy = sorted(m for m in ("numpy", "pydantic", "textual_plotext", "plotext", "gradquest.engine", "grandalf", "fsrs")
               if m in sys.modules)
print(heavy)
"""


def test_the_chapter_map_comes_up_without_the_engine_pydantic_or_plots(tmp_path):
    done = subprocess.run([sys.executable, "-c", FIRST_FRAME], capture_output=True, text=True, timeout=120,
                          env={"GRADQUEST_HOME": str(tmp_path), "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


class FirstFrame(GradQuestApp):
    """Keeps what the first frame showed: Ready comes right after it is drawn."""

    def on_ready(self) -> None:
        super().on_ready()
        self.first_frame = screen_text(self)


async def test_the_maps_first_frame_already_has_its_key_bar(levels_dir, store):
    app = FirstFrame("en", levels_dir=levels_dir, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        settled = screen_text(app)
    assert "Quit" in settled.splitlines()[-1]
    assert app.first_frame.splitlines()[-1] == settled.splitlines()[-1]


@pytest.fixture
def collection_restored():
    yield
    gc.enable()
    gc.unfreeze()  # what a test's app set aside is collectable again


def test_the_game_starts_with_collection_paused_and_resumes_it(tmp_path, monkeypatch, collection_restored):
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path / "home"))
    seen = []
    monkeypatch.setattr(cli, "_in_lines", lambda args, lang: False)
    monkeypatch.setattr(GradQuestApp, "run", lambda app: seen.append(gc.isenabled()))
    assert cli.main(["--lang", "en"]) == 0
    assert seen == [False]  # the imports and the first frame ran without collections
    assert gc.isenabled()  # and an app that stopped before its first frame does not leave it off


async def test_the_app_resumes_collection_after_its_first_frame(levels_dir, store, collection_restored):
    gc.disable()
    app = FirstFrame("en", levels_dir=levels_dir, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # start-up's objects set aside: later collections skip them


EXPLORE_FIRST_FRAME = """
import sys
import gradquest.cli as cli
import gradquest.tui.app as tui_app

class Once(tui_app.GradQuestApp):
    def on_ready(self):  # the first frame: the level is not opened
        print(type(self.screen).__name__, self.screen.sub_title)
        print(sorted(m for m in HEAVY if m in sys.modules))
        self.exit()

    def run(self):
        return super().run(headless=True)

HEAVY = ("pydantic", "gradquest.levels.schema", "gradquest.game.session", "gradquest.tui.level_screen",
         "textual_plotext", "plotext", "grandalf", "fsrs", "markdown_it")
tui_app.GradQuestApp = Once
cli._in_lines = lambda args, lang: False
cli.main(["--lang", "en", "explore", "tanh(w*x + b)", "w=0.5", "x=2", "b=0.1"])
"""


def test_explore_draws_its_first_frame_before_pydantic_the_game_and_the_level_screen(tmp_path):
    done = subprocess.run([sys.executable, "-c", EXPLORE_FIRST_FRAME], capture_output=True, text=True, timeout=120,
                          env={"GRADQUEST_HOME": str(tmp_path), "PATH": ""})
    assert done.returncode == 0, done.stderr
    screen, heavy = done.stdout.strip().splitlines()[-2:]
    assert screen == "Opening Explore: tanh(w*x + b)"
    assert heavy == "[]"


async def test_keys_typed_while_a_level_is_being_opened_reach_it(make_app, levels_dir):
    from textual.widgets import Input

    from gradquest.tui.level_screen import LevelScreen
    from gradquest.tui.opening import Opening
    from tests.tui.test_keys import typed

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(Opening("Explore: a*b"))
        await typed(pilot, "12")  # typed while "Reading your expression…" is on screen
        app.open_level(levels_dir / "1-test" / "01-tiny.yaml")
        await pilot.pause()
        assert isinstance(app.screen, LevelScreen) and app.screen.query_one(Input).value == "12"


async def test_explore_opens_its_level_after_the_first_frame(make_app, levels_dir):
    from gradquest.tui.level_screen import LevelScreen

    app = make_app(level_file=levels_dir / "1-test" / "01-tiny.yaml", opening={"en": "Tiny", "zh": "小关"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LevelScreen) and app.screen.session.stage.kind == "say"


async def test_escape_while_a_level_is_still_being_set_up_goes_to_the_map_without_an_error(make_app, levels_dir):
    """`gradquest explore …` then Esc at once: the key reaches the level screen while its transcript
    is still being laid out; leaving must not run the transcript's follow-ups on a screen taken down."""
    import asyncio

    from gradquest.tui.chapter_map import ChapterMap
    from gradquest.tui.level_screen import LevelScreen

    for turns in range(6):  # Esc at each of the first turns of the event loop once the level screen exists
        app = make_app(level_file=levels_dir / "1-test" / "01-tiny.yaml", opening={"en": "Tiny", "zh": "小关"})
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(10_000):  # turns, not time: until the level screen is pushed
                if isinstance(app.screen, LevelScreen):
                    break
                await asyncio.sleep(0)
            else:
                pytest.fail("the level screen was never pushed")
            for _ in range(turns):
                await asyncio.sleep(0)
            app.post_message(events.Key("escape", None))
            for _ in range(5):
                await pilot.pause()
            assert isinstance(app.screen, ChapterMap), turns
