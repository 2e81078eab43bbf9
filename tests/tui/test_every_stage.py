"""Every stage of every bundled level, played through the full-screen game at 80×24, 120×40 and
160×48 (the graph and the plot beside the transcript),
next to a headless `LevelSession` with the same seed: the whole prompt, every option and the
answer box are on screen at each stage; after a wrong answer its diagnosis is on screen; after a
right answer its explanation is. One level per chapter is walked again in Chinese at 80×24.

Each size has an app of its own (a resize would lay out and wrap the whole transcript again), and
the walk waits on the state (every message handled, the frame drawn), never on the clock."""

import asyncio

import pytest
from textual.widgets import Input, OptionList
from textual.worker import WorkerState

from gradquest.store.progress import ProgressStore
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir, find_level_files
from gradquest.levels.load import load_level
from gradquest.tui.app import GradQuestApp
from tests.tui.textual_private import busy, draw_now, screen_strips, wait_for_screen

SEED = 11
SIZES = [(80, 24), (120, 40), (160, 48)]
LEVELS = find_level_files([bundled_levels_dir()])
ONE_PER_CHAPTER = [next(p for p in LEVELS if p.parent == folder) for folder in sorted({p.parent for p in LEVELS})]
WRONG_FIRST = {"ask", "choose", "order", "match"}  # a wrong try leaves these at the same stage


def squeeze(text: str) -> str:
    return "".join(text.split())


def shown_in(app, region, strips=None) -> str:
    """The characters on screen inside `region`, without spaces or line breaks."""
    strips = strips or screen_strips(app)
    return squeeze("".join(s.crop(region.x, region.right).text for s in strips[region.y:region.bottom]))


def in_view(widget, within=None) -> bool:
    """The whole widget is on screen (and inside the visible part of `within`, a scrolling box)."""
    region = widget.region
    frame = (within.scrollable_content_region if within is not None else widget.screen.region)
    return widget.display and region.height > 0 and frame.contains_region(region)


def wrong_answer(stage) -> str:
    if stage.kind == "choose":
        return "2" if stage.solution != "2" else "1"
    if stage.kind == "order":
        return " ".join(reversed(stage.solution.split()))
    if stage.kind == "match":
        pairs = stage.solution.split()
        return " ".join(p[:-1] + q[-1] for p, q in zip(pairs, pairs[1:] + pairs[:1]))
    return "(" + ", ".join(["12345.5"] * stage.size) + ")" if stage.size > 1 else "12345.5"


async def settle(pilot) -> None:
    """Wait on the state, not the clock: until every widget has handled what it was sent and the
    frame is drawn (drawn at once, not when the screen's timer would draw it)."""
    app = pilot.app
    while True:
        await wait_for_screen(pilot)  # what each widget holds now is handled
        if any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):  # training
            await app.workers.wait_for_complete()
            continue
        if not busy(app):
            return
        draw_now(app)  # lay out and draw now; call_after_refresh callbacks run next


async def send(pilot, typed: str, position: int | None = None) -> None:
    """Send an answer as the answer box sends it on Enter (typing is `test_keys.py`'s; each key
    would lay the screen out again); with `position`, until the level is there (training answers
    from a thread)."""
    box = pilot.app.screen.query_one("#answer", Input)
    box.post_message(Input.Submitted(box, typed))
    await settle(pilot)
    for _ in range(3000):
        if position is None or pilot.app.screen.session.position == position:
            return
        await asyncio.sleep(0.01)
        await settle(pilot)


def check_stage(app, stage, where: str) -> None:
    screen = app.screen
    prompt, box = screen.query_one("#prompt"), screen.query_one("#answer", Input)
    assert in_view(box), f"{where}: the answer box is off screen"
    if stage.kind == "say":
        assert story_start_shown(app, stage), f"{where}: the story's start is off screen"
        return
    strips = screen_strips(app)
    assert in_view(prompt), f"{where}: the prompt is cut"
    assert squeeze(stage.prompt) in shown_in(app, prompt.region, strips), f"{where}: the prompt is not all on screen"
    if stage.options:
        options = screen.query_one("#options", OptionList)
        assert in_view(options) and options.max_scroll_y == 0, f"{where}: the options are cut"
        seen = shown_in(app, options.region, strips)
        for option in stage.options:
            assert squeeze(option) in seen, f"{where}: option {option!r} is off screen"


def story_start_shown(app, stage) -> bool:
    transcript = app.screen.query_one("#transcript")
    said = [w for w in transcript.children if w.has_class("say")]
    start = squeeze(stage.body.strip().splitlines()[0])[:12].replace("*", "").replace("`", "")
    return bool(said) and start in shown_in(app, said[-1].region.intersection(transcript.scrollable_content_region))


async def read_on(pilot, stage) -> None:
    """Enter, as a player reads on: it scrolls the transcript down before it moves on."""
    screen = pilot.app.screen
    transcript, position = screen.query_one("#transcript"), screen.session.position
    while not story_start_shown(pilot.app, stage) and not transcript.at_end:
        await send(pilot, "")
        assert screen.session.position == position


def newest_in_view(app, kinds, where: str) -> None:
    """The transcript's newest entries of these kinds are on screen (a tall one: its top)."""
    screen = app.screen
    transcript = screen.query_one("#transcript")
    entries = screen.session.transcript
    said = [(w, entries[w.entry_index]) for w in transcript.children if getattr(w, "entry_index", None) is not None]
    widgets = [w for w, e in said if e.kind in kinds or (e.event is not None and e.event.kind in kinds)]
    assert widgets, f"{where}: nothing of {kinds} in the transcript"
    widget, view = widgets[-1], transcript.scrollable_content_region
    region = widget.region
    fits = region.height <= view.height
    assert (view.contains_region(region) if fits else view.y <= region.y < view.bottom), \
        f"{where}: {kinds} is off screen"


async def walk(path, lang: str, size, tmp_path) -> int:
    """Play the level at one size (an app of its own: no resize, so nothing is laid out twice)."""
    level = load_level(path).level
    twin = LevelSession(level, seed=SEED, lang=lang)
    store = ProgressStore(tmp_path / f"{lang}-{size[0]}x{size[1]}")
    app = GradQuestApp(lang, level_file=path, seed=SEED, store=store)
    app.animation_level = "none"
    stages = 0
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        while twin.stage is not None:
            stage = twin.stage
            assert screen.session.stage.prompt == stage.prompt and screen.session.stage.body == stage.body
            stages += 1
            where = f"{level.id} stage {twin.position} ({stage.kind}, {lang}) at {size}"
            if stage.kind == "say":
                await read_on(pilot, stage)
            check_stage(app, stage, where)
            if stage.kind in WRONG_FIRST:
                wrong = wrong_answer(stage)
                verdict = twin.submit(wrong)
                await send(pilot, wrong)
                assert verdict.status == "wrong", f"{where}: {wrong!r} was meant to be wrong"
                check_stage(app, stage, f"{where}, after a wrong answer")
                newest_in_view(app, {"answer"}, f"{where}, the diagnosis")
            typed = stage.solution if stage.kind != "say" else ""
            while not typed and not screen.query_one("#transcript").at_end:  # Enter reads on first
                await send(pilot, "")
            verdict = twin.submit(typed)
            await send(pilot, typed, twin.position)
            if any(e.kind == "explain" for e in verdict.events):
                newest_in_view(app, {"explain"}, f"{where}, its explanation")
        assert screen.session.done and app.screen is screen  # the last explanation is read first
        await send(pilot, "")
        assert type(app.screen).__name__ == "ResultsScreen"
    return stages


@pytest.mark.parametrize("path", LEVELS, ids=[p.stem for p in LEVELS])
async def test_every_stage_is_in_view_at_80x24_120x40_and_160x48(path, tmp_path):
    for size in SIZES:
        assert await walk(path, "en", size, tmp_path) > 1


@pytest.mark.parametrize("path", ONE_PER_CHAPTER, ids=[p.stem for p in ONE_PER_CHAPTER])
async def test_every_stage_is_in_view_in_chinese(path, tmp_path):
    assert await walk(path, "zh", (80, 24), tmp_path) > 1
