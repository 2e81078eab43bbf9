"""The computation graph as seed 000's `draw_dot` draws it, live: the game layer lays it out and
draws it in cells (`game/graph_canvas.py`); this widget colours it, scrolls it, and lets the
player walk it with the arrow keys. Enter on a node posts its rule with the numbers
(`GraphView.Explained`) for the screen to write into its transcript."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Static

from gradquest.tui.redraw import update
from gradquest.tui.words import word


class GraphView(ScrollableContainer, can_focus=True):
    """Focusable and scrollable; the drawing is never cut: what does not fit is scrolled to."""

    BINDINGS = [
        Binding("left", "move(-1, 0)", "←", show=False),
        Binding("right", "move(1, 0)", "→", show=False),
        Binding("up", "move(0, -1)", "↑", show=False),
        Binding("down", "move(0, 1)", "↓", show=False),
        Binding("enter", "explain", "Rule", show=False),
    ]
    DEFAULT_CSS = """
    GraphView { height: 1fr; width: 1fr; }
    GraphView > Static { width: auto; height: auto; }
    GraphView:focus { background-tint: $foreground 4%; }
    """

    class Explained(Message):
        """The player asked for a node's rule: `text` is what to show."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session = None
        self.lang = "en"
        self.drawing = None
        self.picture = None
        self.focused_node: str | None = None
        self._stage = None

    def compose(self):
        yield Static(id="graph-canvas")

    # ---- drawing
    def show(self, session, lang: str) -> None:
        self.session, self.lang = session, lang
        self.redraw()

    def on_resize(self) -> None:
        """Fitted to the room it has (a full-screen view has more): drawn again once laid out."""
        if self.session is not None:
            self.call_after_refresh(self.redraw)

    def redraw(self) -> None:
        from gradquest.game.graph_canvas import draw  # noqa: PLC0415 (grandalf loads with the first graph)
        from gradquest.game.graph_model import picture  # noqa: PLC0415

        self.picture = picture(self.session)
        room = self.size
        self.drawing = draw(self.picture, room.width or None, room.height or None)
        if self.focused_node not in self.drawing.boxes or self._stage is not self.session.stage:
            self._stage = self.session.stage  # a new ask: the focus goes to what it is about
            boxes = sorted(self.drawing.boxes.values(), key=lambda b: (b.x, b.y))
            lit = [b.id for b in boxes if self.picture.nodes[b.id].lit and self.picture.nodes[b.id].kind == "value"]
            self.focused_node = (lit or [b.id for b in boxes] or [None])[0]
        canvas = self.query_one("#graph-canvas", Static)
        update(canvas, self.render_text() if self.drawing.boxes else Text(word("graph.none", self.lang), style="dim"))
        self.keep_in_view()

    def render_text(self) -> Text:
        theme = self.app.current_theme
        accent = theme.accent or theme.primary or ""
        styles = {
            "line": "dim", "lit": f"bold {accent}", "box": "", "box-lit": f"bold {accent}",
            "name": "bold", "text": "", "hidden": f"bold {theme.warning or ''}", "label": "italic",
        }
        d = self.drawing
        focus = d.boxes.get(self.focused_node) if self.has_focus else None
        text = Text(no_wrap=True, overflow="ignore", end="")
        for y in range(d.height):
            start = len(text)
            for chars, style in d.runs(y):
                text.append(chars, style=styles.get(style) or None)
            if focus is not None and focus.y <= y < focus.y + focus.h:
                text.stylize("reverse", start + focus.x, start + focus.x + focus.w)
            if y < d.height - 1:
                text.append("\n")
        return text

    def keep_in_view(self) -> None:
        box = self.drawing.boxes.get(self.focused_node) if self.drawing else None
        if box is not None:
            self.scroll_to_region(Region(box.x, box.y, box.w, box.h), animate=False, immediate=True)

    # ---- keys
    def on_focus(self) -> None:
        if self.drawing is not None:
            update(self.query_one("#graph-canvas", Static), self.render_text())

    def on_blur(self) -> None:
        self.on_focus()

    def on_click(self, event) -> None:
        """A click on a box focuses it; a second click on it explains it, as Enter does."""
        if not self.drawing:
            return
        x, y = event.x + int(self.scroll_x), event.y + int(self.scroll_y)
        hit = next((b.id for b in self.drawing.boxes.values() if b.x <= x < b.x + b.w and b.y <= y < b.y + b.h),
                   None)
        if hit is None:
            return
        again = hit == self.focused_node and self.has_focus
        self.focused_node = hit
        self.focus()
        update(self.query_one("#graph-canvas", Static), self.render_text())
        if again:
            self.action_explain()

    def action_move(self, dx: int, dy: int) -> None:
        if not self.drawing or self.focused_node not in self.drawing.boxes:
            return
        here = self.drawing.boxes[self.focused_node]
        cx, cy = here.x + here.w / 2, here.y + here.h / 2
        best, best_cost = None, None
        for node_id, b in self.drawing.boxes.items():
            bx, by = b.x + b.w / 2, b.y + b.h / 2
            ahead = (bx - cx) * dx + (by - cy) * dy
            if node_id == self.focused_node or ahead <= 0:
                continue
            side = abs((by - cy) if dx else (bx - cx))
            cost = ahead + 3 * side
            if best_cost is None or cost < best_cost:
                best, best_cost = node_id, cost
        if best is not None:
            self.focused_node = best
            update(self.query_one("#graph-canvas", Static), self.render_text())
            self.keep_in_view()

    def action_explain(self) -> None:
        node = self.picture.nodes.get(self.focused_node) if self.picture else None
        if node is None:
            return
        if node.kind == "value":
            head = f"{node.label} = {node.expr}" if node.expr else node.label
            head += f"   {word('graph.value', self.lang)} {node.value}"
            if node.grad:
                head += f" · {word('graph.grad', self.lang)} {node.grad}"
        else:
            owner = self.picture.nodes.get(node.owner)
            head = word("graph.op", self.lang, op=node.label.replace("\n", " → "), node=owner.label if owner else node.owner)
        rules = node.rules or [word("graph.input", self.lang)]
        self.post_message(self.Explained("\n".join([head, *("  " + r for r in rules)])))
