"""The level screen: the level's transcript, the current ask pinned under it with its options, the
input and a feedback line; beside it (or, under 110 columns, behind a one-line tab bar that opens
each view full-screen) the graph, the step log and the plot. Each input goes to the
`LevelSession`; the screen shows what comes back (see `gradquest.game.transcript`)."""

from __future__ import annotations

import time
from pathlib import Path

from rich.markup import escape
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    DataTable, Footer, Header, Input, OptionList, RichLog, Static, TabbedContent, TabPane,
)

from gradquest.figures.graph_cards import has_graph
from gradquest.figures.plots import figures, panel_grid
from gradquest.store.resume import open_session
from gradquest.game.stage import Verdict
from gradquest.model.errors import ModelError
from gradquest.game.gate import MAX_INPUT
from gradquest.game.answers import choice_label
from gradquest.levels.load import LevelErrors, load_level
from gradquest.levels.source import located
from gradquest.levels.schema import text
from gradquest.levels.untrusted import clean
from gradquest.tui.answer_box import AnswerBox
from gradquest.tui.graph_view import GraphView
from gradquest.tui.plot_view import PlotView
from gradquest.tui.redraw import update
from gradquest.tui.transcript_view import Transcript, entry_widget, labelled
from gradquest.tui.words import translated_bindings, word

MAX_CHARTS = 4  # the charts a plot can show side by side (small multiples)

NARROW = 110  # columns: below this the side panel is a one-line tab bar and its views open full-screen
DRAW_EVERY = 0.2  # seconds between redraws while training
PICKS = ("choose", "order", "match")
MARKED, UNMARKED = "▶ ", "  "  # before the highlighted option, before the others


class LevelScreen(Screen):
    BINDINGS = [
        Binding("escape", "leave", "key.back"),
        Binding("f2", "hint", "key.hint"),
        Binding("f3", "reveal", "key.reveal"),
        Binding("f4,ctrl+l", "view('log-tab')", "tab.log"),
        Binding("f5", "view('plot-tab')", "tab.plot"),
        Binding("f6", "view('graph-tab')", "tab.graph"),
        Binding("pageup", "scroll('page_up')", show=False, priority=True),
        Binding("pagedown", "scroll('page_down')", show=False, priority=True),
        Binding("home", "scroll('home')", show=False, priority=True),
        Binding("end", "scroll('end')", show=False, priority=True),
        Binding("up", "pick(-1)", show=False),
        Binding("down", "pick(1)", show=False),
        Binding("ctrl+r", "reload", "key.reload", show=False),
    ]

    def __init__(self, path: Path, seed: int | None = None, from_file: bool = False):
        super().__init__()
        self.path, self.seed, self.from_file = path, seed, from_file
        self.session = None
        self.training = False
        self._last_draw = 0.0
        self._shown = 0  # entries of the session's transcript on screen
        self._logged = 0  # entries of the session's log in the step log
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
        yield Static(id="tiny")
        with Horizontal(id="level"):
            with Vertical(id="main"):
                yield Transcript(id="transcript")
                yield Static(id="prompt")
                yield OptionList(id="options", compact=True)
                yield AnswerBox(id="answer", compact=True, select_on_focus=False)
                yield Static(id="feedback")
            with TabbedContent(id="side"):
                with TabPane(self.words("tab.log"), id="log-tab"):
                    yield DataTable(id="table", show_cursor=False, zebra_stripes=True)
                    yield RichLog(id="log", wrap=True, markup=True)
                if self.level is not None and self.level.plot is not None:
                    with TabPane(self.words("tab.plot"), id="plot-tab"):
                        yield Static(self.words("level.plot_later"), id="plot-later")
                        yield Static(id="plot-heading")
                        with Grid(id="plots"):
                            for k in range(MAX_CHARTS):
                                yield PlotView(id=f"plot{k}")
                with TabPane(self.words("tab.graph"), id="graph-tab"):
                    yield GraphView(id="graph")
        yield Footer()

    def words(self, key: str, **values) -> str:
        return word(key, self.app.lang, **values)

    def on_mount(self) -> None:
        self._bindings = translated_bindings(self.BINDINGS, self.app.lang)
        self.query_one("#tiny", Static).update(self.words("level.tiny"))
        self.query_one("#answer", Input).placeholder = self.words("level.placeholder")
        self.query_one("#options", OptionList).display = False
        self.on_resize()
        if self.errors is not None:
            self.show_errors(self.errors)
            return
        self.start()

    def on_resize(self, event: events.Resize | None = None) -> None:
        self.set_class(self.size.width < NARROW, "narrow")
        self.set_class(self.size.width < 60 or self.size.height < 16, "tiny")
        self.show_views()

    def start(self, resume_at: int | None = None) -> bool:
        lang, progress = self.app.lang, self.app.progress
        try:
            if resume_at is None:
                self.session, self.seed, _ = open_session(self.level, lang, progress, self.seed)
            else:  # a reload: replay to where the author was
                from gradquest.game.session import LevelSession  # noqa: PLC0415

                old = self.session
                self.session = LevelSession(self.level, self.seed, lang, resume_at, *((old.answers, old.points) if old else ()))
        except ModelError as err:
            self.show_model_error(err)
            return False
        self.sub_title = clean(text(self.level.title, lang), lines=False)
        self.query_one("#transcript").remove_children()
        self.query_one("#log", RichLog).clear()
        self._shown = self._logged = 0
        self._rows = None
        side = self.query_one("#side", TabbedContent)
        self._graph_tab = None
        self.show_graph_tab()
        if self.level.plot is not None:
            side.active = "plot-tab"
        elif self._graph_tab:
            side.active = "graph-tab"
        self.show_stage()
        if self._anchor is not None:  # a level opens at its newest entry (a resumed one too, not at an old explanation)
            self._anchor = (self._anchor[1], self._anchor[1], None)
        self.set_feedback("")  # the transcript shows where the level stands: no "▶ Continue" line here
        self.query_one("#answer", Input).focus()
        return True

    # ---- showing the session
    def show_stage(self) -> None:
        self.show_transcript()
        session = self.session
        stage = session.stage
        prompt, options = Text(), self.query_one("#options", OptionList)
        if stage is None:
            prompt.append(self.words("level.done"), style="bold")
        elif stage.kind == "say":
            prompt.append(self.words("level.continue"), style="italic")
        else:
            prompt.append(clean(stage.prompt), style="bold")
        update(self.query_one("#prompt", Static), prompt)
        picking = stage is not None and stage.kind in PICKS
        if picking and (options.display is False or options.option_count != len(stage.options)
                        or self._options_of is not stage):
            options.clear_options()
            self._option_texts = [o if stage.kind == "match" else f"{i}. {o}" for i, o in enumerate(stage.options, start=1)]
            options.add_options(labelled(o, UNMARKED) for o in self._option_texts)
            options.highlighted = None
            self._marked = None
            self._options_of = stage
        options.display = picking
        self.show_graph_tab()
        self.show_log()
        self.show_views()

    _options_of = None
    _rows = None  # the iteration table's rows on screen
    _graph_tab = None  # whether the Graph tab is shown

    def show_graph_tab(self) -> None:
        """The Graph tab only when there is a graph to see (no empty panel; a node shown from a
        later step on brings it then)."""
        there = has_graph(self.session)
        if there != self._graph_tab:
            side = self.query_one("#side", TabbedContent)
            side.show_tab("graph-tab") if there else side.hide_tab("graph-tab")
            self._graph_tab = there

    def show_transcript(self) -> None:
        """Mount the transcript's new entries and keep the newest in view (its top, if it is taller
        than the view). The current ask waits in the pinned prompt until it is answered."""
        entries = self.session.transcript
        end = len(entries)
        if entries and entries[-1].kind == "ask" and self.session.stage is not None:
            end -= 1
        new = []
        for index in range(self._shown, end):
            entry, before = entries[index], entries[index - 1] if index else None
            if entry.kind == "event" and before is not None and before.kind == "answer" and before.message \
                    and before.message in entry.text:
                continue  # the step log's copy of the verdict just above (a guess, a probe)
            widget = entry_widget(entry, self.app)
            if widget is not None:
                widget.entry_index = index  # which entry of the session's transcript it shows
                new.append(widget)
        self._shown = max(self._shown, end)
        if not new:
            return
        box = self.query_one("#transcript", VerticalScroll)
        box.mount_all(new)
        explained = [w for w in new if w.has_class("explain")]
        self._anchor = (new[0], new[-1], explained[-1] if explained else None)

    _anchor = None  # what keep_in_view keeps on screen: the first and the last new entry, an explanation

    def keep_in_view(self) -> None:
        """Show the newest entries: down to the end, but never past the top of the first new one;
        the last new one whole (its top, if it is taller than the view); an explanation before all
        else, whole when it fits (its top when it does not). Nothing once the screen is being left
        (Esc while it was being set up: its widgets are gone before this runs)."""
        if self._anchor is None or not self._anchor[0].is_attached or not self.query("#transcript"):
            return
        box = self.query_one("#transcript", VerticalScroll)
        first, last, explained = self._anchor
        view = box.scrollable_content_region.height
        y = min(box.virtual_size.height - view, first.virtual_region_with_margin.y)
        newest = last.virtual_region_with_margin
        y = max(y, newest.y + min(newest.height, view) - view)  # the newest entry: whole, or its top
        if explained is not None and explained.is_attached:
            region = explained.virtual_region
            y = min(max(y, region.bottom - view), region.y)
        box.scroll_to(y=max(0, y), animate=False, immediate=True)

    def show_position(self) -> None:
        if not self.query("#transcript"):  # the screen is being left
            return
        box = self.query_one("#transcript", Transcript)
        self.query_one("#prompt", Static).border_title = box.position(self.app.lang)

    def show_log(self) -> None:
        log = self.query_one("#log", RichLog)
        for event in self.session.log[self._logged:]:
            if event.text:
                log.write(escape(clean(event.row)))
        self._logged = len(self.session.log)
        table = self.query_one("#table", DataTable)
        rows = self.session.table
        if rows == self._rows:  # the same table: not built again
            return
        self._rows = list(rows)
        table.clear(columns=True)
        table.display = bool(rows)
        if rows:
            from gradquest.engine.explain import number  # noqa: PLC0415

            table.add_columns("#", *rows[0])
            for n, row in enumerate(rows, start=1):
                table.add_row(str(n), *(number(float(v)) for v in row.values()))

    def show_views(self) -> None:
        """Draw the graph or the plot when it can be seen (beside the transcript, or full-screen):
        drawing one behind the tab bar would cost every answer a plot and a layout."""
        side = self.query_one("#side", TabbedContent)
        if self.session is None or (self.has_class("narrow") and self.maximized is not side):
            return
        if side.active == "graph-tab":
            self.query_one("#graph", GraphView).show(self.session, self.app.lang)
        elif side.active == "plot-tab":
            self.show_plots()

    def on_tabbed_content_tab_activated(self) -> None:
        self.show_views()

    def show_plots(self, figs=None) -> None:
        if self.level.plot is None:
            return
        if figs is None:
            try:
                figs = figures(self.session)
            except Exception:  # noqa: BLE001 (`gradquest check` reports a plot that cannot be computed)
                figs = []
        self.query_one("#plot-later", Static).display = not figs  # a plot kept back until a later step
        heading = self.query_one("#plot-heading", Static)
        heading.display = bool(figs and figs[0].heading)
        update(heading, Text(clean(figs[0].heading if figs else ""), style="bold"))
        grid = self.query_one("#plots", Grid)
        room = grid.size if grid.size.width else self.size
        cols, rows = panel_grid(min(len(figs), MAX_CHARTS), room.width, room.height)
        grid.styles.grid_size_columns, grid.styles.grid_size_rows = max(cols, 1), max(rows, 1)
        for i, view in enumerate(self.query(PlotView)):
            view.display = i < len(figs)
            if i < len(figs):
                view.show(figs[i], self.app.lang)

    def on_graph_view_explained(self, event: GraphView.Explained) -> None:
        """Enter on a graph node: its rule, with the numbers once worked out, joins the transcript."""
        box = self.query_one("#transcript", VerticalScroll)
        box.mount(Static(Text(clean(event.text)), classes="event"))
        box.call_after_refresh(box.scroll_end, animate=False)  # seen there when the graph is closed

    def set_feedback(self, message: str, status: str = "") -> None:
        style = {"wrong": "error", "invalid": "warning", "hint": "accent"}.get(status)
        color = getattr(self.app.current_theme, style, None) if style else None
        update(self.query_one("#feedback", Static), Text(clean(message), style=color or ""))

    # ---- input
    def on_key(self, event: events.Key) -> None:
        """A printable key always lands in the answer box, whatever has the focus. The box takes
        its own keys, so one that reaches the screen went elsewhere: typed while another widget had
        the focus, or before the box had it (keys typed as the screen opens are sent to the screen,
        and the box is focused only once it is mounted)."""
        if event.is_printable and event.character:
            box = self.query_one("#answer", AnswerBox)
            if self.maximized is not None:
                self.minimize()
            if self.focused is not box:
                box.focus()
            box.take(event.character)
            event.stop()
            event.prevent_default()

    def on_answer_box_refused(self) -> None:
        """Typed or pasted past the cap: what fits is in the box, the rest is refused at once."""
        self.set_feedback(self.words("level.too_long", limit=MAX_INPUT), "invalid")

    def on_answer_box_asked(self, event: AnswerBox.Asked) -> None:
        """`?` or `!` typed into the empty box asks for a hint or the answer at once."""
        if self.session is not None and not self.session.done:
            self.action_hint() if event.what == "hint" else self.action_reveal()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()  # the box is already empty: keys typed after Enter are the next answer
        if self.session is None or self.training:
            return
        stage = self.session.stage
        options = self.query_one("#options", OptionList)
        transcript = self.query_one("#transcript", Transcript)
        if not typed and not transcript.at_end:  # Enter reads on before it moves on
            self._anchor = None
            transcript.scroll_page_down(animate=False)
        elif stage is None:
            self.finish()
        elif stage.kind == "say":  # what was typed while reading is an answer begun: it waits in the box
            self.play(self.session.advance)
            if typed:
                box = self.query_one("#answer", AnswerBox)
                box.value = (typed + box.value)[:MAX_INPUT]
                box.cursor_position = len(box.value)
        elif stage.kind == "train":
            self.train(typed)
        elif not typed and stage.kind == "choose" and options.highlighted is not None:
            self.play(lambda: self.session.submit(choice_label(stage.options, options.highlighted + 1)))
        else:
            self.play(lambda: self.session.submit(typed))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Choosing answers at once; ordering and matching add the option's number (or letter)."""
        if self.session is None:
            return
        stage, box = self.session.stage, self.query_one("#answer", Input)
        box.focus()
        if stage is None or stage.kind not in PICKS:
            return
        if stage.kind == "choose":
            self.play(lambda: self.session.submit(choice_label(stage.options, event.option_index + 1)))
            return
        label = self._option_texts[event.option_index].split(".", 1)[0] if stage.kind == "match" else str(event.option_index + 1)
        box.value = (box.value + (" " if stage.kind == "order" and box.value else "") + label).lstrip()
        if label.isalpha():
            box.value += " "
        box.cursor_position = len(box.value)

    _option_texts: list[str] = []
    _marked = None  # the option showing the marker

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The highlighted option carries a marker, seen without colour too (the answer box keeps
        the focus, so the list's own highlight is its faint unfocused one)."""
        options = event.option_list
        for index, marker in ((self._marked, UNMARKED), (event.option_index, MARKED)):
            if index is not None and index < len(self._option_texts):
                options.replace_option_prompt_at_index(index, labelled(self._option_texts[index], marker))
        self._marked = event.option_index

    def action_pick(self, step: int) -> None:
        options = self.query_one("#options", OptionList)
        if not options.display:
            return
        if options.highlighted is None:
            options.highlighted = 0 if step > 0 else options.option_count - 1
        else:
            options.highlighted = (options.highlighted + step) % options.option_count

    def action_scroll(self, where: str) -> None:
        self._anchor = None  # the player reads where they like now
        box = self.query_one("#transcript", VerticalScroll)
        {"page_up": box.scroll_page_up, "page_down": box.scroll_page_down,
         "home": box.scroll_home, "end": box.scroll_end}[where](animate=False)

    def play(self, move) -> None:
        """`move()` is the session's next verdict; when the level cannot be computed on, the model
        error is shown in place of the transcript (the author fixes the file and presses Ctrl+R)."""
        try:
            verdict = move()
        except ModelError as err:
            self.show_model_error(err)
            return
        self.after(verdict)

    def after(self, verdict: Verdict) -> None:
        self.save()
        self.show_stage()
        if verdict.status == "invalid":
            self.set_feedback(f"? {verdict.message}", "invalid")
        elif verdict.status == "wrong":
            self.set_feedback(self.hints_status(), "wrong")
        else:
            self.set_feedback("")

    def hints_status(self) -> str:
        left = self.session.hints_left
        return self.words("level.wrong_hints", n=left) if left else self.words("level.wrong_no_hints")

    def save(self) -> None:
        self.app.progress.save_play(self.level.id, self.session, self.seed)
        self.app.save_progress()

    def finish(self) -> None:
        self.app.open_results(self.level, self.session, self.path, self.from_file)

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
        self.app.call_from_thread(self.show_model_error if isinstance(verdict, ModelError) else self.after, verdict)

    def trained_a_step(self, point) -> None:
        now = time.monotonic()
        if now - self._last_draw < DRAW_EVERY and not point.final:
            return
        self._last_draw = now
        figs = figures(self.session) if self.level.plot is not None else None
        self.app.call_from_thread(self.show_training, figs, point.step)

    def show_training(self, figs, step: int) -> None:
        self.set_feedback(self.words("level.training", step=step))
        if figs is not None:
            self.show_plots(figs)

    # ---- actions
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "view" and parameters:
            side = self.query_one("#side", TabbedContent)
            pane = parameters[0]
            return bool(side.query(f"#{pane}")) and side.get_tab(pane).display
        return True

    def action_hint(self) -> None:
        if self.session is None or self.session.done or self.training:
            return
        self.session.hint()
        self.save()  # a hint taken stays taken, and paid for, when the level is left and resumed
        self.show_transcript()
        left = self.session.hints_left
        self.set_feedback(self.words("level.hints_left", n=left) if left != 1 else self.words("level.hint_left"),
                          "hint")

    def action_reveal(self) -> None:
        if self.session is not None and not self.session.done and not self.training \
                and self.session.stage.kind != "train":
            self.play(self.session.reveal)

    def action_view(self, pane: str) -> None:
        """Show a view: beside the transcript when there is room (again: full-screen), else full-screen
        at once, until Esc."""
        side = self.query_one("#side", TabbedContent)
        if not side.query(f"#{pane}"):
            return
        if self.maximized is not None and side.active == pane:
            self.minimize()
            return
        again = side.active == pane
        side.active = pane
        if self.has_class("narrow") or again or self.maximized is not None:
            self.maximize(side, container=False)
            self.show_views()
            if pane == "graph-tab":  # full-screen, the arrows walk the graph and Enter explains a node
                self.query_one("#graph", GraphView).focus()

    def minimize(self) -> None:
        super().minimize()
        if self.is_mounted:
            self.query_one("#answer", Input).focus()
            box = self.query_one("#transcript", VerticalScroll)
            if box.scroll_y >= box.max_scroll_y - 1:  # it was at its newest: keep it there
                box.call_after_refresh(box.scroll_end, animate=False)

    def action_leave(self) -> None:
        if self.training:
            return
        if self.session is not None:
            self.save()
        self.app.back_to_map(self.from_file)

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
            self.notify(self.words("level.reloaded", file=clean(self.path.name, lines=False)), markup=False)

    def show_model_error(self, err: ModelError) -> None:
        """The level loads but cannot be computed on: say where, as `gradquest check` would."""
        self.session = None
        self.set_feedback("")
        self.show_errors(LevelErrors([located(str(self.path), self.positions, err.field, err.message)]))

    def show_errors(self, errors: LevelErrors) -> None:
        """The problems as `gradquest check` words them, as plain text: a file name or a quoted text
        is neither Markdown nor markup here, and `LevelError` has passed the gate."""
        folder = clean(str(self.path.parent) + "/")
        body = Text(self.words("level.broken"), style="bold")
        for e in errors.errors:
            body.append("\n\n• " + str(e).replace(folder, ""))
        box = self.query_one("#transcript", VerticalScroll)
        box.remove_children()
        box.mount(Static(body))
        self.query_one("#prompt", Static).update("Ctrl+R")
