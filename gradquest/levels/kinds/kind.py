"""What a step kind is: every hook the loader, the game and the author's tools call on it.

A kind's own module (`forward.py`, `guess.py`, …) holds its pydantic model (built on
`levels/common.py`; `levels/schema.py` reads the steps of a level as the union of every kind's) and
its `Kind`, a subclass of `Kind` (or `AskKind`, for the six kinds whose answer is a number the
engine computes) that says what its steps do differently. Everything about a kind is said in its
module and nowhere else.

The level format's floor cannot import the game's, so the hooks the game calls take the game's
objects duck-typed: `world` (`model.world.World`), `session` (`game.session.LevelSession`) and `g`,
the game's kit of words and numbers (`game.steps.KIT`: say, shown, term, in_words, pretty, plug,
chain, value_name, number, Event, answers, shuffled).
"""

from __future__ import annotations


def abstract(hook):
    """A hook every kind (of this class) must write itself: `tests/levels/test_kinds.py` checks."""
    hook.__abstract__ = True
    return hook


class Kind:
    key: str = ""  # the step's key in a level file (`- forward: x`)
    model: type | None = None  # its pydantic model, defined in its module
    asks: str | None = None  # what the referee is asked about: "value", "local", "gradient", "update"; None: not an ask
    card: str | None = None  # the asked node's graph card field that is the answer ("value", "grad"), for the leak rule
    changes_later: bool = False  # its change to the parameters comes after its stage is shown (an answer, settings)

    # ---- the level file (levels/check.py, levels/schema.py)

    @abstract
    def check(self, step, c, path: tuple, scope: set) -> None:
        """What the schema cannot see: report through the `levels.check.Check` `c` (`c.ref`, `c.expr`,
        `c.error`…) at `path`; `scope` is the set of names an expression may use, and grows with an ask's `name:`."""

    def inner_steps(self, step) -> list:
        """The steps this step holds (an iteration's)."""
        return []

    def texts(self, step, path: tuple) -> list[tuple[tuple, object]]:
        """(path, text) for the texts of its own fields a player reads (beyond say, prompt, explain, hints,
        misconceptions' feedback, which every kind has under those names)."""
        return []

    def table(self, step) -> list:
        """The quantities it shows in a table (`Shown` items), under `<key>.table` in the file."""
        return []

    def outputs(self, step) -> list[str]:
        """The names of the readings it produces (a probe's outputs), which a target plot may draw."""
        return []

    def shown_names(self, step, output: str | None) -> list[tuple[tuple, str]]:
        """(field, model name) for every name the step puts on the screen when it begins (the hiding rule);
        `output` is the model's output."""
        return []

    def asked_value(self, step) -> str | None:
        """What a step asks the value of: a node's name or an expression (forward and value asks)."""
        return None

    def asked_node(self, step) -> str | None:
        """The model name an ask is about (the graph lights it, the leak rule reads its card)."""
        return None

    def asked_expressions(self, step) -> list[str]:
        """The expressions whose value is the answer (value and vector asks)."""
        return []

    def changes(self, step, params: set[str]) -> set[str]:
        """The parameters it changes (`params`: all of them)."""
        return set()

    def restores(self, step) -> bool:
        """Whether it may put a parameter back where it was (a `set` to a number)."""
        return False

    def lit(self, step) -> tuple[str, str, str | None] | None:
        """How the graph shows what it asks: ("tree", node, input or None) its operations, ("paths", x, out)
        every path from x to out, ("node", name, None) one box; None: the stage's node, if any."""
        return None

    def training(self, step):
        """Its training run's settings (`TrainSpec`), for the author's cost rule."""
        return None

    def bundled_findings(self, step) -> list[tuple[str, str]]:
        """(field under the step, message) for what a bundled level must say beyond the format."""
        return []

    # ---- the game (game/session.py, game/steps.py, game/play.py)

    @abstract
    def run(self, step, session, index: int, iteration: int | None):
        """The step played: a generator of the session's stages (see `LevelSession._flow`)."""

    def autoplay(self, step, session) -> None:
        """The step played by the game itself, inside an iteration the player no longer does by hand."""

    def expected(self, step, world, player: bool = False):
        """The engine's answer (with `player`, the answer from the player's own accepted numbers)."""
        raise TypeError(f"not an ask: {step!r}")

    def prompt(self, step, world, lang: str, g) -> str:
        """The ask's question when the author wrote no `prompt`."""
        return ""

    def hints(self, step, world, lang: str, g) -> list[str]:
        """Hints the game writes from the model, after the author's own."""
        return []

    def reveal(self, step, world, expected, lang: str, g) -> list:
        """The step-log events an accepted (or shown) answer reveals."""
        return []

    def known(self, step, world) -> tuple[str, str] | None:
        """What the player has worked out once it is answered: ("value" | "grad" | "local", name)."""
        return None

    def remembers(self, step, world) -> str | None:
        """The name the player's own answer is kept under for later asks (when the ask has no `name:`)."""
        return None

    def keep(self, step, session, value, expected) -> None:
        """Keep an accepted answer in the player's world (an update also moves the parameters)."""

    def pick(self, step, fill, rng, lang: str, g):
        """A choice's (options, reader, solution, is_right, feedback): choose, order and match."""
        raise TypeError(f"not a choice: {step!r}")


class AskKind(Kind):
    """A number (or a short vector) the engine computes and the player types."""

    def check(self, step, c, path, scope):
        for j, mis in enumerate(step.misconceptions):
            if mis.expr is not None:
                c.expr(path + ("misconceptions", j, "expr"), mis.expr, scope)
        self.check_ask(step, c, path, scope)
        if step.name is not None:
            c.fresh(path + ("name",), step.name, c.kinds, key=False)
            scope.add(step.name)

    @abstract
    def check_ask(self, step, c, path, scope) -> None:
        """The kind's own part of `check` (misconceptions and `name:` are checked for every ask)."""

    def run(self, step, session, index, iteration):
        if not step.auto:
            yield from session.ask(step, index, iteration)
            return
        session.autoplay(step)  # done by hand twice already: the game shows it
        if step.explain:
            session.explain(step.explain)

    def autoplay(self, step, session):
        session.answer_itself(step)

    @abstract
    def expected(self, step, world, player=False):
        pass

    def prompt(self, step, world, lang, g):
        return g.say("prompt.value", lang, name=g.value_name(step, world.level, lang))

    def reveal(self, step, world, expected, lang, g):
        if step.prompt and (step.name is None or step.name not in world.level.model.labels):
            # the author asked in words: the step log says the answer, not the name or formula behind it
            return [g.Event("value", g.say("event.answer", lang, value=g.number(expected)), step.name, expected)]
        label = g.value_name(step, world.level, lang)
        return [g.Event("value", f"{label} = {g.number(expected)}", step.name, expected)]

    def keep(self, step, session, value, expected):
        if step.name:
            session.world.remember(step.name, value, exact=expected)
        elif (key := self.remembers(step, session.world)) is not None:
            session.world.remember(key, value)

