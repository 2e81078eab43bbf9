"""One widget per transcript entry (see `gradquest.game.transcript`): narration and explanations
as Markdown, each ask with what was typed and its verdict, hints and the steps an answer revealed.
Every text passes the untrusted-text gate (`levels.untrusted.clean`) and is Rich `Text` or
Markdown, never Rich or Textual markup, so no `[bold]` or `[link=…]` in a level is obeyed."""

from __future__ import annotations

from rich.console import Group
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from gradquest.game.transcript import Entry
from gradquest.levels.untrusted import clean
from gradquest.tui.words import word

MARKS = {"correct": "✓", "wrong": "✗", "revealed": "!", "info": "·"}
STYLES = {"correct": "success", "wrong": "error", "revealed": "warning"}


def entry_widget(entry: Entry, app) -> Static | None:
    theme, body = app.current_theme, clean(entry.text)
    if entry.kind == "say":
        return Static(Markdown(body), classes="say")
    if entry.kind == "ask":
        return Static(Group(Text(body, style="bold"), *(labelled(o, "  ") for o in entry.options)),
                      classes="ask")
    if entry.kind == "answer":
        color = getattr(theme, STYLES.get(entry.status, ""), None) or ""
        line = Text()
        if body:
            line.append(body + "  ", style="bold")
        line.append(clean(f"{MARKS.get(entry.status, '')} {entry.message}".strip()), style=color)
        return Static(hanging(Text("› ", style="dim"), line), classes=f"answer {entry.status}")
    if entry.kind == "hint":
        return Static(hanging(Text("💡 "), Text(body)), classes="hint")
    if entry.kind == "event" and body:
        if entry.event.kind in ("explain", "info"):
            return Static(Markdown(body), classes=entry.event.kind)
        return Static(Text(body), classes="event")
    return None


def hanging(mark: Text, body: Text) -> Table:
    """`mark` then `body`, the body's wrapped lines indented under its first (a hanging indent)."""
    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(mark, body)
    return grid


def labelled(option: str, indent: str = "") -> Table:
    """An option as "1. text" or "a. text", its wrapped lines indented under its text."""
    label, _, text = clean(option).partition(" ")
    return hanging(Text(f"{indent}{label} "), Text(text))


class Transcript(VerticalScroll):
    """The scrolling column of entries. Whenever its content is laid out anew (new entries, or the
    text re-wrapped at another width) the screen keeps the newest entries in view."""

    def on_resize(self) -> None:
        if self.is_attached:  # not when its screen was left meanwhile (Esc while the level was being set up)
            self.call_after_refresh(self.screen.keep_in_view)
            self.screen.show_position()

    def watch_virtual_size(self) -> None:  # new entries, or the same ones wrapped anew
        self.call_after_refresh(self.on_resize)  # once the layout (and the view's own size) is settled

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.is_attached:
            self.screen.show_position()

    @property
    def at_end(self) -> bool:
        return self.scroll_y >= self.max_scroll_y

    def position(self, lang: str) -> str:
        """Where the view is, when there is more than one screenful: lines above and below."""
        above, below = round(self.scroll_y), round(self.max_scroll_y - self.scroll_y)
        parts = ([word("level.above_one" if above == 1 else "level.above", lang, n=above)] if above else []) + \
                ([word("level.below", lang, n=below)] if below else [])
        return " · ".join(parts)
