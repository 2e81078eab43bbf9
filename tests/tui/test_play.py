"""The full-screen game driven through Textual's Pilot, as a player would."""

import io
import json

from rich.console import Console
from textual.widgets import Input, OptionList, Static

from gradquest.tui.chapter_map import ChapterMap
from gradquest.tui.help import HelpScreen
from gradquest.tui.level_screen import LevelScreen
from gradquest.tui.results import ResultsScreen
from tests.tui.conftest import screen_text


async def type_in(pilot, text: str) -> None:
    await pilot.press(*text, "enter") if text else await pilot.press("enter")
    await pilot.pause()


def feedback(app) -> str:
    return str(app.screen.query_one("#feedback", Static).render())


def last_said(app) -> str:
    """The newest entry of the transcript, as text."""
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen.query_one("#transcript").children[-1].content)
    return console.export_text()


async def test_a_level_from_the_map_to_the_results(make_app, store):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChapterMap)
        text = screen_text(app)
        assert "▶ Next: Tiny" in text and "1. Testing" in text and "🔒  1.2   Second" in text
        await pilot.press("enter")  # the highlighted "next" entry
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LevelScreen)
        assert "a = 2, b = −3" in screen_text(app)
        await type_in(pilot, "")  # past the story
        assert "e = ?" in screen_text(app)

        await type_in(pilot, "6")
        assert "› 6  ✗" in last_said(app) and "sign" in last_said(app).lower()
        assert screen.session.attempts == 1
        await type_in(pilot, "1..2")
        assert feedback(app).startswith("?") and screen.session.attempts == 1  # garbage costs nothing
        await type_in(pilot, "-6")
        assert "› -6  ✓" in screen_text(app) and "e = 2·(−3) = −6" in screen_text(app)
        assert "−6" in screen_text(app)  # the card of e now shows its value

        await pilot.press("f2")
        await pilot.pause()
        assert "the other factor" in last_said(app) and screen.session.hints_used == 1
        assert feedback(app) == "1 hint left"  # the author's hint, then the chain rule (its numbers would be the answer)
        await pilot.press("question_mark")  # into the empty box: a hint at once
        await pilot.pause()
        assert feedback(app) == "0 hints left" and screen.query_one(Input).value == ""
        await type_in(pilot, "-3")
        await pilot.pause()
        assert isinstance(app.screen, LevelScreen) and "∂e/∂a = −3" in screen_text(app)  # read before the results
        await type_in(pilot, "")
        assert isinstance(app.screen, ResultsScreen)
        text = screen_text(app)
        assert "Level complete" in text and "A product scales the gradient." in text and "Next: Second" in text
        slips = text.split("The slips you made", 1)[-1]
        assert "The slips you made" in text and "e = ?" in slips and "sign" in slips.lower()  # the ask and what was said

    saved = json.loads(store.path.read_text(encoding="utf-8"))["levels"]["test.tiny"]
    assert saved["done"] and saved["attempts"] == 3 and saved["hints_used"] == 2 and saved["stars"] == 2


async def test_leaving_mid_level_resumes_at_the_same_step(make_app, store):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await type_in(pilot, "")
        await type_in(pilot, "6")
        await type_in(pilot, "-6")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChapterMap)
        assert "▶ Continue: Tiny" in screen_text(app) and "…   1.1" in screen_text(app)
    assert json.loads(store.path.read_text(encoding="utf-8"))["levels"]["test.tiny"]["resume_at"] == 2

    again = make_app()
    async with again.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "∂e/∂a" in screen_text(again) and again.screen.session.position == 2
        await type_in(pilot, "-3")
        assert again.screen.session.points == [75, 100]  # the wrong answer before leaving still counts


async def test_at_80_by_24_the_ask_and_its_box_are_on_screen(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await type_in(pilot, "")
        screen = app.screen
        assert screen.has_class("narrow")
        box = screen.query_one(Input).region
        assert box.height == 1 and box.bottom <= 23 and box.right <= 80
        assert "e = ?" in screen_text(app)
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert not screen.has_class("narrow")


async def test_language_help_and_theme(make_app, store):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert "▶ 下一关：小关" in screen_text(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and "按键" in screen_text(app)
        await pilot.press("escape")
        app.theme = "nord"
        await pilot.pause()
    settings = json.loads(store.path.read_text(encoding="utf-8"))["settings"]
    assert settings == {"lang": "zh", "theme": "nord"}
    assert make_app().theme == "nord"


async def test_a_locked_level_does_not_open(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        levels = app.screen.query_one(OptionList)
        levels.highlighted = [o.id for o in levels.options].index("test.second")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChapterMap)


async def test_play_a_file_and_reload_it_after_an_edit(make_app, levels_dir):
    path = levels_dir / "1-test" / "01-tiny.yaml"
    app = make_app(level_file=path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await type_in(pilot, "")
        await type_in(pilot, "-6")
        path.write_text(path.read_text(encoding="utf-8").replace("a: 2,", "a: 5,"), encoding="utf-8")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen.session.position == 2 and app.screen.session.world.evaluate("e") == -15
        path.write_text("format_version: 1\nid: [\n", encoding="utf-8")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "01-tiny.yaml:3:1: " in screen_text(app) and "Traceback" not in screen_text(app)


async def test_the_transcript_scrolls_while_the_box_keeps_the_focus_and_keys_land_in_the_box(make_app, levels_dir):
    path = levels_dir / "1-test" / "01-tiny.yaml"
    long_story = "\n\n".join(f"Line {n} of a long story." for n in range(1, 41))
    path.write_text(path.read_text(encoding="utf-8").replace(
        'story: {en: "a = 2, b = −3, e = a·b.", zh: "a = 2，b = −3，e = a·b。"}',
        "story: |\n" + "\n".join("  " + line for line in long_story.splitlines())), encoding="utf-8")
    app = make_app(level_file=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen, box = app.screen, app.screen.query_one(Input)
        transcript = screen.query_one("#transcript")
        assert "Line 1 of" in screen_text(app) and transcript.scroll_y == 0  # a long text opens at its top
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert transcript.scroll_y > 0 and screen.focused is box and "Line 1 of" not in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert transcript.scroll_y == 0
        await pilot.press("end")
        await pilot.pause()
        assert "Line 40 of" in screen_text(app)
        screen.query_one("#side").query_one("Tabs").focus()
        await pilot.press("4", "2")
        assert screen.focused is box and box.value == "42"
        await pilot.press("escape")  # a level played from a file goes to the map, not out of the game
        await pilot.pause()
        assert isinstance(app.screen, ChapterMap)


async def test_next_level_works_where_it_is_shown_and_is_not_shown_after_the_last(make_app, levels_dir):
    app = make_app(level_file=levels_dir / "1-test" / "01-tiny.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        for typed in ("", "-6", "-3", ""):
            await type_in(pilot, typed)
        assert isinstance(app.screen, ResultsScreen) and "Next level" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, LevelScreen) and app.screen.level.id == "test.second"
        for typed in ("", "-6", "-3", ""):
            await type_in(pilot, typed)
        assert isinstance(app.screen, ResultsScreen) and "Next level" not in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("escape")  # from a level played by name: on to the map
        await pilot.pause()
        assert isinstance(app.screen, ChapterMap)


async def test_below_60_by_16_one_line_asks_for_a_larger_window(make_app):
    app = make_app()
    async with app.run_test(size=(50, 12)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert screen_text(app).strip() == "Please make the window at least 60×16."


RESUMED = """format_version: 1
id: test.resumed
title: Resumed
chapter: 1
order: 1
story: "a = 2, b = −3, e = a·b."
model: {params: {a: 2, b: -3}, nodes: {e: a*b}}
steps:
  - forward: e
    explain: |
      Line 1 of a long explanation.

      Line 2 of a long explanation.

      Line 3 of a long explanation.

      Line 4 of a long explanation.

      Line 5 of a long explanation.

      Line 6 of a long explanation.

      Line 7 of a long explanation.

      Line 8 of a long explanation.

  - say: |
      Line 1 of what comes next.

      Line 2.

      Line 3.

      Line 4.
  - gradient: a
    hints: ["The other factor."]
"""


async def test_a_resumed_level_opens_at_its_newest_entry_with_its_wrong_answers_and_no_continue_line(tmp_path):
    """Left at ∂e/∂a (after an explanation and a narration) with a wrong answer and a hint there: it
    opens at the end, not at the explanation, with both, and without a "▶ Continue" line."""
    from gradquest.store.progress import ProgressStore
    from gradquest.tui.app import GradQuestApp

    level = tmp_path / "resumed.yaml"
    level.write_text(RESUMED, encoding="utf-8")
    first = GradQuestApp("en", level_file=level, store=ProgressStore(tmp_path / "home"))
    async with first.run_test(size=(80, 16)) as pilot:
        await pilot.pause()
        s = first.screen.session
        while s.stage.kind != "ask" or s.position < 3:
            first.screen.play(lambda: s.submit(s.stage.solution))
        await type_in(pilot, "3")
        await pilot.press("f2")
        await pilot.pause()
        left = s.hints_left  # one hint taken
        await pilot.press("escape")
        await pilot.pause()
    again = GradQuestApp("en", level_file=level, store=ProgressStore(tmp_path / "home"))
    async with again.run_test(size=(80, 16)) as pilot:
        for _ in range(3):
            await pilot.pause()
        screen = again.screen
        assert isinstance(screen, LevelScreen) and screen.session.position == 3
        box = screen.query_one("#transcript")
        assert box.max_scroll_y > 0 and box.at_end, (box.scroll_y, box.max_scroll_y)
        text = screen_text(again)
        assert "▶ Continue" not in text and "› 3  ✗" in text and "💡 The other factor." in text
        assert screen.session.hints_left == left and screen.session.attempts == 2
