"""The chapter map's Practice row: the mastery bars per rule, and a round played in the game."""

import json

from textual.widgets import OptionList

from gradquest.author.practice import SETTING
from gradquest.cli import practice_round
from gradquest.game.mastery import Mastery
from gradquest.tui.chapter_map import ChapterMap
from gradquest.tui.level_screen import LevelScreen
from tests.tui.conftest import screen_text

KEPT = json.dumps({"tanh": {"level": 2}, "mul": {"level": 4}, "fork": {"level": 1}})


def keep(store, text: str) -> None:
    progress = store.load()
    progress.settings[SETTING] = text
    store.save(progress)


async def test_the_map_shows_the_mastery_bars_of_the_rules_met(make_app, store):
    keep(store, KEPT)
    app = make_app(practice=practice_round)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "Practice: 3 of 11 rules met" in shown
        assert "a·b     ▰▰▰▰ Mastered" in shown and "tanh    ▰▰▱▱ Familiar" in shown
        assert "fork    ▰▱▱▱ Attempted" in shown and "relu" not in shown.split("Testing")[0]
        await pilot.press("l")
        await pilot.pause()
        shown = screen_text(app)
        assert "练习：已练 3/11 条规则" in shown and "tanh    ▰▰▱▱ 熟悉" in shown and "分叉    ▰▱▱▱ 尝试过" in shown


async def select_practice(app, pilot) -> None:
    levels = app.screen.query_one(OptionList)
    levels.highlighted = [o.id for o in levels.options].index("practice")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_enter_on_the_practice_row_plays_a_round_to_its_summary(make_app, store):
    app = make_app(practice=practice_round)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await select_practice(app, pilot)
        screen = app.screen
        assert isinstance(screen, LevelScreen) and screen.level.id.startswith("explore.")
        assert "Practice: a round of about 10 asks" in screen_text(app)
        wrong_once = False
        for _ in range(300):  # every ask answered right, but the first one wrong
            screen = app.screen
            if not isinstance(screen, LevelScreen):
                break
            stage = screen.session.stage
            typed = ""
            if stage is not None and stage.kind != "say" and screen.query_one("#transcript").at_end:
                typed = "12345" if not wrong_once else stage.solution
                wrong_once = True
            await pilot.press(*typed, "enter")
            await pilot.pause()
        assert "Round over: 9 of 10 right at the first try." in screen_text(app)
        assert store.load().levels == {}  # the exercises are not levels of the map
        kept = Mastery.from_json(store.load().settings[SETTING])
        assert sum(s.asks for s in kept.rules.values()) == 10
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChapterMap) and "rules met" in screen_text(app)


async def test_an_exercise_ends_on_the_way_on_and_the_round_on_its_summary_with_the_last_answer_in_view(make_app):
    for lang, ends, over, summary in (
            ("en", "Exercise done ({n} of 10 asks). Press Enter for the next one.",
             "Round over. Press Enter for its summary.", "Round over: 10 of 10 right at the first try."),
            ("zh", "本题完成（已答 {n}/10 题）。按回车做下一题。", "本轮结束。按回车查看总结。", "本轮结束：10 题中首次答对 10 题。")):
        app = make_app(practice=practice_round, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await select_practice(app, pilot)
            ended = 0
            for _ in range(300):  # every ask answered right
                screen = app.screen
                stage = screen.session.stage
                if screen.round.over:
                    break
                if stage is None:
                    assert ends.format(n=screen.round.asks) in screen_text(app) and "results" not in screen_text(app)
                    ended += 1
                typed = stage.solution if stage is not None and stage.kind != "say" and screen.query_one(
                    "#transcript").at_end else ""
                await pilot.press(*typed, "enter")
                await pilot.pause()
            assert ended and isinstance(app.screen, LevelScreen)  # the last answer's verdict is still to be read
            shown = screen_text(app)
            assert over in shown and "✓" in shown
            await pilot.press("enter")
            await pilot.pause()
            assert summary in screen_text(app)
