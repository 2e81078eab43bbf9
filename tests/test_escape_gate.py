"""A shared level is untrusted: no escape sequence in it reaches the terminal (issue 20, item 1).

Every escape family (ESC CSI, OSC 52 ended by BEL and by ST, DCS, a bare BEL, the C1 CSI U+009B,
NUL, DEL, a bidirectional override), written with YAML's own escapes (`"\\e"`, `"\\a"`, `"\\x9b"`),
in every kind of text a level has (title, story, teaches, prompt, options, hints, explain, notes,
source, labels, test names), in its id, in its file name and in a progress file's level id, goes
through every command (`list`, `list --sources`, `check`, `test`, `solve`, `play --plain`) and the
full-screen game (the level, the map, the Ctrl+R error view, a progress notice). What is written
must hold no control character but tab and newline, and no bidirectional control. The command runs
in-process through `main`, its file descriptors captured as bytes; the game's screen is exported
with Textual's public `export_screenshot`.
"""

import io
import json
import re
import sys
from pathlib import Path

import pytest

from gradquest.cli import main
from gradquest.store.progress import ProgressStore
from gradquest.tui.app import GradQuestApp

FAMILIES = {
    "esc-csi": "\x1b[2J\x1b[31m",
    "osc52-bel": "\x1b]52;c;aGFja2Vk\x07",
    "osc52-st": "\x1b]52;c;aGFja2Vk\x1b\\",
    "dcs": "\x1bP1$qm\x1b\\",
    "bel": "\x07",
    "c1-csi": "\x9b2J",
    "nul": "\x00",
    "del": "\x7f",
    "bidi": "\u202egnp.exe",
}
# What a terminal would obey: C0 controls but tab and newline, DEL, C1, bidirectional controls.
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

LEVEL = """\
format_version: 1
id: {id}
title: {{en: {t}, zh: {t}}}
chapter: 1
order: {order}
source: {t}
story: {t}
teaches: {t}
notes: {t}
model:
  params: {{a: 2, b: -3}}
  nodes: {{e: a*b}}
  labels: {{a: {t}, e: {t}}}
steps:
  - forward: e
    prompt: {t}
    hints: [{t}]
    explain: {t}
  - choose: {{options: [{t}, "two"], answer: 1}}
    prompt: {t}
tests:
  - name: {t}
    inputs: [{{input: "-6", verdict: correct}}]
"""
PLAY = "?\n-6\n\n1\n\n\n"  # a hint, the forward value, the choice; Enter to the end


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar, its control characters as YAML escapes."""
    named = {"\x1b": "\\e", "\x07": "\\a", "\x00": "\\0", '"': '\\"', "\\": "\\\\"}
    out = []
    for ch in text:
        if ch in named:
            out.append(named[ch])
        elif OBEYED.match(ch):
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def level(text: str = "plain", level_id: str = "gate.plain", order: int = 1) -> str:
    return LEVEL.format(t=yaml_quoted(f"<{text}>"), id=yaml_quoted(level_id), order=order)


def hostile_files(folder: Path, family: str) -> list[Path]:
    """The family's escape in every text of one level, in the id of another, in a third's file
    name, in a fourth's name and texts (a file name cannot hold NUL)."""
    payload = FAMILIES[family]
    folder.mkdir(parents=True, exist_ok=True)
    files = {f"texts-{family}.yaml": level(payload, f"gate.texts-{family}", 1),
             f"id-{family}.yaml": level("plain", f"gate.{payload}", 2)}
    if "\x00" not in payload:
        files[f"name{payload}-{family}.yaml"] = level("plain", f"gate.name-{family}", 3)
        files[f"both{payload}-{family}.yaml"] = level(payload, f"gate.both-{family}", 4)
    for name, body in files.items():
        (folder / name).write_text(body, encoding="utf-8")
    return [folder / name for name in files]


def assert_inert(written: str, what: str) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in OBEYED.findall(written)})
    assert not found, f"{what}: {', '.join(found)} would reach the terminal"


def command(capfdbinary, monkeypatch, *args: str, stdin: str = "") -> str:
    """What `gradquest ARGS` writes on stdout and stderr, the bytes read back as UTF-8."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    main(list(args))
    out, err = capfdbinary.readouterr()
    written = (out + err).decode("utf-8")  # strict: a lone C1 byte would not pass unseen either
    assert written.strip(), f"{args} wrote nothing"
    return written


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.mark.parametrize("family", FAMILIES)
def test_no_command_writes_an_escape_from_a_level_file(family, tmp_path, home, capfdbinary, monkeypatch):
    folder = tmp_path / "levels"
    files = hostile_files(folder, family)
    for args in (("list", str(folder)), ("list", "--sources", str(folder)), ("check", str(folder)),
                 ("test", str(folder), "--junit", str(tmp_path / "junit.xml"))):
        assert_inert(command(capfdbinary, monkeypatch, *args), args[0])
    assert_inert((tmp_path / "junit.xml").read_text(encoding="utf-8"), "the JUnit report")
    for path in files:
        for args in (("solve", str(path)), ("play", "--plain", str(path))):
            assert_inert(command(capfdbinary, monkeypatch, *args, stdin=PLAY), f"{' '.join(args[:-1])} {path.name!r}")
    if "\x00" not in FAMILIES[family]:  # a name that is no file and no bundled level: said back
        assert_inert(command(capfdbinary, monkeypatch, "play", "--plain", "no-level" + FAMILIES[family]), "play NAME")


@pytest.mark.parametrize("family", FAMILIES)
def test_the_loader_refuses_the_escape_in_every_text_at_its_line(family, tmp_path, capfdbinary, monkeypatch):
    files = hostile_files(tmp_path / "levels", family)
    written = command(capfdbinary, monkeypatch, "check", str(files[0]))
    code = f"U+{ord(FAMILIES[family][0]):04X}"
    for field in ("title.en", "title.zh", "source", "story", "teaches", "notes", "model.labels.a",
                  "steps[0].prompt", "steps[0].hints[0]", "steps[0].explain", "steps[1].choose.options[0]",
                  "steps[1].prompt", "tests[0].name"):
        assert re.search(rf"texts-{family}\.yaml:\d+:\d+: {re.escape(field)}: the .*{re.escape(code)} is not allowed",
                         written), (field, written)
    assert f"id-{family}.yaml:2:5: id: " in command(capfdbinary, monkeypatch, "check", str(files[1]))


def test_a_progress_files_level_id_is_shown_inert(tmp_path, home, capfdbinary, monkeypatch):
    home.mkdir(parents=True)
    bad = {f"gate.{name}{payload}": "not a record" for name, payload in FAMILIES.items()}
    (home / "progress.json").write_text(json.dumps({"version": 1, "levels": bad}), encoding="utf-8")
    path = tmp_path / "plain.yaml"
    path.write_text(level(), encoding="utf-8")
    written = command(capfdbinary, monkeypatch, "play", "--plain", str(path), stdin=PLAY)
    assert "gate.esc-csi\\x1b[2J" in written  # the notice names the record, its escape written out
    assert_inert(written, "play --plain with a hostile progress file")


# ---- the full-screen game

def screen(app) -> str:
    return app.export_screenshot()


async def play_some(pilot) -> None:
    await pilot.pause()
    await pilot.press("question_mark", "minus", "6", "enter")
    await pilot.pause()


@pytest.mark.parametrize("family", FAMILIES)
async def test_the_game_shows_no_escape_from_a_level_file(family, tmp_path):
    for path in hostile_files(tmp_path / "levels" / "1-gate", family):
        app = GradQuestApp("en", level_file=path, store=ProgressStore(tmp_path / "home"))
        async with app.run_test(size=(100, 40)) as pilot:
            await play_some(pilot)
            assert_inert(screen(app), f"the level screen of {path.name!r}")


async def test_the_map_shows_no_escape_from_level_headers_or_its_cache(tmp_path):
    folder = tmp_path / "levels" / "1-gate"
    for family in FAMILIES:
        hostile_files(folder, family)
    (folder / "chapter.yaml").write_text(f"format_version: 1\nchapter: 1\ntitle: {yaml_quoted(FAMILIES['osc52-bel'])}\n"
                                         f"summary: [{yaml_quoted(FAMILIES['esc-csi'])}]\n", encoding="utf-8")
    for _ in range(2):  # read from the files, then from the header cache
        app = GradQuestApp("en", store=ProgressStore(tmp_path / "home"), levels_dir=folder.parent)
        async with app.run_test(size=(120, 50)) as pilot:
            await pilot.pause()
            for _ in range(len(FAMILIES)):  # each level's details in turn
                assert_inert(screen(app), "the chapter map")
                await pilot.press("down", "down")
                await pilot.pause()


async def test_the_error_view_after_ctrl_r_and_a_progress_notice_show_no_escape(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    bad = {f"gate.{name}{payload}": "not a record" for name, payload in FAMILIES.items()}
    (home / "progress.json").write_text(json.dumps({"version": 1, "levels": bad}), encoding="utf-8")
    path = tmp_path / f"level{FAMILIES['esc-csi']}.yaml"
    path.write_text(level(), encoding="utf-8")
    app = GradQuestApp("en", level_file=path, store=ProgressStore(home))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert_inert(screen(app), "the level screen with a progress notice")
        path.write_text(level(FAMILIES["osc52-st"]), encoding="utf-8")
        await pilot.press("ctrl+r")
        await pilot.pause()
        shown = screen(app)
        assert "U+001B" in shown  # the error view is up, and says what it refused
        assert_inert(shown, "the Ctrl+R error view")


async def test_a_bracket_in_a_level_is_text_not_markup(tmp_path):
    folder = tmp_path / "levels" / "1-gate"
    folder.mkdir(parents=True)
    (folder / "chapter.yaml").write_text('format_version: 1\nchapter: 1\ntitle: "[bold]Ch[/bold]"\n', encoding="utf-8")
    long_title = "[link=https://evil.example]a title long enough to wrap[/link]"
    (folder / "01.yaml").write_text(level().replace('"<plain>"', f'"{long_title}"', 1), encoding="utf-8")
    (folder / "02.yaml").write_text(level("[on red]", "gate.second", 2), encoding="utf-8")
    app = GradQuestApp("en", store=ProgressStore(tmp_path / "home"), levels_dir=folder.parent)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        shown = screen(app)
        assert "[bold]Ch[/bold]" in shown and "[link=https://evil.example]" in shown and "evil.example\"" not in shown
    app = GradQuestApp("en", level_file=folder / "01.yaml", store=ProgressStore(tmp_path / "home"))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        assert "[link=https://evil.example]" in screen(app) and "evil.example\"" not in screen(app)


def test_the_gate_writes_escapes_out_and_leaves_text_alone():
    from gradquest.levels.untrusted import clean

    assert clean("a\x1b[2Jb\x07\x9b\u202ec\x00\x7f") == "a\\x1b[2Jb\\x07\\x9b\\u202ec\\x00\\x7f"
    ordinary = "∂z/∂b = 9·3 + 18·2 = 63\n\t梯度，「下降」😀 e\u0301 a\u200db"
    assert clean(ordinary) == ordinary
    assert clean("one\ntwo\tthree\r", lines=False) == "one\\x0atwo\\x09three\\x0d"
