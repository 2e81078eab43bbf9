"""One widget per transcript entry (see `gradquest.game.transcript`): narration and explanations
as Markdown, each ask with what was typed and its verdict, hints and the steps an answer revealed."""

from __future__ import annotations

from rich.markdown import Markdown
from rich.text import Text
from textual.widgets import Static

from gradquest.game.transcript import Entry

MARKS = {"correct": "✓", "wrong": "✗", "revealed": "!", "info": "·"}
STYLES = {"correct": "success", "wrong": "error", "revealed": "warning"}


def entry_widget(entry: Entry, app) -> Static | None:
    theme = app.current_theme
    if entry.kind == "say":
        return Static(Markdown(entry.text), classes="say")
    if entry.kind == "ask":
        body = Text(entry.text, style="bold")
        for option in entry.options:
            body.append(f"\n  {option}", style="")
        return Static(body, classes="ask")
    if entry.kind == "answer":
        color = getattr(theme, STYLES.get(entry.status, ""), None) or ""
        line = Text("› ", style="dim")
        if entry.text:
            line.append(entry.text + "  ", style="bold")
        line.append(f"{MARKS.get(entry.status, '')} {entry.message}".strip(), style=color)
        return Static(line, classes=f"answer {entry.status}")
    if entry.kind == "hint":
        return Static(Text(f"💡 {entry.text}"), classes="hint")
    if entry.kind == "event" and entry.text:
        if entry.event.kind in ("explain", "info"):
            return Static(Markdown(entry.text), classes=entry.event.kind)
        return Static(Text(entry.text), classes="event")
    return None
