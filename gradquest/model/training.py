"""Training a level's model: an optimiser over the parameters, step by step, yielding what a
plot needs after each step (so a front end can draw while it runs)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gradquest.engine.optim import SGD, Adam, HeavyBall
from gradquest.engine.parser import evaluate
from gradquest.engine.value import zero_grad
from gradquest.model.evaluator import parsed

if TYPE_CHECKING:  # the world builds its optimisers here: a run-time import would be a circle
    from gradquest.model.world import World


@dataclass(frozen=True)
class TrainPoint:
    step: int
    loss: float
    metrics: dict[str, float]
    final: bool = False  # after training, on all the data
    full: dict[str, float] | None = None  # a batch's step: the metrics on all the data, before it (None: `metrics` are)

    @property
    def on_all(self) -> dict[str, float]:
        """The metrics on all the data after `step` steps (what a plot of the run draws)."""
        return self.metrics if self.full is None else self.full


def run_training(world: World, spec, settings: dict[str, float]) -> Iterator[TrainPoint]:
    """One point per step (loss and metrics on that step's batch, before its update, as the seed
    records them, and for a batch also on all the data), then a last point on all the data after
    training."""
    names = spec.params or list(world.params)
    params = [world.params[n] for n in names]
    optimizer_spec = spec.optimizer.model_copy(update={"lr": settings.get("lr", spec.optimizer.lr)})
    optimizer = make_optimizer(params, optimizer_spec)
    steps = int(settings.get("steps", spec.steps))
    batch = settings.get("batch_size", spec.batch_size)
    loss = world.named[spec.loss]
    leaves = [v for v in loss.topo() if not v._prev]
    full = {v: v.data for v in world.data.values()}
    rows = max((len(d) for d in full.values() if np.ndim(d) >= 1), default=0)
    rng = np.random.default_rng(world.seed)
    schedule = parsed(spec.lr_schedule) if spec.lr_schedule else None
    chosen_lr = optimizer_spec.lr
    try:
        for k in range(steps):
            full_metrics = None
            if batch and rows and int(batch) < rows:
                for v, d in full.items():
                    v.data = d
                world.changed()
                full_metrics = metrics(world, spec)
                picked = rng.permutation(rows)[: int(batch)]
                for v, d in full.items():
                    if np.ndim(d) >= 1 and len(d) == rows:
                        v.data = d[picked]
            world.changed()
            zero_grad(leaves)  # data leaves too: a batch has its own shape
            loss.backward()
            point = TrainPoint(k, float(np.sum(loss.data)), metrics(world, spec), full=full_metrics)  # as the seed: before the step
            if schedule is not None:
                env = {**world.env(), "k": float(k), "steps": float(steps), "lr": chosen_lr}
                optimizer.lr = float(evaluate(schedule, env))
            optimizer.step()
            yield point
    finally:
        for v, d in full.items():
            v.data = d
        world.changed()
    yield TrainPoint(steps, float(np.sum(loss.data)), metrics(world, spec), final=True)


def metrics(world: World, spec) -> dict[str, float]:
    """The recorded metrics at the current parameters, plus the loss and the win expression."""
    names = [spec.loss, *spec.metrics] + ([spec.win.expr] if spec.win else [])
    return {name: _metric(world, name) for name in dict.fromkeys(names)}


def _metric(world: World, name: str) -> float:
    if name == "accuracy":
        return world.accuracy()
    return float(np.mean(world.evaluate(name)))


def make_optimizer(params, spec):
    """The engine's optimiser that a level's `optimizer:` names, over `params` (objects with
    `.data` and `.grad`)."""
    if spec.kind == "adam":
        return Adam(params, lr=spec.lr, betas=spec.betas, eps=spec.eps, weight_decay=spec.weight_decay)
    if spec.kind == "heavyball":
        return HeavyBall(params, lr=spec.lr, mu=spec.momentum)
    momentum = 0.0 if spec.kind == "sgd" else spec.momentum
    return SGD(params, lr=spec.lr, momentum=momentum, nesterov=spec.kind == "nesterov",
               weight_decay=spec.weight_decay)
