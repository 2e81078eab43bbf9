"""`- probe: {inputs, outputs, goal}`: a hidden function the player tries inputs on until a goal is met."""

from gradquest.levels.kinds.kind import Kind
from gradquest.levels.schema import Probe


class ProbeKind(Kind):
    """A black box: the player picks inputs and reads outputs."""
    key, model = "probe", Probe

    def check(self, step, c, path, scope):
        c.probe(path + ("probe",), step.probe, scope)

    def outputs(self, step):
        return list(step.probe.outputs)

    def run(self, step, session, index, iteration):
        yield from session.probe(step, index)


KIND = ProbeKind()
