"""How long the computation graph of level 2.15 (the tanh neuron) takes to redraw, as a share of
one frame at 60 Hz (16.7 ms). A script, not a test: it prints and never fails on time.

    .venv/bin/python bench/graph.py [--repeats N] [--big]

A redraw is what the level screen does after every answer: the picture from the session (the leak
rule, the local derivatives on the edges), the layout (grandalf runs once per shape of graph; a
redraw reuses its rows and recomputes the columns) and the cells. The first draw, with grandalf,
the redraw, and the redraw with the widget's styled text are measured at the first ask and after
the level is done (every number and edge label shown), in-process with `time.perf_counter`,
median and worst of N runs, after one warm-up run (grandalf's import).

`--big` measures graphs of 200 nodes instead, the way a hostile level file would make them: a chain
of 200 nodes each of which also reads the one parameter w (n_i = n_(i-1)·w + 1: long edges from w
cross every layer), a plain chain of 200 (n_i = n_(i-1)·2 + 1) and a sum of 200 leaves (20 groups of
10). For each: the picture, the layout work (`graph_layout.work`; above `MAX_WORK` the graph is
listed, not laid out), the first drawing and a redraw, in-process; then in the full-screen app
(headless, Textual's Pilot): the level opened at 160×48 with the graph beside the transcript until
its first frame, F6 at 80×24 until the graph is drawn full-screen, and one arrow key until the
frame after it (the median of 8), with the lines of styled text it cost; these in CPU time of
the process (`time.process_time`), as Pilot waits between keys.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gradquest.figures import graph_layout  # noqa: E402
from gradquest.figures.graph_canvas import draw  # noqa: E402
from gradquest.figures.graph_model import picture  # noqa: E402
from gradquest.game.session import LevelSession  # noqa: E402
from gradquest.levels.load import load_level  # noqa: E402

FRAME = 1 / 60
LEVEL = ROOT / "levels" / "2-backprop" / "15-a-neuron.yaml"


def timed(fn, repeats: int) -> list[float]:
    fn()
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def styled(drawing) -> int:
    """What the widget does with the cells: one Rich Text, a span per run of one style."""
    from rich.text import Text  # noqa: PLC0415

    text = Text()
    for y in range(drawing.height):
        for chars, style in drawing.runs(y):
            text.append(chars, style=style or None)
        text.append("\n")
    return len(text)


def fresh(session):
    """A first drawing of this shape: the layout is computed, not taken from the cache."""
    graph_layout._CACHE.clear()
    return draw(picture(session))


def fan_chain(n: int) -> str:
    nodes = ["    n0: w*2", *(f"    n{i}: n{i - 1}*w + 1" for i in range(1, n))]
    return _level("fan-chain", "{w: 1}", nodes, f"n{n - 1}", "w")


def plain_chain(n: int) -> str:
    nodes = ["    n0: w*2", *(f"    n{i}: n{i - 1}*2 + 1" for i in range(1, n))]
    return _level("chain", "{w: 1}", nodes, f"n{n - 1}", "w")


def leaves(n: int, group: int = 10) -> str:
    params = "{" + ", ".join(f"x{i}: {i % 7 + 1}" for i in range(n)) + "}"
    groups = [range(i, min(n, i + group)) for i in range(0, n, group)]
    nodes = [f"    g{j}: " + " + ".join(f"x{i}" for i in g) for j, g in enumerate(groups)]
    nodes.append("    s: " + " + ".join(f"g{j}" for j in range(len(groups))))
    return _level("leaves", params, nodes, "s", "x0")


def _level(kind: str, params: str, nodes: list[str], output: str, wrt: str) -> str:
    return "\n".join(["format_version: 1", f"id: bench.graph-{kind}", f"title: {kind}", "chapter: 1", "order: 1",
                      "model:", f"  params: {params}", "  nodes:", *nodes, f"  output: {output}", "steps:",
                      f"  - forward: {output}", f"  - gradient: {wrt}"]) + "\n"


def in_app(path: Path) -> tuple[float, float, float, int]:
    """CPU seconds (the process's, so Pilot's waits and other programs are left out) to the first
    frame at 160×48, to the full-screen graph at 80×24, for one arrow key (median of 8), and the
    lines of styled text that key cost."""
    import asyncio  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    from gradquest.store.progress import ProgressStore  # noqa: PLC0415
    from gradquest.tui.app import GradQuestApp  # noqa: PLC0415

    def app() -> GradQuestApp:
        made = GradQuestApp("en", level_file=path, store=ProgressStore(Path(tempfile.mkdtemp())))
        made.animation_level = "none"
        return made

    async def opened() -> float:
        start = time.process_time()
        async with app().run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            return time.process_time() - start

    async def walked() -> tuple[float, float, int]:
        async with app().run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            start = time.process_time()
            await pilot.press("f6")
            await pilot.pause()
            full = time.process_time() - start
            graph = pilot.app.screen.query_one("#graph")
            keys, lines = [], 0
            for key in ["down", "up"] * 4:
                before, start = getattr(graph, "lines_drawn", 0), time.process_time()
                await pilot.press(key)
                await pilot.pause()
                keys.append(time.process_time() - start)
                lines = max(lines, getattr(graph, "lines_drawn", 0) - before)
            return full, statistics.median(keys), lines

    first = asyncio.run(opened())
    return (first, *asyncio.run(walked()))


def big(repeats: int) -> int:
    import tempfile  # noqa: PLC0415

    from gradquest.figures.graph_canvas import drawn  # noqa: PLC0415
    from gradquest.figures.graph_layout import MAX_WORK, work  # noqa: PLC0415

    words = {"value": "value", "grad": "grad", "inputs": "from", "too_large": "too large ({n})"}
    print(f"Python {platform.python_version()} on {platform.machine()}; picture and drawing: median of {repeats}; "
          f"a frame at 60 Hz is {FRAME * 1000:.1f} ms; layouts of more than {MAX_WORK} vertices are listed")
    with tempfile.TemporaryDirectory() as tmp:
        for name, source in (("chain of 200, each node reads w", fan_chain(200)),
                             ("plain chain of 200", plain_chain(200)), ("sum of 200 leaves", leaves(200))):
            path = Path(tmp) / f"{name.split()[0]}-{len(source)}.yaml"
            path.write_text(source, encoding="utf-8")
            session = LevelSession(load_level(path).level)
            pic = picture(session)
            size = work(pic)
            print(f"\n{name}: {len(pic.nodes)} boxes, {len(pic.edges)} edges, layout work {size} vertices "
                  f"({'listed' if size > MAX_WORK else 'drawn'})")
            def first(s=session):
                graph_layout._CACHE.clear()
                return drawn(picture(s), words, 80, 22)
            rows = [("picture", timed(lambda s=session: picture(s), repeats)),
                    ("first drawing, picture included", timed(first, repeats)),
                    ("redraw after an answer, picture incl.",
                     timed(lambda s=session: drawn(picture(s), words, 80, 22), repeats))]
            for label, runs in rows:
                median = statistics.median(runs)
                print(f"   {label:<40} {median * 1000:>8.1f} ms {median / FRAME:>7.2f}×")
            first, full, key, lines = in_app(path)
            print(f"   {'app: first frame at 160×48 (CPU)':<40} {first * 1000:>8.0f} ms")
            print(f"   {'app: F6, full-screen graph at 80×24 (CPU)':<40} {full * 1000:>8.0f} ms")
            print(f"   {'app: one arrow key to its frame (CPU)':<40} {key * 1000:>8.1f} ms {key / FRAME:>7.2f}×"
                  f"   ({lines} lines of text drawn)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--big", action="store_true", help="graphs of 200 nodes, and in the app")
    args = parser.parse_args()
    if args.big:
        return big(min(args.repeats, 5))
    level = load_level(LEVEL).level
    first = LevelSession(level)
    while first.stage is not None and first.stage.kind == "say":
        first.advance()
    done = LevelSession(level)
    while done.stage is not None:
        done.advance() if done.stage.kind == "say" else done.submit(done.stage.solution)
    print(f"Python {platform.python_version()} on {platform.machine()}, {args.repeats} runs each; "
          f"a frame at 60 Hz is {FRAME * 1000:.1f} ms")
    print(f"{'graph of 2.15':<44} {'median':>9} {'worst':>9} {'median / frame':>15}")
    for name, session in (("first ask", first), ("level done", done)):
        drawing = draw(picture(session))
        rows = [
            (f"{name}: first draw (grandalf)", timed(lambda s=session: fresh(s), args.repeats)),
            (f"{name}: redraw", timed(lambda s=session: draw(picture(s)), args.repeats)),
            (f"{name}: redraw + styled text", timed(lambda s=session: styled(draw(picture(s))), args.repeats)),
        ]
        for label, runs in rows:
            median = statistics.median(runs)
            print(f"{label:<44} {median * 1000:>7.2f}ms {max(runs) * 1000:>7.2f}ms {median / FRAME:>14.2f}×")
        print(f"   ({drawing.width}×{drawing.height} cells, {len(drawing.boxes)} boxes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
