"""The chapter map's view of the levels: each file's header (id, title, chapter, order, teaches)
read with PyYAML alone, and kept in a small JSON cache so that the next start needs no YAML at all
(a file whose modification time or size changed is read again). Every text of a header, read or
cached, has passed the untrusted-text gate (`untrusted.clean`): PyYAML alone does not refuse the
control characters that the full loader does.

The map is the first frame the player sees, so it must not wait for the schema's pydantic models
or the engine; a level is validated in full when it is opened, and `gradquest check` reports
every problem. A file whose header cannot be read is left off the map.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from gradquest.levels.discover import bundled_levels_dir, chapter_and_level_files
from gradquest.levels.untrusted import clean

CACHE_VERSION = 1


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


def catalog(folder: Path | None = None, cache: Path | None = None) -> list[ChapterEntry]:
    """The chapters with their levels, in order. Levels of a chapter without a `chapter.yaml` get
    a chapter named by its number. `cache`: a JSON file for the headers read (optional)."""
    folder = bundled_levels_dir() if folder is None else folder
    chapter_paths, files = chapter_and_level_files(folder)
    heads = _cached_headers(chapter_paths + files, cache)
    chapters: dict[int, ChapterEntry] = {}
    for path in chapter_paths:
        head = heads[path]
        if isinstance(head.get("chapter"), int):
            chapters[head["chapter"]] = ChapterEntry(head["chapter"], head.get("title"), head.get("summary") or [])
    for path in files:
        head = heads[path]
        if isinstance(head.get("id"), str) and isinstance(head.get("chapter"), int):
            number = head["chapter"]
            chapter = chapters.setdefault(number, ChapterEntry(number, str(number)))
            order = head.get("order")
            chapter.levels.append(Entry(head["id"], path, number, order if isinstance(order, int) else 0,
                                        head.get("title") or head["id"], head.get("teaches")))
    for chapter in chapters.values():
        chapter.levels.sort(key=lambda e: (e.order, e.id))
    return [chapters[n] for n in sorted(chapters) if chapters[n].levels]


HEADER_KEYS = frozenset({"id", "title", "chapter", "order", "teaches", "summary"})


def _cached_headers(paths: list[Path], cache: Path | None) -> dict[Path, dict]:
    """Each file's header: from the cache when the file is unchanged, else read (and the cache
    rewritten). A cache that cannot be read or written is only a slower start."""
    known = _read_cache(cache)
    heads, changed = {}, cache is not None and len(known) != len(paths)
    for path in paths:
        stamp = _stamp(path)
        entry = known.get(str(path))
        if stamp is not None and isinstance(entry, dict) and entry.get("stamp") == stamp \
                and isinstance(entry.get("header"), dict):
            heads[path] = _cleaned(entry["header"])
        else:
            heads[path] = _cleaned({k: v for k, v in _header(path).items() if k in HEADER_KEYS})
            changed = True
    if changed and cache is not None:
        _write_cache(cache, {str(p): {"stamp": _stamp(p), "header": heads[p]} for p in paths})
    return heads


def _cleaned(value, depth: int = 0):
    """A header's texts through the gate, keys included; nothing deeper than a header's texts go
    (`summary: [{en: …}]`)."""
    if isinstance(value, str):
        return clean(value)
    if depth >= 3:
        return None
    if isinstance(value, dict):
        return {_cleaned(k): _cleaned(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v, depth + 1) for v in value]
    return value


def _stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size]


def _read_cache(cache: Path | None) -> dict:
    if cache is None:
        return {}
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    ok = isinstance(data, dict) and data.get("version") == CACHE_VERSION and isinstance(data.get("files"), dict)
    return data["files"] if ok else {}


def _write_cache(cache: Path, files: dict) -> None:
    tmp = cache.with_name(f".{cache.name}-{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"version": CACHE_VERSION, "files": files}, ensure_ascii=False, default=str),
                       encoding="utf-8")
        os.replace(tmp, cache)
    except (OSError, ValueError):
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def _header(path: Path) -> dict:
    """The header fields: parsed from the file's top-level header blocks alone (a level's model
    and steps are most of the file), and from the whole file if those do not parse on their own."""
    import yaml  # noqa: PLC0415 - only when the cache does not have this file

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    for source in (_header_blocks(text), text):
        try:
            data = yaml.load(source, Loader=loader)  # noqa: S506 (a safe loader)
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


NUMBER = re.compile(r"\s*(\d+)\.(\d+)\s*")  # "2.9": chapter 2, level 9 (levels are numbered across the game), as `list` and the map show it


def find_bundled(name: str, folder: Path | None = None) -> tuple[Path | None, list[str]]:
    """A bundled level's file by its id (`backprop.two-paths`) or its number (`2.9`), and when
    there is none the closest ids and numbers (for "did you mean")."""
    import difflib  # noqa: PLC0415

    entries = [e for chapter in catalog(folder) for e in chapter.levels]
    number = NUMBER.fullmatch(name)
    for e in entries:
        if e.id == name or number and (e.chapter, e.order) == (int(number[1]), int(number[2])):
            return e.path, []
    names = [e.id for e in entries] + [f"{e.chapter}.{e.order}" for e in entries]
    return None, difflib.get_close_matches(name, names, 3, 0.5)
