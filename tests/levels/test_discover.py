"""Finding level files and chapters, and the bundled pack."""

from pathlib import Path

import pytest

from gradquest.levels import discover
from gradquest.levels.discover import bundled_levels_dir, find_chapters, find_level_files, schema_file
from gradquest.levels.load import LevelErrors

ROOT = Path(__file__).resolve().parents[2]


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_find_level_files_walks_folders_sorted_and_skips_chapter_files(tmp_path):
    tree(tmp_path, {"1-basics/chapter.yaml": "", "1-basics/b.yml": "", "1-basics/a.yaml": "",
                    "1-basics/notes.txt": "", "2-backprop/deep/c.yaml": "", "2-backprop/chapter.yml": "",
                    ".hidden/x.yaml": "", "1-basics/.draft/y.yaml": ""})
    single = tmp_path / "1-basics" / "a.yaml"
    found = find_level_files([tmp_path, single, tmp_path / "missing.yaml"])
    assert found == [tmp_path / "1-basics/a.yaml", tmp_path / "1-basics/b.yml",
                     tmp_path / "2-backprop/deep/c.yaml", tmp_path / "missing.yaml"]


def test_a_file_given_directly_is_kept_whatever_its_name(tmp_path):
    tree(tmp_path, {"chapter.yaml": "", "level.txt": ""})
    assert find_level_files([str(tmp_path / "level.txt")]) == [tmp_path / "level.txt"]


def test_find_chapters(tmp_path):
    tree(tmp_path, {"2-b/chapter.yaml": "format_version: 1\nchapter: 2\ntitle: Backprop\n",
                    "1-a/chapter.yaml": "format_version: 1\nchapter: 1\ntitle: {en: Basics, zh: 基础}\n",
                    "1-a/level.yaml": "not: a chapter\n"})
    found = find_chapters(tmp_path)
    assert [(path.parent.name, chapter.chapter) for path, chapter in found] == [("1-a", 1), ("2-b", 2)]


def test_find_chapters_reports_every_broken_chapter(tmp_path):
    tree(tmp_path, {"a/chapter.yaml": "format_version: 1\nchapter: 1\n",
                    "b/chapter.yaml": "format_version: 1\nchapter: x\ntitle: t\n"})
    with pytest.raises(LevelErrors) as caught:
        find_chapters(tmp_path)
    assert [(Path(e.file).parent.name, e.line, e.field) for e in caught.value.errors] == \
        [("a", 1, "title"), ("b", 2, "chapter")]


def test_bundled_levels_in_a_checkout_are_the_top_level_folder():
    assert bundled_levels_dir() == ROOT / "levels"


def test_bundled_levels_in_a_wheel(tmp_path, monkeypatch):
    (tmp_path / "gradquest" / "_bundled_levels").mkdir(parents=True)
    monkeypatch.setattr(discover, "_PACKAGE", tmp_path / "gradquest")
    assert bundled_levels_dir() == tmp_path / "gradquest" / "_bundled_levels"


def test_the_level_schema_ships_in_the_package_and_is_found_there_or_in_a_checkout(tmp_path, monkeypatch):
    import tomllib

    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"]["docs/level.schema.json"] == "gradquest/level.schema.json"
    assert schema_file() == ROOT / "docs" / "level.schema.json"
    (tmp_path / "gradquest").mkdir()
    (tmp_path / "gradquest" / "level.schema.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(discover, "_PACKAGE", tmp_path / "gradquest")
    assert schema_file() == tmp_path / "gradquest" / "level.schema.json"


def test_a_chapter_in_a_hidden_folder_is_skipped_everywhere(tmp_path):
    from gradquest.levels.catalog import catalog
    from gradquest.levels.discover import find_chapter_files

    chapter = "format_version: 1\nchapter: 1\ntitle: {name}\n"
    tree(tmp_path, {"1-a/chapter.yaml": chapter.format(name="Shown"), "1-a/a.yaml": "id: t.a\nchapter: 1\ntitle: A\n",
                    ".old/chapter.yaml": chapter.format(name="Draft"), "1-a/.draft/chapter.yaml": "chapter: [\n"})
    assert find_chapter_files([tmp_path]) == [tmp_path / "1-a/chapter.yaml"]
    assert [path for path, _ in find_chapters(tmp_path)] == [tmp_path / "1-a/chapter.yaml"]
    assert [c.title for c in catalog(tmp_path)] == ["Shown"]
