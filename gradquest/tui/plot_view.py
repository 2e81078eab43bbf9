"""Draws a `gradquest.figures.plots.Figure` with textual-plotext (see docs/architecture.md): the
strokes in the game's order (`plots.strokes`), each labelled series with a glyph of its own so that
series differ without colour, contour lines as thin braille lines, and the legend under the plot,
outside the data: one entry per series, and a series lying on another's very points says so."""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from gradquest.figures.plots import Figure, drawn, legend, looks, strokes


class PlotView(Vertical):
    _fig: Figure | None = None

    def compose(self) -> ComposeResult:
        yield PlotextPlot()
        yield Static(classes="legend")

    def show(self, fig: Figure, lang: str = "en") -> None:
        if fig == self._fig:  # unchanged since the last stage: no new drawing
            return
        self._fig = fig
        canvas = self.query_one(PlotextPlot)
        self.query_one(".legend", Static).update(draw(canvas.plt, fig, lang))
        canvas.refresh()


def draw(plt, fig: Figure, lang: str) -> Text:
    """Draw `fig` on a plotext figure `plt` (cleared first) and return its legend."""
    fig = drawn(fig)
    plt.clear_figure()
    plt.title(fig.title)
    plt.xlabel(fig.xlabel)
    plt.ylabel(fig.ylabel)
    look = looks(fig)
    for i, how in strokes(fig):
        series = fig.series[i]
        points = [(x, y) for x, y in zip(series.xs, series.ys) if math.isfinite(x) and math.isfinite(y)]
        if not points:
            continue
        xs, ys = map(list, zip(*points))
        if how == "line":
            plt.plot(xs, ys, marker=look[i].line)
        else:
            plt.scatter(xs, ys, marker=look[i].glyph)
    if fig.xlim:
        plt.xlim(*fig.xlim)
    if fig.ylim:
        plt.ylim(*fig.ylim)
    words = Text()
    for sign, text in legend(fig, lang):
        words.append(f"{sign} ", style="bold")
        words.append(text + "   ")
    return words
