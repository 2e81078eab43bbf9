"""What a level keeps from the player's screen: a node written with `hidden: true` is never shown,
one with `reveal_at: <step id>` (and a plot or a descent path with it) is shown once that step is reached. The graph,
the cards, the line player's list and the plot ask here; the loader has checked that nothing else
(an ask, a table, a text, a node using it) shows a hidden node before then."""

from __future__ import annotations


def hidden_now(session) -> set[str]:
    """The nodes not to show at this moment."""
    reached = session.reached
    return {name for name, at in session.level.model.hidden.items()
            if at is None or (at not in reached and not session.done)}


def plot_hidden(session) -> bool:
    return not_yet(session, getattr(session.level.plot, "reveal_at", None))


def not_yet(session, at: str | None) -> bool:
    """Whether something shown from the step `at` on (a plot, a descent path) is still hidden."""
    return at is not None and at not in session.reached and not session.done
