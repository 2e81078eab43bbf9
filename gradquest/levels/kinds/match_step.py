"""`- match: [[left, right], …]`: match each left item with its right one (shown shuffled)."""

from pydantic import Field

from gradquest.levels.common import StepCommon, Text
from gradquest.levels.kinds.kind import Kind


class Match(StepCommon):
    """Match each left item with its right item: pairs are written matched and shown shuffled."""
    match: list[tuple[Text, Text]] = Field(min_length=2)
    prompt: Text
    hints: list[Text] = Field(default_factory=list)
    explain: Text | None = None


LETTERS = "abcdefghijklmnopqrstuvwxyz"


class MatchKind(Kind):
    """Pairs to match: numbers on the left, letters on the right."""
    key, model = "match", Match

    def check(self, step, c, path, scope):
        pass  # the schema says all there is to say

    def texts(self, step, path):
        return [(path + ("match", j, k), t) for j, pair in enumerate(step.match) for k, t in enumerate(pair)]

    def run(self, step, session, index, iteration):
        yield from session.pick(step, index)

    def pick(self, step, fill, rng, lang, g):
        lefts = [fill(a) for a, _ in step.match]
        rights = [fill(b) for _, b in step.match]
        shown = g.shuffled(len(rights), rng)
        options = [f"{i + 1}. {left}" for i, left in enumerate(lefts)] + \
                  [f"{LETTERS[j]}. {rights[k]}" for j, k in enumerate(shown)]
        right = {i + 1: shown.index(i) + 1 for i in range(len(lefts))}
        solution = " ".join(f"{i}{LETTERS[j - 1]}" for i, j in right.items())
        return (options, lambda t: g.answers.read_pairs(t, len(lefts)), solution, lambda v: v == right,
                lambda v: g.say("diagnosis.pairs", lang, right=sum(v[i] == right[i] for i in right), count=len(right)))


KIND = MatchKind()
