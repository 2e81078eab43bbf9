"""`- guess: {secret, style, bands}`: guess a number with feedback (too high, close, …)."""

from gradquest.levels.kinds.kind import Kind
from gradquest.levels.schema import Guess


class GuessKind(Kind):
    """A secret number found by guessing, each guess answered by its feedback band."""
    key, model = "guess", Guess

    def check(self, step, c, path, scope):
        c.guess(path + ("guess",), step.guess)
        if isinstance(step.guess.secret, str):
            c.expr(path + ("guess", "secret"), step.guess.secret, scope)

    def texts(self, step, path):
        return [(path + ("guess", "bands", j, "say"), b.say) for j, b in enumerate(step.guess.bands)]

    def run(self, step, session, index, iteration):
        yield from session.guess(step, index)


KIND = GuessKind()
