"""What the schema cannot see: every expression parses, every name it uses is defined, the nodes
form no cycle, every step refers to things the model has, and nothing hidden shows before its step.
`Check(level, file, positions).run()` gives every problem at once."""

from __future__ import annotations

import difflib
import re

from gradquest.engine.parser import CONSTANTS, FUNCTIONS, Binary, Call, Name, ParseError, Unary, parse
from gradquest.levels.derived import derived
from gradquest.levels.kinds import kind_of
from gradquest.levels.budgets import over_budget
from gradquest.levels.node_order import node_order
from gradquest.levels.schema import (
    Linear, Model, Moons, ContourPlot, CurvePlot, Boundary, I18n, Level, TargetPlot, TrainingPlot, NUMBER_SLOT, every_step, expr_of,
)
from gradquest.levels.source import LevelError, Positions, dotted, position_of, text_position

def model_names(model: Model) -> dict[str, str]:
    """Every name the model defines, with its kind: parameter, data or node. Inline data keeps its
    name; `moons` gives `<name>_X` and `<name>_y`, `linear` `<name>_x` and `<name>_y`; a network
    of n layers adds the parameters W1, b1, …, Wn, bn, the nodes z1, h1, …, z(n-1), h(n-1) of its hidden
    layers and the node `net` (as `model.world` does)."""
    found = {name: "parameter" for name in model.params}
    for name, spec in model.data.items():
        suffixes = ("_X", "_y") if isinstance(spec, Moons) else ("_x", "_y") if isinstance(spec, Linear) else ("",)
        for suffix in suffixes:
            found.setdefault(name + suffix, "data")
    if model.network:
        for i in range(1, len(model.network.sizes)):
            found.setdefault(f"W{i}", "parameter")
            found.setdefault(f"b{i}", "parameter")
        for name in network_nodes(model.network.sizes):
            found.setdefault(name, "node")
    for name in model.nodes:
        found.setdefault(name, "node")
    return found


def network_nodes(sizes) -> list[str]:
    """The nodes a network adds: each hidden layer's pre-activations and activations (zi, hi: where
    the level does not use the name itself), then its scores."""
    return [f"{p}{i}" for i in range(1, len(sizes) - 1) for p in "zh"] + ["net"]


def _name_nodes(tree) -> list[Name]:
    """The names an expression uses (constants too), each once, in the order they are written."""
    found, todo = {}, [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, Name):
            if node.id not in found or node.col < found[node.id].col:
                found[node.id] = node
        elif isinstance(node, Unary):
            todo.append(node.operand)
        elif isinstance(node, Binary):
            todo += [node.left, node.right]
        elif isinstance(node, Call):
            todo += node.args
    return sorted(found.values(), key=lambda n: n.col)


class Check:
    def __init__(self, level: Level, file: str, positions: Positions):
        self.level, self.file, self.positions, self.errors = level, file, positions, []
        self.kinds = model_names(level.model)
        self.params = {n for n, k in self.kinds.items() if k == "parameter"}
        self.nodes = {n for n, k in self.kinds.items() if k == "node"}
        self.arrays = {n for n, spec in level.model.params.items() if isinstance(spec, list)}  # given vectors, matrices
        self.trees: dict[str, object] = {}

    def run(self) -> list[LevelError]:
        self.named_by = {step.name: path for path, step in every_step(self.level.steps)
                         if getattr(step, "name", None)}
        self.model()
        self.steps(self.level.steps, ("steps",), set(self.kinds))
        if self.level.plot is not None:
            self.plot(("plot",), self.level.plot)
        self.number_slots()
        self.step_ids()
        self.hidden()
        over_budget(self.level, self.error)
        return self.errors

    # ---- what is kept from the screen: `hidden: true`, `reveal_at: <step id>`

    def hidden(self):
        """Hidden nodes and a plot with `reveal_at` name steps that exist, and nothing shows a
        hidden node before it is revealed: not a node that uses it, an ask, the plot, a table or
        a `{{…}}` in a text (each would give it away)."""
        model, plot = self.level.model, self.level.plot
        reveal_at = {n: at for n, at in model.hidden.items()}
        if not reveal_at and (plot is None or plot.reveal_at is None):
            return
        steps = list(every_step(self.level.steps))
        order = {step.id: k for k, (_, step) in enumerate(steps) if step.id}
        where = {path: k for k, (path, _) in enumerate(steps)}
        never = len(steps) + 1

        def shown_from(at) -> int:  # the index of the step from which it is shown
            return never if at is None else order.get(at, -1)

        def when(name) -> str:
            at = reveal_at[name]
            return "never shown (`hidden: true`)" if at is None else f"hidden until the step '{at}'"

        for name, at in reveal_at.items():
            if at is not None and at not in order:
                self.unknown(("model", "nodes", name, "reveal_at"), at, order, "step id")
        if plot is not None and plot.reveal_at is not None and plot.reveal_at not in order:
            self.unknown(("plot", "reveal_at"), plot.reveal_at, order, "step id")
        hidden = {n: shown_from(at) for n, at in reveal_at.items() if at is None or at in order}
        def shows(path, text, k: int, what: str, hint: str, column=None):
            """`text` (an expression, or a name) is shown from step k on."""
            try:
                used = [(n.id, n.col) for n in _name_nodes(parse(text))]
            except ParseError:
                return  # said where it is parsed
            for name, col in used:
                if name in hidden and hidden[name] > k:
                    self.error(path, f"{what} {name}, which is {when(name)}: it would give {name} away",
                               hint, column=column and col)

        for name, text in model.nodes.items():
            if name in hidden and hidden[name] == never:
                continue
            shows(("model", "nodes", name), text, hidden.get(name, -1), "this node uses",
                  "hide this node too (`hidden: true`, or `reveal_at:` the same step or a later one)", column=True)
        for path, step in steps:
            k = where[path]
            kind = kind_of(step)
            for key, name in kind.shown_names(step, self._output()):
                if isinstance(name, str) and name in hidden and hidden[name] > k:
                    self.error(path + key,
                               f"this step shows {name}, which is {when(name)}: the player could not see it",
                               "reveal it at this step or before (`reveal_at:` a step's `id`)")
            for j, item in enumerate(kind.table(step)):
                shows(_shown_at(path + (kind.key, "table", j), item), expr_of(item), k, "the table shows",
                      "leave it out of the table, or reveal it at this step or before")
        plot_from = order.get(plot.reveal_at, -1) if plot is not None and plot.reveal_at is not None else -1
        self.hidden_texts(shows, where, plot_from)
        if plot is not None:
            for path, text in _plot_expressions(plot):
                shows(path, text, plot_from, "the plot shows",
                      "give the plot `reveal_at:` the step that reveals it (or a later one)")

    def has_accuracy(self) -> bool:
        """`accuracy` is a metric of a network, or of a boundary's score with its classes."""
        boundary = getattr(self.level.plot, "boundary", None)
        return bool(self.level.model.network) or bool(getattr(boundary, "classes", None))

    def _output(self) -> str | None:
        m = self.level.model
        return m.output if m.output is not None else next(reversed(m.nodes), None)

    def hidden_texts(self, shows, where, plot_from: int):
        """`{{expr}}` in a text before the step that reveals what it names."""
        for path, value in self.texts():
            k = plot_from if path[0] == "plot" else next(
                (where[path[:n]] for n in range(len(path), 0, -1) if path[:n] in where), -1)
            for lang in ("en", "zh") if isinstance(value, I18n) else (None,):
                raw = getattr(value, lang) if lang else value
                for slot in NUMBER_SLOT.finditer(raw if isinstance(raw, str) else ""):
                    shows(path + ((lang,) if lang else ()), slot.group(1), k, "this text shows",
                          "leave the number out of this text, or reveal it at this step or before")

    def step_ids(self):
        """Step ids are unique, and a test's `at:` names one of them."""
        ids: dict[str, tuple] = {}
        for path, step in every_step(self.level.steps):
            if step.id is None:
                continue
            if step.id in ids:
                self.error(path + ("id",), f"the id '{step.id}' is already the id of {dotted(ids[step.id])}",
                           "give each step its own id")
            ids.setdefault(step.id, path)
        for i, test in enumerate(self.level.tests):
            if isinstance(test.at, str) and test.at not in ids:
                self.unknown(("tests", i, "at"), test.at, ids, "step id")

    def error(self, path, message, hint=None, column=None, key=False):
        line, col = (text_position(self.positions, path, column) if column
                     else position_of(self.positions, path, key=key))
        self.errors.append(LevelError(self.file, line, col, dotted(path), message, hint))

    def is_gradient(self, name: str) -> bool:
        """`d<out>_d<x>`: ∂out/∂x for a node or parameter out and x (tried at every `_d`); also the
        other names the game computes on demand (`levels.derived`: Hessian entries, optimizer state,
        `iteration`)."""
        quantities = self.params | self.nodes
        if derived(name, quantities, self.params) is not None:
            return True
        return name.startswith("d") and any(
            name[1:m.start()] in quantities and name[m.end():] in quantities
            for m in re.finditer("_d", name))

    def unknown(self, path, name: str, known, what="name", column=None):
        known = sorted(known)
        shown = ", ".join(known[:30]) + (", …" if len(known) > 30 else "")
        close = difflib.get_close_matches(name, known, 1)
        hint = (f"did you mean '{close[0]}'?" if close
                else "a gradient is written d<out>_d<x>, like dz_dw" if re.match(r"d\w+_d\w+", name) else None)
        later = self.named_by.get(name)
        if later is not None and what == "name":
            hint = (f"'{name}' is the answer kept by {dotted(later)}, which comes after this: a name can be used "
                    "only in the steps after the one that names it; move that step earlier")
        listed = f"known: {shown}" if known else "there are none"
        self.error(path, f"unknown {what} '{name}'; {listed}", hint, column)

    def expr(self, path, text: str, known: set, gradients: bool = True):
        """Parse an expression and check its names; the tree, or None when it does not parse."""
        try:
            tree = parse(text)
        except ParseError as err:
            self.error(path, "cannot read the expression: " + err.message().removeprefix(f"column {err.column}: "),
                       column=err.column)
            return None
        for name in _name_nodes(tree):  # pi and e are the constants unless the level defines them
            if name.id in known or name.id in CONSTANTS or (gradients and self.is_gradient(name.id)):
                continue
            if self.is_gradient(name.id):
                self.error(path, f"a node cannot use the gradient name '{name.id}'",
                           "a node is part of the graph that gradients are taken of", column=name.col)
            else:
                self.unknown(path, name.id, known, column=name.col)
        return tree

    def ref(self, path, name: str, allowed: set, what: str):
        if name not in allowed:
            self.unknown(path, name, allowed, what)

    def fresh(self, path, name: str, taken: dict[str, str], key=True):
        """A new name: not a function of expressions, not already something else."""
        if name in FUNCTIONS:
            self.error(path, f"'{name}' is a function in expressions, so no expression could use it",
                       "pick another name", key=key)
        elif name in taken:
            self.error(path, f"'{name}' is already a {taken[name]}", "pick another name", key=key)

    # ---- the model

    def model(self):
        m, seen = self.level.model, {}
        for section, kind in (("params", "parameter"), ("data", "data"), ("nodes", "node")):
            for name in getattr(m, section):
                self.fresh(("model", section, name), name, seen)
                seen.setdefault(name, kind)
        for name, spec in m.params.items():
            self.rows(("model", "params", name), spec)
        for name, spec in m.data.items():
            if isinstance(spec, list) and spec and isinstance(spec[0], list):
                width = len(spec[0])
                self.rows(("model", "data", name), spec)
                if m.network and m.network.input == name and width != m.network.sizes[0]:
                    self.error(("model", "network", "sizes", 0),
                               f"the network's input {name} has {width} columns, so sizes starts with {width}")
        if m.network:
            layers = range(1, len(m.network.sizes))
            taken = set(m.params) | set(m.data) | set(m.nodes)
            clash = sorted(taken & {"net", *(f"{p}{i}" for i in layers for p in "Wb")})  # a layer's z, h: the level's own wins
            if clash:
                self.error(("model", "network"), "the network's names are taken already: " + ", ".join(clash),
                           "rename those in the model")
            for name, given in m.network.weights.items():
                self.given_weight(("model", "network", "weights", name), name, given, m.network.sizes)
            data = {n for n, k in self.kinds.items() if k == "data"}
            if m.network.input not in data:
                self.unknown(("model", "network", "input"), m.network.input, data, "data")
        known = set(self.kinds)
        for name, text in m.nodes.items():
            self.trees[name] = self.expr(("model", "nodes", name), text, known, gradients=False)
        self.cycles()
        if m.output is not None:
            self.ref(("model", "output"), m.output, self.nodes | self.params, "node")
        for i, req in enumerate(m.require):
            self.expr(("model", "require", i, "expr"), req.expr, known)

    def rows(self, path: tuple, spec) -> None:
        """A matrix written row by row: every row as wide as the first."""
        if isinstance(spec, list) and spec and isinstance(spec[0], list):
            width = len(spec[0])
            for i, row in enumerate(spec):
                if len(row) != width:
                    self.error(path + (i,),
                               f"this row has {len(row)} {'entry' if len(row) == 1 else 'entries'}, the first row has {width}",
                               "every row of a matrix has the same number of entries")
                    break

    def given_weight(self, path: tuple, name: str, given, sizes) -> None:
        """A network's given weight: a name it has, in the shape W·x asks (one row per unit)."""
        layer = int(name[1:]) if re.fullmatch(r"[Wb][1-9][0-9]*", name) else 0
        if not 1 <= layer < len(sizes):
            self.error(path, f"the network has no {name}", f"its weights are W1…W{len(sizes) - 1} and "
                                                           f"b1…b{len(sizes) - 1}", key=True)
            return
        self.rows(path, given)
        rows, cols = sizes[layer], sizes[layer - 1]
        matrix = bool(given) and isinstance(given[0], list)
        if name[0] == "W" and (not matrix or len(given) != rows or len(given[0]) != cols):
            found = f"{len(given)}×{len(given[0])}" if matrix else f"{len(given)} numbers in one row"
            self.error(path, f"{name} is {rows}×{cols}, one row per unit of layer {layer} and one column per input "
                             f"(W·x), found {found}", "write it row by row: [[…], […]]")
        elif name[0] == "b" and (matrix or len(given) != rows):
            self.error(path, f"{name} holds {rows} {'number' if rows == 1 else 'numbers'}, one per unit of layer {layer}")

    def one_number(self, path: tuple, name: str) -> None:
        """A plot's axis is a parameter that holds one number."""
        if name in self.arrays:
            self.error(path, f"{name} is a vector or a matrix, and an axis is one number",
                       f"plot over one entry: make it a parameter of its own and use it in {name}'s place")

    def cycles(self):
        uses = {n: _name_nodes(t) for n, t in self.trees.items() if t}
        for cycle in node_order(uses, name=lambda ref: ref.id)[1]:
            self.error(("model", "nodes", cycle.names[-2]), "the nodes form a cycle: " + " → ".join(cycle.names),
                       "a node may only use nodes that do not depend on it", column=cycle.ref.col)

    # ---- the steps

    def steps(self, steps, base: tuple, scope: set):
        """Check steps in order, each by its kind; `scope` (the names an expression may use) grows
        with each ask's `name:`."""
        for i, step in enumerate(steps):
            kind_of(step).check(step, self, base + (i,), scope)

    @property
    def no_output(self) -> bool:
        return self.level.model.output is None and not self.nodes  # else the last node is the output

    def names_in(self, tree) -> list[Name]:
        return _name_nodes(tree)

    def shown_at(self, path: tuple, item) -> tuple:
        return _shown_at(path, item)

    def number_slots(self):
        """Every `{{expr}}` in a text the player reads must be an expression of the model (a plot's,
        drawn at any time, of the model alone)."""
        known = set(self.kinds) | {s.name for _, s in every_step(self.level.steps) if getattr(s, "name", None)}
        for path, value in self.texts():
            for lang in ("en", "zh") if isinstance(value, I18n) else (None,):
                raw = getattr(value, lang) if lang else value
                for slot in NUMBER_SLOT.finditer(raw if isinstance(raw, str) else ""):
                    self.expr(path + ((lang,) if lang else ()), slot.group(1),
                              set(self.kinds) if path[0] == "plot" else known)

    def texts(self) -> list[tuple[tuple, object]]:
        """(path, text) for every text a player reads that may hold `{{expr}}`."""
        texts = [(("story",), self.level.story)]
        plot = self.level.plot
        if plot is not None:
            texts += [(("plot", "title"), plot.title)]
            texts += [(("plot", "paths", j, "label"), p.label) for j, p in enumerate(getattr(plot, "paths", []))]
        for path, step in every_step(self.level.steps):
            texts += [(path + (key,), getattr(step, key, None)) for key in ("say", "prompt", "explain")]
            texts += [(path + ("hints", j), h) for j, h in enumerate(getattr(step, "hints", []))]
            texts += [(path + ("misconceptions", j, "feedback"), m.feedback)
                      for j, m in enumerate(getattr(step, "misconceptions", []))]
            texts += kind_of(step).texts(step, path)
        return texts

    def plot(self, at, plot):
        known = set(self.kinds)
        if isinstance(plot, CurvePlot):
            for j, item in enumerate(plot.curve):
                self.expr(_shown_at(at + ("curve", j), item), expr_of(item), known | {plot.over})
            self.one_number(at + ("over",), plot.over)
            if plot.range[0] >= plot.range[1]:
                self.error(at + ("range",), "the range must go from low to high")
        elif isinstance(plot, ContourPlot):
            for j, name in enumerate(plot.over):
                self.ref(at + ("over", j), name, self.params, "parameter")
                self.one_number(at + ("over", j), name)
            self.expr(at + ("contour",), plot.contour, known)
            ids = {step.id for _, step in every_step(self.level.steps) if step.id}
            for j, path in enumerate(plot.paths):
                if path.reveal_at is not None and path.reveal_at not in ids:
                    self.unknown(at + ("paths", j, "reveal_at"), path.reveal_at, ids, "step id")
            for key in ("x", "y"):
                low, high = getattr(plot, key)
                if low >= high:
                    self.error(at + (key,), "the range must go from low to high")
        elif isinstance(plot, TargetPlot):
            outputs = {name for step in self.level.steps for name in kind_of(step).outputs(step)}
            for j, name in enumerate(plot.target):
                self.ref(at + ("target", j), name, outputs, "probe output")
        elif isinstance(plot, TrainingPlot):
            metrics = self.nodes | ({"accuracy"} if self.has_accuracy() else set())
            for j, item in enumerate(plot.training):
                self.ref(_shown_at(at + ("training", j), item), expr_of(item), metrics, "metric")
            data = {n for n, k in self.kinds.items() if k == "data"}
            for j, name in enumerate(plot.data or ()):
                self.ref(at + ("data", j), name, data, "data")
            if plot.line is not None:
                self.expr(_shown_at(at + ("line",), plot.line), expr_of(plot.line), known | {"t"})
            if plot.boundary is True and not self.level.model.network:
                self.error(at + ("boundary",), "`boundary: true` draws a network's decision boundary, and the model "
                                               "has no `network`", "for another model name its score and points: "
                                               "`boundary: {score: <node>, points: [x1, x2], classes: <labels>}`")
            elif isinstance(plot.boundary, Boundary):
                b = plot.boundary
                self.ref(at + ("boundary", "score"), b.score, self.nodes, "node")
                for j, name in enumerate(b.points):
                    self.ref(at + ("boundary", "points", j), name, data, "data")
                if b.classes is not None:
                    self.ref(at + ("boundary", "classes"), b.classes, data, "data")


def _plot_expressions(plot) -> list[tuple[tuple, str]]:
    """(path, expression) for everything a plot draws of the model."""
    at = ("plot",)
    if isinstance(plot, CurvePlot):
        return [(_shown_at(at + ("curve", j), item), expr_of(item)) for j, item in enumerate(plot.curve)]
    if isinstance(plot, ContourPlot):
        return [(at + ("contour",), plot.contour)]
    if isinstance(plot, TrainingPlot):
        found = [(_shown_at(at + ("training", j), item), expr_of(item)) for j, item in enumerate(plot.training)]
        found += [(at + ("data", j), name) for j, name in enumerate(plot.data or ())]
        if isinstance(plot.boundary, Boundary):
            found.append((at + ("boundary", "score"), plot.boundary.score))
        if plot.line is not None:
            found.append((_shown_at(at + ("line",), plot.line), expr_of(plot.line)))
        return found
    return []


def _shown_at(path: tuple, item) -> tuple:
    """Where a shown expression's text is: the item itself, or its `expr`."""
    return path if isinstance(item, str) else path + ("expr",)
