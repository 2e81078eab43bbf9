"""Chinese on screen: lines break between characters (never before ，。！？ or after （), a short
formula moves to the next line whole instead of being split at its spaces, English breaks as it
always did; and full-width punctuation is not doubled."""

import io

from rich.console import Console
from rich.text import Text
from textual.content import Content

import gradquest.tui.app  # noqa: F401 (installs the line breaking, as the game does)
from gradquest.tui.cjk_wrap import _rich_divide, divide_line
from gradquest.tui.transcript_view import hanging
from tests.tui.conftest import screen_text

SENTENCE = "泉水最后停在这里，我们从 J(x) = x² 出发，学习率 η = 0.3，看看梯度下降会怎样一步一步走到最低点。再看一遍这个游戏：它的每一个环节都有名字。"


def rich_lines(text: str, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(Text(text))
    return [line.rstrip() for line in console.export_text().splitlines()]


def textual_lines(text: str, width: int) -> list[str]:
    return [line.plain.rstrip() for line in Content(text).wrap(width)]


def test_a_short_formula_is_not_split_at_its_spaces_when_it_fits_on_the_next_line():
    for lines in (rich_lines(SENTENCE, 30), textual_lines(SENTENCE, 30)):
        assert any("J(x) = x²" in line for line in lines), lines
        assert any("η = 0.3" in line for line in lines), lines


def test_chinese_lines_are_full_and_never_start_with_a_closing_mark():
    for width in (20, 29, 30, 41):
        for lines in (rich_lines(SENTENCE, width), textual_lines(SENTENCE, width)):
            assert all(line and line[0] not in "，。：！？）" for line in lines), lines
            assert all(len(line) > width // 3 for line in lines[:-1]), lines  # no half-empty line


def test_english_breaks_as_before():
    text = "The learning rate η is the length of the stride: too short and the walk takes forever."
    for width in (10, 23, 40):
        assert divide_line(text, width) == _rich_divide(text, width)


async def test_the_results_title_does_not_double_full_width_punctuation(make_app, levels_dir):
    app = make_app(level_file=levels_dir / "1-test" / "01-tiny.yaml", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        for typed in ("", "-6", "-3", ""):
            await pilot.press(*typed, "enter") if typed else await pilot.press("enter")
            await pilot.pause()
        text = screen_text(app)
        assert "过关！小关" in text and "！：" not in text and "！！" not in text


async def test_the_results_screen_writes_chinese_labels_with_full_width_colons(make_app, levels_dir):
    app = make_app(level_file=levels_dir / "1-test" / "01-tiny.yaml", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        for typed in ("", "-6", "-3", ""):
            await pilot.press(*typed, "enter") if typed else await pilot.press("enter")
            await pilot.pause()
        text = screen_text(app)
        for label in ("得分", "星级", "使用提示", "尝试次数"):
            assert f"{label}：" in text and f"{label}:" not in text, text


async def test_the_key_bar_speaks_the_players_language_on_the_map_and_after_switching(make_app):
    app = make_app(lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = screen_text(app).splitlines()[-1]
        assert "退出" in keys and "帮助" in keys and "English" in keys and "命令面板" in keys, keys
        assert "Quit" not in keys and "palette" not in keys, keys
        await pilot.press("l")
        await pilot.pause()
        keys = screen_text(app).splitlines()[-1]
        assert "Quit" in keys and "Help" in keys and "中文" in keys and "palette" in keys, keys
        assert "退出" not in keys and "命令面板" not in keys, keys


def test_a_closing_quote_never_starts_a_line_and_an_opening_one_never_ends_one():
    text = "这次固定 w，改变的是 b。b 比 w“忙”：它同时参与了 x 和 y 的计算，所以轻轻推一下 b，影响会沿着两条路同时传到 z。"
    for width in range(12, 50):
        for lines in (rich_lines(text, width), textual_lines(text, width)):
            assert all(line[0] not in "”’，。：" for line in lines if line), (width, lines)
            assert all(line[-1] not in "“‘（" for line in lines if line), (width, lines)


def test_the_word_before_a_closing_mark_is_never_split_from_it():
    """"正" at the end of one line and "确。" at the start of the next (issue 22)."""
    text = "你在第二步用了旧的因子，这一次的答案正确。每个参数按它自己的梯度大小成比例地移动，误差越来越小。"
    for width in range(12, 50):
        for lines in (rich_lines(text, width), textual_lines(text, width)):
            assert all(not line.endswith("正") for line in lines), (width, lines)
            assert all(not (line[:1] and line[1:2] in "，。" and line[1:2]) for line in lines), (width, lines)


def test_a_verdict_ending_a_line_with_a_character_and_a_space_keeps_the_character():
    """A line "…就成了 " one cell too wide with its space was cut with an ellipsis, losing 了 ("就成 …"
    / "−0.75。"): Rich strips the space beyond the width counting characters, not cells."""
    verdict = ("✗ 这漏掉了链式法则中的因子 ∂L/∂e：少了它，∂L/∂a 就成了 −0.75。另一种错误也会得到这个数："
               "你用了 x 本身 3 作为 ∂(x·y)/∂x：乘积对一个因子的导数是另一个因子。这样算出 ∂L/∂a 就成了 −0.75。")
    for width in range(20, 81):
        console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
        console.print(hanging(Text("› "), Text(verdict)))
        shown = console.export_text()
        assert "…" not in shown, (width, shown)
        assert "".join(shown.split()).replace("›", "", 1) == "".join(verdict.split()), (width, shown)
