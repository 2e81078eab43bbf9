"""`- say: …`: narration, shown until the player goes on."""

from gradquest.levels.common import StepCommon, Text
from gradquest.levels.kinds.kind import Kind


class Say(StepCommon):
    say: Text


class SayKind(Kind):
    """Narration: a text to read."""
    key, model = "say", Say

    def check(self, step, c, path, scope):
        pass  # its text's `{{…}}` are checked with every text's

    def run(self, step, session, index, iteration):
        yield from session.narrate(step.say, index)


KIND = SayKind()
