"""The computation graph as seed 000's `draw_dot` draws it, with only what the player may see.

A value box per parameter, data array and named node (`label | data | grad`), an operation node
per engine operation between them (constants folded into the operation: `*2`, `+1`, `**2`), and
an edge per use: a node used twice sends two edges. What is still `?` is decided by
`graph_view.cards` (the leak rule); a local derivative is written on its edge (and a node's rule,
Enter in the graph, gets its numbers) once the player has worked it out (a `local` ask, the input's
gradient, or a gradient carried through it to the output, unless an ask still to come wants it),
and always once the level is over.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from gradquest.engine.explain import MINUS, number, rule_formula, rule_with_numbers, rule_words, written_powers
from gradquest.engine.graph import local_derivatives
from gradquest.engine.ops import POW_CONST
from gradquest.figures.graph_cards import HIDDEN, cards
from gradquest.figures.hiding import hidden_now
from gradquest.game.memo import per_object
from gradquest.game.naming import in_words
from gradquest.levels.kinds import kind_of
from gradquest.levels.schema import every_step

_SYMBOL = {"add": "+", "sub": MINUS, "mul": "*", "div": "/", "neg": MINUS, "powv": "^", "matmul": "@"}
MAX_CONST = 8  # characters of a folded constant
DIGITS = 4  # significant digits in the boxes and on the edges, as draw_dot's %.4f


@dataclass
class Node:
    id: str  # a value's name, or "name#k" for the k-th operation under a named node
    kind: str  # "value" or "op"
    label: str
    value: str = ""  # what the box shows: the game's number, a shape, or "?"
    grad: str = ""
    expr: str = ""  # a named node's expression as the level writes it
    lit: bool = False
    rules: list[str] = field(default_factory=list)  # the rule of each input, numbers once known
    owner: str = ""  # for an operation: the named node it computes (part of)
    first: str = ""  # an array too large for its box (which shows its shape): its first rows or entries
    of: str = ""  # the output the ∇ is of, when it is not the level's output (∇g −8: ∂g/∂x = −8)


@dataclass
class Edge:
    src: str
    dst: str
    label: str = ""  # the local derivative along this use, "×3", once known
    lit: bool = False


@dataclass
class Picture:
    nodes: dict[str, Node]
    edges: list[Edge]
    output: str | None = None
    _inputs: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    def inputs(self, node_id: str) -> list[str]:
        """What flows into a node, an entry per edge (indexed once: a picture's edges are not changed
        once it is built, only their labels)."""
        if self._inputs is None:
            self._inputs = {}
            for e in self.edges:
                self._inputs.setdefault(e.dst, []).append(e.src)
        return list(self._inputs.get(node_id, ()))


def picture(session) -> Picture:
    """The graph of the session's model as the player may see it now."""
    world, model = session.world, session.level.model
    shown = {c.name: c for c in cards(session)}
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    hidden = hidden_now(session)
    roots = {name: world.named[name] for name in model.nodes if name in world.named}
    if model.network is not None:  # its layers: z1, h1, …, net
        roots = {**{n: v for n, v in world.nodes.items() if n not in model.nodes}, **roots}
    ops: dict[str, list] = {}  # named node → its operation Values and their ids

    def value_box(name: str) -> str:
        if name not in nodes:
            card = shown.get(name)
            v = world.named.get(name)
            data = v.data if v is not None else None
            grad = world.gradients(card.of_name).get(v) if card and card.grad != HIDDEN and world.nodes else None
            nodes[name] = Node(name, "value", card.label or name if card else session.level.label(name, session.lang),
                               _short(card.value, data) if card else _shape_or_number(data, name, roots, session),
                               (_short(card.grad, grad) if grad is not None else card.grad) if card else "",
                               expr=card.expr if card else "", of=card.of or "" if card else "")
            nodes[name].first = _first(data, nodes[name].value)
        return name

    def op_tree(owner: str, v, k: list) -> str:
        chain = [v]  # an operation of one input that is itself an operation shares its box
        while len(ins := [p for p in chain[0]._prev if not _constant(p)]) == 1 and not ins[0].label \
                and ins[0]._fn is not None:
            chain.insert(0, ins[0])
        op_id = f"{owner}#{len(k)}"
        k.append((op_id, chain))
        nodes[op_id] = Node(op_id, "op", "\n".join(map(_op_label, chain)), owner=owner)
        for p in chain[0]._prev:
            if _constant(p):
                continue
            if p.label and p.label not in hidden:
                edges.append(Edge(value_box(p.label), op_id))
            elif p.label:  # hidden: its own operations are drawn in its place
                edges.append(Edge(op_tree(p.label, world.named[p.label], k), op_id))
            else:
                edges.append(Edge(op_tree(owner, p, k), op_id))
        return op_id

    for name, root in roots.items():
        if name in hidden:
            continue
        value_box(name)
        if root._fn is None:
            continue
        ops[name] = []
        edges.append(Edge(op_tree(name, root, ops[name]), name))
    _label_edges(session, nodes, edges, ops)
    out = world.output.label if world.nodes else None
    pic = Picture(nodes, edges, out if out in nodes else None)
    _light(session, pic)
    return pic


# ---- operations and constants
def _constant(v) -> bool:
    return not v.label and (v._fn is None or all(_constant(p) for p in v._prev))


def _op_label(v) -> str:
    fn = v._fn
    if fn is POW_CONST:  # a square reads ()², as a player writes it
        return written_powers(f"()^{number(v._arg)}")
    symbol = _SYMBOL.get(fn.name, fn.symbol)
    consts = [_constant(p) for p in v._prev]
    if len(v._prev) == 2 and any(consts):
        c = _constant_text(v._prev[consts.index(True)].data)
        c = c[:MAX_CONST]
        return f"{symbol}{c}" if consts[1] or fn.name in ("add", "mul") else f"{c}{symbol}"
    return symbol


def _constant_text(data) -> str:
    """A folded constant: its number (π where it is π, as the file wrote pi), "c" for an array."""
    if np.size(data) != 1:
        return "c"
    x = float(np.ravel(data)[0])
    return "π" if x == math.pi else MINUS + "π" if x == -math.pi else number(x)


def _short(shown: str, data) -> str:
    """A number the leak rule lets us show, with draw_dot's four significant digits."""
    if shown == HIDDEN or data is None or np.ndim(data) != 0:
        return shown
    return number(float(data), DIGITS)


def _shape_or_number(data, name, roots, session) -> str:
    if data is None:
        return HIDDEN
    if np.ndim(data) == 0:
        return number(float(data), DIGITS) if session.done or name not in roots else HIDDEN
    return number(np.asarray(data), DIGITS) if np.size(data) <= 4 else "×".join(map(str, np.shape(data)))


def _first(data, shown: str) -> str:
    """An array whose box shows only its shape (a data set, a layer over it): its first two rows
    (or four entries), as Enter on the box says them."""
    if data is None or np.ndim(data) == 0 or shown != "×".join(map(str, np.shape(data))):
        return ""
    data = np.asarray(data)
    def entries(x) -> str:
        return ", ".join([number(v, DIGITS) for v in x[:4]] + ["…"] * (x.size > 4))
    if data.ndim == 1:
        return entries(data)
    rows = data.reshape(data.shape[0], -1)
    return ", ".join([f"({entries(row)})" for row in rows[:2]] + ["…"] * (len(rows) > 2))


# ---- local derivatives on edges
def _known_local(session, node: str, wrt: str, through: set[str] = frozenset(), later: set = frozenset()) -> bool:
    """∂node/∂wrt is worked out: asked (a `local` ask, wrt's gradient), or passed through on the way
    to a gradient the player has worked out (`through`), unless an ask still to come wants it (`later`)."""
    return (session.done or ("local", f"{node} {wrt}") in session.known or ("grad", wrt) in session.known
            or (wrt in through and node in through and not {("grad", wrt), ("local", f"{node} {wrt}")} & later))


def _worked_through(session) -> set[str]:
    """The names a gradient the player has worked out was carried through: its own and every name
    computed from it on the way to the output (the chain rule multiplies their local derivatives)."""
    world = session.world
    todo = [a for kind, a in session.known if kind == "grad" and a in world.named]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(world.consumers(name))
    return {n for n in seen if world.reaches(n)}


def _asked_later(session) -> set:
    """What the asks from the current one on will have the player work out: ("grad" | "local", …)."""
    stage = session.stage
    if stage is None:
        return set()
    return {k for k, last in _last_asked(session.level, session.world).items() if last >= stage.step}


@per_object
def _last_asked(level, world) -> dict:
    """For each thing an ask has the player work out, the last step that asks it (once per play)."""
    last = {}
    for index, step in enumerate(level.steps):
        for _, s in every_step([step]):
            if (k := kind_of(s).known(s, world)) is not None:
                last[k] = index
    return last


def _label_edges(session, nodes, edges, ops) -> None:
    """Write ∂node/∂input on every edge that leaves a value box into a named node's operations,
    as the product of the operations' local derivatives from that edge up to the node."""
    out_of = {e.src: e for e in edges if nodes[e.src].kind == "op"}  # an operation feeds one thing
    def said(rule: str) -> str:  # the engine writes the model's names; the player reads their labels
        return in_words(session.level, rule, session.lang)
    chains = {op_id: chain for k in ops.values() for op_id, chain in k}
    incoming: dict[str, list[Edge]] = {}  # indexed once: looking them up edge by edge is quadratic
    from_values: dict[str, list[Edge]] = {}  # by the named node the operation it enters computes
    for e in edges:
        incoming.setdefault(e.dst, []).append(e)
        if nodes[e.src].kind == "value":
            from_values.setdefault(nodes[e.dst].owner, []).append(e)
    through, later = _worked_through(session), _asked_later(session)
    world = session.world
    gradients, out = (world.gradients(), world.output.label) if world.nodes else ({}, "L")
    def rule(v, slot: int, with_numbers: bool) -> str:
        return _rule(v, slot, with_numbers, gradients.get(v), out, session.lang)
    def known(node: str, wrt: str) -> bool:
        return _known_local(session, node, wrt, through, later)
    for owner, k in ops.items():
        all_known = all(known(owner, e.src) for e in from_values.get(owner, ()))
        for op_id, chain in k:
            nodes[op_id].rules = [said(r) for v in chain for i in _slots(v) if (r := rule(v, i, all_known))]
        if k:
            nodes[owner].rules = [said(r) for v in k[0][1][-1:] for i in _slots(v) if (r := rule(v, i, all_known))]
    for e in edges:
        src, dst = nodes[e.src], nodes[e.dst]
        if src.kind != "value" or dst.kind != "op" or not known(dst.owner, e.src):
            continue
        product, here = 1.0, e
        while nodes[here.dst].kind == "op":
            chain = chains[here.dst]
            slot = _slots(chain[0])[[id(x) for x in incoming[here.dst]].index(id(here))]
            for v in chain:
                scalar = all(np.ndim(p.data) == 0 for p in (v, *v._prev))
                product = product * float(local_derivatives(v)[slot]) if scalar else np.nan
                if v is not chain[-1]:
                    slot = _slots(chain[chain.index(v) + 1])[0]
            here = out_of[here.dst]
        if np.isfinite(product):
            e.label = "×" + number(product, DIGITS)


def _slots(v) -> list[int]:
    return [i for i, p in enumerate(v._prev) if not _constant(p)]


def _rule(v, slot: int, with_numbers: bool, upstream=None, out: str = "L", lang: str = "en") -> str:
    """An input's rule at an operation. An op over arrays says what it sends back, and why in words
    ("∂L/∂W = δ·xᵀ: each entry is …"), with the numbers of the output's gradient arriving at it."""
    if slot >= len(v._fn.rules):
        return ""
    if all(np.ndim(p.data) == 0 for p in (v, *v._prev)):
        return rule_with_numbers(v, slot) if with_numbers else rule_formula(v, slot)
    arriving = upstream if with_numbers and upstream is not None and np.any(upstream) else None
    formula = rule_with_numbers(v, slot, arriving, out) if with_numbers else rule_formula(v, slot, out)
    return f"{formula}{'：' if lang == 'zh' else ': '}{rule_words(v, slot, lang)}"


# ---- what the current ask is about
def _light(session, pic: Picture) -> None:
    stage = session.stage
    step = getattr(stage, "source", None) if stage is not None else None
    if step is None:
        return
    nodes, edges = pic.nodes, pic.edges
    lit = kind_of(step).lit(step)
    if lit is not None and lit[1] in nodes:
        how, name, other = lit
        if how != "paths":
            nodes[name].lit = True
        if how == "tree":
            if other in nodes:
                nodes[other].lit = True
            _light_tree(pic, name, other)
        elif how == "paths":
            target = other or pic.output
            ahead = _reach(edges, name, forward=True)
            behind = _reach(edges, target, forward=False) if target in nodes else set()
            on_path = ahead & behind
            for n in on_path:
                nodes[n].lit = True
            for e in edges:
                e.lit = e.src in on_path and e.dst in on_path
    elif stage.node in nodes:
        nodes[stage.node].lit = True


def _light_tree(pic: Picture, owner: str, only_from: str | None) -> None:
    """Light a named node's operations and the edges into them (from one input, or from all)."""
    tree = {n.id for n in pic.nodes.values() if n.owner == owner} | {owner}
    if only_from is not None:
        tree = (tree & _reach(pic.edges, only_from, forward=True)) | {only_from}
    for n in tree:
        pic.nodes[n].lit = True
    for e in pic.edges:
        e.lit = e.dst in tree and (only_from is None or e.src in tree)


def _reach(edges: list[Edge], start: str, forward: bool) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        here = todo.pop()
        for e in edges:
            a, b = (e.src, e.dst) if forward else (e.dst, e.src)
            if a == here and b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


# ---- the same graph as text, one line per value
MAX_INDENT = 12  # levels of indentation in the list: a 200-deep chain stays readable


def as_lines(pic: Picture, words: dict[str, str]) -> list[str]:
    """An indented list, one line per value: its expression, what is shown of it and its inputs,
    indented by its distance from the parameters; the current ask's nodes are marked ▸."""
    return [line for _, line in listed(pic, words)]


def listed(pic: Picture, words: dict[str, str]) -> list[tuple[str, str]]:
    """`as_lines` with the value each line is about: (node id, line)."""
    named_inputs = {n.id: _value_inputs(pic, n.id) for n in pic.nodes.values() if n.kind == "value"}
    depth: dict[str, int] = {}
    for name in named_inputs:  # in dependency order, without recursion (a chain may be long)
        todo = [name]
        while todo:
            here = todo[-1]
            waiting = [m for m in named_inputs[here] if m not in depth]
            if waiting:
                todo.extend(waiting)
                continue
            todo.pop()
            depth[here] = 1 + max((depth[m] for m in named_inputs[here]), default=-1)
    order = {name: i for i, name in enumerate(pic.nodes)}
    lines = []
    for name in sorted(named_inputs, key=lambda m: (depth[m], order[m])):
        n = pic.nodes[name]
        parts = [f"{words['value']} {n.value}"] + ([f"{words['grad']} {of_label(n)}{n.grad}"] if n.grad else [])
        if named_inputs[name]:
            parts.append(f"{words['inputs']} {', '.join(pic.nodes[m].label for m in named_inputs[name])}")
        head = f"{n.label} = {n.expr}" if n.expr else n.label
        lines.append((name, "  " * min(depth[name], MAX_INDENT) + ("▸ " if n.lit else "") + head + "   "
                      + " · ".join(parts)))
    return lines


def of_label(node: Node) -> str:
    """Which output a gradient is of, when it is not the level's: "∂g/∂x " before the number."""
    return f"∂{node.of}/∂{node.label} " if node.of else ""


def _value_inputs(pic: Picture, node_id: str) -> list[str]:
    """The value boxes that feed a value through its operations, each once, in order of use."""
    found: dict[str, None] = {}
    todo = pic.inputs(node_id)[::-1]
    while todo:
        here = todo.pop()
        if pic.nodes[here].kind == "value":
            found.setdefault(here)
        else:
            todo.extend(pic.inputs(here)[::-1])
    return list(found)
