"""`- order: [first, second, …]`: put items in order (written in order, shown shuffled)."""

from pydantic import Field

from gradquest.levels.common import StepCommon, Text
from gradquest.levels.kinds.kind import Kind


class Order(StepCommon):
    """Put items in order: they are written here in the right order and shown shuffled."""
    order: list[Text] = Field(min_length=2)
    prompt: Text
    hints: list[Text] = Field(default_factory=list)
    explain: Text | None = None


class OrderKind(Kind):
    """Items to put in their order."""
    key, model = "order", Order

    def check(self, step, c, path, scope):
        pass  # the schema says all there is to say

    def texts(self, step, path):
        return [(path + ("order", j), o) for j, o in enumerate(step.order)]

    def run(self, step, session, index, iteration):
        yield from session.pick(step, index)

    def pick(self, step, fill, rng, lang, g):
        items = [fill(o) for o in step.order]
        shown = g.shuffled(len(items), rng)  # shown[i] = the item displayed as number i + 1
        options = [items[i] for i in shown]
        right = [shown.index(i) + 1 for i in range(len(items))]
        return (options, lambda t: g.answers.read_permutation(t, len(items)), " ".join(map(str, right)),
                lambda v: v == right,
                lambda v: g.say("diagnosis.order", lang, right=sum(a == b for a, b in zip(v, right)), count=len(items)))


KIND = OrderKind()
