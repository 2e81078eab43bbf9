"""Finding level files: the bundled pack, and the files and folders an author names.

In an installed wheel the pack is `gradquest/_bundled_levels` (pyproject force-includes the
repository's top-level `levels/` there), and the level format's JSON Schema is
`gradquest/level.schema.json` (from `docs/`); in a source checkout or editable install they are
the repository's own `levels/` and `docs/level.schema.json`. A chapter folder holds its levels
and a `chapter.yaml`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # the chapter map lists files without importing the schema
    from gradquest.levels.schema import Chapter

__all__ = ["bundled_levels_dir", "schema_file", "level_files", "chapter_files", "chapter_and_level_files",
           "find_level_files", "find_chapter_files", "find_chapters", "CHAPTER_FILES"]

CHAPTER_FILES = ("chapter.yaml", "chapter.yml")
_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_levels_dir() -> Path:
    """The folder of the levels that ship with GradQuest."""
    installed = _PACKAGE / "_bundled_levels"
    return installed if installed.is_dir() else _PACKAGE.parent / "levels"


def schema_file() -> Path:
    """The level format's JSON Schema that ships with GradQuest (for an author's editor)."""
    installed = _PACKAGE / "level.schema.json"
    return installed if installed.is_file() else _PACKAGE.parent / "docs" / "level.schema.json"


def _visible_files(folder: Path) -> list[Path]:
    """Every file under `folder`, sorted, except in hidden folders (an editor's or git's)."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def chapter_and_level_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The chapter files and the level files under `folder`, from one walk of it."""
    files = _visible_files(folder)
    return ([p for p in files if p.name in CHAPTER_FILES],
            [p for p in files if p.suffix in (".yaml", ".yml") and p.name not in CHAPTER_FILES])


def level_files(folder: Path) -> list[Path]:
    return chapter_and_level_files(folder)[1]


def chapter_files(folder: Path) -> list[Path]:
    return chapter_and_level_files(folder)[0]


def find_level_files(paths: Iterable) -> list[Path]:
    """Level files: each file given as it is, and every `*.yaml`/`*.yml` under each folder
    (sorted; not `chapter.yaml`, not hidden folders). A path that does not exist is kept, so that
    loading it reports the problem."""
    found: list[Path] = []
    for path in map(Path, paths):
        found += level_files(path) if path.is_dir() else [] if path.name in CHAPTER_FILES else [path]
    return list(dict.fromkeys(found))


def find_chapter_files(paths: Iterable) -> list[Path]:
    """The chapter files among `paths` and under each folder of them (not in hidden folders)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += chapter_files(path)
        elif path.name in CHAPTER_FILES:
            found.append(path)
    return list(dict.fromkeys(found))


def find_chapters(folder) -> list[tuple[Path, Chapter]]:
    """Every `chapter.yaml` under `folder` with its chapter, sorted by path; `LevelErrors` with the
    problems of all the broken ones."""
    from gradquest.levels.load import LevelErrors, load_chapter  # noqa: PLC0415

    chapters, errors = [], []
    for path in chapter_files(Path(folder)):
        try:
            chapters.append((path, load_chapter(path)))
        except LevelErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise LevelErrors(errors)
    return chapters
