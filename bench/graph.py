"""How long the computation graph of level 2.12 (the tanh neuron) takes to redraw, as a share of
one frame at 60 Hz (16.7 ms). A script, not a test: it prints and never fails on time.

    .venv/bin/python bench/graph.py [--repeats N]

A redraw is what the level screen does after every answer: the picture from the session (the leak
rule, the local derivatives on the edges), the layout (grandalf runs once per shape of graph; a
redraw reuses its rows and recomputes the columns) and the cells. The first draw, with grandalf,
the redraw, and the redraw with the widget's styled text are measured at the first ask and after
the level is done (every number and edge label shown), in-process with `time.perf_counter`,
median and worst of N runs, after one warm-up run (grandalf's import).
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

from gradquest.game import graph_layout  # noqa: E402
from gradquest.game.graph_canvas import draw  # noqa: E402
from gradquest.game.graph_model import picture  # noqa: E402
from gradquest.game.session import LevelSession  # noqa: E402
from gradquest.levels.load import load_level  # noqa: E402

FRAME = 1 / 60
LEVEL = ROOT / "levels" / "2-backprop" / "12-a-neuron.yaml"


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    level = load_level(LEVEL).level
    first = LevelSession(level)
    while first.stage is not None and first.stage.kind == "say":
        first.advance()
    done = LevelSession(level)
    while done.stage is not None:
        done.advance() if done.stage.kind == "say" else done.submit(done.stage.solution)
    print(f"Python {platform.python_version()} on {platform.machine()}, {args.repeats} runs each; "
          f"a frame at 60 Hz is {FRAME * 1000:.1f} ms")
    print(f"{'graph of 2.12':<44} {'median':>9} {'worst':>9} {'median / frame':>15}")
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
