"""Keys as a player types them: full-width ？ and ！ from a Chinese input method, keys typed with no
pause right after the screen moves on, and a hint kept in view."""

from textual import events
from textual.widgets import Input

from tests.tui.textual_private import key_name, paste

LONG_STORY = "story: |\n" + "\n".join(f"  Line {n} of a long story.\n" for n in range(1, 41))


def long_level(levels_dir):
    path = levels_dir / "1-test" / "01-tiny.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'story: {en: "a = 2, b = −3, e = a·b.", zh: "a = 2，b = −3，e = a·b。"}', LONG_STORY), encoding="utf-8")
    return path


async def typed(pilot, keys: str) -> None:
    """Keys as the terminal sends them, all at once (Pilot.press waits after each key, and cannot
    press a full-width character)."""
    for char in keys:
        pilot.app.post_message(events.Key(key_name(char), char))
    for _ in range(5):
        await pilot.pause()


async def test_full_width_question_and_exclamation_marks_ask_for_a_hint_and_the_answer(make_app, levels_dir):
    app = make_app(level_file=levels_dir / "1-test" / "01-tiny.yaml", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "-", "6", "enter")  # past the story; e = −6
        session, box = app.screen.session, app.screen.query_one(Input)
        await typed(pilot, "？")
        assert session.hints_used == 1 and box.value == ""
        await typed(pilot, "！")
        assert session.done and session.points[-1] == 0 and box.value == ""


async def test_keys_typed_at_once_after_the_screen_moves_on_are_not_lost(make_app, levels_dir):
    app = make_app(level_file=levels_dir / "1-test" / "01-tiny.yaml")
    async with app.run_test(size=(80, 24)) as pilot:
        # past the story, then both answers: every key sent at once, as a fast typist's keys reach
        # the game while it is still drawing
        await pilot.pause()
        await typed(pilot, "\r-6\r-3\r")
        session = app.screen.session
        assert session.done and session.points == [100, 100] and session.attempts == 2


async def test_a_hint_is_scrolled_into_view_at_the_bottom(make_app, levels_dir):
    app = make_app(level_file=long_level(levels_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*["enter"] * 20)
        await pilot.pause()
        assert app.screen.session.stage.prompt == "e = ?"
        await pilot.press("pageup", "pageup")  # the player reads back up the story
        await pilot.press("?")
        await pilot.pause()
        transcript = app.screen.query_one("#transcript")
        hint = transcript.children[-1]
        assert hint.has_class("hint") and transcript.scrollable_content_region.contains_region(hint.region)


def test_the_scroll_position_says_1_line_not_1_lines():
    from types import SimpleNamespace

    from gradquest.tui.transcript_view import Transcript

    at = lambda y, most: Transcript.position(SimpleNamespace(scroll_y=y, max_scroll_y=most), "en")  # noqa: E731
    assert at(1, 1) == "↑ 1 line above (PgUp)"
    assert at(3, 3) == "↑ 3 lines above (PgUp)"
    assert at(1, 2) == "↑ 1 line above (PgUp) · ↓ 1 more below (Enter or PgDn)"


async def test_keys_typed_as_the_level_screen_opens_are_kept(make_app, levels_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_level(levels_dir / "1-test" / "01-tiny.yaml")
        await typed(pilot, "12")  # sent before the screen is mounted and its box focused
        assert app.screen.query_one(Input).value == "12"


async def test_typing_past_the_cap_is_refused_at_once_with_a_message(make_app, levels_dir):
    from gradquest.game.gate import MAX_INPUT
    from gradquest.tui.words import word
    from tests.tui.conftest import screen_text

    app = make_app(level_file=levels_dir / "1-test" / "01-tiny.yaml")
    async with app.run_test(size=(80, 24)) as pilot:
        await typed(pilot, "1" * (MAX_INPUT + 200))  # held keys, or a paste the terminal sends key by key
        assert len(app.screen.query_one(Input).value) == MAX_INPUT
        assert word("level.too_long", "en", limit=MAX_INPUT) in screen_text(app)


async def test_a_paste_past_the_cap_is_cut_with_a_message(make_app, levels_dir):
    from gradquest.game.gate import MAX_INPUT
    from gradquest.tui.words import word
    from tests.tui.conftest import screen_text

    app = make_app(level_file=levels_dir / "1-test" / "01-tiny.yaml", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await typed(pilot, "12")
        paste(pilot.app, "9" * (MAX_INPUT * 3))  # a bracketed paste
        await pilot.pause()
        assert app.screen.query_one(Input).value == "12" + "9" * (MAX_INPUT - 2)
        assert word("level.too_long", "zh", limit=MAX_INPUT) in screen_text(app)


async def test_keys_typed_right_after_enter_on_the_map_reach_the_level_it_opens(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await typed(pilot, "\r12")  # the map hears of Enter's choice only after the keys typed behind it
        assert app.screen.query_one(Input).value == "12"


async def test_the_first_down_arrow_in_a_choice_marks_option_1_clearly_without_colour_too(tmp_path):
    from textual.widgets import OptionList

    from gradquest.store.progress import ProgressStore
    from gradquest.tui.app import GradQuestApp
    from tests.tui.conftest import screen_text

    level = tmp_path / "pick.yaml"
    level.write_text("format_version: 1\nid: test.pick\ntitle: Pick\nchapter: 1\norder: 1\nsteps:\n"
                     "  - choose:\n      options: [Up, Down, Sideways]\n      answer: 2\n    prompt: Which way?\n",
                     encoding="utf-8")
    app = GradQuestApp("en", level_file=level, store=ProgressStore(tmp_path / "home"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "▶" not in screen_text(app)
        await pilot.press("down")
        await pilot.pause()
        options = app.screen.query_one("#options", OptionList)
        lines = screen_text(app).splitlines()
        assert options.highlighted == 0 and any(line.strip() == "▶ 1. Up" for line in lines), lines
        assert any(line.strip() == "2. Down" for line in lines)
        assert options.get_component_rich_style("option-list--option-highlighted").bold  # not the faint unfocused look
        await pilot.press("down")
        await pilot.pause()
        lines = [line.strip() for line in screen_text(app).splitlines()]
        assert "▶ 2. Down" in lines and "1. Up" in lines
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.session.done


def shown_keys(screen) -> dict[str, str]:
    """The key the key bar shows for each action: the first of its bindings (as Textual's Footer does)."""
    first: dict[str, str] = {}
    for key, active in screen.active_bindings.items():
        if active.binding.show:
            first.setdefault(active.binding.action, key)
    return first


async def test_served_in_a_browser_the_key_bar_shows_ctrl_keys_that_do_what_the_f_keys_do(make_app, levels_dir,
                                                                                          monkeypatch):
    level = levels_dir / "1-test" / "01-tiny.yaml"
    async with make_app(level_file=level).run_test(size=(120, 30)) as pilot:  # in a terminal: the F-keys
        assert shown_keys(pilot.app.screen)["hint"] == "f2"
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")  # as textual-serve starts it
    app = make_app(level_file=level)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("enter", "-", "6", "enter")  # past the story; e = −6
        assert shown_keys(app.screen) == {"leave": "escape", "hint": "ctrl+y", "reveal": "ctrl+s",
                                          "view('log-tab')": "ctrl+l", "view('graph-tab')": "ctrl+g"}
        side = app.screen.query_one("#side")
        await pilot.press("ctrl+g")
        assert side.active == "graph-tab"
        await pilot.press("ctrl+l")
        assert side.active == "log-tab"
        await pilot.press("ctrl+b")
        assert type(app.screen).__name__ == "HelpScreen" and "Ctrl+Y" in app.screen.query_one("Markdown").source
        await pilot.press("ctrl+b")
        session = app.screen.session
        await pilot.press("ctrl+y")
        assert session.hints_used == 1
        await pilot.press("ctrl+s")
        assert session.done and session.points[-1] == 0


async def test_what_is_typed_during_a_story_stays_in_the_box_for_the_ask_after_it(make_app, tmp_path):
    from gradquest.author.explore import explore
    from tests.tui.conftest import screen_text

    level = tmp_path / "explore.yaml"
    level.write_text(explore("tanh(w*x + b)", {"w": 0.5, "x": 2, "b": 0.1}).yaml(), encoding="utf-8")
    app = make_app(level_file=level)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.session.stage.kind == "say"  # the story, listing t1 = w * x
        await typed(pilot, "1\r")  # the answer to t1 begun before Enter moves past the story
        screen = app.screen
        assert screen.session.stage.prompt.startswith("t1") and screen.session.attempts == 0
        assert screen.query_one(Input).value == "1"
        assert "t1 = ?\n 1\n" in screen_text(app)
        await typed(pilot, "\r")
        assert screen.session.points == [100]


async def test_a_backspace_typed_before_enter_is_applied_before_it(make_app, levels_dir):
    app = make_app(level_file=levels_dir / "1-test" / "01-tiny.yaml")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await typed(pilot, "\r-7")
        for key in ("backspace", "6", "enter", "-", "3", "1", "backspace", "enter"):  # all at once, as a terminal sends them
            pilot.app.post_message(events.Key(key, None if key in ("backspace", "enter") else key))
        for _ in range(5):
            await pilot.pause()
        session = app.screen.session
        assert session.done and session.points == [100, 100] and session.attempts == 2


async def test_a_typed_number_that_is_also_another_options_text_is_asked_about_and_a_pick_from_the_list_is_not(tmp_path):
    from gradquest.store.progress import ProgressStore
    from gradquest.tui.app import GradQuestApp
    from tests.tui.conftest import screen_text

    level = tmp_path / "numbers.yaml"
    level.write_text("format_version: 1\nid: test.numbers\ntitle: Numbers\nchapter: 1\norder: 1\nsteps:\n"
                     "  - choose:\n      options: ['3', '1', '6']\n      answer: 1\n      why: [null, No., No.]\n"
                     "    prompt: Which is a?\n", encoding="utf-8")
    app = GradQuestApp("en", level_file=level, store=ProgressStore(tmp_path / "home"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("up", "enter")  # option 3 picked from the list: no question
        await pilot.pause()
        assert app.screen.session.attempts == 1 and "Did you mean" not in " ".join(screen_text(app).split())
        await pilot.press("3", "enter")
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Did you mean option 3 (6) or the option that says 3 (option 1)?" in text, text
        assert app.screen.session.attempts == 1
        await pilot.press("1", "enter")
        await pilot.pause()
        assert app.screen.session.done
