"""The level format, version 1, as pydantic models.

A level is one YAML file: who it is (`id`, `title`, `chapter`, `order`, `source`), its `model`
(parameters, data, named nodes written as expressions) and its `steps`. A step is a mapping whose
kind is the one key from `STEP_KINDS` it holds (`- forward: x`, `- gradient: b`, `- say: …`).
Every model forbids unknown keys, so a typo is an error that names the field.
The JSON Schema in `docs/level.schema.json` is generated from these models (`write_json_schema`).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from gradquest.engine.slips import COMPOSED, NAMES

NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
LEVEL_ID = r"^[a-z0-9][a-z0-9._-]*$"
NUMBER_SLOT = re.compile(r"\{\{(.+?)\}\}")  # {{expr}} in a text: the engine's value at that moment


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class I18n(Strict):
    """A text in English and, for bundled levels, Chinese."""
    en: str
    zh: str | None = None


Text = Union[str, I18n]


def text(value: Text | None, lang: str = "en") -> str:
    """The text in `lang`, falling back to English."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return (value.zh if lang == "zh" and value.zh else value.en) or ""


# ---- the model

class Between(Strict):
    """A random number drawn for each play: `{between: [1, 5], integer: true}`."""
    between: tuple[float, float]
    integer: bool = False

    @model_validator(mode="after")
    def _ordered(self):
        lo, hi = self.between
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError("between: both bounds must be finite numbers")
        if lo > hi:
            raise ValueError("between: the first bound must not exceed the second")
        if self.integer and max(abs(lo), abs(hi)) > 2**53:
            raise ValueError("between: whole numbers beyond ±9,007,199,254,740,992 cannot be drawn exactly")
        if self.integer and math.ceil(lo) > math.floor(hi):
            raise ValueError(f"between: no whole number lies between {lo:g} and {hi:g}")
        return self


class Choice(Strict):
    """A random pick from a list: `{choice: [1, 2, 4]}`."""
    choice: list[float] = Field(min_length=1)


Number = Union[float, Between, Choice]


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


class Network(Strict):
    """A multilayer perceptron over `input` (a data array): parameters W1, b1, W2, b2, …"""
    sizes: list[Annotated[int, Field(ge=1, le=1024)]] = Field(min_length=2)
    input: str
    activation: Literal["relu", "tanh", "sigmoid"] = "relu"
    seed: Seed = 0


class Require(Strict):
    """A condition on a randomised model, checked at the initial values: `{expr, min, max}`."""
    expr: str
    min: float | None = None
    max: float | None = None


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


class Labelled(Strict):
    """An expression a plot or a table shows, with the words a player reads for it."""
    expr: str
    label: Text


Shown = Union[str, Labelled]


def expr_of(item: Shown) -> str:
    return item if isinstance(item, str) else item.expr


class Model(Strict):
    params: dict[str, Number] = Field(default_factory=dict)
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


# ---- asks

class Tolerance(Strict):
    """An answer a is accepted when |a − x| ≤ max(rel·|x|, abs). The default 0.1 % accepts any
    answer given to four significant figures (docs/authoring.md §3.1)."""
    rel: float = Field(1e-3, ge=0)
    abs: float = Field(1e-6, ge=0)


class Misconception(Strict):
    """A wrong answer the author foresaw: an expression giving its value, or a named rule."""
    expr: str | None = None
    rule: Literal["sign", "one_path", "no_upstream", "overwrite", "no_lr", "ascent", "step_only", "unchanged",
                  "other_factor", "no_local", "output_for_input", "mean", "factor", "log_base", "degrees"] | None = None
    feedback: Text

    @model_validator(mode="after")
    def _one(self):
        if (self.expr is None) == (self.rule is None):
            raise ValueError("give exactly one of expr or rule")
        return self


class StepCommon(Strict):
    """What every step may have: an `id` that tests name it by (`at: my-step`)."""
    id: str | None = Field(None, pattern=LEVEL_ID, description="a name for the step, for tests' `at:`")


class AskCommon(StepCommon):
    prompt: Text | None = None
    hints: list[Text] = Field(default_factory=list)
    misconceptions: list[Misconception] = Field(default_factory=list)
    tolerance: Tolerance | None = None
    explain: Text | None = None
    name: str | None = Field(None, pattern=NAME, description="keep the player's answer under this name")
    given: bool = Field(False, description="the answer may already be on the screen (check's leak rule allows it)")
    auto: bool = Field(False, description="the game works this out and shows it: for a computation the player has done by hand twice")


class Forward(AskCommon):
    forward: str = Field(description="the node whose value the player computes")


class Local(AskCommon):
    local: str = Field(description="the node; `wrt` names one of its inputs")
    wrt: str


class Gradient(AskCommon):
    gradient: str = Field(description="the node or parameter x in ∂out/∂x")
    of: str | None = Field(None, description="out; the model's output when left out")


class Ask(AskCommon):
    """Any number the engine can compute from the model: `value: (z - 150) / dz_dw`."""
    value: str


class Vector(AskCommon):
    vector: list[str] = Field(min_length=2, max_length=16)

    @field_validator("vector", mode="before")
    @classmethod
    def _numbers_are_expressions(cls, value):
        """`vector: [z, w, 1]`: a plain number is an expression too."""
        if isinstance(value, list):
            return [str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in value]
        return value


class OptimizerSpec(Strict):
    kind: Literal["sgd", "momentum", "nesterov", "adam", "heavyball", "newton"] = "sgd"
    lr: float = Field(0.1, gt=0)
    momentum: float = Field(0.9, ge=0, lt=1)
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = Field(1e-8, gt=0)
    weight_decay: float = Field(0.0, ge=0)


class Update(AskCommon):
    """The new value of a parameter (or, with a list, of several at once) after one optimiser
    step on the output."""
    update: str | list[str]
    optimizer: OptimizerSpec = Field(default_factory=OptimizerSpec)


class Say(StepCommon):
    say: Text


class Set(StepCommon):
    """Change parameters (and recompute the model): `set: {w: "w - dw"}`, or to a number: `set: {w: 4}`."""
    set: dict[str, str | float]
    say: Text | None = None


class Vague(Strict):
    """A feedback band for guesses: said when the guess − secret is within [min, max)."""
    min: float | None = None
    max: float | None = None
    say: Text


class GuessSpec(Strict):
    secret: Number | str = Field(description="a number, a random draw, or an expression of the model (e.g. `w*2`)")
    style: Literal["vague", "signed", "quantitative"] = "vague"
    bands: list[Vague] = Field(default_factory=list)
    within: float = Field(0.0, ge=0)
    tries: int = Field(12, ge=1, le=100)


class Guess(StepCommon):
    guess: GuessSpec
    prompt: Text | None = None
    hints: list[Text] = Field(default_factory=list)


class ProbeSpec(Strict):
    """A hidden function: the player picks inputs and sees outputs until a goal is met."""
    inputs: list[str] = Field(min_length=1, max_length=2)
    outputs: dict[str, str] = Field(min_length=1)
    noise: dict[str, float] = Field(default_factory=dict)
    repeat: int = Field(1, ge=1, le=10)
    show: list[str] = Field(default_factory=list, description="extra expressions shown per probe")
    goal: Require
    tries: int = Field(30, ge=1, le=200)
    range: dict[str, tuple[float, float]] = Field(default_factory=dict, description=(
        "input: [lo, hi], the inputs the player may choose (others are refused without using a try)"))


class Probe(StepCommon):
    probe: ProbeSpec
    prompt: Text | None = None
    hints: list[Text] = Field(default_factory=list)


class ChooseSpec(Strict):
    options: list[Text] = Field(min_length=2)
    answer: int = Field(ge=1, description="the right option, counting from 1")
    why: list[Text | None] = Field(default_factory=list, description=(
        "for each option in order, why it is wrong (said when it is chosen); null for the right one"))

    @model_validator(mode="after")
    def _one_why_per_option(self):
        if self.why and len(self.why) != len(self.options):
            raise ValueError(f"why: give one entry per option ({len(self.options)}), null for the right one")
        return self


class Choose(StepCommon):
    choose: ChooseSpec
    prompt: Text
    hints: list[Text] = Field(default_factory=list)
    explain: Text | None = None


class Order(StepCommon):
    """Put items in order: they are written here in the right order and shown shuffled."""
    order: list[Text] = Field(min_length=2)
    prompt: Text
    hints: list[Text] = Field(default_factory=list)
    explain: Text | None = None


class Match(StepCommon):
    """Match each left item with its right item: pairs are written matched and shown shuffled."""
    match: list[tuple[Text, Text]] = Field(min_length=2)
    prompt: Text
    hints: list[Text] = Field(default_factory=list)
    explain: Text | None = None


class StopRule(Strict):
    expr: str
    below: float


class IterateSpec(Strict):
    steps: list["Step"] = Field(min_length=1)
    until: StopRule
    max: int = Field(50, ge=1, le=10_000)
    manual: int = Field(1, ge=0, description="iterations the player does by hand; the rest play themselves")
    table: list[Shown] = Field(default_factory=list, description="the quantities shown per iteration")


class Iterate(StepCommon):
    iterate: IterateSpec
    say: Text | None = None


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


class Train(StepCommon):
    train: TrainSpec
    say: Text | None = None


STEP_KINDS: dict[str, type[Strict]] = {
    "say": Say, "forward": Forward, "local": Local, "gradient": Gradient, "value": Ask,
    "vector": Vector, "update": Update, "set": Set, "guess": Guess, "probe": Probe,
    "choose": Choose, "order": Order, "match": Match, "iterate": Iterate, "train": Train,
}
ASK_KINDS = (Forward, Local, Gradient, Ask, Vector, Update)


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
IterateSpec.model_rebuild()


# ---- plots

class PlotCommon(Strict):
    reveal_at: str | None = Field(None, pattern=LEVEL_ID, description=(
        "the plot is drawn from the step with this `id` on (hidden before)"))


class CurvePlot(PlotCommon):
    """Curves of expressions in one variable: activation functions, or a loss against a parameter.
    When `over` is a parameter its current value is marked, and `tangent` draws the first curve's
    tangent there."""
    curve: list[Shown] = Field(min_length=1, max_length=4)
    over: str = Field(pattern=NAME)
    range: tuple[float, float]
    tangent: bool = False
    title: Text | None = None


class DescentPath(Strict):
    """A path an optimiser takes over a contour map, from the parameters' initial values."""
    label: Text
    optimizer: OptimizerSpec = Field(default_factory=OptimizerSpec)
    steps: int = Field(20, ge=1, le=1000)


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

DIAGNOSES = ("misconception", "precision", "one_path", "overwrite", "no_upstream", "no_lr", "ascent", "step_only",
             "unchanged", "other_factor", "no_local", "output_for_input", "mean", "factor", "log_base", "degrees", "previous",
             "swapped", "entries",
             "sign", "magnitude", "too_big", "too_small", "guess_high", "guess_low", "choose", "order", "match",
             "train") + COMPOSED + NAMES  # the slips: composed along the graph, and each op's wrong local rules


class Expect(Strict):
    """One input of a playthrough test and the verdict it must get (`info`: a probe's reading)."""
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

    def label(self, name: str, lang: str = "en") -> str:
        """What a player sees for a model name: its label, or the name itself."""
        labels = self.model.labels
        return text(labels[name], lang) if name in labels else name

    @property
    def randomised(self) -> bool:
        """Whether some parameter or a guess's secret is drawn at random (`between` or `choice`)."""
        secrets = [step.guess.secret for _, step in every_step(self.steps) if isinstance(step, Guess)]
        drawn = [*self.model.params.values(), *secrets]
        return any(isinstance(v, (Between, Choice)) for v in drawn)


def asked_value(step) -> str | None:
    """What a `forward` or `value` step asks the value of (a node's name, or an expression)."""
    return step.forward if isinstance(step, Forward) else step.value if isinstance(step, Ask) else None


def every_step(steps, base: tuple = ("steps",)):
    """(path, step) for every step, iterations' inner steps included."""
    for i, step in enumerate(steps):
        yield base + (i,), step
        if isinstance(step, Iterate):
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
