"""Loading levels and chapters: the schema's verdict and the level's own sense, with positions.

`load_level(path)` reads the file (`source.read_yaml`), validates it against `schema.Level` and
then checks what the schema cannot: every expression parses, every name it uses is defined, the
nodes form no cycle, and every step refers to things the model has. All problems are raised at
once as `LevelErrors`, each at file:line:column with the dotted field (`steps[3].hints[0]`).
Numbers (NaN at the initial values, solvability) are the game layer's to check.
"""

from __future__ import annotations

import difflib
import math
import re
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Iterable, Union, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError

from gradquest.engine.parser import CONSTANTS, FUNCTIONS, Binary, Call, Name, ParseError, Unary, parse
from gradquest.levels.schema import (
    LEVEL_ID, NAME, NUMBER_SLOT, STEP_KINDS, Ask, AskCommon, Chapter, Choose, ContourPlot, CurvePlot, Forward,
    Between, Boundary, Gradient, Guess, I18n, Iterate, Level, Linear, StepCommon, Local, Match, Model, Moons, Order, Probe, Set, TargetPlot, Train,
    TrainingPlot, Update, Vector, every_step, expr_of,
)
from gradquest.levels.budgets import over_budget
from gradquest.levels.derived import derived
from gradquest.levels.source import (
    LevelError, LevelErrors, Positions, dotted, position_of, read_yaml, text_position,
)


def _num(x: float) -> str:
    return "−∞" if x == -math.inf else "∞" if x == math.inf else f"{x:g}"

__all__ = ["LoadedLevel", "load_level", "load_levels", "load_chapter", "model_names", "LevelError", "LevelErrors"]


@dataclass
class LoadedLevel:
    level: Level
    path: Path
    positions: Positions


def load_level(path) -> LoadedLevel:
    """The level in `path`, or `LevelErrors` with every problem found."""
    file = str(path)
    data, positions = read_yaml(path)
    level, errors = _validate(Level, data, file, positions)
    if level is not None:
        errors = _Check(level, file, positions).run()
    if errors:
        raise LevelErrors(errors)
    return LoadedLevel(level, Path(path), positions)


@dataclass
class Examined:
    """What `gradquest check` learns from loading a file: every problem the loader can see, and a
    level to lint further when the model itself is sound (a step with a problem is replaced by a
    plain `say`, so the rest of the level can still be played)."""
    path: Path
    errors: list[LevelError]
    item: LoadedLevel | None = None  # the level (repaired if needed) that lint and tests may run on

    @property
    def broken_tests(self) -> set[int]:
        """The tests not to play: those with a problem of their own (placeholders in the repaired
        level), and, when a step was set aside, those that count asks (the count is off)."""
        paths = [undotted_path(e.field) for e in self.errors]
        broken = {p[1] for p in paths if len(p) > 1 and p[0] == "tests" and isinstance(p[1], int)}
        if self.item is not None and any(p[:1] == ("steps",) for p in paths):
            broken |= {i for i, t in enumerate(self.item.level.tests) if isinstance(t.at, int)}
        return broken


_PLACEHOLDER_STEP = {"say": "(a step with a problem)"}
_PLACEHOLDER_TEST = {"name": "(a test with a problem)", "inputs": [{"input": "", "verdict": "invalid"}]}
_HEADER_DEFAULTS = {"format_version": 1, "id": "level", "title": "?", "chapter": 1, "order": 1}


def examine(path) -> Examined:
    """Every problem of a level file in one run: the schema's, then (on a copy with the broken
    parts replaced) names, expressions and references. The level comes back for lint when no
    problem touches its model."""
    file, path = str(path), Path(path)
    try:
        data, positions = read_yaml(path)
    except LevelErrors as exc:
        return Examined(path, exc.errors)
    level, errors = _validate(Level, data, file, positions)
    if level is None:
        level = _valid(_repair(data, [undotted_path(e.field) for e in errors]))
        if level is None:
            return Examined(path, errors)
    errors += _Check(level, file, positions).run()
    if not errors:
        return Examined(path, errors, LoadedLevel(level, path, positions))
    broken = [undotted_path(e.field) for e in errors]
    if any(p[:1] == ("model",) or not p for p in broken):
        return Examined(path, errors)  # the model has a problem: nothing can be computed
    level = _valid(_repair(data, broken))
    if level is None or _Check(level, file, positions).run():
        return Examined(path, errors)
    return Examined(path, errors, LoadedLevel(level, path, positions))


def _valid(data) -> Level | None:
    if data is None:
        return None
    try:
        return Level.model_validate(data)
    except ValidationError:
        return None


def undotted_path(field: str) -> tuple:
    return tuple(int(i) if i else n for n, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field))


def _repair(data, broken: list[tuple]):
    """A copy of the file's data with each broken part replaced by something valid and inert (a
    step by a `say`, a parameter by 0, a node by `0`…), or None when a part cannot be replaced."""
    import copy  # noqa: PLC0415

    if not isinstance(data, dict):
        return None
    data = copy.deepcopy(data)
    for path in broken:
        if not path:
            return None
        head = path[0]
        if head == "steps":
            steps = data.get("steps")
            if len(path) > 1 and isinstance(path[1], int) and isinstance(steps, list) and path[1] < len(steps):
                steps[path[1]] = dict(_PLACEHOLDER_STEP)
            elif not isinstance(steps, list) or not steps:
                data["steps"] = [dict(_PLACEHOLDER_STEP)]
            else:
                return None
        elif head == "tests":
            tests = data.get("tests")
            if len(path) > 1 and isinstance(path[1], int) and isinstance(tests, list) and path[1] < len(tests):
                tests[path[1]] = dict(_PLACEHOLDER_TEST)  # kept, so that the others keep their numbers
            else:
                data.pop("tests", None)
        elif head in _HEADER_DEFAULTS:
            data[head] = _HEADER_DEFAULTS[head]
        elif head in ("story", "teaches", "source", "plot") or head not in Level.model_fields:
            data.pop(head, None)  # an unknown top-level key too
        elif head == "model" and len(path) >= 3 and path[1] in ("params", "nodes", "data") \
                and isinstance(data.get("model"), dict) and isinstance(data["model"].get(path[1]), dict):
            data["model"][path[1]][path[2]] = {"params": 0, "nodes": "0", "data": [0.0]}[path[1]]
        elif head == "model" and len(path) == 2 and isinstance(data.get("model"), dict):
            data["model"].pop(path[1], None)  # an unknown key, or a setting back to its default
        else:
            return None
    return data


def load_levels(paths: Iterable) -> tuple[list[LoadedLevel], list[LevelError]]:
    """The levels that load, and the problems of the others; an id used twice is a problem of the
    second file, which is left out."""
    loaded, errors, first = [], [], {}
    for path in paths:
        try:
            item = load_level(path)
        except LevelErrors as exc:
            errors.extend(exc.errors)
            continue
        if item.level.id in first:
            errors.append(LevelError(str(path), *position_of(item.positions, ("id",)), "id",
                                     f"the id '{item.level.id}' is already used by {first[item.level.id]}",
                                     "give each level its own id"))
            continue
        first[item.level.id] = str(path)
        loaded.append(item)
    return loaded, errors


def load_chapter(path) -> Chapter:
    """A chapter folder's `chapter.yaml`, or `LevelErrors`."""
    chapter, _, errors = examine_chapter(path)
    if errors:
        raise LevelErrors(errors)
    return chapter


def examine_chapter(path) -> tuple[Chapter | None, Positions | None, list[LevelError]]:
    """A chapter file's chapter and the positions of its values, or its problems."""
    try:
        data, positions = read_yaml(path)
    except LevelErrors as exc:
        return None, None, list(exc.errors)
    chapter, errors = _validate(Chapter, data, str(path), positions)
    return chapter, positions, errors


def model_names(model: Model) -> dict[str, str]:
    """Every name the model defines, with its kind: parameter, data or node. Inline data keeps its
    name; `moons` gives `<name>_X` and `<name>_y`, `linear` `<name>_x` and `<name>_y`; a network
    of n layers adds the parameters W1, b1, …, Wn, bn and the node `net` (as `game.world` does)."""
    found = {name: "parameter" for name in model.params}
    for name, spec in model.data.items():
        suffixes = ("_X", "_y") if isinstance(spec, Moons) else ("_x", "_y") if isinstance(spec, Linear) else ("",)
        for suffix in suffixes:
            found.setdefault(name + suffix, "data")
    if model.network:
        for i in range(1, len(model.network.sizes)):
            found.setdefault(f"W{i}", "parameter")
            found.setdefault(f"b{i}", "parameter")
        found.setdefault("net", "node")
    for name in model.nodes:
        found.setdefault(name, "node")
    return found


# ---- pydantic's errors, in the author's words

_EXPECTED = {
    "string_type": "a text", "float_type": "a number", "float_parsing": "a number",
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
    "tuple_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}
_BOUNDS = {"greater_than_equal": ("ge", "at least"), "greater_than": ("gt", "more than"),
           "less_than_equal": ("le", "at most"), "less_than": ("lt", "less than")}


def _found(value) -> str:
    if value is None or isinstance(value, bool):
        return {None: "nothing", True: "true", False: "false"}[value]
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}…'"
    if isinstance(value, dict):
        return "a mapping"
    return "a list" if isinstance(value, (list, tuple)) else str(value)


def _unwrap(tp):
    """The type under Annotated and Optional."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif get_origin(tp) in (Union, types.UnionType) and len(_members(tp)) == 1:
            tp = _members(tp)[0][1]
        else:
            return tp


def _members(tp) -> list[tuple[str, object]]:
    """A union's members and the tags pydantic gives them in an error's loc."""
    if get_origin(tp) not in (Union, types.UnionType):
        return []
    found = []
    for member in get_args(tp):
        if member is type(None):
            continue
        tag = None
        if get_origin(member) is Annotated:
            tag = next((a.tag for a in get_args(member)[1:] if isinstance(a, Tag)), None)
            member = get_args(member)[0]
        if tag is None:
            tag = member.__name__ if isinstance(member, type) else str(member)
        found.append((tag, member))
    return found


def _is_tag(element, tag: str) -> bool:  # a model with a validator is tagged 'function-after[…, Between]'
    return isinstance(element, str) and (element == tag or element.endswith(f", {tag}]"))


def _child(tp, element):
    """The model holding `element` (when `tp` is one) and the type of the value there."""
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(element)
        return tp, field.annotation if field else None
    origin, args = get_origin(tp), get_args(tp)
    if origin is list or origin is dict:
        return None, args[-1]
    if origin is tuple and isinstance(element, int) and element < len(args):
        return None, args[element]
    return None, None


def _walk(root: type[BaseModel], loc: tuple):
    """Split an error's loc into the path in the data and the indices of its union tags; also give
    the model that holds the last key."""
    tp, path, tags, owner = root, [], [], None
    for i, element in enumerate(loc):
        member = next((m for tag, m in _members(_unwrap(tp)) if _is_tag(element, tag)), None)
        if member is not None:
            tags.append(i)
            tp = member
        else:
            path.append(element)
            owner, tp = _child(tp, element)
    return tuple(path), tags, owner


def _friendly(error: dict, path: tuple, owner) -> tuple[str, str | None]:
    """A message and a hint for one pydantic error."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    last = path[-1] if path else None
    if kind == "missing":
        return (f"missing key '{last}'" if isinstance(last, str) else f"missing item {last + 1}"), None
    if kind == "extra_forbidden":
        allowed = list(owner.model_fields) if owner else []
        if owner and issubclass(owner, StepCommon):  # a step's own keys first, its id last
            allowed = sorted(allowed, key=lambda k: k == "id")
        close = difflib.get_close_matches(str(last), allowed, 1)
        return (f"unknown key '{last}'" + (f"; expected one of: {', '.join(allowed)}" if allowed else ""),
                f"did you mean '{close[0]}'?" if close else None)
    if kind == "step_kind":
        keys = [str(k) for k in value] if isinstance(value, dict) else []
        close = [m for k in keys for m in difflib.get_close_matches(k, STEP_KINDS, 1)]
        return error["msg"], (f"did you mean '{close[0]}'?" if close else None)
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, found {_found(value)}", None
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(str(value), choices, 1)
        return f"expected {ctx['expected']}, found {_found(value)}", (f"did you mean '{close[0]}'?" if close else None)
    if kind == "string_pattern_mismatch":
        rule = {LEVEL_ID: "an id uses lowercase letters, digits, '.', '_' and '-', starting with a letter or digit",
                NAME: "a name uses letters, digits and _, and does not start with a digit"}
        pattern = ctx.get("pattern")
        return f"{_found(value)} is not allowed here", rule.get(pattern, f"it must match {pattern}")
    if kind in ("too_short", "too_long"):
        words, limit = ("at least", "min_length") if kind == "too_short" else ("at most", "max_length")
        return f"needs {words} {ctx.get(limit)} item(s), found {ctx.get('actual_length')}", None
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"must be {words} {ctx.get(key)}, found {_found(value)}", None
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"]), None
    return error["msg"][:1].lower() + error["msg"][1:], None


def _prune(placed: list[dict]) -> list[dict]:
    """Where a value matched none of a union's members, keep only the errors of the members it came
    closest to: errors inside a member (it had the right shape) beat a plain type mismatch, fewer
    beat more."""
    unions: dict[tuple, dict[str, list[int]]] = {}
    for k, p in enumerate(placed):
        for i in p["tags"]:
            unions.setdefault(p["loc"][:i], {}).setdefault(p["loc"][i], []).append(k)

    def rank(ks):
        return all(placed[k]["mismatch"] for k in ks), len(ks)

    dropped = set()
    for members in unions.values():
        best = min(map(rank, members.values()))
        for ks in members.values():
            if rank(ks) != best:
                dropped.update(ks)
    return [p for k, p in enumerate(placed) if k not in dropped]


def _validate(cls: type[BaseModel], data, file: str, positions: Positions):
    """The model, or None and the errors in the author's words, one per field."""
    try:
        return cls.model_validate(data), []
    except ValidationError as exc:
        raw = exc.errors(include_url=False)
    placed = []
    for error in raw:
        loc = tuple(error["loc"])
        path, tags, owner = _walk(cls, loc)
        mismatch = error["type"] in _EXPECTED and bool(tags) and tags[-1] == len(loc) - 1
        placed.append({"error": error, "loc": loc, "path": path, "tags": tags, "owner": owner,
                       "mismatch": mismatch})
    errors, merged = [], {}
    for p in _prune(placed):
        if p["mismatch"] and p["path"] in merged:  # one value, several types it could have been
            expected = _EXPECTED[p["error"]["type"]]
            first = merged[p["path"]]
            if f" {expected}," not in first.message and f" {expected} or" not in first.message:
                head, found = first.message.split(", found ", 1)
                first.message = f"{head} or {expected}, found {found}"
            continue
        message, hint = _friendly(p["error"], p["path"], p["owner"])
        where = position_of(positions, p["path"], key=p["error"]["type"] == "extra_forbidden")
        errors.append(LevelError(file, *where, dotted(p["path"]), message, hint))
        if p["mismatch"]:
            merged[p["path"]] = errors[-1]
    return None, errors


# ---- what the schema cannot see: expressions, names, cycles, references

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


class _Check:
    def __init__(self, level: Level, file: str, positions: Positions):
        self.level, self.file, self.positions, self.errors = level, file, positions, []
        self.kinds = model_names(level.model)
        self.params = {n for n, k in self.kinds.items() if k == "parameter"}
        self.nodes = {n for n, k in self.kinds.items() if k == "node"}
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
            targets = [(key, getattr(step, key, None)) for key in ("forward", "local", "wrt", "gradient", "of")]
            if isinstance(step, (Gradient, Update)) and getattr(step, "of", None) is None:
                targets.append(("gradient" if isinstance(step, Gradient) else "update", self._output()))
            if isinstance(step, Train):
                targets += [(("train", "loss"), step.train.loss)]
                targets += [(("train", "metrics", j), m) for j, m in enumerate(step.train.metrics)]
            for key, name in targets:
                if isinstance(name, str) and name in hidden and hidden[name] > k:
                    self.error(path + (key if isinstance(key, tuple) else (key,)),
                               f"this step shows {name}, which is {when(name)}: the player could not see it",
                               "reveal it at this step or before (`reveal_at:` a step's `id`)")
            if isinstance(step, Iterate):
                for j, item in enumerate(step.iterate.table):
                    shows(_shown_at(path + ("iterate", "table", j), item), expr_of(item), k, "the table shows",
                          "leave it out of the table, or reveal it at this step or before")
        plot_from = order.get(plot.reveal_at, -1) if plot is not None and plot.reveal_at is not None else -1
        self.hidden_texts(shows, where, plot_from)
        if plot is not None:
            for path, text in _plot_expressions(plot):
                shows(path, text, plot_from, "the plot shows",
                      "give the plot `reveal_at:` the step that reveals it (or a later one)")

    def _has_accuracy(self) -> bool:
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
        for name, spec in m.data.items():
            if isinstance(spec, list) and spec and isinstance(spec[0], list):
                width = len(spec[0])
                for i, row in enumerate(spec):
                    if len(row) != width:
                        self.error(("model", "data", name, i),
                                   f"this row has {len(row)} {'entry' if len(row) == 1 else 'entries'}, the first row has {width}",
                                   "every row of a matrix has the same number of entries")
                        break
                if m.network and m.network.input == name and width != m.network.sizes[0]:
                    self.error(("model", "network", "sizes", 0),
                               f"the network's input {name} has {width} columns, so sizes starts with {width}")
        if m.network:
            layers = range(1, len(m.network.sizes))
            taken = set(m.params) | set(m.data) | set(m.nodes)
            clash = sorted(taken & {"net", *(f"{p}{i}" for i in layers for p in "Wb")})
            if clash:
                self.error(("model", "network"), "the network's names are taken already: " + ", ".join(clash),
                           "rename those in the model")
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

    def cycles(self):
        deps = {n: [r for r in _name_nodes(t) if self.trees.get(r.id)]
                for n, t in self.trees.items() if t}
        state = {}  # 1: on the current path, 2: done
        for start in deps:
            if start in state:
                continue
            state[start], trail, stack = 1, [start], [iter(deps[start])]
            while stack:
                ref = next(stack[-1], None)
                if ref is None:
                    state[trail.pop()] = 2
                    stack.pop()
                elif state.get(ref.id) == 1:
                    cycle = trail[trail.index(ref.id):] + [ref.id]
                    self.error(("model", "nodes", trail[-1]), "the nodes form a cycle: " + " → ".join(cycle),
                               "a node may only use nodes that do not depend on it", column=ref.col)
                elif ref.id not in state:
                    state[ref.id] = 1
                    trail.append(ref.id)
                    stack.append(iter(deps[ref.id]))

    # ---- the steps

    def steps(self, steps, base: tuple, scope: set):
        """Check steps in order; `scope` (the names an expression may use) grows with each ask's
        `name:`."""
        quantities = self.params | self.nodes
        no_output = self.level.model.output is None and not self.nodes  # else the last node is the output
        for i, step in enumerate(steps):
            path = base + (i,)
            if isinstance(step, AskCommon):
                for j, mis in enumerate(step.misconceptions):
                    if mis.expr is not None:
                        self.expr(path + ("misconceptions", j, "expr"), mis.expr, scope)
            if isinstance(step, Forward):
                self.ref(path + ("forward",), step.forward, self.nodes, "node")
            elif isinstance(step, Local):
                self.local(path, step)
            elif isinstance(step, Gradient):
                self.ref(path + ("gradient",), step.gradient, quantities, "node or parameter")
                if step.of is not None:
                    self.ref(path + ("of",), step.of, quantities, "node or parameter")
                elif no_output:
                    self.error(path + ("gradient",), "the gradient of what? the model has no nodes",
                               "add `of: <parameter>` to the step, or nodes to the model")
            elif isinstance(step, Ask):
                self.expr(path + ("value",), step.value, scope)
            elif isinstance(step, Vector):
                for j, text in enumerate(step.vector):
                    self.expr(path + ("vector", j), text, scope)
            elif isinstance(step, Update):
                if isinstance(step.update, str):
                    self.ref(path + ("update",), step.update, self.params, "parameter")
                for j, name in enumerate(step.update if isinstance(step.update, list) else []):
                    self.ref(path + ("update", j), name, self.params, "parameter")
                if no_output:
                    self.error(path + ("update",), "an update descends the model's output, and it has no nodes",
                               "add nodes to the model")
            elif isinstance(step, Set):
                for name, text in step.set.items():
                    self.ref(path + ("set", name), name, self.params, "parameter")
                    self.expr(path + ("set", name), str(text), scope)
            elif isinstance(step, Choose) and step.choose.answer > len(step.choose.options):
                self.error(path + ("choose", "answer"),
                           f"answer {step.choose.answer} but there are only {len(step.choose.options)} options")
            elif isinstance(step, Probe):
                self.probe(path + ("probe",), step.probe, scope)
            elif isinstance(step, Guess):
                self.guess(path + ("guess",), step.guess)
                if isinstance(step.guess.secret, str):
                    self.expr(path + ("guess", "secret"), step.guess.secret, scope)
            elif isinstance(step, Iterate):
                spec, at = step.iterate, path + ("iterate",)
                inner = set(scope)
                self.steps(spec.steps, at + ("steps",), inner)
                self.expr(at + ("until", "expr"), spec.until.expr, inner)
                for j, item in enumerate(spec.table):
                    self.expr(_shown_at(at + ("table", j), item), expr_of(item), inner)
                scope |= inner  # the last iteration's answers stay known
            elif isinstance(step, Train):
                self.train(path + ("train",), step.train, scope)
            if isinstance(step, AskCommon) and step.name is not None:
                self.fresh(path + ("name",), step.name, self.kinds, key=False)
                scope.add(step.name)

    def local(self, path, step: Local):
        self.ref(path + ("local",), step.local, self.nodes, "node")
        tree = self.trees.get(step.local)
        inputs = sorted({n.id for n in _name_nodes(tree) if n.id in self.kinds}) if tree else []
        if tree is not None and step.wrt not in inputs:
            inputs = ", ".join(inputs)
            self.error(path + ("wrt",), f"'{step.wrt}' is not an input of {step.local} = "
                       f"{self.level.model.nodes[step.local]}", f"its inputs are: {inputs}" if inputs else None)

    def probe(self, at, spec, scope):
        known = scope | set(spec.inputs)
        for name, text in spec.outputs.items():  # each output may use the earlier ones
            self.expr(at + ("outputs", name), text, known)
            known.add(name)
        for name in spec.noise:
            self.ref(at + ("noise", name), name, set(spec.outputs), "output")
        for j, text in enumerate(spec.show):
            self.expr(at + ("show", j), text, known)
        self.expr(at + ("goal", "expr"), spec.goal.expr, known)
        for name, (lo, hi) in spec.range.items():
            if name not in spec.inputs:
                self.unknown(at + ("range", name), name, spec.inputs, "input")
            elif not lo < hi:
                self.error(at + ("range", name), f"the range [{lo:g}, {hi:g}] holds no input", "write [lo, hi] with lo < hi")

    def guess(self, at, spec):
        """A secret the player can hit, and feedback bands that cover every miss once."""
        secret = spec.secret
        if isinstance(secret, Between) and not secret.integer and spec.within == 0:
            self.error(at + ("secret",), "a secret drawn from a continuous range can never be typed exactly",
                       "add `within:` (how close a guess must be), or `integer: true`")
        if not spec.bands:
            return
        bands = sorted(enumerate(spec.bands), key=lambda b: -math.inf if b[1].min is None else b[1].min)
        reach = -math.inf
        for j, band in bands:
            lo = -math.inf if band.min is None else band.min
            hi = math.inf if band.max is None else band.max
            if lo > reach and not (reach >= -spec.within and lo <= spec.within):
                self.error(at + ("bands", j), f"no band says anything for a guess − secret between {_num(reach)} "
                                              f"and {_num(lo)}", "make the bands meet: each min the max of another")
            elif lo < reach:
                self.error(at + ("bands", j), f"this band overlaps another between {_num(lo)} and {_num(min(reach, hi))}: "
                                              "only the first one listed is ever said", "make the bands meet without overlapping")
            reach = max(reach, hi)
        if reach < math.inf:
            self.error(at + ("bands",), f"no band says anything for a guess − secret of {_num(reach)} or more",
                       "leave out the last band's max")

    def train(self, at, spec, scope):
        for j, c in enumerate(spec.choose):
            self.choosable(at + ("choose", j), c)
        self.ref(at + ("loss",), spec.loss, self.nodes, "node")
        for j, name in enumerate(spec.params):
            self.ref(at + ("params", j), name, self.params, "parameter")
        metrics = self.nodes | ({"accuracy"} if self._has_accuracy() else set())
        for j, name in enumerate(spec.metrics):
            self.ref(at + ("metrics", j), name, metrics, "metric")
        if spec.lr_schedule is not None:
            self.expr(at + ("lr_schedule",), spec.lr_schedule, scope | {"k", "steps", "lr"})
        if spec.win is not None:
            self.expr(at + ("win", "expr"), spec.win.expr, scope | set(spec.metrics))

    def choosable(self, at, c):
        """A setting the player chooses: a range training can run with, that holds its default."""
        if c.min > c.max:
            self.error(at + ("min",), f"min {c.min:g} is above max {c.max:g}", "swap them")
            return
        if not c.min <= c.default <= c.max:
            self.error(at + ("default",), f"the default {c.default:g} is outside [{c.min:g}, {c.max:g}]")
        if c.name == "lr" and c.min <= 0:
            self.error(at + ("min",), f"a learning rate of {c.min:g} does not descend (0 stands still, a negative "
                                      "one climbs)", "start the range above 0, e.g. min: 0.001")
        if c.name in ("steps", "batch_size") and c.min < 1:
            self.error(at + ("min",), f"{c.name} must be at least 1, and min is {c.min:g}", "use min: 1")
        if c.name in ("steps", "batch_size") and any(v != int(v) for v in (c.min, c.max, c.default)):
            self.error(at, f"{c.name} is a whole number: give min, max and default as whole numbers")

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
            if isinstance(step, Choose):
                texts += [(path + ("choose", "options", j), o) for j, o in enumerate(step.choose.options)]
                texts += [(path + ("choose", "why", j), w) for j, w in enumerate(step.choose.why) if w is not None]
            elif isinstance(step, Order):
                texts += [(path + ("order", j), o) for j, o in enumerate(step.order)]
            elif isinstance(step, Match):
                texts += [(path + ("match", j, k), t) for j, pair in enumerate(step.match) for k, t in enumerate(pair)]
            elif isinstance(step, Guess):
                texts += [(path + ("guess", "bands", j, "say"), b.say) for j, b in enumerate(step.guess.bands)]
        return texts

    def plot(self, at, plot):
        known = set(self.kinds)
        if isinstance(plot, CurvePlot):
            for j, item in enumerate(plot.curve):
                self.expr(_shown_at(at + ("curve", j), item), expr_of(item), known | {plot.over})
            if plot.range[0] >= plot.range[1]:
                self.error(at + ("range",), "the range must go from low to high")
        elif isinstance(plot, ContourPlot):
            for j, name in enumerate(plot.over):
                self.ref(at + ("over", j), name, self.params, "parameter")
            self.expr(at + ("contour",), plot.contour, known)
            for key in ("x", "y"):
                low, high = getattr(plot, key)
                if low >= high:
                    self.error(at + (key,), "the range must go from low to high")
        elif isinstance(plot, TargetPlot):
            outputs = {name for step in self.level.steps if isinstance(step, Probe) for name in step.probe.outputs}
            for j, name in enumerate(plot.target):
                self.ref(at + ("target", j), name, outputs, "probe output")
        elif isinstance(plot, TrainingPlot):
            metrics = self.nodes | ({"accuracy"} if self._has_accuracy() else set())
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
