"""The computation graph drawn in character cells with box-drawing lines: value boxes
(`label` in the top border, the data, then `∇` the gradient), rounded operation boxes, edges with
arrowheads and their local derivatives. What the current ask is about is drawn heavy (┏━┓), so
it shows without colour too. Each cell also gets a style name for a front end to colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from gradquest.figures.graph_layout import MAX_WORK, Box, Layout, cells, layout, work
from gradquest.figures.graph_model import HIDDEN, Picture, listed

N, E, S, W = 1, 2, 4, 8
_LIGHT = {E | W: "─", E: "─", W: "─", N | S: "│", N: "│", S: "│", E | S: "┌", W | S: "┐", N | E: "└",
          N | W: "┘", N | E | S: "├", N | W | S: "┤", E | W | S: "┬", E | W | N: "┴", N | E | S | W: "┼"}
_HEAVY = {k: v.translate(str.maketrans("─│┌┐└┘├┤┬┴┼", "━┃┏┓┗┛┣┫┳┻╋")) for k, v in _LIGHT.items()}
ARROW = "▶"
GRAD = "∇"


@dataclass
class Drawing:
    width: int
    height: int
    chars: list[list[str]]
    styles: list[list[str]]  # "", "line", "lit", "box", "box-lit", "hidden", "label"
    boxes: dict[str, Box]
    arrows: list[tuple[int, int, int]]  # (edge index, row, column) of every arrowhead drawn

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.chars]

    def text(self) -> str:
        return "\n".join(self.lines())

    def runs(self, y: int) -> list[tuple[str, str]]:
        """Row y as (characters, style name) runs, a run per stretch of one style."""
        chars, styles = self.chars[y], self.styles[y]
        out: list[tuple[str, str]] = []
        start = 0
        for x in range(1, self.width + 1):
            if x == self.width or styles[x] != styles[start]:
                out.append(("".join(chars[start:x]), styles[start]))
                start = x
        return out


def drawn(pic: Picture, words: dict[str, str], width: int | None = None, height: int | None = None) -> Drawing:
    """What a front end shows: `draw`, or for a graph too large to lay out at once (`MAX_WORK`) the
    line player's list under the heading `words["too_large"]`, a line per value that the arrows walk
    as they walk boxes."""
    if work(pic) <= MAX_WORK:
        return draw(pic, width, height)
    return as_text([("", words["too_large"].format(n=len(pic.nodes))), ("", "")] + listed(pic, words))


def as_text(lines: list[tuple[str, str]]) -> Drawing:
    """Lines as a drawing: a line with an id is that node's box, one row high and as wide as the
    drawing (so ↑ ↓ go to the line above and below); a line without one is a heading."""
    width = max((cells(line) for _, line in lines), default=0)
    chars, styles, boxes = [], [], {}
    for y, (node_id, line) in enumerate(lines):
        row = [c for ch in line for c in ((ch, "") if cells(ch) == 2 else (ch,))]
        chars.append(row + [" "] * (width - len(row)))
        styles.append([("text" if node_id else "label")] * len(row) + [""] * (width - len(row)))
        if node_id:
            boxes[node_id] = Box(node_id, 0, 0, y, width, 1)
    return Drawing(width, len(lines), chars, styles, boxes, [])


def draw(pic: Picture, width: int | None = None, height: int | None = None) -> Drawing:
    """The drawing; given the room there is, it is made to fit if it can: first without the
    blank row between boxes, then with only the current ask's edges labelled on the edges and the
    other local derivatives listed under the graph (∂n/∂b = 1), where rows are to spare. What still
    does not fit is panned by the front end, never cut."""
    if not pic.nodes:
        return Drawing(0, 0, [], [], {}, [])
    drawing = render(pic, layout(pic))
    if height is not None and drawing.height > height:
        tight = render(pic, layout(pic, gap_rows=0))
        drawing = tight if tight.height < drawing.height else drawing
        gap = 0 if tight is drawing else 1
    else:
        gap = 1
    if width is not None and drawing.width > width:
        labels = [e.label for e in pic.edges]
        for e in pic.edges:
            e.label = e.label if e.lit else ""
        drawing = render(pic, layout(pic, gap_rows=gap))
        for e, label in zip(pic.edges, labels):
            e.label = label
        drawing = _with_legend(drawing, legend(pic, [e for e in pic.edges if e.label and not e.lit]), width)
    return drawing


def legend(pic: Picture, edges) -> list[str]:
    """The local derivatives of edges drawn without their label, as ∂n/∂b = 1, each once."""
    def name(node_id: str) -> str:
        label = pic.nodes[node_id].label
        return label if not any(c in label for c in " +−-·*/") else f"({label})"
    return list(dict.fromkeys(f"∂{name(pic.nodes[e.dst].owner)}/∂{name(e.src)} = {e.label[1:]}" for e in edges))


def _with_legend(drawing: Drawing, entries: list[str], width: int) -> Drawing:
    """The drawing with `entries` written under it, as many on a row as the width holds."""
    if not entries:
        return drawing
    rows: list[str] = [""]
    for entry in entries:
        joined = f"{rows[-1]}   {entry}" if rows[-1] else entry
        if rows[-1] and cells(joined) > width:
            rows.append(entry)
        else:
            rows[-1] = joined
    w = max(drawing.width, *(cells(r) for r in rows))
    chars = [row + [" "] * (w - len(row)) for row in drawing.chars] + [[" "] * w]
    styles = [row + [""] * (w - len(row)) for row in drawing.styles] + [[""] * w]
    for r in rows:
        line = [c for ch in r for c in ((ch, "") if cells(ch) == 2 else (ch,))]
        chars.append(line + [" "] * (w - len(line)))
        styles.append(["label"] * len(line) + [""] * (w - len(line)))
    return Drawing(w, len(chars), chars, styles, drawing.boxes, drawing.arrows)


def render(pic: Picture, lay: Layout) -> Drawing:
    boxes = lay.boxes
    layer_width = [0] * lay.layers
    for b in boxes.values():
        layer_width[b.layer] = max(layer_width[b.layer], b.w)
    # what each gap between two layers carries: (edge index, from row, to row, lands on a box)
    gaps: list[list[tuple[int, int, int, bool]]] = [[] for _ in range(lay.layers)]
    for k, route in enumerate(lay.routes):
        for j, ((r0, y0), (_, y1)) in enumerate(zip(route, route[1:])):
            gaps[r0].append((k, y0, y1, j == len(route) - 2))
    tracks: list[dict[int, int]] = []  # per gap: edge index → track number
    label_width = []
    for segs in gaps:
        tracks.append(_tracks(segs, pic, lay))
        label_width.append(max((len(pic.edges[k].label) for k, *_, last in segs if last), default=0))
    left = [0] * lay.layers
    gap_width = [0] * lay.layers
    x = 0
    for r in range(lay.layers):
        left[r] = x
        n_tracks = 1 + max(tracks[r].values(), default=-1)
        gap_width[r] = 1 + n_tracks + (label_width[r] + 1 if label_width[r] else 0) + 1
        x += layer_width[r] + (gap_width[r] if r < lay.layers - 1 else 0)
    for b in boxes.values():
        b.x = left[b.layer]
    width = x
    height = max([b.y + b.h for b in boxes.values()] + [y + 1 for route in lay.routes for _, y in route])
    canvas = _Canvas(width, height)
    arrows = []
    for k, route in enumerate(lay.routes):
        edge = pic.edges[k]
        src = boxes[edge.src]
        for j, ((r0, y0), (r1, y1)) in enumerate(zip(route, route[1:])):
            start = src.x + src.w if j == 0 else left[r0]
            g0 = left[r0] + layer_width[r0]
            end = left[r1] - 1  # the arrowhead's column, or the next layer's first column - 1
            last = j == len(route) - 2
            t = g0 + 1 + tracks[r0].get(k, 0)
            if y0 == y1:
                canvas.hline(y0, start, end, edge.lit)
            else:
                canvas.hline(y0, start, t, edge.lit)
                canvas.vline(t, y0, y1, edge.lit)
                canvas.hline(y1, t, end, edge.lit)
            if not last:  # on through the next layer, where it has no box
                canvas.hline(y1, end, left[r1], edge.lit)
                continue
            if edge.label:
                lx = end - len(edge.label)
                canvas.text(y1, lx, edge.label, "label")
            canvas.put(y1, end, ARROW, "lit" if edge.lit else "line")
            arrows.append((k, y1, end))
    for node_id, b in boxes.items():
        _box(canvas, pic.nodes[node_id], b)
    chars, styles = canvas.finish()
    return Drawing(width, height, chars, styles, boxes, arrows)


def _tracks(segs, pic: Picture, lay: Layout) -> dict[int, int]:
    """A column in the gap for every edge that changes row there. Edges from one box share it
    (a fork); edges whose vertical runs do not overlap may share one too."""
    bends = [(min(y0, y1), max(y0, y1), k, y0) for k, y0, y1, _ in segs if y0 != y1]
    bends.sort(key=lambda s: (s[0], s[1], s[2]))
    used: list[list[tuple[int, int, str, int]]] = []
    result = {}
    for lo, hi, k, y0 in bends:
        owner = (pic.edges[k].src, y0)
        for t, spans in enumerate(used):
            if all(hi < a or lo > b or (own, oy) == owner for a, b, own, oy in
                   [(a, b, o[0], o[1]) for a, b, *o in spans]):
                spans.append((lo, hi, *owner))
                result[k] = t
                break
        else:
            used.append([(lo, hi, *owner)])
            result[k] = len(used) - 1
    return result


def _box(canvas: _Canvas, node, b: Box) -> None:
    heavy = node.lit
    tl, tr, bl, br, hz, vt = ("┏", "┓", "┗", "┛", "━", "┃") if heavy else \
        (("┌", "┐", "└", "┘", "─", "│") if node.kind == "value" else ("╭", "╮", "╰", "╯", "─", "│"))
    style = "box-lit" if heavy else "box"
    inner = b.w - 2
    if node.kind == "value":
        title = f" {node.label} "
        top = tl + hz + title + hz * (inner - cells(title) - 1) + tr
        rows = [node.value] + ([f"{GRAD}{node.of} {node.grad}"] if node.grad else [])
    else:
        top = tl + hz * inner + tr
        lines = node.label.split("\n")
        rows = lines + [""] * (b.h - 2 - len(lines))
    canvas.text(b.y, b.x, top, style)
    if node.kind == "value":
        canvas.text(b.y, b.x + 2, f" {node.label} ", "name")
    for i, row in enumerate(rows, start=1):
        canvas.text(b.y + i, b.x, vt, style)
        body = f" {row}" + " " * (inner - 1 - cells(row))
        canvas.text(b.y + i, b.x + 1, body, "text")
        canvas.text(b.y + i, b.x + b.w - 1, vt, style)
        mark = row.rfind(HIDDEN)
        if row.endswith(HIDDEN) and mark >= 0:
            canvas.text(b.y + i, b.x + 2 + mark, HIDDEN, "hidden")
    canvas.text(b.y + b.h - 1, b.x, bl + hz * inner + br, style)


class _Canvas:
    def __init__(self, width: int, height: int):
        self.w, self.h = width, height
        self.mask = [[0] * width for _ in range(height)]
        self.heavy = [[False] * width for _ in range(height)]
        self.over: dict[tuple[int, int], tuple[str, str]] = {}

    def _link(self, y: int, x: int, bits: int, lit: bool) -> None:
        if 0 <= y < self.h and 0 <= x < self.w:
            self.mask[y][x] |= bits
            self.heavy[y][x] |= lit

    def hline(self, y: int, x0: int, x1: int, lit: bool) -> None:
        a, b = min(x0, x1), max(x0, x1)
        for x in range(a, b + 1):
            self._link(y, x, (W if x > a else 0) | (E if x < b else 0) or E | W, lit)

    def vline(self, x: int, y0: int, y1: int, lit: bool) -> None:
        a, b = min(y0, y1), max(y0, y1)
        for y in range(a, b + 1):
            self._link(y, x, (N if y > a else 0) | (S if y < b else 0), lit)

    def put(self, y: int, x: int, ch: str, style: str) -> None:
        if 0 <= y < self.h and 0 <= x < self.w:
            self.over[(y, x)] = (ch, style)

    def text(self, y: int, x: int, s: str, style: str) -> None:
        if 0 <= y < self.h and cells(s) == len(s):  # no wide characters: one cell each
            for i, ch in enumerate(s, start=x):
                if 0 <= i < self.w:
                    self.over[(y, i)] = (ch, style)
            return
        for ch in s:
            self.put(y, x, ch, style)
            if cells(ch) == 2:  # a wide (Chinese) character fills two cells
                self.put(y, x + 1, "", style)
            x += cells(ch)

    def finish(self) -> tuple[list[list[str]], list[list[str]]]:
        chars = [[" "] * self.w for _ in range(self.h)]
        styles = [[""] * self.w for _ in range(self.h)]
        for y in range(self.h):
            for x in range(self.w):
                m = self.mask[y][x]
                if m:
                    chars[y][x] = (_HEAVY if self.heavy[y][x] else _LIGHT)[m]
                    styles[y][x] = "lit" if self.heavy[y][x] else "line"
        for (y, x), (ch, style) in self.over.items():
            chars[y][x] = ch
            if style == "line" and self.heavy[y][x]:
                style = "lit"
            styles[y][x] = style
        return chars, styles
