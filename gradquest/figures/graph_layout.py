"""Where each box of the computation graph goes: left to right, by grandalf's Sugiyama layout
(layers, crossing reduction, Brandes–Köpf positions), in character cells.

grandalf lays graphs out top to bottom, so it is handed each box turned on its side: its height
in rows is grandalf's width. A box's height is made symmetric around the row its edges use, so
grandalf's centres are those rows and a chain of boxes lines up on one row.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

from gradquest.figures.graph_model import Picture

GAP_ROWS = 1  # blank rows between two boxes of a layer
GAP_COMPONENTS = 1  # blank rows between two unconnected parts of the graph


@dataclass
class Box:
    id: str
    layer: int
    x: int = 0  # left column
    y: int = 0  # top row
    w: int = 0
    h: int = 0
    port: int = 1  # the row (from the top) where edges leave it
    ins: int = 1  # rows (from the top, starting at 1) where edges arrive: 1 … ins


@dataclass
class Layout:
    boxes: dict[str, Box]
    layers: int
    # each picture edge as its chain of points: (layer, row) for the source, every layer it
    # passes through, and the target
    routes: list[list[tuple[int, int]]] = field(default_factory=list)
    in_rows: list[int] = field(default_factory=list)  # the row each edge arrives at its target


def cells(s: str) -> int:
    """How many terminal cells a text takes: Chinese characters take two."""
    if s.isascii():
        return len(s)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def box_size(pic: Picture, node_id: str) -> tuple[int, int]:
    n = pic.nodes[node_id]
    if n.kind == "op":
        lines = n.label.split("\n")
        return max(map(len, lines)) + 4, 2 + max(len(lines), len(pic.inputs(node_id)))
    width = max(cells(n.label) + 5, cells(n.value) + 4, cells(n.of + n.grad) + 6 if n.grad else 0, 7)
    return width, 4 if n.grad else 3


MAX_WORK = 120  # boxes plus the layers edges pass through: grandalf's cost grows faster than this


def work(pic: Picture) -> int:
    """How much there is to lay out: a vertex per box and one per layer an edge crosses without
    stopping (grandalf adds a dummy vertex there). Layers are counted by longest path, as grandalf
    starts; a chain whose every node reads one leaf is n boxes but n²/2 crossings. Linear."""
    ins: dict[str, list[str]] = {}
    for e in pic.edges:
        ins.setdefault(e.dst, []).append(e.src)
    rank: dict[str, int] = {}
    for start in pic.nodes:  # depth-first, without recursion: a chain may be long
        todo = [start]
        while todo:
            here = todo[-1]
            waiting = [m for m in ins.get(here, ()) if m not in rank]
            if waiting:
                todo.extend(waiting)
                continue
            todo.pop()
            rank[here] = 1 + max((rank[m] for m in ins.get(here, ())), default=-1)
    return len(pic.nodes) + sum(max(0, rank[e.dst] - rank[e.src] - 1) for e in pic.edges)


_CACHE: dict[tuple, Layout] = {}
CACHED = 32  # layouts kept: a level's graph keeps its shape while its numbers change


def layout(pic: Picture, gap_rows: int = GAP_ROWS) -> Layout:
    """Boxes in layers and rows. Only the graph's shape and the boxes' heights decide it, so it
    is computed once per shape; widths (which change as numbers appear) are filled in each time."""
    sizes = {i: box_size(pic, i) for i in pic.nodes}
    key = (tuple(pic.nodes), tuple((e.src, e.dst) for e in pic.edges), tuple(h for _, h in sizes.values()), gap_rows)
    if key not in _CACHE:
        if len(_CACHE) >= CACHED:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = lay_out(pic, gap_rows)
    cached = _CACHE[key]
    boxes = {i: replace(b, w=sizes[i][0]) for i, b in cached.boxes.items()}
    return Layout(boxes, cached.layers, [list(r) for r in cached.routes], list(cached.in_rows))


def lay_out(pic: Picture, gap_rows: int) -> Layout:
    from grandalf.graphs import Edge as GEdge  # noqa: PLC0415 (imported with the first graph drawn)
    from grandalf.graphs import Graph, Vertex  # noqa: PLC0415
    from grandalf.layouts import SugiyamaLayout  # noqa: PLC0415

    ids = list(pic.nodes)
    vertex = {i: Vertex(i) for i in ids}
    boxes: dict[str, Box] = {}
    for i in ids:
        w, h = box_size(pic, i)
        port = 1
        vertex[i].view = _View(2 * max(port, h - 1 - port) + 1, w)
        boxes[i] = Box(i, 0, w=w, h=h, port=port, ins=max(1, len(pic.inputs(i))))
    pairs = list(dict.fromkeys((e.src, e.dst) for e in pic.edges))
    graph = Graph(list(vertex.values()), [GEdge(vertex[a], vertex[b]) for a, b in pairs])
    centre: dict[object, float] = {}
    rank: dict[object, int] = {}
    ctrls: dict[tuple[str, str], dict[int, object]] = {}
    top = 0.0
    for component in sorted(graph.C, key=lambda c: ids.index(c.sV[0].data)):
        sug = SugiyamaLayout(component)
        sug.xspace, sug.dw, sug.dh = gap_rows, 1, 0
        sug.init_all(roots=[v for v in component.sV if not v.e_in()], optimize=True)
        sug.draw(3)
        placed = [v for layer in sug.layers for v in layer]
        low = min(v.view.xy[0] - v.view.w / 2 for v in placed)
        high = max(v.view.xy[0] + v.view.w / 2 for v in placed)
        for v in placed:
            centre[v] = v.view.xy[0] - low + top
            rank[v] = sug.grx[v].rank
        for e in component.sE:
            ctrls[(e.v[0].data, e.v[1].data)] = sug.ctrls.get(e, {})
        top += high - low + GAP_COMPONENTS
    for i in ids:
        box = boxes[i]
        box.layer = rank[vertex[i]]
        box.y = round(centre[vertex[i]]) - box.port
    real = set(vertex.values())
    dummies = {d: Box("", d.rank, y=round(centre[d]), h=1, port=0) for c in ctrls.values() for d in c.values()
               if d not in real}
    _separate([*boxes.values(), *dummies.values()], gap_rows)
    n_layers = 1 + max(b.layer for b in boxes.values())
    result = Layout(boxes, n_layers)
    for e in pic.edges:
        a, b = boxes[e.src], boxes[e.dst]
        chain = ctrls.get((e.src, e.dst), {})
        route = [(a.layer, a.y + a.port)]
        route += [(r, dummies[chain[r]].y) for r in range(a.layer + 1, b.layer)]
        route.append((b.layer, b.y))  # the arrival row is chosen below
        result.routes.append(route)
    _arrivals(pic, result)
    return result


class _View:
    def __init__(self, w: float, h: float):
        self.w, self.h = w, h
        self.xy = (0.0, 0.0)


def _separate(items: list[Box], gap_rows: int) -> None:
    """Rounding may bring two boxes (or an edge passing through) of a layer too close: push them
    apart, then start the picture at row 0."""
    by_layer: dict[int, list[Box]] = {}
    for b in items:
        by_layer.setdefault(b.layer, []).append(b)
    for column in by_layer.values():
        column.sort(key=lambda b: b.y)
        for upper, lower in zip(column, column[1:]):
            lower.y = max(lower.y, upper.y + upper.h + (gap_rows if upper.id and lower.id else 0))
    low = min(b.y for b in items)
    for b in items:
        b.y -= low


def _arrivals(pic: Picture, result: Layout) -> None:
    """Each edge into a box gets its own row on the box's left side, in the order the edges come
    from (top to bottom), so no two arrows share a row and two uses of one value are two arrows."""
    result.in_rows = [0] * len(pic.edges)
    incoming: dict[str, list[int]] = {}
    for k, e in enumerate(pic.edges):
        incoming.setdefault(e.dst, []).append(k)
    for dst, ks in incoming.items():
        box = result.boxes[dst]
        ks.sort(key=lambda k: (result.routes[k][-2][1] if len(result.routes[k]) > 1 else 0, k))
        for slot, k in enumerate(ks):
            row = box.y + (1 + slot if pic.nodes[dst].kind == "op" else box.port)
            result.in_rows[k] = row
            result.routes[k][-1] = (box.layer, row)
