"""`- probe: {inputs, outputs, goal}`: a hidden function the player tries inputs on until a goal is met."""

from pydantic import Field

from gradquest.levels.common import Require, StepCommon, Strict, Text
from gradquest.levels.kinds.kind import Kind


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


def check_spec(c, at, spec, scope) -> None:
    """Each output, shown expression and the goal use the inputs, the model and the outputs before them."""
    known = scope | set(spec.inputs)
    for name, text in spec.outputs.items():  # each output may use the earlier ones
        c.expr(at + ("outputs", name), text, known)
        known.add(name)
    for name in spec.noise:
        c.ref(at + ("noise", name), name, set(spec.outputs), "output")
    for j, text in enumerate(spec.show):
        c.expr(at + ("show", j), text, known)
    c.expr(at + ("goal", "expr"), spec.goal.expr, known)
    for name, (lo, hi) in spec.range.items():
        if name not in spec.inputs:
            c.unknown(at + ("range", name), name, spec.inputs, "input")
        elif not lo < hi:
            c.error(at + ("range", name), f"the range [{lo:g}, {hi:g}] holds no input", "write [lo, hi] with lo < hi")


class ProbeKind(Kind):
    """A black box: the player picks inputs and reads outputs."""
    key, model = "probe", Probe

    def check(self, step, c, path, scope):
        check_spec(c, path + ("probe",), step.probe, scope)

    def outputs(self, step):
        return list(step.probe.outputs)

    def run(self, step, session, index, iteration):
        yield from session.probe(step, index)


KIND = ProbeKind()
