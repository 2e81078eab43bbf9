"""Drawing only what changed: every `Static.update` lays the whole screen out again (the transcript
with it), so a widget whose text is the same is left alone."""

from __future__ import annotations

from textual.widgets import Static


def update(static: Static, content) -> None:
    if static.content != content:
        static.update(content)
