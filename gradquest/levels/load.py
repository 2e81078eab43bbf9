"""Loading levels and chapters: the schema's verdict and the level's own sense, with positions.

`load_level(path)` reads the file (`source.read_yaml`), validates it against `schema.Level` and
then checks what the schema cannot: every expression parses, every name it uses is defined, the
nodes form no cycle, and every step refers to things the model has. All problems are raised at
once as `LevelErrors`, each at file:line:column with the dotted field (`steps[3].hints[0]`).
Numbers (NaN at the initial values, solvability) are the game layer's to check.
Its parts: `friendly.py` (pydantic's errors in the author's words), `check.py` (what the schema
cannot see), `order.py` (the nodes' order and cycles).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from pydantic import ValidationError

from gradquest.levels.check import Check, model_names
from gradquest.levels.friendly import validate
from gradquest.levels.schema import Chapter, Level
from gradquest.levels.source import (
    LevelError, LevelErrors, Positions, position_of, read_yaml,
)

__all__ = ["LoadedLevel", "load_level", "load_levels", "load_chapter", "model_names", "LevelError", "LevelErrors"]


@dataclass
class LoadedLevel:
    level: Level
    path: Path
    positions: Positions


def load_level(path) -> LoadedLevel:
    """The level in `path`, or `LevelErrors` with every problem found."""
    file = str(path)
    data, positions = read_yaml(path)
    level, errors = validate(Level, data, file, positions)
    if level is not None:
        errors = Check(level, file, positions).run()
    if errors:
        raise LevelErrors(errors)
    return LoadedLevel(level, Path(path), positions)


@dataclass
class Examined:
    """What `gradquest check` learns from loading a file: every problem the loader can see, and a
    level to lint further when the model itself is sound (a step with a problem is replaced by a
    plain `say`, so the rest of the level can still be played)."""
    path: Path
    errors: list[LevelError]
    item: LoadedLevel | None = None  # the level (repaired if needed) that lint and tests may run on

    @property
    def broken_tests(self) -> set[int]:
        """The tests not to play: those with a problem of their own (placeholders in the repaired
        level), and, when a step was set aside, those that count asks (the count is off)."""
        paths = [undotted_path(e.field) for e in self.errors]
        broken = {p[1] for p in paths if len(p) > 1 and p[0] == "tests" and isinstance(p[1], int)}
        if self.item is not None and any(p[:1] == ("steps",) for p in paths):
            broken |= {i for i, t in enumerate(self.item.level.tests) if isinstance(t.at, int)}
        return broken


_PLACEHOLDER_STEP = {"say": "(a step with a problem)"}
_PLACEHOLDER_TEST = {"name": "(a test with a problem)", "inputs": [{"input": "", "verdict": "invalid"}]}
_HEADER_DEFAULTS = {"format_version": 1, "id": "level", "title": "?", "chapter": 1, "order": 1}


def examine(path) -> Examined:
    """Every problem of a level file in one run: the schema's, then (on a copy with the broken
    parts replaced) names, expressions and references. The level comes back for lint when no
    problem touches its model."""
    file, path = str(path), Path(path)
    try:
        data, positions = read_yaml(path)
    except LevelErrors as exc:
        return Examined(path, exc.errors)
    level, errors = validate(Level, data, file, positions)
    if level is None:
        level = _valid(_repair(data, [undotted_path(e.field) for e in errors]))
        if level is None:
            return Examined(path, errors)
    errors += Check(level, file, positions).run()
    if not errors:
        return Examined(path, errors, LoadedLevel(level, path, positions))
    broken = [undotted_path(e.field) for e in errors]
    if any(p[:1] == ("model",) or not p for p in broken):
        return Examined(path, errors)  # the model has a problem: nothing can be computed
    level = _valid(_repair(data, broken))
    if level is None or Check(level, file, positions).run():
        return Examined(path, errors)
    return Examined(path, errors, LoadedLevel(level, path, positions))


def _valid(data) -> Level | None:
    if data is None:
        return None
    try:
        return Level.model_validate(data)
    except ValidationError:
        return None


def undotted_path(field: str) -> tuple:
    return tuple(int(i) if i else n for n, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field))


def _repair(data, broken: list[tuple]):
    """A copy of the file's data with each broken part replaced by something valid and inert (a
    step by a `say`, a parameter by 0, a node by `0`…), or None when a part cannot be replaced."""
    import copy  # noqa: PLC0415

    if not isinstance(data, dict):
        return None
    data = copy.deepcopy(data)
    for path in broken:
        if not path:
            return None
        head = path[0]
        if head == "steps":
            steps = data.get("steps")
            if len(path) > 1 and isinstance(path[1], int) and isinstance(steps, list) and path[1] < len(steps):
                steps[path[1]] = dict(_PLACEHOLDER_STEP)
            elif not isinstance(steps, list) or not steps:
                data["steps"] = [dict(_PLACEHOLDER_STEP)]
            else:
                return None
        elif head == "tests":
            tests = data.get("tests")
            if len(path) > 1 and isinstance(path[1], int) and isinstance(tests, list) and path[1] < len(tests):
                tests[path[1]] = dict(_PLACEHOLDER_TEST)  # kept, so that the others keep their numbers
            else:
                data.pop("tests", None)
        elif head in _HEADER_DEFAULTS:
            data[head] = _HEADER_DEFAULTS[head]
        elif head in ("story", "teaches", "source", "plot") or head not in Level.model_fields:
            data.pop(head, None)  # an unknown top-level key too
        elif head == "model" and len(path) >= 3 and path[1] in ("params", "nodes", "data") \
                and isinstance(data.get("model"), dict) and isinstance(data["model"].get(path[1]), dict):
            data["model"][path[1]][path[2]] = {"params": 0, "nodes": "0", "data": [0.0]}[path[1]]
        elif head == "model" and len(path) == 2 and isinstance(data.get("model"), dict):
            data["model"].pop(path[1], None)  # an unknown key, or a setting back to its default
        else:
            return None
    return data


def load_levels(paths: Iterable) -> tuple[list[LoadedLevel], list[LevelError]]:
    """The levels that load, and the problems of the others; an id used twice is a problem of the
    second file, which is left out."""
    loaded, errors, first = [], [], {}
    for path in paths:
        try:
            item = load_level(path)
        except LevelErrors as exc:
            errors.extend(exc.errors)
            continue
        if item.level.id in first:
            errors.append(LevelError(str(path), *position_of(item.positions, ("id",)), "id",
                                     f"the id '{item.level.id}' is already used by {first[item.level.id]}",
                                     "give each level its own id"))
            continue
        first[item.level.id] = str(path)
        loaded.append(item)
    return loaded, errors


def load_chapter(path) -> Chapter:
    """A chapter folder's `chapter.yaml`, or `LevelErrors`."""
    chapter, _, errors = examine_chapter(path)
    if errors:
        raise LevelErrors(errors)
    return chapter


def examine_chapter(path) -> tuple[Chapter | None, Positions | None, list[LevelError]]:
    """A chapter file's chapter and the positions of its values, or its problems."""
    try:
        data, positions = read_yaml(path)
    except LevelErrors as exc:
        return None, None, list(exc.errors)
    chapter, errors = validate(Chapter, data, str(path), positions)
    return chapter, positions, errors
