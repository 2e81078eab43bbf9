"""What a level may ask the game to do: a limit for every loop a level file can request.

A level is untrusted input: a file of a few lines can ask for 10⁵ training steps on 2,000 points,
10,000 iterations played by hand or 16,000 asks, and `check`, `test`, `solve` and the game would
run for hours. `over_budget` works out from the file alone (nothing is computed) how much each loop
costs and refuses, at load, every field over its limit, naming the field, the figure and the limit.
Each limit leaves room: the largest bundled level uses a fifth of it or less (`bench/budgets.py`
prints the figures; a test keeps them there).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gradquest.levels.kinds import kind_of
from gradquest.levels.schema import Level, Linear, Moons, Train

MAX_NODES = 50_000  # model.nodes: each is built, drawn and checked (a 20,000-node chain checks in ~2 s)
MAX_WEIGHTS = 200_000  # a network's weights and biases
MAX_STAGES = 2_000  # what one playthrough goes through: steps, and each iteration's steps played by hand
MAX_ITERATION_STEPS = 20_000  # the steps an `iterate` plays itself: (max − manual) × its steps
MAX_PLAY_WORK = 200_000  # playthroughs × stages × the model's size: each stage draws and checks the whole model
MAX_ITERATION_WORK = 1_000_000  # playthroughs × steps played by the game × the model's size (each recomputes it)
MAX_DRAW_WORK = 500_000  # a randomised model with `require`: up to 1,000 draws × the model's size
MAX_TRAIN_STEPS = 20_000  # training steps of one train step (its `steps`, or the most a player may choose)
MAX_TRAIN_WORK = 200_000  # training steps × the model's size: each step runs the whole graph twice
MAX_TRAIN_DATA_WORK = 500_000_000  # training steps × rows in a batch × parameters: the arithmetic on the data
MAX_PROBE_WORK = 10_000  # probe steps × the model's size: a probe's goal is searched on a grid of up to
                         # 40,401 inputs through the model (`game.play.reach`)
MAX_PLOT_WORK = 200_000  # a contour plot's descent path steps × the model's size: each step runs the model
MAX_TESTS = 100  # playthrough tests: each plays the level again from its start

DRAWS = 1_000  # the draws `model.world` makes for a `require` to hold (its MAX_DRAWS)
ROWS_PER_NODE = 10_000  # a node over this many rows costs about one node more (numpy's work per call)


@dataclass
class Training:
    """A train step as the budget sees it: the field that sets its most steps, how many times the
    level plays it (inside iterations), its most steps and its largest batch."""
    field: tuple
    times: int
    steps: int
    batch: int


@dataclass
class Costs:
    """What a level asks for, in the units of the limits above."""
    size: int  # the model's graph: parameters, nodes and a network's layers (a few nodes each)
    parameters: int  # the numbers training adjusts: parameters, and a network's weights and biases
    weights: int  # a network's weights and biases
    rows: int  # the most rows a data entry holds
    plays: int  # the playthroughs of `check` and `test`: one per seed checked, one per test
    stages: int = 0  # what one playthrough goes through
    iteration_steps: int = 0  # the steps iterations play by themselves
    trains: list[Training] = field(default_factory=list)
    plot_steps: int = 0  # a contour plot's descent path steps
    probes: list[tuple] = field(default_factory=list)  # the probe steps' paths

    @property
    def play_work(self) -> int:
        return self.plays * self.stages * self.size

    @property
    def iteration_work(self) -> int:
        return self.plays * self.iteration_steps * self.size


def costs(level: Level) -> Costs:
    """What `level` asks for, from the file alone."""
    model = level.model
    sizes = model.network.sizes if model.network else []
    weights = sum(a * b + b for a, b in zip(sizes, sizes[1:]))
    rows = max([_rows(spec) for spec in model.data.values()] or [1])
    nodes = (len(model.nodes) + 4 * max(len(sizes) - 1, 0)) * (1 + rows // ROWS_PER_NODE)  # 4: a layer's ops
    entries = sum(_entries(spec) for spec in model.params.values())  # a given matrix counts each entry
    size = entries + nodes + 1
    plays = (3 if level.randomised else 1) + len(level.tests)  # as `author.lint.seeds_for`
    found = Costs(size, entries + weights, weights, rows, plays)
    found.stages, found.iteration_steps = _walk(level.steps, ("steps",), 1, found)
    found.plot_steps = sum(path.steps for path in getattr(level.plot, "paths", []))
    return found


def _entries(spec) -> int:
    """How many numbers a parameter holds: 1, or each entry of a vector or matrix given row by row."""
    if not isinstance(spec, list):
        return 1
    return sum(len(row) if isinstance(row, list) else 1 for row in spec)


def _walk(steps, base: tuple, times: int, found: Costs | None) -> tuple[int, int]:
    """(stages, steps played by the game) of `steps`, each played `times` over; train steps are
    noted in `found`."""
    stages = auto = 0
    for i, step in enumerate(steps):
        path = base + (i,)
        key = kind_of(step).key
        if key == "iterate":
            spec = step.iterate
            manual = min(spec.manual, spec.rounds)
            inner_stages, inner_auto = _walk(spec.steps, path + ("iterate", "steps"), times * manual, found)
            stages += manual * inner_stages
            auto += manual * inner_auto + (spec.rounds - manual) * (inner_stages + inner_auto)
        else:
            stages += 1
            if key == "train" and found is not None:
                found.trains.append(_training(step, path, times, found.rows))
            if key == "probe" and found is not None:
                found.probes.append(path)
    return stages, auto


def _training(step: Train, path: tuple, times: int, rows: int) -> Training:
    """The most steps and the largest batch a player may ask for, and the field that allows them."""
    spec, at = step.train, path + ("train", "steps")
    steps = spec.steps
    for j, c in enumerate(spec.choose):
        if c.name == "steps" and c.max > steps:
            steps, at = c.max, path + ("train", "choose", j, "max")
    batch = max([c.max for c in spec.choose if c.name == "batch_size"] + [spec.batch_size or rows])
    return Training(at, times, int(min(steps, 1e18)), int(min(batch, rows)))


def _rows(spec) -> int:
    if isinstance(spec, Moons):
        return spec.moons
    if isinstance(spec, Linear):
        return spec.linear
    return len(spec)


def over_budget(level: Level, error) -> None:
    """Call `error(path, message, hint)` for every field of `level` that asks for more work than
    its limit allows."""
    model, found = level.model, costs(level)
    if len(model.nodes) > MAX_NODES:
        error(("model", "nodes"), f"{len(model.nodes):,} nodes: over the limit of {MAX_NODES:,} nodes",
              "split the level")
    if found.weights > MAX_WEIGHTS:
        error(("model", "network", "sizes"), f"{found.weights:,} weights: over the limit of {MAX_WEIGHTS:,} "
                                             "weights in a network", "use narrower layers")
    if model.require and level.randomised and DRAWS * found.size > MAX_DRAW_WORK:
        error(("model", "require"), f"up to {DRAWS:,} draws × a model of size {found.size:,} = "
                                    f"{DRAWS * found.size:,}: over the limit of {MAX_DRAW_WORK:,} for a model drawn "
                                    "until `require` holds", "use a smaller model, or no `require`")
    if len(level.tests) > MAX_TESTS:
        error(("tests",), f"{len(level.tests):,} tests: over the limit of {MAX_TESTS:,} tests",
              "each test plays the level again: keep those that test something new")
    refused = _iterations(level.steps, ("steps",), error)
    if found.stages > MAX_STAGES and not refused:
        error(("steps",), f"{found.stages:,} steps to go through (every step, and each iteration's steps played "
                          f"by hand): over the limit of {MAX_STAGES:,}", "split the level")
    elif found.play_work > MAX_PLAY_WORK and not refused:
        error(("steps",), f"{found.plays:,} playthrough(s) × {found.stages:,} steps × a model of size {found.size:,} = "
                          f"{found.play_work:,}: over the limit of {MAX_PLAY_WORK:,} playthroughs × steps × model "
                          "size", "use fewer steps, tests or nodes")
    if found.iteration_work > MAX_ITERATION_WORK and not refused:
        error(("steps",), f"{found.plays:,} playthrough(s) × {found.iteration_steps:,} steps the iterations play "
                          f"themselves × a model of size {found.size:,} = {found.iteration_work:,}: over the limit of "
                          f"{MAX_ITERATION_WORK:,} playthroughs × steps × model size",
              "use smaller `max` values, fewer tests or nodes")
    for train in found.trains:
        _train_budget(train, found, error)
    if found.plot_steps * found.size > MAX_PLOT_WORK:
        error(("plot", "paths"), f"{found.plot_steps:,} descent steps × a model of size {found.size:,} = "
                                 f"{found.plot_steps * found.size:,}: over the limit of {MAX_PLOT_WORK:,} descent steps "
                                 "× model size", "draw fewer or shorter paths")
    if len(found.probes) * found.size > MAX_PROBE_WORK:
        error(found.probes[0] + ("probe",), f"{len(found.probes):,} probe(s) × a model of size {found.size:,} = "
                                           f"{len(found.probes) * found.size:,}: over the limit of {MAX_PROBE_WORK:,} "
                                           "probes × model size", "probe a smaller model")


def _iterations(steps, base: tuple, error) -> bool:
    """Refuse each `iterate` whose own iterations go over the limits; whether one was refused."""
    refused = False
    for i, step in enumerate(steps):
        if kind_of(step).key != "iterate":
            continue
        path, spec = base + (i, "iterate"), step.iterate
        inner_stages, inner_auto = _walk(spec.steps, (), 1, None)
        manual = min(spec.manual, spec.rounds)
        by_hand, by_game = manual * inner_stages, (spec.rounds - manual) * (inner_stages + inner_auto)
        if by_hand > MAX_STAGES:
            error(path + ("manual",), f"{manual:,} iterations by hand × {inner_stages:,} steps = {by_hand:,}: over "
                                      f"the limit of {MAX_STAGES:,} steps a player goes through",
                  "let the game play most iterations (a smaller `manual`)")
            refused = True
        if by_game > MAX_ITERATION_STEPS:
            error(path + ("times" if spec.times else "max",), f"{spec.rounds - manual:,} iterations played by the game × "
                                   f"{inner_stages + inner_auto:,} steps = {by_game:,}: over the limit of "
                                   f"{MAX_ITERATION_STEPS:,} steps", "use a smaller `max` or `times`, or a stop rule met sooner")
            refused = True
        refused |= _iterations(spec.steps, path + ("steps",), error)
    return refused


def _train_budget(train: Training, found: Costs, error) -> None:
    times = f"{train.times:,} plays of this step × " if train.times > 1 else ""
    steps = train.times * train.steps
    if steps > MAX_TRAIN_STEPS:
        error(train.field, f"{times}{train.steps:,} steps: over the limit of {MAX_TRAIN_STEPS:,} training steps",
              "allow fewer: in `steps`, and in the `max` a player may choose")
    elif steps * found.size > MAX_TRAIN_WORK:
        error(train.field, f"{times}{train.steps:,} steps × a model of size {found.size:,} = {steps * found.size:,}: "
                           f"over the limit of {MAX_TRAIN_WORK:,} training steps × model size",
              "train for fewer steps, or a smaller model")
    elif steps * train.batch * found.parameters > MAX_TRAIN_DATA_WORK:
        error(train.field, f"{times}{train.steps:,} steps × {train.batch:,} rows × {found.parameters:,} parameters = "
                           f"{steps * train.batch * found.parameters:,}: over the limit of {MAX_TRAIN_DATA_WORK:,} "
                           "training steps × rows × parameters",
              "train for fewer steps, on smaller batches (`batch_size`) or with a smaller network")
