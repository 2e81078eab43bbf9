"""From process start to the chapter map ready, against a minimal Textual app (Header, Static,
Input, Footer) measured in the same run; and peak memory at that point. Not a timed test.

Each sample is a fresh `python` process that builds the app, runs it headless, and exits on
Textual's `Ready` event (the first frame is up). Runs alternate between the two apps.

    python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header, Input, Static

class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield Input()
        yield Footer()

    def on_ready(self):
        self.exit()

Minimal().run(headless=True)
"""

GRADQUEST = """
from gradquest.tui.app import GradQuestApp
from gradquest.tui.chapter_map import ChapterMap

class Bench(GradQuestApp):
    def on_ready(self):
        assert isinstance(self.screen, ChapterMap) and self.screen.entries
        self.exit()

Bench("en").run(headless=True)
"""

TAIL = """
import json, resource, sys
print(json.dumps({"peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), file=sys.stderr)
"""


def sample(code: str, env: dict) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code + TAIL], env=env, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    return elapsed, json.loads(done.stderr.strip().splitlines()[-1])["peak_kb"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "GRADQUEST_HOME": home}
        times = {"minimal": [], "gradquest": []}
        peaks = {"minimal": [], "gradquest": []}
        sample(MINIMAL, env), sample(GRADQUEST, env)  # warm the file cache (and .pyc files)
        for _ in range(args.runs):
            for name, code in (("minimal", MINIMAL), ("gradquest", GRADQUEST)):
                t, kb = sample(code, env)
                times[name].append(t)
                peaks[name].append(kb)
    t_min, t_gq = statistics.median(times["minimal"]), statistics.median(times["gradquest"])
    m_min, m_gq = statistics.median(peaks["minimal"]), statistics.median(peaks["gradquest"])
    print(f"runs: {args.runs} each, alternating; median of fresh processes to the first frame")
    print(f"{'':<22}{'minimal Textual app':>22}{'gradquest map':>16}{'ratio':>8}")
    print(f"{'start-up (s)':<22}{t_min:>22.3f}{t_gq:>16.3f}{t_gq / t_min:>8.2f}   target ≤ 1.3")
    print(f"{'peak memory (MB)':<22}{m_min / 1024:>22.1f}{m_gq / 1024:>16.1f}{m_gq / m_min:>8.2f}")


if __name__ == "__main__":
    main()
