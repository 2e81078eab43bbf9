"""What each bundled level asks for, against the limits of `gradquest/levels/budgets.py` (a script,
not a test; `tests/levels/test_budgets.py` keeps every bundled level within a fifth of each limit).

    .venv/bin/python bench/budgets.py

One row per limit: the bundled level that comes closest to it, its figure, and the share of the limit.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gradquest.levels import budgets
from gradquest.levels.discover import bundled_levels_dir, find_level_files
from gradquest.levels.load import load_levels


def figures(level) -> dict[str, int]:
    """Each limit's figure for one level (the largest over its train steps)."""
    c = budgets.costs(level)
    trains = [(t.times * t.steps, t.times * t.steps * c.size, t.times * t.steps * t.batch * c.parameters)
              for t in c.trains] or [(0, 0, 0)]
    return {
        "MAX_NODES": len(level.model.nodes),
        "MAX_WEIGHTS": c.weights,
        "MAX_STAGES": c.stages,
        "MAX_ITERATION_STEPS": c.iteration_steps,
        "MAX_PLAY_WORK": c.play_work,
        "MAX_ITERATION_WORK": c.iteration_work,
        "MAX_DRAW_WORK": budgets.DRAWS * c.size if level.model.require and level.randomised else 0,
        "MAX_TRAIN_STEPS": max(t[0] for t in trains),
        "MAX_TRAIN_WORK": max(t[1] for t in trains),
        "MAX_TRAIN_DATA_WORK": max(t[2] for t in trains),
        "MAX_PROBE_WORK": len(c.probes) * c.size,
        "MAX_PLOT_WORK": c.plot_steps * c.size,
        "MAX_TESTS": len(level.tests),
    }


def main() -> int:
    loaded, errors = load_levels(find_level_files([bundled_levels_dir()]))
    table = {item.level.id: figures(item.level) for item in loaded}
    print(f"{len(table)} bundled levels ({len(errors)} load errors) against gradquest/levels/budgets.py")
    print(f"  {'limit':<22} {'value':>14}  {'largest bundled':>15}  {'share':>6}  level")
    for name in next(iter(table.values())):
        limit = getattr(budgets, name)
        level_id, figure = max(((k, v[name]) for k, v in table.items()), key=lambda kv: kv[1])
        print(f"  {name:<22} {limit:>14,}  {figure:>15,}  {figure / limit:>6.1%}  {level_id}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
