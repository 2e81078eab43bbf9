"""The answer box. It takes keys in the order they were typed, also when they come faster than the
screen is drawn (a fast typist, a paste, keys typed just as the screen moves on): Enter sends what
was typed before it and empties the box at once, so the keys after it start the next answer.
`?` or `!` typed into the empty box (or `？` `！`, as a Chinese input method types them) asks for a
hint or the answer."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input

ASKS = {"?": "hint", "？": "hint", "!": "reveal", "！": "reveal"}


class AnswerBox(Input):
    class Asked(Message):
        """`?` or `!` in the empty box: `what` is "hint" or "reveal"."""

        def __init__(self, what: str):
            super().__init__()
            self.what = what

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            typed, self.value = self.value, ""
            self.post_message(self.Submitted(self, typed))
        elif not self.value and event.character in ASKS:
            event.stop()
            event.prevent_default()
            self.post_message(self.Asked(ASKS[event.character]))
        else:
            await super()._on_key(event)
