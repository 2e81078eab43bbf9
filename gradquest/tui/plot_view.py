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

from gradquest.figures.plots import Figure, drawn, strokes

GLYPHS = "●◆▲■✚○◇△"  # a path's points, a marker
LINES = ["braille", "•", "×", "+", "·"]  # a long line (a curve, a loss) without markers
POINTS = "·"  # scattered points: data, a boundary
SAME = {"en": " (the same points)", "zh": "（同一组点）"}


class PlotView(Vertical):
    _fig: Figure | None = None

    def compose(self) -> ComposeResult:
        yield PlotextPlot()
        yield Static(classes="legend")

    def show(self, fig: Figure, lang: str = "en") -> None:
        if fig == self._fig:  # unchanged since the last stage: no new drawing
            return
        self._fig = fig
        fig = drawn(fig)
        canvas = self.query_one(PlotextPlot)
        plt = canvas.plt
        plt.clear_figure()
        plt.title(fig.title)
        plt.xlabel(fig.xlabel)
        plt.ylabel(fig.ylabel)
        labelled = [i for i, s in enumerate(fig.series) if s.label]
        glyph = {i: GLYPHS[k % len(GLYPHS)] for k, i in enumerate(labelled)}
        marked = {i for i, how in strokes(fig) if how == "markers"}
        line_style = {i: LINES[k % len(LINES)] for k, i in enumerate(i for i in labelled if i not in marked)}
        for i, how in strokes(fig):
            series = fig.series[i]
            points = [(x, y) for x, y in zip(series.xs, series.ys) if math.isfinite(x) and math.isfinite(y)]
            if not points:
                continue
            xs, ys = map(list, zip(*points))
            if how == "line":
                plt.plot(xs, ys, marker=line_style.get(i, "braille"))
            elif series.style == "contour":
                plt.scatter(xs, ys, marker="braille")
            else:
                plt.scatter(xs, ys, marker=POINTS if how == "points" and not series.label else glyph.get(i, POINTS))
        if fig.xlim:
            plt.xlim(*fig.xlim)
        if fig.ylim:
            plt.ylim(*fig.ylim)
        legend = Text()
        signs = {i: glyph[i] if i in marked or fig.series[i].style != "line" else _line_sign(line_style[i])
                 for i in labelled}
        for i in labelled:  # a series on another's very points is not drawn: its entry has the other's sign
            twin = next((j for j in labelled if fig.series[j].label == fig.series[i].same_as), None)
            legend.append(f"{signs[i if twin is None else twin]} ", style="bold")
            legend.append(fig.series[i].label + ("" if twin is None else SAME[lang]) + "   ")
        self.query_one(".legend", Static).update(legend)
        canvas.refresh()


def _line_sign(style: str) -> str:
    return "⠤⠤" if style == "braille" else style * 2
