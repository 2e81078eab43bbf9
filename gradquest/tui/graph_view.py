"""The computation graph as seed 000's `draw_dot` draws it, live: the game layer lays it out and
draws it in cells (`figures/graph_canvas.py`); this widget colours it, scrolls it, and lets the
player walk it with the arrow keys. Beside the transcript, a drawing wider than the pane is
listed a line per value instead (F6 again shows the drawing full-screen). Enter on a node posts its rule with the numbers
(`GraphView.Explained`) for the screen to write into its transcript.

It draws lazily: only the lines in view are turned into styled text (Textual's line API), so an
arrow key costs what the view shows, not what the graph holds. A graph too large to lay out is
shown as the line player's list (`graph_canvas.drawn`)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from gradquest.tui.words import WORDS, word


class GraphView(ScrollView, can_focus=True):
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
        self._styles: tuple[str, dict[str, Style]] | None = None
        self.lines_drawn = 0  # lines turned into styled text so far (tests count them)

    # ---- drawing
    def show(self, session, lang: str) -> None:
        self.session, self.lang = session, lang
        self.redraw()

    def on_resize(self) -> None:
        """Fitted to the room it has (a full-screen view has more): drawn again once laid out, from
        the same picture (the session has not moved)."""
        if self.session is not None:
            self.call_after_refresh(self.redraw, False)

    def redraw(self, moved: bool = True) -> None:
        from gradquest.figures.graph_canvas import as_text, drawn  # noqa: PLC0415 (grandalf loads with the first graph)
        from gradquest.figures.graph_model import listed, picture  # noqa: PLC0415

        if moved or self.picture is None:
            self.picture = picture(self.session)
        room = self.size
        words = {k: WORDS[f"graph.{k}"][self.lang == "zh"] for k in ("value", "grad", "inputs", "too_large")}
        self.drawing = drawn(self.picture, words, room.width or None, room.height or None)
        if room.width and self.drawing.width > room.width and self.screen.maximized is None:
            # beside the transcript, a drawing wider than the pane would be cut: a line per value
            # instead, and the drawing full-screen (F6 again) where it has the room
            lines = [(node_id, line.lstrip()) for node_id, line in listed(self.picture, words)]  # "from" says the depth
            self.drawing = as_text([("", word("graph.too_wide", self.lang)), ("", "")] + lines)
        if self.focused_node not in self.drawing.boxes or self._stage is not self.session.stage:
            self._stage = self.session.stage  # a new ask: the focus goes to what it is about
            boxes = sorted(self.drawing.boxes.values(), key=lambda b: (b.x, b.y))
            lit = [b.id for b in boxes if self.picture.nodes[b.id].lit and self.picture.nodes[b.id].kind == "value"]
            self.focused_node = (lit or [b.id for b in boxes] or [None])[0]
        if not self.drawing.boxes and not self.drawing.height:
            self.drawing = as_text([("", word("graph.none", self.lang))])
        self.virtual_size = Size(self.drawing.width, self.drawing.height)
        self.refresh()
        self.keep_in_view()

    def _style_of(self) -> dict[str, Style]:
        theme = self.app.current_theme
        if self._styles is None or self._styles[0] != theme.name:
            accent = theme.accent or theme.primary or ""
            names = {
                "line": "dim", "lit": f"bold {accent}", "box": "", "box-lit": f"bold {accent}",
                "name": "bold", "text": "", "hidden": f"bold {theme.warning or ''}", "label": "italic",
            }
            self._styles = (theme.name, {k: Style.parse(v) if v.strip() else Style() for k, v in names.items()})
        return self._styles[1]

    def render_line(self, y: int) -> Strip:
        """Line y of the view: the drawing's row under it, from the first column in view, with
        the focused box in reverse."""
        scroll_x, scroll_y = self.scroll_offset
        width, row, base = self.size.width, scroll_y + y, self.rich_style
        d = self.drawing
        if d is None or row >= d.height:
            return Strip.blank(width, base)
        self.lines_drawn += 1
        styles = self._style_of()
        if not d.boxes and d.height == 1:  # the one line that says there is no graph
            styles = {**styles, "label": Style(dim=True)}
        focus = d.boxes.get(self.focused_node) if self.has_focus else None
        lit = focus is not None and focus.y <= row < focus.y + focus.h
        chars, names = d.chars[row], d.styles[row]
        stop = min(d.width, scroll_x + width)
        segments, run, key = [], [], None
        for x in range(scroll_x, stop):
            ch = chars[x]
            if ch == "" and x == scroll_x or ch != "" and x == stop - 1 and x + 1 < d.width and chars[x + 1] == "":
                ch = " "  # half of a wide character at the edge of the view
            here = (names[x], lit and focus.x <= x < focus.x + focus.w)
            if here != key and run:
                segments.append(self._segment("".join(run), key, base, styles))
                run = []
            run.append(ch)
            key = here
        if run:
            segments.append(self._segment("".join(run), key, base, styles))
        return Strip(segments).extend_cell_length(width, base).apply_offsets(scroll_x, row)

    @staticmethod
    def _segment(chars: str, key, base: Style, styles: dict[str, Style]) -> Segment:
        name, reverse = key
        style = base + styles.get(name, Style())
        return Segment(chars, style + Style(reverse=True) if reverse else style)

    def keep_in_view(self) -> None:
        box = self.drawing.boxes.get(self.focused_node) if self.drawing else None
        if box is not None:
            self.scroll_to_region(Region(box.x, box.y, box.w, box.h), animate=False, immediate=True)

    # ---- keys
    def on_focus(self) -> None:
        self.refresh()  # the focused box is shown only while the graph has the focus

    def on_blur(self) -> None:
        self.refresh()

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
        self.refresh()
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
            self.refresh()
            self.keep_in_view()

    def action_explain(self) -> None:
        node = self.picture.nodes.get(self.focused_node) if self.picture else None
        if node is None:
            return
        if node.kind == "value":
            head = f"{node.label} = {node.expr}" if node.expr else node.label
            head += f"   {word('graph.value', self.lang)} {node.value}"
            if node.first:
                first = f"{word('graph.first', self.lang)} {node.first}"
                head += f"（{first}）" if self.lang == "zh" else f" ({first})"
            if node.grad:
                from gradquest.figures.graph_model import of_label  # noqa: PLC0415 (loaded with the graph above)
                head += f" · {word('graph.grad', self.lang)} {of_label(node)}{node.grad}"
        else:
            owner = self.picture.nodes.get(node.owner)
            head = word("graph.op", self.lang, op=node.label.replace("\n", " → "), node=owner.label if owner else node.owner)
        rules = node.rules or [word("graph.input", self.lang)]
        self.post_message(self.Explained("\n".join([head, *("  " + r for r in rules)])))
