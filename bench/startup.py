"""Start-up as a player meets it: the `gradquest` command against a minimal Textual app (Header,
Static, Input, Footer), each run in tmux at 80x24 and timed from process start to the first
settled screen; runs alternate. Also the headless figure (a fresh process building the app and
exiting on Textual's `Ready`). Not a timed test: it prints figures.

    python bench/startup.py [--runs N] [--command "gradquest"] [--start "ARGS" --ready TEXT --first TEXT]

The command measured is, by default, the `gradquest` script pip writes for the entry point
(`from gradquest.cli import main; sys.exit(main())`), written to a temporary folder and run by
the running interpreter with this checkout first on the path: the installed command, built from
this checkout (a `gradquest` on PATH may belong to another checkout). `--command` measures any
other command line, e.g. an installed `gradquest`. `--start` also times the command with other
arguments in tmux (`--start "explore 'tanh(w*x + b)' w=0.5 x=2 b=0.1"`), runs alternating with the
map's, and prints its times beside the map's: settled (on a screen showing --ready, by default
"Press Enter to continue", which only the level screen shows), and its first frame (the first capture
showing --first, by default "Explore:": explore's title comes with "Reading your expression…" before
the level screen's imports).

"Settled": the screen shows the app's own text (the chapter map's first level; the minimal
app's "Hello") and then does not change for SETTLE seconds; the time reported is that of the
last change. The pane is read with `tmux capture-pane` every POLL seconds, for both apps alike.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = """import re
import sys
from gradquest.cli import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(main())
"""
SOCKET = f"gq-bench-{os.getpid()}"
POLL, SETTLE, TIMEOUT = 0.01, 0.5, 30.0

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
        if HEADLESS:
            self.exit()

HEADLESS = len(__import__("sys").argv) > 1
Minimal().run(headless=HEADLESS)
"""

GRADQUEST_HEADLESS = """
import gc
gc.disable()  # as the command does before the app's imports (cli._run_app); the app resumes it when ready
from gradquest.tui.app import GradQuestApp
from gradquest.tui.chapter_map import ChapterMap

class Bench(GradQuestApp):
    def on_ready(self):
        assert isinstance(self.screen, ChapterMap) and self.screen.entries
        super().on_ready()
        self.exit()

Bench("en").run(headless=True)
"""

TAIL = """
import json, resource, sys
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"peak_kb": use.ru_maxrss, "cpu": use.ru_utime + use.ru_stime}), file=sys.stderr)
"""


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True).stdout


def in_tmux(command: str, ready: str, env: dict, first_text: str | None = None) -> tuple[float, float]:
    """Seconds from starting `command` in a fresh 80x24 tmux session to its settled screen (showing
    `ready`), and to the first screen showing `first_text` (default: `ready`)."""
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", "run", "-x", "80", "-y", "24", f"env {exports} {command}")
    last_screen, last_change, seen, first = "", start, False, None
    while True:
        now = time.perf_counter()
        screen = tmux("capture-pane", "-p", "-t", "run")
        if screen != last_screen:
            last_screen, last_change = screen, now
            seen = seen or ready in screen
            first = now if first is None and (first_text or ready) in screen else first
        elif seen and now - last_change >= SETTLE:
            break
        if now - start > TIMEOUT:
            tmux("kill-session", "-t", "run")
            raise RuntimeError(f"no settled screen with {ready!r} after {TIMEOUT} s:\n{last_screen}")
        time.sleep(POLL)
    tmux("kill-session", "-t", "run")
    return last_change - start, first - start


def headless(code: str, env: dict) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds (user + system, which a busy machine disturbs less) to the first
    frame, and peak memory in kB."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code + TAIL, "headless"], env={**os.environ, **env}, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    use = json.loads(done.stderr.strip().splitlines()[-1])
    return elapsed, use["cpu"], use["peak_kb"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--command", default=None,
                        help="the gradquest command line to measure (default: the entry point on this checkout)")
    parser.add_argument("--start", default=None, help="also time `gradquest ARGS` (e.g. an explore command line)")
    parser.add_argument("--ready", default="Press Enter to continue",
                        help="text on --start's settled screen (default: 'Press Enter to continue')")
    parser.add_argument("--first", default="Explore:", help="text on --start's first frame (default: 'Explore:')")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        minimal_file, launcher = Path(home) / "minimal.py", Path(home) / "gradquest"
        minimal_file.write_text(MINIMAL, encoding="utf-8")
        launcher.write_text(LAUNCHER, encoding="utf-8")
        command = args.command or f"{shlex.quote(sys.executable)} {shlex.quote(str(launcher))}"
        env = {"GRADQUEST_HOME": str(Path(home) / "home"), "TERM": "xterm-256color", "LANG": "C.UTF-8",
               "PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT)}
        commands = {"minimal": f"{shlex.quote(sys.executable)} {shlex.quote(str(minimal_file))}",
                    "gradquest": f"exec {command} --lang en"}
        ready = {"minimal": "Hello", "gradquest": "Guess the number"}
        if args.start:
            commands["start"], ready["start"] = f"exec {command} --lang en {args.start}", args.ready
        tmux("new-session", "-d", "-s", "keep", "-x", "80", "-y", "24")  # the server stays up between runs
        try:
            for name in commands:  # warm the file cache and the .pyc files
                in_tmux(f"sh -c {shlex.quote(commands[name])}", ready[name], env)
            tty = {name: [] for name in commands}
            shown = {name: [] for name in commands}  # the first frame showing the ready text
            for _ in range(args.runs):
                for name in commands:
                    settled, first = in_tmux(f"sh -c {shlex.quote(commands[name])}", ready[name], env,
                                             args.first if name == "start" else None)
                    tty[name].append(settled)
                    shown[name].append(first)
        finally:
            tmux("kill-server")
        times, cpus, peaks = {"minimal": [], "gradquest": []}, {"minimal": [], "gradquest": []}, \
            {"minimal": [], "gradquest": []}
        for code in (MINIMAL, GRADQUEST_HEADLESS):  # warm
            headless(code, env)
        for _ in range(args.runs):
            for name, code in (("minimal", MINIMAL), ("gradquest", GRADQUEST_HEADLESS)):
                t, cpu, kb = headless(code, env)
                times[name].append(t)
                cpus[name].append(cpu)
                peaks[name].append(kb)
    med = {k: statistics.median(v) for k, v in tty.items()}
    t_min, t_gq = statistics.median(times["minimal"]), statistics.median(times["gradquest"])
    m_min, m_gq = statistics.median(peaks["minimal"]), statistics.median(peaks["gradquest"])
    c_min, c_gq = statistics.median(cpus["minimal"]), statistics.median(cpus["gradquest"])
    print(f"runs: {args.runs} each, alternating; medians (range)")
    print(f"{'':<30}{'minimal Textual app':>22}{'gradquest map':>16}{'ratio':>8}")
    spread = {k: f"{min(v):.2f}-{max(v):.2f}" for k, v in tty.items()}
    print(f"{'tmux 80x24, settled (s)':<30}{med['minimal']:>10.3f} ({spread['minimal']}){med['gradquest']:>7.3f} "
          f"({spread['gradquest']}){med['gradquest'] / med['minimal']:>6.2f}   target <= 1.3")
    if args.start:
        print(f"{'tmux 80x24, settled (s)':<30}gradquest {args.start}: {med['start']:.3f} ({spread['start']}), "
              f"{med['start'] / med['gradquest']:.2f} × the map's")
        first = {k: statistics.median(v) for k, v in shown.items()}
        print(f"{'tmux 80x24, first frame (s)':<30}gradquest {args.start}: {first['start']:.3f} "
              f"({min(shown['start']):.2f}-{max(shown['start']):.2f}), the map's {first['gradquest']:.3f}: "
              f"{first['start'] / first['gradquest']:.2f} × the map's")
    print(f"{'headless, first frame (s)':<30}{t_min:>22.3f}{t_gq:>16.3f}{t_gq / t_min:>8.2f}")
    print(f"{'headless, CPU to first frame (s)':<30}{c_min:>22.3f}{c_gq:>16.3f}{c_gq / c_min:>8.2f}")
    print(f"{'peak memory, headless (MB)':<30}{m_min / 1024:>22.1f}{m_gq / 1024:>16.1f}{m_gq / m_min:>8.2f}")


if __name__ == "__main__":
    main()
