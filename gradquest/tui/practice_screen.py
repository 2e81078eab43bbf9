"""A practice round in the full-screen game: each exercise is an ordinary level played on the level
screen, one after the other until the round's asks are done (`author/practice.Round`, which the cli
gives the app as `practice`, draws them and puts every ask down to its rule); then the round's summary. The mastery is saved with the progress
after every answer; the exercises themselves leave no level record."""

from __future__ import annotations

import tempfile
from datetime import datetime, timezone

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from gradquest.game.mastery import SETTING, Mastery
from gradquest.levels.untrusted import clean
from gradquest.tui.level_screen import LevelScreen
from gradquest.tui.redraw import update
from gradquest.tui.words import translated_bindings

TITLE = ("Practice", "练习")


def start_round(app, clock=None, seed: int | None = None) -> PracticeScreen:
    """A new round on the mastery kept in the progress; its exercises live in a temporary folder."""
    folder = tempfile.TemporaryDirectory(prefix="gradquest-practice-")
    mastery = Mastery.from_json(app.progress.settings.get(SETTING))
    clock = clock or (lambda: datetime.now(timezone.utc))
    return PracticeScreen(app.practice(mastery, clock, folder.name, app.lang, seed), folder, first=True)


class PracticeScreen(LevelScreen):
    def __init__(self, round_, folder: tempfile.TemporaryDirectory, first: bool = False):
        self.round, self.folder, self.first = round_, folder, first
        super().__init__(round_.next_level())

    def start(self, resume_at: int | None = None) -> bool:
        started = super().start(resume_at)
        self.show_count()
        if started and self.first:
            self.set_feedback(self.round.start_words())
        return started

    def show_count(self) -> None:
        self.sub_title = f"{TITLE[self.app.lang == 'zh']} · {self.round.asks}/{self.round.size}"

    def play(self, move) -> None:
        """Each verdict on an ask is heard by the round; after three wrong answers it shows the answer."""
        stage = self.session.stage

        def heard():
            verdict = move()
            if stage is not None and stage.kind == "ask" and self.round.heard(stage, verdict.status):
                verdict = self.session.reveal()
                self.round.heard(stage, verdict.status)
            return verdict

        super().play(heard)

    def after(self, verdict) -> None:
        super().after(verdict)
        self.show_count()

    def show_stage(self) -> None:
        """As a level's, but the prompt says where Enter leads: at an exercise's end to the next one;
        once the round's asks are done (also in the middle of an exercise, whose last verdict stays
        in view) to the round's summary."""
        super().show_stage()
        if self.round.over or self.session.done:
            key = "practice.over" if self.round.over else "practice.next"
            update(self.query_one("#prompt", Static),
                   Text(self.words(key, asks=self.round.asks, size=self.round.size), style="bold"))

    def on_input_submitted(self, event) -> None:
        """Once the round is over, Enter opens its summary (instead of the level screen's handling)."""
        if self.round.over:
            event.prevent_default()
            self.finish()

    def action_hint(self) -> None:
        if not self.round.over:
            super().action_hint()

    def action_reveal(self) -> None:
        if not self.round.over:
            super().action_reveal()

    def save(self) -> None:
        self.app.progress.levels.pop(self.level.id, None)  # an exercise is not a level of the map
        self.app.progress.settings[SETTING] = self.round.mastery.to_json()
        self.app.save_progress()

    def finish(self) -> None:
        if self.round.over:
            self.folder.cleanup()
            self.app.switch_screen(PracticeSummary(self.round))
        else:
            self.app.switch_screen(PracticeScreen(self.round, self.folder))

    def action_leave(self) -> None:
        super().action_leave()
        if not self.training:
            self.folder.cleanup()


class PracticeSummary(Screen):
    BINDINGS = [Binding("escape,enter", "back", "key.back")]

    def __init__(self, round_):
        super().__init__()
        self.round = round_

    def compose(self) -> ComposeResult:
        lines = self.round.summary()
        summary = Text(clean(lines[0]), style="bold")
        for line in lines[1:]:
            summary.append("\n\n • " + clean(line))
        yield Header()
        with VerticalScroll(id="results"):
            yield Static(summary, id="summary")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = TITLE[self.app.lang == "zh"]
        self._bindings = translated_bindings(self.BINDINGS, self.app.lang)
        self.refresh_bindings()

    def action_back(self) -> None:
        self.app.back_to_map(False)


