"""The full-screen game: the Textual app, its settings and its screens.

Thin by design: every number, verdict and plot point comes from `gradquest.game`; the screens
only show them and forward what the player types. Nothing here is imported before the chapter
map needs it: the level screen (and with it numpy, the engine and the plot library) is imported
when a level opens.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Callable

from textual.app import App
from textual.binding import Binding

from gradquest.store.progress import Progress, ProgressStore
from gradquest.levels.untrusted import clean
from gradquest.tui import cjk_wrap
from gradquest.tui.words import translated_bindings, word

cjk_wrap.install()  # Chinese lines break between characters, formulas kept whole


class GradQuestApp(App):
    CSS_PATH = Path(__file__).with_name("gradquest.tcss")
    TITLE = "GradQuest"
    BINDINGS = [
        Binding("f1", "help", "key.help", show=False),
        Binding("ctrl+q,ctrl+c", "quit", "key.quit", show=False, priority=True),  # progress is saved after every step
        Binding("ctrl+p", "command_palette", "key.palette", show=False, priority=True),  # the key bar's last item
    ]

    def __init__(self, lang: str = "en", level_file: Path | None = None, seed: int | None = None,
                 store: ProgressStore | None = None, levels_dir: Path | None = None, watch: bool = False,
                 progress: Progress | None = None, practice: Callable | None = None,
                 opening: dict[str, str] | None = None):
        super().__init__()
        self.opening = opening  # a level built on the spot (`explore`): its title, shown at once; the level after the first frame
        self.practice = practice  # makes a practice round (the cli gives `author.practice.Round`): the map's Practice row
        self.watch = watch  # `play FILE --watch`: reload the level each time its file is saved
        self._saved_at: tuple[int, int] | None = None
        self.lang = lang
        self._bindings = translated_bindings(self.BINDINGS, lang)
        self.levels_dir = levels_dir  # the bundled levels unless told
        self.level_file = level_file
        self.seed = seed
        self.store = store or ProgressStore()
        self.progress: Progress = progress if progress is not None else self.store.load()
        self.title = word("app.title", lang)
        theme = self.progress.settings.get("theme")
        if theme in self.available_themes:
            self.theme = theme

    def on_mount(self) -> None:
        if self.progress.warning:
            self.warn(self.progress.warning.message(self.lang))
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.level_file is not None and self.opening is None:
            self.open_file(self.level_file)
            if self.watch:
                self._saved_at = self._mtime()
                self.set_interval(0.5, self.reload_if_saved)

    def on_ready(self) -> None:
        """The first frame is drawn. A level built on the spot opens now, its imports after the frame
        that says so. `gradquest` paused garbage collection for start-up (cli._run_app): what start-up
        built lives all session, so it is set aside for good and collection resumes."""
        if self.level_file is not None and self.opening is not None:
            self.open_file(self.level_file)
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def get_default_screen(self):
        """The chapter map is the first screen itself (not pushed over a blank one): one screen
        to compose and draw before the player sees anything."""
        if self.level_file is not None and self.opening is not None:
            from gradquest.tui.opening import Opening  # noqa: PLC0415

            return Opening(self.opening.get(self.lang) or self.opening["en"])
        if self.level_file is not None:
            return super().get_default_screen()
        from gradquest.tui.chapter_map import ChapterMap  # noqa: PLC0415

        return ChapterMap()

    def _mtime(self) -> tuple[int, int] | None:
        try:
            stat = self.level_file.stat()
        except OSError:  # being saved (removed and written again): look next time
            return None
        return stat.st_mtime_ns, stat.st_size

    def reload_if_saved(self) -> None:
        """The level file changed: the level screen reloads it, as Ctrl+R does."""
        now = self._mtime()
        if now is None or now == self._saved_at:
            return
        self._saved_at = now
        reload = getattr(self.screen, "action_reload", None)
        if reload is not None:
            reload()

    # Moving between screens: the screens call these, so that no screen imports another.

    def open_file(self, path: Path) -> None:
        from gradquest.tui.level_screen import LevelScreen  # noqa: PLC0415

        self.push_screen(LevelScreen(path, self.seed, from_file=True))

    def open_level(self, path: Path) -> None:
        from gradquest.tui.level_screen import LevelScreen  # noqa: PLC0415

        self.push_screen(LevelScreen(path))

    def open_practice(self) -> None:
        """A practice round: its exercises on the level screen, then its summary."""
        from gradquest.tui.practice_screen import start_round  # noqa: PLC0415

        self.push_screen(start_round(self))

    def open_next_level(self, path: Path, from_file: bool) -> None:
        """The results' next level, in their place."""
        from gradquest.tui.level_screen import LevelScreen  # noqa: PLC0415

        self.switch_screen(LevelScreen(path, from_file=from_file))

    def open_results(self, level, session, path: Path, from_file: bool) -> None:
        """A finished level's results, in its place."""
        from gradquest.tui.results import ResultsScreen  # noqa: PLC0415

        self.switch_screen(ResultsScreen(level, session, path, from_file))

    def back_to_map(self, from_file: bool) -> None:
        """Leave a level or its results: the map is beneath them, except after `gradquest play
        LEVEL` (`from_file`), where the map takes their place rather than the game ending."""
        if from_file:
            from gradquest.tui.chapter_map import ChapterMap  # noqa: PLC0415

            self.switch_screen(ChapterMap())
        else:
            self.pop_screen()

    def save_progress(self) -> None:
        """Save; a failure is a warning on screen (once per cause), never an error."""
        notice = self.store.save(self.progress)
        if notice is not None:
            self.warn(notice.message(self.lang))

    def warn(self, message: str) -> None:
        """A notice about the progress file: it names the file and the records it could not read,
        so it passes the untrusted-text gate and is not markup."""
        self.notify(clean(message), severity="warning", timeout=10, markup=False)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.progress.settings["lang"] = lang
        self.save_progress()
        self.title = word("app.title", lang)
        self._bindings = translated_bindings(self.BINDINGS, lang)

    def _remember_theme(self, theme) -> None:
        if self.progress.settings.get("theme") != theme.name:
            self.progress.settings["theme"] = theme.name
            self.save_progress()

    def action_help(self) -> None:
        from gradquest.tui.help import HelpScreen  # noqa: PLC0415

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
