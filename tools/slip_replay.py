"""Replay every slip on every ask of the bundled levels, and count the wrong answers the game
still answers with "too big/too small" or per-entry words.

    PYTHONPATH=$PWD python tools/slip_replay.py --save /tmp/slips.json     # the wrong answers, diagnosed now
    PYTHONPATH=/path/to/older/checkout python tools/slip_replay.py --replay /tmp/slips.json   # the same, before

The wrong answers come from `game/slips.py` (the catalogue of every op's wrong local rules and the
slips composed along the graph), so `--save` needs this checkout; `--replay` only plays the levels
and calls `diagnose`, so it runs on a checkout without the slips too.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from gradquest.game.diagnose import diagnose
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level

FALLS_THROUGH = ("too_big", "too_small", "entries")


def _asks(path: Path):
    """(ask number, step, world, expected, previous) at every ask of the level, played with the engine's answers."""
    s = LevelSession(load_level(path).level)
    n = 0
    while s.stage is not None and s.stage.kind != "done":
        if s.stage.kind == "ask":
            n += 1
            step = s.stage.source
            yield n, step, s.world, s.stage.expected, s._previous.get(id(step))
        s.submit(s.stage.solution)


def wrong_answers() -> list[dict]:
    from gradquest.game.graph_slips import slip_candidates  # noqa: PLC0415 (--replay runs on checkouts without it)
    found = []
    for path in sorted(bundled_levels_dir().glob("*/*.yaml")):
        if path.name == "chapter.yaml":
            continue
        for n, step, world, expected, _ in _asks(path):
            seen = []
            for c in slip_candidates(step, world, expected, "en"):
                value = np.asarray(c.value, dtype=float)
                if value.shape != np.shape(expected) or any(np.allclose(value, v) for v in seen):
                    continue
                seen.append(value)
                found.append({"level": path.name, "ask": n, "kind": type(step).__name__.lower(), "slip": c.code,
                              "answer": value.tolist()})
    return found


def replay(answers: list[dict]) -> list[dict]:
    todo: dict[tuple, list[dict]] = {}
    for a in answers:
        todo.setdefault((a["level"], a["ask"]), []).append(a)
    levels = {a["level"] for a in answers}
    for path in sorted(bundled_levels_dir().glob("*/*.yaml")):
        if path.name not in levels:
            continue
        for n, step, world, expected, previous in _asks(path):
            for a in todo.get((path.name, n), []):
                answer = np.asarray(a["answer"]) if isinstance(a["answer"], list) else a["answer"]
                a["diagnosis"] = diagnose(answer, expected, step, world, "en", previous).code
    return answers


def report(answers: list[dict]) -> str:
    through = [a for a in answers if a.get("diagnosis") in FALLS_THROUGH]
    named = Counter(a["diagnosis"] for a in answers)
    lines = [f"{len(answers)} wrong answers on {len({(a['level'], a['ask']) for a in answers})} asks: "
             f"{len(through)} ({100 * len(through) / max(len(answers), 1):.1f} %) fall through to "
             f"too big/too small or per-entry words; {sum(a.get('diagnosis') == a['slip'] for a in answers)} "
             f"get the slip's own name"]
    lines += [f"  {code}: {count}" for code, count in named.most_common()]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="generate the wrong answers, diagnose them, write them here")
    group.add_argument("--replay", type=Path, help="diagnose the wrong answers of this file with this checkout")
    args = parser.parse_args(argv)
    if args.save:
        answers = replay(wrong_answers())
        args.save.write_text(json.dumps(answers, indent=1, ensure_ascii=False), encoding="utf-8")
    else:
        answers = replay(json.loads(args.replay.read_text(encoding="utf-8")))
    print(report(answers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
