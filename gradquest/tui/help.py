"""The help screen: every key, in the player's language."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from gradquest.terminal import served_in_browser
from gradquest.tui.words import translated_bindings, word


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]

    def on_mount(self) -> None:
        self._bindings = translated_bindings(self.BINDINGS, self.app.lang)  # served: Ctrl+B closes it too

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            served = "\n\n" + word("help.served", self.app.lang) if served_in_browser() else ""
            yield Markdown(f"# {word('help.title', self.app.lang)}\n\n" + word("help.body", self.app.lang) + served)
