"""The level format, version 1, as pydantic models.

A level is one YAML file: who it is (`id`, `title`, `chapter`, `order`, `source`), its `model`
(parameters, data, named nodes written as expressions) and its `steps`. A step is a mapping whose
kind is the one key from `STEP_KINDS` it holds (`- forward: x`, `- gradient: b`, `- say: …`).
Every model forbids unknown keys, so a typo is an error that names the field.
The JSON Schema in `docs/level.schema.json` is generated from these models (`write_json_schema`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, Tag, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from gradquest.levels.common import (  # noqa: F401 (the format's names, where they were always found)
    DIAGNOSES, LEVEL_ID, NAME, NUMBER_SLOT, AskCommon, Between, Choice, I18n, Labelled, Misconception, Number, OptimizerSpec,
    Require, Shown, StepCommon, Strict, Text, Tolerance, expr_of, text,
)
from gradquest.levels.kinds import KINDS
from gradquest.levels.kinds.choose_step import Choose, ChooseSpec  # noqa: F401 (each kind's model, from its module)
from gradquest.levels.kinds.forward_step import Forward  # noqa: F401
from gradquest.levels.kinds.gradient_step import Gradient  # noqa: F401
from gradquest.levels.kinds.guess_step import Guess, GuessSpec, Vague  # noqa: F401
from gradquest.levels.kinds.iterate_step import Iterate, IterateSpec, StopRule  # noqa: F401
from gradquest.levels.kinds.local_step import Local  # noqa: F401
from gradquest.levels.kinds.match_step import Match  # noqa: F401
from gradquest.levels.kinds.order_step import Order  # noqa: F401
from gradquest.levels.kinds.probe_step import Probe, ProbeSpec  # noqa: F401
from gradquest.levels.kinds.say_step import Say  # noqa: F401
from gradquest.levels.kinds.set_step import Set  # noqa: F401
from gradquest.levels.kinds.train_step import Choosable, Train, TrainSpec  # noqa: F401
from gradquest.levels.kinds.update_step import Update  # noqa: F401
from gradquest.levels.kinds.value_step import Ask  # noqa: F401
from gradquest.levels.kinds.vector_step import Vector  # noqa: F401


# ---- the model

Seed = Annotated[int, Field(ge=0, le=2**32 - 1)]


class Moons(Strict):
    moons: int = Field(ge=2, le=2000, description="number of points")
    noise: float = Field(0.1, ge=0)
    seed: Seed = 0


class Linear(Strict):
    """Points on y = w·x + b with gaussian noise: gives two arrays, `x` and `y`."""
    linear: int = Field(ge=2, le=10_000, description="number of points")
    w: float
    b: float
    noise: float = Field(0.0, ge=0)
    x_range: tuple[float, float] = (0.0, 1.0)
    seed: Seed = 0


DataSpec = Union[list[float], list[list[float]], Moons, Linear]
Given = Union[list[float], list[list[float]]]  # a vector or a matrix written out: `x: [1, 2, 3]`, `W: [[1, 0], [0, 1]]`


class Network(Strict):
    """A multilayer perceptron over `input` (a data array: one point, or one point per row), written
    W·x: layer i has `Wi` (one row per unit, sizes[i]×sizes[i-1]) and `bi`, its pre-activations
    `zi = Wi·h(i-1) + bi` and activations `hi` are nodes, and its scores the node `net`."""
    sizes: list[Annotated[int, Field(ge=1, le=1024)]] = Field(min_length=2)
    input: str
    activation: Literal["relu", "tanh", "sigmoid"] = "relu"
    seed: Seed = 0
    weights: dict[str, Given] = Field(default_factory=dict, description=(
        "given weights and biases, `W1: [[0.15, 0.20], [0.25, 0.30]]` (one row per unit), `b1: [0.35, 0.35]`; "
        "the others are drawn with `seed`"))


class Node(Strict):
    """A node written as a mapping: its expression with the name a player sees
    (`loss: {expr: "mean(e**2)", label: {en: loss, zh: 损失}}`), or kept from the player's
    screen: `hidden: true` never shows it, `reveal_at: <step id>` shows it from that step on."""
    expr: str
    label: Text | None = None
    hidden: bool = Field(False, description="never shown: not on the graph, a card, the plot or a table")
    reveal_at: str | None = Field(None, pattern=LEVEL_ID, description=(
        "hidden until the step with this `id` is reached"))

    @model_validator(mode="after")
    def _hidden_or_revealed(self):
        if self.hidden and self.reveal_at is not None:
            raise ValueError("give `hidden: true` (never shown) or `reveal_at: <step id>` (shown from that step), "
                             "not both")
        return self


class Model(Strict):
    params: dict[str, Union[Number, Given]] = Field(default_factory=dict, description=(
        "name: a number, a random number (between, choice), or a vector [1, 2, 3] or matrix "
        "[[0.5, -1, 2], [1, 0.5, 0]] written row by row"))
    data: dict[str, DataSpec] = Field(default_factory=dict)
    network: Network | None = None
    nodes: dict[str, Union[str, Node]] = Field(default_factory=dict, description=(
        "name: expression, or name: {expr, label} (the label is what a player sees)"))
    labels: dict[str, Text] = Field(default_factory=dict, description=(
        "what a player sees for a parameter's, data's or node's name on cards, axes and legends"))
    output: str | None = None
    seed: Seed = 0
    require: list[Require] = Field(default_factory=list)
    hidden: SkipJsonSchema[dict[str, str | None]] = Field(default_factory=dict, description=(
        "filled from the nodes' `hidden` and `reveal_at`: node → the step id that reveals it (None: never)"))

    @model_validator(mode="before")
    @classmethod
    def _node_labels(cls, raw):
        """Nodes written as mappings (`Node`) become an expression in `nodes`, a label in `labels`
        and, when kept from the screen, an entry in `hidden`."""
        if isinstance(raw, dict) and isinstance(raw.get("nodes"), dict):
            nodes, labels = dict(raw["nodes"]), dict(raw.get("labels") or {})
            hidden = dict(raw.get("hidden") or {})
            for name, node in nodes.items():
                if not isinstance(node, dict):
                    continue
                try:
                    spec = Node.model_validate(node)
                except ValueError:
                    continue  # left as it is: the schema says what is wrong with it
                nodes[name] = spec.expr
                if spec.label is not None:
                    labels[name] = node["label"]
                if spec.hidden or spec.reveal_at:
                    hidden[name] = spec.reveal_at
            raw = {**raw, "nodes": nodes, **({"labels": labels} if labels else {}),
                   **({"hidden": hidden} if hidden else {})}
        return raw

    @model_validator(mode="before")
    @classmethod
    def _network_sizes(cls, raw):
        """`network: [2, 1]` is `network: {sizes: [2, 1], input: X}` when the data holds one
        matrix X (inline rows, or the points of `moons`); otherwise `input` must be given."""
        if isinstance(raw, dict) and isinstance(raw.get("network"), list):
            data = raw.get("data") if isinstance(raw.get("data"), dict) else {}
            matrices = [name for name, d in data.items() if isinstance(d, list) and d and isinstance(d[0], list)]
            matrices += [f"{name}_X" for name, d in data.items() if isinstance(d, dict) and "moons" in d]
            network = {"sizes": raw["network"], **({"input": matrices[0]} if len(matrices) == 1 else {})}
            raw = {**raw, "network": network}
        return raw

    @field_validator("params", "data", "nodes", "labels")
    @classmethod
    def _names(cls, value: dict):
        for name in value:
            if not re.match(NAME, name):
                raise ValueError(f"{name!r} is not a name: use letters, digits and _ (not first)")
        return value


# ---- steps: each kind's model is in its module (levels/kinds/<key>_step.py)

STEP_KINDS: dict[str, type[Strict]] = {key: kind.model for key, kind in KINDS.items()}


def step_kind(raw: Any) -> str | None:
    """The kind of a raw step: the first kind key it holds ("set" before "say": a set may speak)."""
    if isinstance(raw, dict):
        for key in ("set", "iterate", "train", *STEP_KINDS):
            if key in raw:
                return key
        return None
    for kind, cls in STEP_KINDS.items():
        if isinstance(raw, cls):
            return kind
    return None


Step = Annotated[
    Union[tuple(Annotated[cls, Tag(kind)] for kind, cls in STEP_KINDS.items())],
    Discriminator(step_kind, custom_error_type="step_kind",
                  custom_error_message="a step needs one of the keys: " + ", ".join(STEP_KINDS)),
]
IterateSpec.model_rebuild(_types_namespace={"Step": Step})


# ---- plots

class PlotCommon(Strict):
    reveal_at: str | None = Field(None, pattern=LEVEL_ID, description=(
        "the plot is drawn from the step with this `id` on (hidden before)"))


class CurveLine(Labelled):
    """A curve with its label; `draw: answered` draws a straight line (a secant) only once the
    player has worked out its slope, so the plot never answers the ask of that slope."""
    draw: Literal["always", "answered"] = "always"


class CurvePlot(PlotCommon):
    """Curves of expressions in one variable: activation functions, or a loss against a parameter.
    When `over` is a parameter its current value is marked, and `tangent` draws the first curve's
    tangent there (`answered`: at each point only once the player has worked out its slope)."""
    curve: list[Union[str, CurveLine]] = Field(min_length=1, max_length=4)
    over: str = Field(pattern=NAME)
    range: tuple[float, float]
    tangent: bool | Literal["answered"] = Field(False, description=(
        "draw the first curve's tangent at the parameter's value: `true` always, `answered` once the "
        "player has worked out its slope there"))
    apart: bool = Field(False, description=(
        "each curve in a small chart of its own (small multiples; the marker and the tangent with the "
        "first): for curves that would hide one another in one chart"))
    title: Text | None = None


class DescentPath(Strict):
    """A path an optimiser takes over a contour map, from the parameters' initial values."""
    label: Text
    optimizer: OptimizerSpec = Field(default_factory=OptimizerSpec)
    steps: int = Field(20, ge=1, le=1000)
    reveal_at: str | None = Field(None, pattern=LEVEL_ID, description=(
        "the path is drawn from the step with this `id` on: after the ask that predicts or computes it"))


class ContourPlot(PlotCommon):
    """The level sets of an expression in two parameters, with descent paths and the player's own."""
    contour: str
    over: tuple[str, str]
    x: tuple[float, float]
    y: tuple[float, float]
    paths: list[DescentPath] = Field(default_factory=list, max_length=4)
    player: bool = Field(True, description="draw the parameters' values as the level moved them")
    title: Text | None = None


class TargetPlot(PlotCommon):
    """A shooting target with rings scored 1 to `rings`; the shots are a probe's two outputs."""
    target: tuple[str, str]
    rings: int = Field(10, ge=1, le=20)
    radius: float = Field(10.0, gt=0, description="the outer ring's radius")
    title: Text | None = None


class Boundary(Strict):
    """A decision boundary for any model: where the node `score` crosses `threshold` over the plane
    of two data vectors `points`, with the points marked by their class (`classes`, a data vector)."""
    score: str = Field(description="a node, one number per point: w1*x1 + w2*x2 + b")
    points: tuple[str, str] = Field(description="the two data vectors that are the points' coordinates")
    classes: str | None = Field(None, description="a data vector of the points' classes (0 and 1, or −1 and +1)")
    threshold: float = Field(0.0, description="the score on the boundary: 0 for a score, 0.5 for a probability")


class TrainingPlot(PlotCommon):
    """What a train step records, per step: the named metrics (the loss, `accuracy`, …); with
    `boundary`, the 2-D data marked by class and the decision boundary (`true`: the network's;
    or `{score, points, classes}` for any model); with `line`, data points (`data: [x, y]`) and a
    fitted line, an expression in `t`."""
    training: list[Shown] = Field(min_length=1, max_length=3)
    boundary: bool | Boundary = False
    data: tuple[str, str] | None = None
    line: Shown | None = None
    title: Text | None = None


PLOT_KINDS = {"curve": CurvePlot, "contour": ContourPlot, "target": TargetPlot, "training": TrainingPlot}


def _plot_kind(raw: Any) -> str | None:
    if isinstance(raw, dict):
        return next((k for k in PLOT_KINDS if k in raw), None)
    return next((k for k, cls in PLOT_KINDS.items() if isinstance(raw, cls)), None)


Plot = Annotated[
    Union[tuple(Annotated[cls, Tag(kind)] for kind, cls in PLOT_KINDS.items())],
    Discriminator(_plot_kind, custom_error_type="plot_kind",
                  custom_error_message="a plot needs one of the keys: " + ", ".join(PLOT_KINDS)),
]


# ---- the level



class Expect(Strict):
    """One input of a playthrough test and the verdict it must get (`info`: a probe's reading, or a
    training run that misses the goal where trying settings is free, `explore: true`)."""
    input: str
    verdict: Literal["correct", "wrong", "invalid", "info"]
    diagnosis: Literal[DIAGNOSES] | None = Field(None, description="the diagnosis code a wrong answer must get")


class Playthrough(Strict):
    """An author's test: from a step, feed inputs and expect verdicts (the rest auto-solves)."""
    name: str
    seed: Seed | None = None
    at: Annotated[int, Field(ge=1)] | str = Field(
        1, description="where the inputs start: a step's `id`, or the ask's number counting asks from 1")
    inputs: list[Expect] = Field(min_length=1)


class Level(Strict):
    format_version: Literal[1]
    id: str = Field(pattern=LEVEL_ID)
    title: Text
    chapter: int = Field(ge=1)
    order: int = Field(ge=1)
    source: str | None = None
    story: Text | None = None
    teaches: Text | None = None
    model: Model = Field(default_factory=Model)
    plot: Plot | None = None
    steps: list["Step"] = Field(min_length=1)
    notes: Text | None = Field(None, description=(
        "sources and corrections: what the level changed or corrected in its source, shown after the level"))
    tests: list[Playthrough] = Field(default_factory=list)
    hand_sized: bool = Field(False, description=(
        "its numbers are worked by hand, so round answers (0.5, −3) count too: check's leak rule looks for "
        "them where the asked quantity is named with its value (`z1 = (−1, 2)`)"))

    def label(self, name: str, lang: str = "en") -> str:
        """What a player sees for a model name: its label, or the name itself."""
        labels = self.model.labels
        return text(labels[name], lang) if name in labels else name

    @property
    def randomised(self) -> bool:
        """Whether some parameter or a guess's secret is drawn at random (`between` or `choice`)."""
        secrets = [step.guess.secret for _, step in every_step(self.steps) if getattr(step, "guess", None)]
        drawn = [*self.model.params.values(), *secrets]
        return any(isinstance(v, (Between, Choice)) for v in drawn)


def every_step(steps, base: tuple = ("steps",)):
    """(path, step) for every step, iterations' inner steps included."""
    for i, step in enumerate(steps):
        yield base + (i,), step
        if isinstance(getattr(step, "iterate", None), IterateSpec):  # (levels/kinds/iterate_step.py is the kind)
            yield from every_step(step.iterate.steps, base + (i, "iterate", "steps"))


class Chapter(Strict):
    """`chapter.yaml` in a chapter folder."""
    format_version: Literal[1]
    chapter: int = Field(ge=1)
    title: Text
    summary: list[Text] = Field(default_factory=list)
    source: str | None = None  # for authors: where the summary comes from; never shown to a player


def write_json_schema(path: Path) -> None:
    schema = Level.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "GradQuest level (format_version 1)"
    path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
