"""The screen a level built on the spot shows while it is being opened (`gradquest explore`): its
title and one line, drawn before the level screen's imports (pydantic, the engine's game, the plot
and graph libraries), which come after this first frame. Keys typed meanwhile go on to the level."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header, Static

from gradquest.levels.untrusted import clean
from gradquest.tui.words import word


class Opening(Screen):
    def __init__(self, title: str):
        super().__init__()
        self.title_shown = title
        self.held: list[events.Key] = []  # printable keys typed before the level screen was on top

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(word("level.opening", self.app.lang), id="opening")

    def on_mount(self) -> None:
        self.sub_title = clean(self.title_shown, lines=False)

    def on_key(self, event: events.Key) -> None:
        """A printable key typed while the level is being built is kept for it (the level screen types
        it into its answer box)."""
        if event.is_printable and event.character:
            event.stop()
            key = events.Key(event.key, event.character)
            self.held.append(key) if self.app.screen is self else self.app.screen.post_message(key)

    def on_screen_suspend(self) -> None:
        """The level screen is on top: the keys kept go to it, in the order typed."""
        for key in self.held:
            self.app.screen.post_message(key)
        self.held = []
