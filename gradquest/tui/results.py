"""The results screen: how the level went, what it taught, and the way on."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Markdown

from gradquest.game.messages import say
from gradquest.levels.catalog import catalog, local_text
from gradquest.levels.schema import text
from gradquest.levels.untrusted import clean
from gradquest.tui.words import translated_bindings, word


class ResultsScreen(Screen):
    BINDINGS = [Binding("escape", "back", "key.back"), Binding("n", "next", "key.next")]

    def __init__(self, level, session, path: Path, from_file: bool):
        super().__init__()
        self.level, self.session, self.path, self.from_file = level, session, path, from_file
        self.next_entry = None  # the level after this one on the map (a bundled level played by id has one too)
        entries = [e for c in catalog(self.app.levels_dir) for e in c.levels]
        ids = [e.id for e in entries]
        in_catalog = level.id in ids and entries[ids.index(level.id)].path.resolve() == Path(path).resolve()
        self.on_map = in_catalog or not from_file
        if in_catalog and ids.index(level.id) + 1 < len(entries):
            self.next_entry = entries[ids.index(level.id) + 1]

    def compose(self) -> ComposeResult:
        lang, s = self.app.lang, self.session
        w = lambda key, **v: word(key, lang, **v)  # noqa: E731
        colon = "：" if lang == "zh" else ": "  # a Chinese line takes the full-width colon
        lines = [f"# {w('result.heading', title=text(self.level.title, lang))}", "",
                 f"- {w('result.score')}{colon}**{s.score}**", f"- {w('result.stars')}{colon}{'★' * s.stars}{'☆' * (3 - s.stars)}",
                 f"- {w('result.hints')}{colon}{s.hints_used}", f"- {w('result.attempts')}{colon}{s.attempts}"]
        if self.level.teaches:
            lines += ["", f"## {w('result.taught')}", "", text(self.level.teaches, lang)]
        if self.level.notes:
            lines += ["", f"## {say('notes.title', lang)}", "", text(self.level.notes, lang)]
        if self.on_map:
            lines += ["", w("result.next", title=local_text(self.next_entry.title, lang)) if self.next_entry
                      else w("result.last")]
        yield Header()
        with VerticalScroll(id="results"):
            yield Markdown(clean("\n".join(lines)))
            with Horizontal(id="result-buttons"):
                if self.next_entry is not None:
                    yield Button(w("key.next"), id="next", variant="primary")
                yield Button(w("key.back"), id="back")
        yield Footer()

    def on_mount(self) -> None:
        self._bindings = translated_bindings(self.BINDINGS, self.app.lang)
        self.refresh_bindings()
        self.query(Button).first().focus(scroll_visible=False)  # open at the score; Enter still presses it

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return self.next_entry is not None if action == "next" else True  # no "n" where there is no next

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_next() if event.button.id == "next" else self.action_back()

    def action_next(self) -> None:
        if self.next_entry is None:
            return
        self.app.open_next_level(self.next_entry.path, self.from_file)

    def action_back(self) -> None:
        self.app.back_to_map(self.from_file)  # after `gradquest play LEVEL`: on to the map, not out of the game
