"""The chapter map's view of the levels: each file's header (id, title, chapter, order, teaches)
read with PyYAML alone.

The map is the first frame the player sees, so it must not wait for the schema's pydantic models
or the engine; a level is validated in full when it is opened, and `gradquest check` reports
every problem. A file whose header cannot be read is left off the map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gradquest.levels.discover import CHAPTER_FILES, bundled_levels_dir, level_files

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def local_text(value, lang: str) -> str:
    """A header text: a string, or {en, zh} with English as the fallback."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    return "" if value is None else str(value)


@dataclass
class Entry:
    id: str
    path: Path
    chapter: int
    order: int
    title: object
    teaches: object = None


@dataclass
class ChapterEntry:
    number: int
    title: object
    summary: list = field(default_factory=list)
    levels: list[Entry] = field(default_factory=list)


def catalog(folder: Path | None = None) -> list[ChapterEntry]:
    """The chapters with their levels, in order. Levels of a chapter without a `chapter.yaml` get
    a chapter named by its number."""
    folder = bundled_levels_dir() if folder is None else folder
    chapters: dict[int, ChapterEntry] = {}
    for path in sorted(folder.rglob("*")):
        if path.name in CHAPTER_FILES:
            head = _header(path)
            if isinstance(head.get("chapter"), int):
                chapters[head["chapter"]] = ChapterEntry(head["chapter"], head.get("title"), head.get("summary") or [])
    for path in level_files(folder):
        head = _header(path)
        if isinstance(head.get("id"), str) and isinstance(head.get("chapter"), int):
            number = head["chapter"]
            chapter = chapters.setdefault(number, ChapterEntry(number, str(number)))
            chapter.levels.append(Entry(head["id"], path, number, int(head.get("order") or 0),
                                        head.get("title") or head["id"], head.get("teaches")))
    for chapter in chapters.values():
        chapter.levels.sort(key=lambda e: (e.order, e.id))
    return [chapters[n] for n in sorted(chapters) if chapters[n].levels]


HEADER_KEYS = frozenset({"id", "title", "chapter", "order", "teaches", "summary"})


def _header(path: Path) -> dict:
    """The header fields: parsed from the file's top-level header blocks alone (a level's model
    and steps are most of the file), and from the whole file if those do not parse on their own."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    for source in (_header_blocks(text), text):
        try:
            data = yaml.load(source, Loader=_Loader)  # noqa: S506 (a safe loader)
        except yaml.YAMLError:
            continue
        if isinstance(data, dict) and ("id" in data or "chapter" in data):
            return data
    return {}


def _header_blocks(text: str) -> str:
    """The top-level `key:` blocks of the header keys, with their indented lines."""
    kept, keep = [], False
    for line in text.splitlines(keepends=True):
        if line[:1] not in (" ", "\t", "#", "\n", "\r", ""):
            keep = line.split(":", 1)[0].strip() in HEADER_KEYS
        if keep:
            kept.append(line)
    return "".join(kept)
