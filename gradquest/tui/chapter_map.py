"""The start screen: chapters and their levels, with what the player has done."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from rich.text import Text
from rich.cells import cell_len
from rich.table import Table
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from gradquest.levels.catalog import Entry, catalog, local_text
from gradquest.tui.footer import KeyBar
from gradquest.tui.words import translated_bindings, word

CONTINUE = "continue"
CACHE_NAME = "map-cache.json"  # the level files' headers, in the progress folder: no YAML at the next start


class ChapterMap(Screen):
    BINDINGS = [
        Binding("q", "app.quit", "key.quit"),
        Binding("question_mark", "app.help", "key.help"),
        Binding("l", "toggle_lang", "key.lang"),  # "中文" in English, "English" in Chinese
    ]

    def __init__(self):
        super().__init__()
        self.chapters = catalog(self.app.levels_dir, cache=self.app.store.folder / CACHE_NAME)
        self.entries: dict[str, Entry] = {e.id: e for c in self.chapters for e in c.levels}
        self.sub_title = word("map.title", self.app.lang)  # before the first frame: no second header draw
        self._bindings = translated_bindings(self.BINDINGS, self.app.lang)  # before the key bar composes

    def compose(self) -> ComposeResult:
        yield Header()  # docked at the top, the footer at the bottom; the two panes side by side between
        yield OptionList(*self.options(), id="levels")  # built here: the first layout has them
        with VerticalScroll(id="details"):
            yield Static(self.details(CONTINUE), id="about")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_map()
        self.query_one(OptionList).focus()  # said, not left to auto-focus: served (web driver), the app starts blurred

    def on_screen_resume(self) -> None:
        self.refresh_map()

    _typed_ahead: list[events.Key] | None = None  # keys typed after Enter, before its level is on top

    def on_key(self, event: events.Key) -> None:
        """Keys typed right after Enter reach the map, not the level it opens: Textual sends them to
        the map's list, which still has the focus, and the map hears of the choice only after them.
        They are kept and given to the level screen when it opens (or at once, if it is open)."""
        if event.key == "enter":
            self._typed_ahead = self._typed_ahead if self._typed_ahead is not None else []
        elif not event.is_printable or event.key in {b.key for b in self.BINDINGS}:
            self._typed_ahead = None  # a key of the map's own: what was typed before it was for the map
        elif self.app.screen is not self:
            event.stop()
            self.app.screen.post_message(events.Key(event.key, event.character))
        elif self._typed_ahead is not None:
            self._typed_ahead.append(events.Key(event.key, event.character))

    # ---- state
    def state(self, entry: Entry, previous: Entry | None) -> str:
        """locked, open, started or done."""
        record = self.app.progress.levels.get(entry.id)
        if record and record.done:
            return "done"
        if record and record.resume_at:
            return "started"
        if previous is None or self._done(previous) or record is not None:
            return "open"
        return "locked"

    def _done(self, entry: Entry) -> bool:
        record = self.app.progress.levels.get(entry.id)
        return bool(record and record.done)

    def options(self) -> list[Option | None]:
        """The map's lines: a "next" or "continue" entry, then each chapter and its levels."""
        lang = self.app.lang
        options: list[Option | None] = []
        self.states: dict[str, str] = {}
        marks = []
        target = None
        for chapter in self.chapters:
            previous = None  # every chapter is open at its first level
            if options:
                options.append(None)
            options.append(Option(Text(f"{chapter.number}. {local_text(chapter.title, lang)}", style="bold"),
                                  disabled=True))
            for entry in chapter.levels:
                state = self.states[entry.id] = self.state(entry, previous)
                if state == "started" and (target is None or self.states[target.id] != "started"):
                    target = entry  # where the player left off comes first
                elif target is None and state == "open":
                    target = entry
                mark = self._stars(entry) if state == "done" else {"started": "…  ", "open": "   ", "locked": "🔒 "}[state]
                marks.append(mark)
                options.append(Option(_row(f"  {mark} {entry.chapter}.{entry.order:<3} ", local_text(entry.title, lang),
                                           dim=state == "locked"), id=entry.id))
                previous = entry
        self.target = target
        self.drawn_as = (lang, target.id if target else None, tuple(self.states), tuple(marks))  # what the lines show
        if target is not None:
            key = "map.continue" if self.states[target.id] == "started" else "map.next"
            options.insert(0, Option(Text(word(key, lang, title=local_text(target.title, lang))), id=CONTINUE))
            options.insert(1, None)
        if not self.entries:
            options = [Option(word("map.empty", lang), disabled=True)]
        return options

    def refresh_map(self) -> None:
        lang = self.app.lang
        options = self.options()
        shown = self.drawn_as
        if shown == getattr(self, "_shown", None):
            return  # mounted and then resumed at start-up: the same map, drawn once
        levels = self.query_one(OptionList)
        highlighted = levels.highlighted_option.id if levels.highlighted_option else CONTINUE
        if hasattr(self, "_shown"):  # the first time, compose has put these options in already
            levels.clear_options()
            levels.add_options(options)
        self._shown = shown
        ids = [o.id for o in options if o is not None]
        levels.highlighted = ids.index(highlighted) if highlighted in ids else (0 if ids else None)
        if levels.highlighted is not None and levels.options[levels.highlighted].disabled:
            levels.action_cursor_down()
        self.sub_title = word("map.title", lang)
        self.show_details()

    def _stars(self, entry: Entry) -> str:
        stars = self.app.progress.levels[entry.id].stars
        return "★" * stars + "☆" * (3 - stars)

    # ---- events
    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_details()

    def show_details(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        about = self.details(option.id if option else None)
        if about is not None:
            self.query_one("#about", Static).update(about)

    def details(self, option_id: str | None) -> Text | None:
        """The details pane for the highlighted line: the player's totals, the level, its chapter
        (None when it would be the same as shown: an unchanged pane is not laid out again)."""
        lang = self.app.lang
        entry = self.target if option_id == CONTINUE else self.entries.get(option_id or "")
        done = sum(1 for e in self.entries if self._done(self.entries[e]))
        stars = sum(r.stars for k, r in self.app.progress.levels.items() if k in self.entries and r.done)
        key = (lang, entry.id if entry else None, done, stars, self.states.get(entry.id) if entry else None)
        if key == getattr(self, "_about", None):
            return None
        self._about = key
        about = Text(word("map.progress", lang, done=done, total=len(self.entries), stars=stars))
        if entry is not None:  # styled text: Markdown would cost start-up a parser for four lines
            chapter = next(c for c in self.chapters if c.number == entry.chapter)
            about.append("\n\n" + local_text(entry.title, lang), style="bold")
            if entry.teaches:
                about.append("\n\n" + local_text(entry.teaches, lang))
            if self.states.get(entry.id) == "locked":
                about.append("\n\n" + word("map.locked", lang), style="italic")
            if chapter.summary:
                about.append(f"\n\n{chapter.number}. {local_text(chapter.title, lang)} — {word('map.summary', lang)}",
                             style="bold")
                for line in chapter.summary:
                    item = local_text(line, lang)  # a Chinese item keeps its bullet: no space to wrap at
                    about.append("\n\n • " + item if item[:1].isascii() else "\n\n •" + item)
        return about

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        entry = self.target if event.option.id == CONTINUE else self.entries.get(event.option.id or "")
        typed, self._typed_ahead = self._typed_ahead or [], None
        if entry is None:
            return
        if self.states.get(entry.id) == "locked":
            self.notify(word("map.locked", self.app.lang), severity="warning")
            return
        self.app.open_level(entry.path)
        for key in typed:
            self.app.screen.post_message(key)

    def action_toggle_lang(self) -> None:
        self.app.set_lang("zh" if self.app.lang == "en" else "en")
        self._bindings = translated_bindings(self.BINDINGS, self.app.lang)
        self.refresh_bindings()
        self.refresh_map()


SHORT_TITLE = 20  # fits the list at its narrowest (36 cells) beside the marks


def _row(head: str, title: str, dim: bool) -> Table | Text:
    """A level's line: a title too long for the list wraps under itself, not under the marks. Rich
    `Text`, never markup: a title's `[` is only a bracket."""
    if cell_len(title) <= SHORT_TITLE:  # a plain line is cheaper to draw at start-up
        return Text(head + title, style="dim" if dim else "")
    row = Table.grid()
    row.add_column(no_wrap=True)
    row.add_column(ratio=1)
    row.add_row(head, Text(title), style="dim" if dim else "")
    return row
