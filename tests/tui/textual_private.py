"""The one place the tests reach past Textual's public API (tests/test_project.py checks that no
other test does). Each private name says why it is needed; a Textual upgrade that moves one breaks
this file only. Everything else in the tests goes through Pilot, `app.screen`, queries and the
widgets' public state."""

from textual.keys import _character_to_key


def screen_strips(app) -> list:
    """The lines the terminal shows now, one `Strip` each.
    `Screen._compositor`: Textual has no public way to read the composed screen as text (its
    public `export_screenshot` writes SVG)."""
    return app.screen._compositor.render_strips()


def screen_update(app):
    """The whole screen as one renderable, modal screens drawn over the ones beneath.
    `Screen._compositor` as above; `App._background_screens`: the screens a modal screen is drawn
    over (no public list of them)."""
    return app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)


def key_name(char: str) -> str:
    """The key Textual names for a typed character (`？` is `fullwidth_question_mark`).
    `textual.keys._character_to_key`: what the driver uses; `Pilot.press` cannot press a
    full-width character, and no public function maps a character to its key."""
    return "enter" if char == "\r" else _character_to_key(char)


async def wait_for_screen(pilot) -> None:
    """Until every widget of the screen has handled the messages it holds now.
    `Pilot._wait_for_screen`: `Pilot.pause()` does this too, then waits for the processor to be
    idle on the clock; the every-stage walk waits on the state instead (see `busy`)."""
    await pilot._wait_for_screen()


def draw_now(app) -> None:
    """Lay out and draw the screen now rather than at its next timer tick.
    `Screen._on_timer_update`: what `Pilot.pause()` calls at its end, without its wait."""
    app.screen._on_timer_update()


def busy(app) -> bool:
    """A widget has a message or a callback waiting, or the screen has a frame to draw: the state
    the walk waits on, since no public call says "nothing left to do".
    `MessagePump._message_queue` and `_next_callbacks`: messages and `call_next` callbacks waiting;
    `Screen._callbacks`: `call_after_refresh` callbacks; `Screen._layout_required`,
    `_scroll_required`, `_repaint_required`, `_dirty_widgets`: a frame to lay out or draw."""
    screen = app.screen
    pumps = [app, *screen.walk_children(with_self=True)]
    return any(p._message_queue.qsize() or p._next_callbacks for p in pumps) or bool(screen._callbacks) \
        or screen._layout_required or screen._scroll_required or screen._repaint_required or bool(screen._dirty_widgets)


def paste(app, text: str) -> None:
    """A bracketed paste as the terminal sends it.
    `App._driver`: a `Paste` event posted to the app is not what the driver sends (it goes to the
    focused widget through the driver's queue), and Pilot has no paste."""
    from textual import events

    app._driver.send_message(events.Paste(text))
