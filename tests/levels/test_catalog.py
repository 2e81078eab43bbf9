"""The chapter map's catalog reads each file's header blocks alone, and gets what a full read gets."""

import subprocess
import sys

import yaml

from gradquest.levels import catalog as catalog_module
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


def test_only_the_header_is_parsed_when_it_stands_alone(monkeypatch):
    parsed = []
    real = yaml.load
    monkeypatch.setattr(catalog_module.yaml, "load", lambda text, Loader: parsed.append(text) or real(text, Loader))
    chapters = catalog()
    assert sum(len(c.levels) for c in chapters) >= 26
    assert all("steps:" not in text and "model:" not in text for text in parsed)


def test_a_header_that_needs_the_whole_file_still_reads(tmp_path):
    path = tmp_path / "odd.yaml"
    path.write_text("id: x.odd\ntitle: {en: Odd,\nzh: 奇}\nchapter: 1\nsteps: []\n", encoding="utf-8")
    assert _header(path)["title"] == {"en": "Odd", "zh": "奇"}


def test_the_map_needs_no_markdown_parser(tmp_path):
    code = ("import sys\nfrom gradquest.tui.chapter_map import ChapterMap\n"
            "print(sorted(m for m in ('markdown_it', 'pygments') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stderr
