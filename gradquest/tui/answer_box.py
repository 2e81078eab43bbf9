"""The answer box. It takes keys in the order they were typed, also when they come faster than the
screen is drawn (a fast typist, a paste, keys typed just as the screen moves on): Enter sends what
was typed before it and empties the box at once, so the keys after it start the next answer.
`?` or `!` typed into the empty box (or `？` `！`, as a Chinese input method types them) asks for a
hint or the answer. Its editing keys (Backspace, Delete, the arrows, Ctrl+W…) act at once too: Textual
runs a widget's key bindings only once the key has bubbled up to the app, by which time the keys typed
after it may already be in the box (Backspace then Enter would send the character it was to delete).

It holds at most the gate's `MAX_INPUT` characters: a key past it, or the part of a paste past it,
is refused at once (`Refused`, which the screen shows), so a megabyte typed key by key costs a
comparison a key instead of a longer and longer box to draw."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input

from gradquest.game.gate import MAX_INPUT

ASKS = {"?": "hint", "？": "hint", "!": "reveal", "！": "reveal"}
EDITS = {key.strip(): b.action for b in Input.BINDINGS for key in b.key.split(",") if key.strip() != "enter"}


class AnswerBox(Input):
    class Asked(Message):
        """`?` or `!` in the empty box: `what` is "hint" or "reveal"."""

        def __init__(self, what: str):
            super().__init__()
            self.what = what

    class Refused(Message):
        """Typing or pasting went past `MAX_INPUT` characters; what fits was kept."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, max_length=MAX_INPUT, **kwargs)
        self._refused = False  # said once until the box has room again: held keys post no flood

    def watch_value(self, value: str) -> None:
        if len(value) < MAX_INPUT:
            self._refused = False

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
        elif event.key in EDITS:  # in the order typed, not after the keys behind it
            event.stop()
            event.prevent_default()
            await self.run_action(EDITS[event.key])
        else:
            await super()._on_key(event)

    def take(self, character: str) -> None:
        """A key that reached the screen instead of the box (typed while another widget had the focus,
        or before the box had it): taken as if typed into the box."""
        if not self.value and character in ASKS:
            self.post_message(self.Asked(ASKS[character]))
        else:
            self.insert_text_at_cursor(character)

    def replace(self, text: str, start: int, end: int) -> None:
        """Every edit passes here (a key, a paste, a program): what would go past the cap is cut."""
        start, end = sorted((max(0, start), min(len(self.value), end)))
        room = MAX_INPUT - (len(self.value) - (end - start))
        if len(text) > room:
            text = text[:max(0, room)]
            if not self._refused:
                self._refused = True
                self.post_message(self.Refused())
            if not text and start == end:
                return
        super().replace(text, start, end)

    def restricted(self) -> None:
        """Nothing to ring: `replace` has already cut the text and said so."""
