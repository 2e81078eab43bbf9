"""Draws a `gradquest.figures.plots.Figure` with textual-plotext (see docs/architecture.md): the
strokes in the game's order (`plots.strokes`), each labelled series with a glyph of its own so that
series differ without colour (and a colour of its own), contour lines as thin faint braille lines,
equal scales where the figure asks for them (the moons), and the legend under the plot, outside the
data: one entry per series with its own sign, and a series lying on another's very points says so."""

from __future__ import annotations

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from gradquest.figures.plots import Figure, drawn, equal_limits, legend, looks, stroke_points, strokes

AXES = (8, 4)  # the columns and rows of a plot that are not its data area: ticks, frame, title


class PlotView(Vertical):
    _fig: Figure | None = None
    _lang = "en"

    def compose(self) -> ComposeResult:
        yield PlotextPlot()
        yield Static(classes="legend")

    def show(self, fig: Figure, lang: str = "en") -> None:
        if fig == self._fig:  # unchanged since the last stage: no new drawing
            return
        self._fig = fig
        self._lang = lang
        self._draw()

    def _draw(self) -> None:
        canvas = self.query_one(PlotextPlot)
        size = (canvas.size.width, canvas.size.height)
        self.query_one(".legend", Static).update(draw(canvas.plt, self._fig, self._lang, size))
        canvas.refresh()

    def on_resize(self) -> None:
        if self._fig is not None and self._fig.equal:  # equal scales depend on the size
            self.call_after_refresh(self._draw)


def draw(plt, fig: Figure, lang: str, size: tuple[int, int] | None = None) -> Text:
    """Draw `fig` on a plotext figure `plt` (cleared first) of `size` (columns, rows) and return its legend."""
    fig = drawn(fig)
    plt.clear_figure()
    plt.title(fig.title)
    plt.xlabel(fig.xlabel)
    plt.ylabel(fig.ylabel)
    look = looks(fig)
    for i, how in strokes(fig):
        points = stroke_points(fig.series[i], how)
        if not points:
            continue
        xs, ys = map(list, zip(*points))
        if how == "line":
            plt.plot(xs, ys, marker=look[i].line, color=look[i].colour)
        else:
            plt.scatter(xs, ys, marker=look[i].glyph, color=look[i].colour)
    xlim, ylim = fig.xlim, fig.ylim
    if fig.equal and xlim and ylim and size and size[0] > AXES[0] and size[1] > AXES[1]:
        xlim, ylim = equal_limits(xlim, ylim, size[0] - AXES[0], size[1] - AXES[1])
    if xlim:
        plt.xlim(*xlim)
    if ylim:
        plt.ylim(*ylim)
    words = Text()
    for sign, colour, text in legend(fig, lang):
        words.append(f"{sign} ", style=Style(bold=True, color=Color.from_rgb(*colour) if colour else None))
        words.append(text + "   ")
    return words
