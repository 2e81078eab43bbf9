"""The level screen: the story, the ask and its feedback beside the graph, the step log and the
plot. Each input goes to the `LevelSession`; the screen shows what comes back."""

from __future__ import annotations

import time
from pathlib import Path

from rich.markup import escape
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    DataTable, Footer, Header, Input, Markdown, RichLog, Static, TabbedContent, TabPane,
)

from gradquest.game.plots import figures
from gradquest.game.resume import open_session
from gradquest.game.stage import Verdict
from gradquest.game.errors import ModelError
from gradquest.levels.load import LevelErrors, load_level
from gradquest.levels.source import located
from gradquest.levels.schema import text
from gradquest.tui.graph_view import GraphView
from gradquest.tui.plot_view import PlotView
from gradquest.tui.words import word

NARROW = 110  # columns: below this the side panel goes under the ask
DRAW_EVERY = 0.2  # seconds between redraws while training


class LevelScreen(Screen):
    BINDINGS = [
        Binding("escape", "leave", "Map"),
        Binding("f2", "hint", "Hint"),
        Binding("f3", "reveal", "Answer"),
        Binding("f4,ctrl+l", "show_log", "Steps"),
        Binding("f5", "show_plot", "Plot"),
        Binding("ctrl+r", "reload", "Reload", show=False),
    ]

    def __init__(self, path: Path, seed: int | None = None, from_file: bool = False):
        super().__init__()
        self.path, self.seed, self.from_file = path, seed, from_file
        self.session = None
        self.training = False
        self._last_draw = 0.0
        self.errors: LevelErrors | None = None
        self.positions = None
        try:
            loaded = load_level(path)
            self.level, self.positions = loaded.level, loaded.positions
        except LevelErrors as err:
            self.level, self.errors = None, err

    # ---- layout
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="level"):
            with Vertical(id="main"):
                with VerticalScroll(id="story"):
                    yield Markdown(id="narration")
                yield Static(id="prompt")
                yield Input(id="answer")
                yield Static(id="feedback")
            with TabbedContent(id="side"):
                with TabPane(self.words("tab.graph"), id="graph-tab"):
                    with VerticalScroll():
                        yield GraphView(id="graph")
                with TabPane(self.words("tab.log"), id="log-tab"):
                    yield DataTable(id="table", show_cursor=False, zebra_stripes=True)
                    yield RichLog(id="log", wrap=True, markup=True)
                if self.level is not None and self.level.plot is not None:
                    with TabPane(self.words("tab.plot"), id="plot-tab"), Horizontal(id="plots"):
                        yield PlotView(id="plot0")
                        yield PlotView(id="plot1")
        yield Footer()

    def words(self, key: str, **values) -> str:
        return word(key, self.app.lang, **values)

    def on_mount(self) -> None:
        self.query_one("#answer", Input).placeholder = self.words("level.placeholder")
        if self.errors is not None:
            self.show_errors(self.errors)
            return
        self.start()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "narrow")

    def start(self, resume_at: int | None = None) -> bool:
        lang, progress = self.app.lang, self.app.progress
        try:
            if resume_at is None:
                self.session, self.seed, resumed = open_session(self.level, lang, progress, self.seed)
            else:  # a reload: replay to where the author was
                from gradquest.game.session import LevelSession  # noqa: PLC0415

                self.session, resumed = LevelSession(self.level, self.seed, lang, resume_at), False
        except ModelError as err:
            self.session = None
            self.show_model_error(err)
            return False
        self.sub_title = text(self.level.title, lang)
        self.query_one("#log", RichLog).clear()
        self.query_one("#feedback", Static).update("")
        if resumed:
            self.query_one("#feedback", Static).update(self.words("map.continue", title=self.sub_title))
        self.show_stage()
        self.query_one("#answer", Input).focus()
        return True

    # ---- showing the session
    def show_stage(self) -> None:
        session, lang = self.session, self.app.lang
        stage = session.stage
        if stage is None:
            return
        narration = stage.body if stage.kind == "say" else self._last_narration
        self._last_narration = narration
        self.query_one("#narration", Markdown).update(narration)
        prompt = Text()
        if stage.kind == "say":
            prompt.append(self.words("level.continue"), style="italic")
        else:
            prompt.append(stage.prompt, style="bold")
            for i, option in enumerate(stage.options, start=1):
                prompt.append(f"\n  {option}" if stage.kind == "match" else f"\n  {i}. {option}")
        self.query_one("#prompt", Static).update(prompt)
        self.query_one("#graph", GraphView).show(session, lang)
        self.show_table()
        self.show_plots()

    _last_narration = ""

    def show_table(self) -> None:
        table = self.query_one("#table", DataTable)
        rows = self.session.table
        table.clear(columns=True)
        table.display = bool(rows)
        if rows:
            from gradquest.engine.explain import number  # noqa: PLC0415

            table.add_columns("#", *rows[0])
            for n, row in enumerate(rows, start=1):
                table.add_row(str(n), *(number(float(v)) for v in row.values()))

    def show_plots(self, figs=None) -> None:
        if self.level.plot is None:
            return
        if figs is None:
            try:
                figs = figures(self.session)
            except Exception:  # noqa: BLE001 (`gradquest check` reports a plot that cannot be computed)
                figs = []
        for i, view in enumerate(self.query(PlotView)):
            view.display = i < len(figs)
            if i < len(figs):
                view.show(figs[i])

    def show_verdict(self, verdict: Verdict) -> None:
        style = {"correct": "success", "wrong": "error", "invalid": "warning", "revealed": "warning"}.get(
            verdict.status, "foreground")
        mark = {"correct": "✓ ", "wrong": "✗ ", "invalid": "? ", "revealed": "! "}.get(verdict.status, "")
        color = getattr(self.app.current_theme, style, None) or ""
        if verdict.message:
            self.query_one("#feedback", Static).update(Text(mark + verdict.message, style=f"bold {color}".strip()))
        log = self.query_one("#log", RichLog)
        for event in verdict.events:
            if event.text:
                log.write(escape(event.text))

    # ---- input
    def on_input_submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        event.input.value = ""
        if self.session is None or self.training:
            return
        stage = self.session.stage
        if stage is None:
            self.finish()
        elif stage.kind == "say":
            self.after(self.session.advance)
        elif typed == "?":
            self.action_hint()
        elif typed == "!":
            self.action_reveal()
        elif stage.kind == "train":
            self.train(typed)
        else:
            self.after(lambda: self.session.submit(typed))

    def after(self, play) -> None:
        """`play()` gives the session's verdict (or, when the level cannot be computed on, the
        model error is shown where the story was: the author fixes the file and presses Ctrl+R)."""
        try:
            verdict = play() if callable(play) else play
        except ModelError as err:
            self.session = None
            self.show_model_error(err)
            return
        self.show_verdict(verdict)
        self.save()
        if self.session.done:
            self.finish()
        else:
            self.show_stage()

    def save(self) -> None:
        self.app.progress.save_play(self.level.id, self.session, self.seed)
        self.app.save_progress()

    def finish(self) -> None:
        from gradquest.tui.results import ResultsScreen  # noqa: PLC0415

        self.app.switch_screen(ResultsScreen(self.level, self.session, self.path, self.from_file))

    @work(thread=True, exclusive=True)
    def train(self, typed: str) -> None:
        """Training runs in a thread; the plot is redrawn a few times a second as it goes."""
        self.training = True
        self.app.call_from_thread(self.query_one("#answer", Input).set_loading, True)
        self.session.on_train = self.trained_a_step
        try:
            verdict = self.session.submit(typed)
        except ModelError as err:
            verdict = err
        finally:
            self.session.on_train = None
            self.training = False
            self.app.call_from_thread(self.query_one("#answer", Input).set_loading, False)
        self.app.call_from_thread(self.after, verdict if isinstance(verdict, Verdict) else _raiser(verdict))

    def trained_a_step(self, point) -> None:
        now = time.monotonic()
        if now - self._last_draw < DRAW_EVERY and not point.final:
            return
        self._last_draw = now
        figs = figures(self.session) if self.level.plot is not None else None
        self.app.call_from_thread(self.show_training, figs, point.step)

    def show_training(self, figs, step: int) -> None:
        self.query_one("#feedback", Static).update(self.words("level.training", step=step))
        if figs is not None:
            self.show_plots(figs)

    # ---- actions
    def action_hint(self) -> None:
        if self.session is None or self.session.done or self.training:
            return
        hint = self.session.hint()
        left = self.session.hints_left
        self.query_one("#feedback", Static).update(Text(f"💡 {hint}  ({self.words('level.hints_left', n=left)})"))

    def action_reveal(self) -> None:
        if self.session is not None and not self.session.done and not self.training \
                and self.session.stage.kind != "train":
            self.after(self.session.reveal)

    def action_show_log(self) -> None:
        self.query_one(TabbedContent).active = "log-tab"

    def action_show_plot(self) -> None:
        if self.level is not None and self.level.plot is not None:
            self.query_one(TabbedContent).active = "plot-tab"

    def action_leave(self) -> None:
        if self.training:
            return
        if self.session is not None:
            self.save()
        if self.from_file:
            self.app.exit()
        else:
            self.app.pop_screen()

    def action_reload(self) -> None:
        if self.training:
            return
        position = self.session.position if self.session is not None else 0
        try:
            loaded = load_level(self.path)
            self.level, self.positions, self.errors = loaded.level, loaded.positions, None
        except LevelErrors as err:
            self.show_errors(err)
            return
        if self.start(resume_at=position):
            self.notify(self.words("level.reloaded", file=self.path.name))

    def show_model_error(self, err: ModelError) -> None:
        self.query_one("#feedback", Static).update("")
        self.show_errors(LevelErrors([located(str(self.path), self.positions, err.field, err.message)]))

    def show_errors(self, errors: LevelErrors) -> None:
        body = "\n".join(f"- {escape(str(e).replace(str(self.path.parent) + '/', ''))}" for e in errors.errors)
        self.query_one("#narration", Markdown).update(f"**{self.words('level.broken')}**\n\n{body}")
        self.query_one("#prompt", Static).update("Ctrl+R")


def _raiser(err: Exception):
    """A play that fails with `err` (a training run's error, handed back from its thread)."""
    def play():
        raise err
    return play
