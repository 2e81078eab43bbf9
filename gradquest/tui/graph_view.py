"""The computation graph as node cards, a column per depth, the asked node highlighted; a network
as a list of layers."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from gradquest.game.graph_view import cards, drawable, layers
from gradquest.tui.words import word


class GraphView(Static):
    def show(self, session, lang: str) -> None:
        theme = self.app.current_theme
        if not drawable(session):
            rows = layers(session) or [f"{c.label or c.name} = {c.expr or c.value}   {word('graph.grad', lang)} {c.grad}"
                                       for c in cards(session)]
            self.update(Group(Text(word("graph.layers", lang), style="bold"), *map(Text, rows)))
            return
        columns: dict[int, list] = {}
        for card in cards(session):
            body = Text()
            if card.expr:
                body.append(f"= {card.expr}\n", style="italic")
            body.append(f"{word('graph.value', lang)} ")
            body.append(card.value, style="bold" if card.value != "?" else f"bold {theme.warning or ''}")
            body.append(f"\n{word('graph.grad', lang)} ")
            body.append(card.grad, style="bold" if card.grad != "?" else "dim")
            if card.feeds:
                body.append("\n" + word("graph.feeds", lang, names=", ".join(card.feeds)), style="dim")
            border = f"bold {theme.accent}" if card.asked and theme.accent else ("bold" if card.asked else "dim")
            columns.setdefault(card.depth, []).append(Panel(body, title=card.label or card.name, border_style=border, expand=False))
        grid = Table.grid(padding=(0, 1))
        for _ in columns:
            grid.add_column()
        grid.add_row(*(Group(*columns[d]) for d in sorted(columns)))
        self.update(grid)
