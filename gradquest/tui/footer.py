"""The chapter map's key bar, drawn with the map's first frame."""

from __future__ import annotations

from textual.widgets import Footer


class KeyBar(Footer):
    """Textual's Footer lists no keys until the screen first signals "bindings changed", which
    comes after the screen is drawn, and the keys then take one more frame: at start-up the key bar
    was the last thing on the chapter map to appear (≈ 60 ms after the rest). A screen whose keys
    are its class's BINDINGS (the map's) has them when the footer is composed, so this one lists
    them at once; every later change recomposes it as Textual's does. Screens that translate their
    keys on mount keep Textual's Footer: composed early, it would show the keys untranslated."""

    def __init__(self) -> None:
        super().__init__()
        self._bindings_ready = True  # Footer's own "may compose" flag (textual is pinned: pyproject.toml)
