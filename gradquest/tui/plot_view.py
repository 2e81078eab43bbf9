"""Draws a `gradquest.game.plots.Figure` with textual-plotext (see docs/architecture.md)."""

from __future__ import annotations

import math

from textual_plotext import PlotextPlot

from gradquest.game.plots import Figure

MARKERS = {"line": "braille", "points": "dot", "marker": "●"}


class PlotView(PlotextPlot):
    def show(self, fig: Figure, lang: str = "en") -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(fig.title)
        plt.xlabel(fig.xlabel)
        plt.ylabel(fig.ylabel)
        for series in fig.series:
            points = [(x, y) for x, y in zip(series.xs, series.ys) if math.isfinite(x) and math.isfinite(y)]
            if not points:
                continue
            xs, ys = map(list, zip(*points))
            draw = plt.plot if series.style == "line" else plt.scatter
            draw(xs, ys, marker=MARKERS[series.style], label=series.label or None)
        if fig.xlim:
            plt.xlim(*fig.xlim)
        if fig.ylim:
            plt.ylim(*fig.ylim)
        self.refresh()
