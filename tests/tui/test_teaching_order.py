"""The bundled map in teaching order (issue 22): slope and one-variable descent before cracking the
black box, activations before the neuron. A progress file written before the reorder keeps its
levels (it is keyed by id), and "next" follows the new order."""

import json

from gradquest.levels.catalog import catalog
from gradquest.levels.discover import bundled_levels_dir
from gradquest.tui.chapter_map import ChapterMap
from gradquest.tui.level_screen import LevelScreen
from gradquest.tui.results import ResultsScreen
from tests.tui.conftest import screen_text

DONE_BEFORE = ["concepts.guess-the-number", "concepts.black-box", "concepts.target-practice",  # the old 1.1–1.5
               "concepts.cracking-the-black-box", "concepts.training-loop",
               "backprop.linear-chain-w", "backprop.two-paths", "backprop.both-at-once",  # the old 2.6–2.11
               "backprop.nonlinear-chain", "backprop.manual", "backprop.partial-derivatives"]


def test_the_map_teaches_in_order():
    numbers = {e.id: f"{e.chapter}.{e.order}" for c in catalog(bundled_levels_dir()) for e in c.levels}
    assert (numbers["descent.slope"], numbers["descent.one-variable"], numbers["concepts.cracking-the-black-box"],
            numbers["training.activation-functions"], numbers["backprop.neuron"]) == ("1.4", "1.5", "1.6", "2.14", "2.15")


def old_progress_file(store) -> None:
    """As a player left it before the reorder: chapter 1 and the old 2.6–2.11 done, and the slope
    lesson (then 3.16) left at its third stage: the story read, fA and fB answered."""
    done = {"done": True, "best_score": 100, "stars": 3, "hints_used": 0, "attempts": 0, "resume_at": 0}
    levels = {level_id: dict(done) for level_id in DONE_BEFORE}
    levels["descent.slope"] = {"done": False, "best_score": 0, "stars": 0, "hints_used": 0, "attempts": 2,
                               "resume_at": 3, "points": [100, 100], "answers": ["", "2.25", "6.25"]}
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(json.dumps({"version": 1, "settings": {}, "levels": levels}), encoding="utf-8")


async def test_an_old_progress_file_keeps_its_levels_and_resumes_the_moved_level(make_app, store):
    old_progress_file(store)
    app = make_app(levels_dir=bundled_levels_dir())
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert isinstance(app.screen, ChapterMap) and "▶ Continue: Slope and derivative" in text
        states = app.screen.states
        assert all(states[level_id] == "done" for level_id in DONE_BEFORE)
        assert (states["descent.slope"], states["descent.one-variable"]) == ("started", "locked")
        assert "★★★ 1.6   Cracking the black box" in text and "…   1.4   Slope and derivative" in text
        # the level now between 2.13 and the neuron is open; the neuron after it waits for it
        assert (states["training.activation-functions"], states["backprop.neuron"]) == ("open", "locked")
        await pilot.press("enter")  # Continue
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LevelScreen) and screen.level.id == "descent.slope"
        assert screen.session.position == 3 and screen.session.answers == ["", "2.25", "6.25"]
        assert screen.session.stage.prompt.startswith("The slope of the secant AB")


async def finish(app, pilot) -> None:
    screen = app.screen
    s = screen.session
    while s.stage is not None:
        screen.play(lambda: s.advance() if s.stage.kind == "say" else s.submit(s.stage.solution))
        await pilot.pause()
    await pilot.press("enter")  # "done": on to the results
    for _ in range(3):
        await pilot.pause()


async def test_next_after_the_level_before_a_moved_one_opens_the_moved_one(make_app):
    levels = bundled_levels_dir()
    for before, moved in (("1-three-concepts/03-target-practice.yaml", "descent.slope"),
                          ("2-backprop/13-partial-derivatives.yaml", "training.activation-functions"),
                          ("2-backprop/14-activation-functions.yaml", "backprop.neuron")):
        app = make_app(levels_dir=levels, level_file=levels / before)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await finish(app, pilot)
            assert isinstance(app.screen, ResultsScreen), before
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, LevelScreen) and app.screen.level.id == moved, before
