"""The computation graph as the level screen shows it: a card per node with what the player may
see of it. A node's value is hidden while a forward ask for it (or a `value` ask of just that node)
is still to come with nothing before it that changes what the node is computed from (after an
update the value shown now is not that ask's answer, so 2.9 shows z = 162 as its story does), while
it is the answer of the current `value` or `vector` ask that does not name it (a helper node), and
while any of its inputs is hidden: values fill in left to right, so num = e − 1 keeps `?` until e
is worked out (its 4.077 would give e away). A gradient stays hidden until the player has worked it
out (or the level is over), but for the output's own ∂L/∂L = 1, known from the start unless an ask wants it; it is the gradient of the output the
latest gradient ask so far is about (its `of:`, `gradient_of`), known once that ask is answered. `gradquest check`'s leak rule reads these cards at every ask."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradquest.engine.explain import number
from gradquest.engine.parser import names
from gradquest.figures.hiding import hidden_now
from gradquest.game.memo import per_object
from gradquest.game.naming import in_words
from gradquest.game.steps import pretty
from gradquest.model.world import parsed
from gradquest.levels.kinds import asked_value, kind_of
from gradquest.levels.schema import every_step

HIDDEN = "?"
MAX_DRAWN = 14  # larger graphs are summarised


@dataclass
class Card:
    name: str
    expr: str  # "" for a parameter
    value: str
    grad: str
    inputs: list[str]
    feeds: list[str]
    depth: int
    asked: bool
    label: str = ""  # what the player reads for the name (the level's `label`, else the name)
    of: str | None = None  # the output the ∇ is the gradient of, when it is not the level's output (its label)
    of_name: str | None = None  # that output's name in the model


def cards(session) -> list[Card]:
    """One card per parameter and node, deepest last; empty for a network over data (see `layers`),
    whose numbers are too many to show: a network by hand (one point) has a card per layer too."""
    world, model = session.world, session.level.model
    if model.network is not None and not by_hand(session):
        return []
    helper_hidden = _helpers_showing_the_answer(session)
    written = {**network_expressions(model.network), **model.nodes}
    inputs = {n: sorted(m for m in names(parsed(e), constants=True) if m in world.params or m in written)
              for n, e in written.items()}
    pending = _asked_before_a_change(session, inputs)
    depth: dict[str, int] = {p: 0 for p in world.params}
    for node in written:  # the loader checked the nodes form no cycle; nodes may use later nodes
        _depth(node, inputs, depth)
    asked = session.stage.node if session.stage is not None else None
    hidden = hidden_now(session)
    inputs = {n: [m for m in ins if m not in hidden] for n, ins in inputs.items() if n not in hidden}
    result, visible, named, feeds = [], {}, world.named, {}
    free_grad = _output_unasked(session)
    for n, ins in inputs.items():
        for m in ins:
            feeds.setdefault(m, []).append(n)
    for name in sorted([*world.params, *written], key=lambda n: depth[n]):
        if name in hidden:
            continue
        value = named[name]
        shown_value = (name in world.params or name not in pending or ("value", name) in session.known
                       or session.done) and name not in helper_hidden \
            and (session.done or ("value", name) in session.known or all(visible[m] for m in inputs.get(name, [])))
        visible[name] = shown_value
        of = gradient_of(session, name)
        if of is None:
            shown_grad = ("grad", name) in session.known or session.done or name == free_grad
        else:  # ∂of/∂of = 1 is known from the start
            shown_grad = ("grad of", f"{of} {name}") in session.known or session.done or name == of
        grad = world.gradients(of).get(value) if world.nodes else None
        result.append(Card(
            name, pretty(in_words(session.level, written.get(name, ""), session.lang)),
            _num(value.data) if shown_value else HIDDEN,
            _num(grad) if shown_grad and grad is not None else HIDDEN,
            inputs.get(name, []), feeds.get(name, []), depth[name], name == asked,
            session.level.label(name, session.lang), of and not _as_for_the_output(world, value, grad)
            and session.level.label(of, session.lang), of))
    return sorted(result, key=lambda c: c.depth)


def _as_for_the_output(world, value, grad) -> bool:
    """Whether a gradient of another output is also the level output's (2.15's o2 spells out o):
    the ∇ then needs no word on which output it is of."""
    out = world.gradients().get(value)
    return grad is not None and out is not None and np.shape(out) == np.shape(grad) and bool(np.allclose(out, grad))


def gradient_of(session, name: str) -> str | None:
    """The output whose gradient a node's ∇ shows: that of the part of the level the player is in,
    the `of:` of the latest gradient ask so far (the one on screen counts) that reaches the node;
    None for the level's output (also before any such ask, and for a node no such ask reaches)."""
    world = session.world
    if not world.nodes:
        return None
    now = session.stage.step if session.stage is not None else len(session.level.steps)
    for of in _outputs_asked(session.level, world, now):
        if of in world.named and world.reaches(name, of):
            return None if of == world.output.label else of
    return None


def _outputs_asked(level, world, now: int) -> list[str]:
    """The outputs gradient asks up to step `now` are about, the latest first."""
    asked = _gradient_outputs(level, world)
    return list(dict.fromkeys(of for index, of in reversed(asked) if index <= now))


@per_object
def _gradient_outputs(level, world) -> list[tuple[int, str]]:
    """(step index, output) for every gradient ask of the level, in order (once per play)."""
    found = []
    for index, step in enumerate(level.steps):
        for _, s in every_step([step]):
            if (k := kind_of(s).known(s, world)) is not None and k[0] in ("grad", "grad of"):
                found.append((index, world.output.label if k[0] == "grad" else k[1].split(" ")[0]))
    return found


@per_object
def _output_gradient_asked(level, world) -> str | None:
    """The output's name, unless the level asks the player for ∂out/∂out itself (once per play)."""
    out = world.output.label
    asked = any(kind_of(s).known(s, world) == ("grad", out) for _, s in every_step(level.steps))
    return None if asked else out


def _output_unasked(session) -> str | None:
    """The output node, whose ∇ is ∂out/∂out = 1 from the start (unless an ask wants it)."""
    return _output_gradient_asked(session.level, session.world) if session.world.nodes else None


def _asked_before_a_change(session, inputs: dict[str, list[str]]) -> set[str]:
    """The nodes whose value an ask still to come wants, unless a step before that ask changes what
    they are computed from for good (an update, an iteration, training; a `set` may put the old
    values back, as 3.23 does after its Newton step). An ask inside an iteration counts from the
    iteration's start."""
    steps = session.level.steps
    now = session.stage.step if session.stage is not None else len(steps)
    facts = _step_facts(session.level, frozenset(session.world.params))
    moved: set[str] = set()  # the parameters a step before the ask changes for good
    restoring: set[str] = set()  # those a step before the ask changes but may put back
    pending: set[str] = set()
    for index in range(now, len(steps)):
        asks, restores, changes = facts[index]
        for asked in asks:
            if asked not in inputs or asked in pending:
                continue
            sources = _sources(asked, inputs)
            if sources & restoring or not sources & moved:
                pending.add(asked)
        # the step on screen counts if its change is still to come (an update waits for its answer,
        # training for its settings); a `set` has been applied, an iteration is under way
        if index > now or kind_of(steps[index]).changes_later:
            (restoring if restores else moved).update(changes)
    return pending


@per_object
def _step_facts(level, params: frozenset) -> list[tuple[list[str], bool, set[str]]]:
    """For each step of the level: the values it asks, whether it may put parameters back, and the
    parameters it changes (worked out once per level, not at every stage)."""
    return [([a for _, s in every_step([step]) if (a := asked_value(s)) is not None], kind_of(step).restores(step),
             kind_of(step).changes(step, set(params))) for step in level.steps]


def _sources(node: str, inputs: dict[str, list[str]]) -> set[str]:
    """The node and everything it is computed from."""
    seen, todo = set(), [node]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(inputs.get(name, []))
    return seen


def _helpers_showing_the_answer(session) -> set[str]:
    """Nodes whose value is the answer now asked by a `value` or `vector` ask that does not name
    them: a helper node (the author's ∂f/∂x as a node) keeps `?` until the player worked it out."""
    stage = session.stage
    if session.done or stage is None or stage.kind != "ask":
        return set()
    asked = kind_of(stage.source).asked_expressions(stage.source)
    if not asked:
        return set()
    named = set().union(*(names(parsed(e), constants=True) for e in asked))
    answers = np.ravel(np.asarray(stage.expected, dtype=float))
    world = session.world
    return {n for n in session.level.model.nodes if n not in named and ("value", n) not in session.known
            and np.ndim(world.named[n].data) == 0
            and any(_num(world.named[n].data) == _num(a) for a in answers)}


def layers(session) -> list[str]:
    """A network summarised layer by layer: shapes, not numbers."""
    world, network = session.world, session.level.model.network
    if network is None:
        return []
    rows = [f"{network.input}  {_shape(world.data[network.input].data)}"]
    for i in range(1, len(network.sizes)):
        W, b = world.params[f"W{i}"].data, world.params[f"b{i}"].data
        act = "" if i == len(network.sizes) - 1 else f" → {network.activation}"
        rows.append(f"W{i} {_shape(W)} · + b{i} {_shape(b)}{act}")
    rows.append(f"net  {_shape(world.nodes['net'].data)}")
    hidden = hidden_now(session)
    rows += [f"{n} = {pretty(e)}" for n, e in session.level.model.nodes.items() if n not in hidden]
    return rows


def has_graph(session) -> bool:
    """Whether there is a graph to show now: a network, or a node computed from others (parameters
    alone, as 1.2 and 1.3 hold, are no graph; a node kept hidden until a later step counts from then)."""
    return bool(layers(session)) or any(c.expr for c in cards(session))


def drawable(session) -> bool:
    return (session.level.model.network is None or by_hand(session)) and len(session.world.named) <= MAX_DRAWN


def by_hand(session) -> bool:
    """A network over one point (its input a vector): small enough to show every layer's numbers."""
    network = session.level.model.network
    return network is not None and np.ndim(session.world.data[network.input].data) == 1


def network_expressions(network) -> dict[str, str]:
    """Each layer of a network as it is written (W·x): z1 = W1 @ x + b1, h1 = sigmoid(z1), …, net."""
    if network is None:
        return {}
    found, before, last = {}, network.input, len(network.sizes) - 1  # (a network by hand: its names are free)
    for i in range(1, last + 1):
        z = "net" if i == last else f"z{i}"
        found[z] = f"W{i} @ {before} + b{i}"
        if i < last:
            found[f"h{i}"], before = f"{network.activation}(z{i})", f"h{i}"
    return found


def _depth(node: str, inputs: dict, depth: dict) -> int:
    if node not in depth:
        depth[node] = 1 + max((_depth(m, inputs, depth) for m in inputs.get(node, [])), default=-1)
    return depth[node]


MAX_ENTRIES_SHOWN = 4  # a vector node's box shows its entries up to this many, else its shape


def _num(x) -> str:
    if np.ndim(x) == 0:
        return number(float(x))
    return number(np.asarray(x)) if np.size(x) <= MAX_ENTRIES_SHOWN else _shape(x)


def _shape(x) -> str:
    return "×".join(map(str, np.shape(x))) or "1"
