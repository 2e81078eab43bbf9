"""What the key screens show, character for character, against files in tests/tui/screens/.

After a deliberate change to a screen, rewrite the files with
`GRADQUEST_UPDATE_SCREENS=1 python -m pytest tests/tui/test_screens.py` and review the diff.
"""

import os
import threading
from pathlib import Path

import pytest
from textual.widgets import Input

from gradquest.tui.level_screen import LevelScreen
from gradquest.tui.plot_view import PlotView
from gradquest.tui.results import ResultsScreen
from tests.tui.conftest import TINY, screen_text

SCREENS = Path(__file__).parent / "screens"

BOWL = TINY.replace("test.tiny", "test.bowl").replace("""model:
  params: {a: 2, b: -3}
  nodes: {e: a*b}
steps:
  - forward: e
""", """model:
  params: {x: 4, y: 4}
  nodes: {f: x**2 + y**2}
  output: f
plot:
  contour: f
  over: [x, y]
  x: [-5, 5]
  y: [-5, 5]
  paths: [{label: lr 0.1, optimizer: {lr: 0.1}, steps: 10}]
steps:
  - update: [x, y]
    optimizer: {lr: 0.1}
""").replace("gradient: a", "gradient: x")

TRAIN = """\
format_version: 1
id: test.train
title: Train
chapter: 1
order: 1
model:
  params: {w: 0, b: 0}
  data: {pts: {linear: 20, w: 3, b: 0.8, noise: 0.1}}
  nodes: {L: mean((w*pts_x + b - pts_y)**2)}
plot: {training: [L], data: [pts_x, pts_y], line: w*t + b}
steps:
  - train: {loss: L, optimizer: {lr: 0.5}, steps: 300, win: {expr: L, max: 0.05}}
"""


def matches(name: str, text: str) -> None:
    path = SCREENS / f"{name}.txt"
    if os.environ.get("GRADQUEST_UPDATE_SCREENS"):
        path.write_text(text + "\n", encoding="utf-8")
    assert text + "\n" == path.read_text(encoding="utf-8"), f"the {name} screen changed; see the module docstring"


async def settle(pilot):
    await pilot.pause()
    for input_ in pilot.app.screen.query(Input):
        input_.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_map_and_a_level(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        matches(f"map-{size[0]}x{size[1]}", screen_text(app))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter", "7", "enter")
        await settle(pilot)
        matches(f"level-{size[0]}x{size[1]}", screen_text(app))


async def test_a_contour_plot_with_paths_and_the_results(make_app, levels_dir):
    path = levels_dir / "bowl.yaml"
    path.write_text(BOWL, encoding="utf-8")
    app = make_app(level_file=path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("enter", *"3.2, 3.2", "enter")
        await settle(pilot)
        app.screen.query_one("#side").active = "plot-tab"
        await settle(pilot)
        matches("contour-160x48", screen_text(app))
        await pilot.press(*"6.4", "enter")
        await settle(pilot)
        await pilot.press("enter")  # the results open on a key, after the last answer is read
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        matches("results-160x48", screen_text(app))


async def test_training_runs_in_a_worker_and_redraws_the_plot(make_app, levels_dir):
    path = levels_dir / "train.yaml"
    path.write_text(TRAIN, encoding="utf-8")
    app = make_app(level_file=path)
    threads, draws = set(), []
    original_step, original_show = LevelScreen.trained_a_step, PlotView.show

    def step(self, point):
        threads.add(threading.get_ident())
        original_step(self, point)

    def show(self, fig, lang="en"):
        draws.append(len(fig.series[0].xs))
        original_show(self, fig, lang)

    LevelScreen.trained_a_step, PlotView.show = step, show
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ResultsScreen)
    finally:
        LevelScreen.trained_a_step, PlotView.show = original_step, original_show
    assert threads and threading.get_ident() not in threads  # trained off the interface's thread
    assert draws[-2:] == [20, 301]  # after the last step: the data with the fitted line, and L from the start to after step 300


def bundled(name: str) -> Path:
    from gradquest.levels.discover import bundled_levels_dir

    return next(bundled_levels_dir().rglob(name))


async def play_to(pilot, position: int) -> None:
    session = pilot.app.screen.session
    while session.position < position:
        stage = session.stage
        pilot.app.screen.query_one(Input).value = stage.solution if stage.kind != "say" else ""
        await pilot.press("enter")
        await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_six_option_choice_after_a_wrong_answer_and_a_match(make_app, size):
    app = make_app(level_file=bundled("21-learning-rate.yaml"), seed=11)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await play_to(pilot, 2)
        await pilot.press("1", "enter")
        await settle(pilot)
        matches(f"choice-wrong-{size[0]}x{size[1]}", screen_text(app))
    app = make_app(level_file=bundled("01-guess-the-number.yaml"), seed=11)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await play_to(pilot, 3)
        matches(f"match-{size[0]}x{size[1]}", screen_text(app))


async def test_a_long_story_a_match_in_chinese_and_a_maximised_contour_plot_at_80x24(make_app, levels_dir):
    app = make_app(level_file=bundled("05-one-variable.yaml"), seed=11)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        matches("story-80x24", screen_text(app))
    app = make_app(level_file=bundled("01-guess-the-number.yaml"), seed=11, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await play_to(pilot, 3)
        matches("match-zh-80x24", screen_text(app))
    path = levels_dir / "bowl.yaml"
    path.write_text(BOWL, encoding="utf-8")
    app = make_app(level_file=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", *"3.2, 3.2", "enter", "f5")
        await settle(pilot)
        matches("contour-max-80x24", screen_text(app))
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.maximized is None
        await pilot.press(*"6.4", "enter", "enter")
        await settle(pilot)
        matches("results-80x24", screen_text(app))


async def test_a_resumed_level_shows_what_was_played(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter", "6", "enter", *"-6", "enter", "escape")
        await settle(pilot)
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(again)
        assert "a = 2, b = −3" in text and "✓" in text and "e = 2·(−3) = −6" in text and "∂e/∂a = ?" in text
        matches("resumed-80x24", text)


async def test_a_long_level_title_on_the_map_wraps_under_itself(make_app):
    from rich.cells import cell_len

    from gradquest.levels.discover import bundled_levels_dir

    app = make_app(levels_dir=bundled_levels_dir())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*["down"] * 12)
        await settle(pilot)
        lines = screen_text(app).splitlines()
    row = next(i for i, line in enumerate(lines) if "2.13  Partial derivatives on" in line)
    below = lines[row + 1]
    assert "a graph" in below and not below[1:below.index("a graph")].strip(), "\n".join(lines)
    cells = lambda line, word: cell_len(line[:line.index(word)])  # noqa: E731 (🔒 takes two cells)
    assert cells(below, "a graph") == cells(lines[row], "Partial"), "\n".join(lines)


async def test_long_results_open_at_the_score_not_at_the_buttons(make_app, levels_dir):
    path = levels_dir / "noted.yaml"
    notes = " ".join(f"Correction number {n} of a long list of sources." for n in range(40))
    path.write_text(TINY.replace("test.tiny", "test.noted") + f"notes: {{en: \"{notes}\", zh: \"很长的说明。\"}}\n",
                    encoding="utf-8")
    app = make_app(level_file=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", *"-6", "enter")
        await settle(pilot)
        await pilot.press(*"-3", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        shown = screen_text(app)
        assert "Score: " in shown and "Stars: " in shown, shown
        await pilot.press("enter")  # the focused button still answers Enter
        await settle(pilot)
        assert not isinstance(app.screen, ResultsScreen)
