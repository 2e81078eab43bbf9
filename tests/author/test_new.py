"""`gradquest new ID`: the loader's id rule, nothing written through a symbolic link or over a file,
one-line refusals in the player's language (issue 20, item 7)."""

import os

from gradquest.cli import main


def new(capsys, *args: str) -> tuple[int, str, str]:
    code = main([*args[:2], "new", *args[2:]] if args[0] == "--lang" else ["new", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_id_the_loader_would_refuse_writes_nothing(tmp_path, capsys):
    for bad in ("abc\n", "abc\nx", "abc\r", "Abc", "../abc", "a/b", "abc\x1b[2J", ""):
        code, out, err = new(capsys, bad, "--dir", str(tmp_path))
        assert (code, out) == (2, "") and "is not a level id" in err, bad
        assert err.count("\n") == 1 and "\x1b" not in err, err  # one line, the id shown inert
    assert os.listdir(tmp_path) == []


def test_no_symbolic_link_is_written_through_dangling_or_not(tmp_path, capsys):
    folder, outside, precious = tmp_path / "levels", tmp_path / "outside.yaml", tmp_path / "precious.yaml"
    folder.mkdir()
    precious.write_text("keep", encoding="utf-8")
    (folder / "dangling.yaml").symlink_to(outside)
    (folder / "linked.yaml").symlink_to(precious)
    for name in ("dangling", "linked"):
        code, out, err = new(capsys, name, "--dir", str(folder))
        assert (code, out) == (1, "") and "already exists" in err and err.count("\n") == 1
    assert not outside.exists() and precious.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in folder.iterdir()) == ["dangling.yaml", "linked.yaml"]


def test_its_words_are_chinese_with_lang_zh(tmp_path, capsys):
    code, out, _ = new(capsys, "--lang", "zh", "first", "--dir", str(tmp_path))
    assert code == 0 and out.startswith(f"已写入 {tmp_path / 'first.yaml'}\n")
    code, _, err = new(capsys, "--lang", "zh", "first", "--dir", str(tmp_path))
    assert code == 1 and "已存在" in err
    code, _, err = new(capsys, "--lang", "zh", "First", "--dir", str(tmp_path))
    assert code == 2 and "不是关卡 id" in err
    (tmp_path / "file").write_text("", encoding="utf-8")
    code, _, err = new(capsys, "--lang", "zh", "x", "--dir", str(tmp_path / "file"))
    assert code == 1 and err.startswith("无法写入") and err.count("\n") == 1
