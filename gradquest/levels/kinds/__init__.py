"""The step kinds, one module each, as the engine's operations are one `Op` each.

`KINDS` maps a step's key in a level file to its kind (`KIND` of `<key>_step.py`); `kind_of(step)`
is the kind of a loaded step. The loader, the game and the author's tools ask the kind instead of
testing a step's class (`tests/levels/test_kinds.py` keeps it so). Adding a kind: one module
here (its pydantic model and its `Kind`), its key in `KEYS`, its messages in `game/messages.py`, its
section in docs/authoring.md; `levels/schema.py` reads the format's steps from `KINDS`.
"""

from __future__ import annotations

from importlib import import_module

from gradquest.levels.kinds.kind import Kind

KEYS = ("say", "forward", "local", "gradient", "value", "vector", "update", "set", "guess", "probe", "choose",
        "order", "match", "iterate", "train")  # in the order the format lists them
KINDS: dict[str, Kind] = {key: import_module(f"{__name__}.{key}_step").KIND for key in KEYS}
_BY_MODEL = {kind.model: kind for kind in KINDS.values()}


def kind_of(step) -> Kind:
    """The kind of a loaded step."""
    return _BY_MODEL[type(step)]


def asked_value(step) -> str | None:
    """What a `forward` or `value` step asks the value of (a node's name, or an expression); None for
    any other step, or none."""
    return None if step is None else kind_of(step).asked_value(step)
