"""`- train: {loss, optimizer, steps, choose, win}`: a training run the player sets up and watches."""

from typing import Literal

from pydantic import Field

from gradquest.levels.common import OptimizerSpec, Require, StepCommon, Strict, Text
from gradquest.levels.kinds.kind import Kind


class Choosable(Strict):
    name: Literal["lr", "steps", "batch_size"]
    min: float
    max: float
    default: float


class TrainSpec(Strict):
    loss: str = Field(description="the node to minimise")
    params: list[str] = Field(default_factory=list, description="what to train; all parameters if empty")
    optimizer: OptimizerSpec = Field(default_factory=OptimizerSpec)
    steps: int = Field(100, ge=1, le=100_000)
    batch_size: int | None = Field(None, ge=1)
    lr_schedule: str | None = Field(None, description="an expression in k, the step number")
    choose: list[Choosable] = Field(default_factory=list)
    win: Require | None = None
    metrics: list[str] = Field(default_factory=list, description="nodes recorded each step")
    explore: bool = Field(False, description=(
        "the level invites trying settings: a run that misses the goal uses no attempt and costs no points"))


class Train(StepCommon):
    train: TrainSpec
    say: Text | None = None


def check_spec(c, at, spec, scope) -> None:
    for j, setting in enumerate(spec.choose):
        check_choosable(c, at + ("choose", j), setting)
    c.ref(at + ("loss",), spec.loss, c.nodes, "node")
    for j, name in enumerate(spec.params):
        c.ref(at + ("params", j), name, c.params, "parameter")
    metrics = c.nodes | ({"accuracy"} if c.has_accuracy() else set())
    for j, name in enumerate(spec.metrics):
        c.ref(at + ("metrics", j), name, metrics, "metric")
    if spec.lr_schedule is not None:
        c.expr(at + ("lr_schedule",), spec.lr_schedule, scope | {"k", "steps", "lr"})
    if spec.win is not None:
        c.expr(at + ("win", "expr"), spec.win.expr, scope | set(spec.metrics))


def check_choosable(c, at, s) -> None:
    """A setting the player chooses: a range training can run with, that holds its default."""
    if s.min > s.max:
        c.error(at + ("min",), f"min {s.min:g} is above max {s.max:g}", "swap them")
        return
    if not s.min <= s.default <= s.max:
        c.error(at + ("default",), f"the default {s.default:g} is outside [{s.min:g}, {s.max:g}]")
    if s.name == "lr" and s.min <= 0:
        c.error(at + ("min",), f"a learning rate of {s.min:g} does not descend (0 stands still, a negative "
                               "one climbs)", "start the range above 0, e.g. min: 0.001")
    if s.name in ("steps", "batch_size") and s.min < 1:
        c.error(at + ("min",), f"{s.name} must be at least 1, and min is {s.min:g}", "use min: 1")
    if s.name in ("steps", "batch_size") and any(v != int(v) for v in (s.min, s.max, s.default)):
        c.error(at, f"{s.name} is a whole number: give min, max and default as whole numbers")


class TrainKind(Kind):
    """Training: settings the player may choose, a live plot, a goal to reach."""
    key, model, changes_later = "train", Train, True

    def check(self, step, c, path, scope):
        check_spec(c, path + ("train",), step.train, scope)

    def shown_names(self, step, output):
        return [(("train", "loss"), step.train.loss)] + [(("train", "metrics", j), m)
                                                         for j, m in enumerate(step.train.metrics)]

    def changes(self, step, params):
        return set(step.train.params) or params

    def training(self, step):
        return step.train

    def run(self, step, session, index, iteration):
        yield from session.train(step, index)


KIND = TrainKind()
