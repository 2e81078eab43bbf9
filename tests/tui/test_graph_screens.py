"""The drawn computation graph on the level screen: text snapshots of four bundled levels at 80×24
and 160×48 (in tests/tui/screens/graph-*.txt; rewrite them after a deliberate change with
`GRADQUEST_UPDATE_SCREENS=1`), and walking the graph with the keyboard."""

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from gradquest.tui.graph_view import GraphView
from tests.tui.conftest import screen_text
from tests.tui.test_screens import matches, settle

LEVELS = Path(__file__).resolve().parents[2] / "levels" / "2-backprop"


def asks(kind: str, name: str):
    return lambda s: s.stage is not None and getattr(s.stage.source, kind, None) == name


def backward_done(s) -> bool:
    return {("grad", n) for n in "abcf"} <= s.known


# level, when to stop, what it shows
CASES = {
    "2.9": ("09-two-paths-b.yaml", asks("gradient", "b")),  # both roads from b lit
    "2.12": ("12-manual-backprop.yaml", backward_done),  # L = d·f after the backward pass
    "2.15": ("15-a-neuron.yaml", asks("local", "o")),  # the neuron, forward pass done: ∂o/∂n
    "2.16": ("16-used-twice.yaml", asks("gradient", "a")),  # b = a + a: two arrows into +, lit
}


def play_until(screen, until) -> None:
    s = screen.session
    while s.stage is not None and not until(s):
        s.advance() if s.stage.kind == "say" else s.submit(s.stage.solution)
    assert until(s) or backward_done(s)
    screen.show_stage()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
@pytest.mark.parametrize("name", list(CASES))
async def test_the_graph_full_screen(make_app, name, size):
    file, until = CASES[name]
    app = make_app(level_file=LEVELS / file)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        play_until(app.screen, until)
        await settle(pilot)
        await pilot.press("f6")
        if app.screen.maximized is None:
            await pilot.press("f6")  # wide: the graph beside the transcript first, then full-screen
        await settle(pilot)
        graph = app.screen.query_one("#graph", GraphView)
        assert app.screen.maximized is not None and graph.has_focus
        if size == (160, 48):  # the whole graph fits: nothing to scroll
            assert graph.max_scroll_x == 0 and graph.max_scroll_y == 0
        matches(f"graph-{name}-{size[0]}x{size[1]}", screen_text(app))


async def test_the_graph_beside_the_transcript(make_app):
    app = make_app(level_file=LEVELS / CASES["2.9"][0])
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        play_until(app.screen, CASES["2.9"][1])
        await pilot.press("f6")
        await settle(pilot)
        assert app.screen.maximized is None
        matches("graph-2.9-beside-160x48", screen_text(app))


async def test_arrows_walk_the_graph_and_enter_writes_the_rule_into_the_transcript(make_app):
    app = make_app(level_file=LEVELS / CASES["2.9"][0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        play_until(app.screen, CASES["2.9"][1])
        await pilot.press("f6")
        await settle(pilot)
        graph = app.screen.query_one("#graph", GraphView)
        assert graph.focused_node == "b"  # the leftmost box of the ask
        seen = [graph.focused_node]
        for _ in range(8):
            await pilot.press("right")
            seen.append(graph.focused_node)
        boxes = graph.drawing.boxes
        assert all(boxes[a].x < boxes[b].x for a, b in zip(seen, seen[1:]) if a != b)
        assert seen[-1] == "z"  # right along the graph ends at the output
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")  # back from full-screen: the answer box has the focus again
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one("#answer", Input)
        shown = [str(w.render()) for w in app.screen.query_one("#transcript").query(Static)]
        assert "∂(x·y)/∂x = y" in shown[-1] and "z = x·y" in shown[-1]
        await pilot.press("f6", "up")
        assert boxes[graph.focused_node].y < boxes["z"].y


async def test_a_click_focuses_a_node_and_a_second_click_explains_it(make_app):
    app = make_app(level_file=LEVELS / CASES["2.16"][0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        play_until(app.screen, CASES["2.16"][1])
        await pilot.press("f6")
        await settle(pilot)
        graph = app.screen.query_one("#graph", GraphView)
        c = graph.drawing.boxes["c"]
        await pilot.click(GraphView, offset=(c.x + 2, c.y + 1))
        assert graph.focused_node == "c" and graph.has_focus
        await pilot.click(GraphView, offset=(c.x + 2, c.y + 1))
        await pilot.press("escape")
        await settle(pilot)
        shown = [str(w.render()) for w in app.screen.query_one("#transcript").query(Static)]
        assert shown[-1].startswith("c = w·w") and "∂(w·w)/∂w = w" in shown[-1]


async def test_a_plot_kept_back_says_so_until_its_step(tmp_path):
    from gradquest.store.progress import ProgressStore
    from gradquest.tui.app import GradQuestApp
    from tests.game.test_hiding import TEXT

    level = tmp_path / "shower.yaml"
    level.write_text(TEXT, encoding="utf-8")
    app = GradQuestApp("en", level_file=level, store=ProgressStore(tmp_path / "home"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert "The plot appears later in this level." in screen_text(app)
        await pilot.press("escape")
        screen = app.screen
        await pilot.pause()
        for typed in (screen.session.stage.solution, ""):  # the probe, then the pipes' story
            await pilot.press(*typed, "enter")
            await pilot.pause()
        assert "pipes" in screen.session.reached
        await pilot.press("f5")
        await pilot.pause()
        text = screen_text(app)
        assert "The plot appears later" not in text and "┤" in text  # the plot's axis


async def test_a_graph_too_large_to_draw_is_listed_and_an_arrow_key_draws_only_the_view(make_app, tmp_path,
                                                                                       monkeypatch):
    from gradquest.figures import graph_canvas, graph_layout
    from tests.game.test_graph_drawing import fan_chain

    calls = {"drawn": 0, "layout": 0}

    def counted(name, real):
        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return call
    monkeypatch.setattr(graph_canvas, "drawn", counted("drawn", graph_canvas.drawn))
    monkeypatch.setattr(graph_layout, "lay_out", counted("layout", graph_layout.lay_out))
    path = tmp_path / "fan.yaml"
    path.write_text(fan_chain(200), encoding="utf-8")
    app = make_app(level_file=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        graph = app.screen.query_one("#graph", GraphView)
        assert graph.has_focus and calls["layout"] == 0
        assert graph.drawing.lines()[0].startswith("Too large to draw (401 boxes)")
        boxes = graph.drawing.boxes
        for key in ["up", "up", "down"]:
            drawn, lines, here = calls["drawn"], graph.lines_drawn, graph.focused_node
            await pilot.press(key)
            await pilot.pause()
            assert (boxes[graph.focused_node].y - boxes[here].y) == (-1 if key == "up" else 1)  # the next line
            assert calls["drawn"] == drawn and calls["layout"] == 0  # no picture, layout or drawing again
            assert 0 < graph.lines_drawn - lines <= graph.size.height  # only the lines in view
        await pilot.press("enter")
        await pilot.press("escape")
        await settle(pilot)
        shown = [str(w.render()) for w in app.screen.query_one("#transcript").query(Static)]
        assert shown[-1].startswith(f"{graph.focused_node} = ")


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_level_with_parameters_but_no_graph_has_no_graph_tab(make_app, size):
    app = make_app(level_file=LEVELS.parent / "1-three-concepts" / "02-black-box.yaml")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        tabs = [line for line in screen_text(app).splitlines() if "Steps" in line]
        assert tabs and all("Graph" not in line for line in tabs), tabs
        await pilot.press("f6")  # no empty panel behind the key either
        await settle(pilot)
        assert app.screen.maximized is None and "Graph" not in screen_text(app)


async def test_a_graph_wider_than_the_pane_beside_the_transcript_is_listed_not_cut(make_app):
    """2.15's neuron is 129 columns drawn; beside the transcript at 160×48 the pane has 80: a line
    per value there (all of it seen, nothing to pan), the drawing full-screen on F6 again."""
    app = make_app(level_file=LEVELS / CASES["2.15"][0])
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        play_until(app.screen, CASES["2.15"][1])
        await pilot.press("f6")
        await settle(pilot)
        graph = app.screen.query_one("#graph", GraphView)
        assert app.screen.maximized is None and graph.max_scroll_x == 0
        text = screen_text(app)
        assert "▸ o = tanh(n)   value 0.6709 · grad 1 · from n" in text and "o2 = num/den" in text
        await pilot.press("f6")
        await settle(pilot)
        assert app.screen.maximized is not None and "╭───╮" in screen_text(app)
