"""The chapter map's catalog reads each file's header blocks alone, and gets what a full read gets."""

import subprocess
import sys

import yaml

from gradquest.levels.catalog import HEADER_KEYS, _header, catalog
from gradquest.levels.discover import bundled_levels_dir


def test_the_header_blocks_give_the_same_fields_as_the_whole_file():
    files = sorted(bundled_levels_dir().rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        try:
            full = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue  # such a file is left off the map, as before
        assert {k: full.get(k) for k in HEADER_KEYS} == {k: _header(path).get(k) for k in HEADER_KEYS}, path


def parsing(monkeypatch) -> list[str]:
    parsed = []
    real = yaml.load
    monkeypatch.setattr(yaml, "load", lambda text, Loader: parsed.append(text) or real(text, Loader))
    return parsed


def test_only_the_header_is_parsed_when_it_stands_alone(monkeypatch):
    parsed = parsing(monkeypatch)
    chapters = catalog()
    assert sum(len(c.levels) for c in chapters) >= 36
    assert parsed and all("steps:" not in text and "model:" not in text for text in parsed)


def test_the_next_start_reads_the_headers_from_the_cache(tmp_path, monkeypatch):
    levels = tmp_path / "levels" / "1-a"
    levels.mkdir(parents=True)
    for n in (1, 2):
        (levels / f"0{n}.yaml").write_text(f"id: a.l{n}\ntitle: L{n}\nchapter: 1\norder: {n}\nsteps: []\n", "utf-8")
    cache = tmp_path / "home" / "map-cache.json"
    first = catalog(levels.parent, cache)
    parsed = parsing(monkeypatch)
    assert catalog(levels.parent, cache) == first and parsed == []
    (levels / "02.yaml").write_text("id: a.l2\ntitle: Changed\nchapter: 1\norder: 2\nsteps: []\n", "utf-8")
    again = catalog(levels.parent, cache)
    assert [e.title for e in again[0].levels] == ["L1", "Changed"] and len(parsed) == 1
    cache.write_bytes(b"\xff not json")
    assert catalog(levels.parent, cache) == again  # a broken cache is only a slower start
    (tmp_path / "file").write_text("x")
    assert catalog(levels.parent, tmp_path / "file" / "cache.json") == again  # nowhere to write it: the same


def test_a_cached_start_imports_no_yaml(tmp_path):
    code = ("import sys\nfrom pathlib import Path\nfrom gradquest.levels.catalog import catalog\n"
            f"c = catalog(cache=Path({str(tmp_path / 'c.json')!r}))\n"
            "print(len(c), 'yaml' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120) for _ in "12"]
    assert [r.stdout.split() for r in runs] == [["5", "True"], ["5", "False"]], runs[1].stderr


def test_a_header_that_needs_the_whole_file_still_reads(tmp_path):
    path = tmp_path / "odd.yaml"
    path.write_text("id: x.odd\ntitle: {en: Odd,\nzh: 奇}\nchapter: 1\nsteps: []\n", encoding="utf-8")
    assert _header(path)["title"] == {"en": "Odd", "zh": "奇"}


def test_the_map_needs_no_markdown_parser(tmp_path):
    code = ("import sys\nfrom gradquest.tui.chapter_map import ChapterMap\n"
            "print(sorted(m for m in ('markdown_it', 'pygments') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stderr


def test_every_bundled_chapter_has_its_title_and_summary_on_the_map():
    for chapter in catalog():
        assert isinstance(chapter.title, dict) and chapter.title["zh"], chapter.number  # not the bare number
        assert chapter.summary, chapter.number
