"""The `gradquest` command, as authors and players use it."""

import io
import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from gradquest.cli import main
from gradquest.levels.source import undotted
from gradquest.store.progress import ProgressStore
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level
from gradquest.levels.schema import Level
from gradquest.lineplay.player import plain, play_level

GOOD = """\
format_version: 1
id: demo.product
title: {en: A product, zh: 乘积}
chapter: 1
order: 1
source: seed 000
model:
  params: {a: 2, b: -3}
  nodes: {e: a*b}
steps:
  - forward: e
  - gradient: a
tests:
  - name: sign
    at: 2
    inputs:
      - {input: "3", verdict: wrong, diagnosis: sign}
"""


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path / "home"))
    return tmp_path


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_passes_a_good_level_and_locates_problems(home, capsys):
    good = home / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    assert run(capsys, "check", str(good))[0] == 0
    bad = home / "bad.yaml"
    bad.write_text(GOOD.replace("  - gradient: a", "  - gradient: a\n    hintz: [x]"), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(bad))
    assert code == 1
    assert f"{bad}:13:5: steps[1].hintz: unknown key" in out and "1 problem" in out


def test_check_reports_lint_findings_at_their_line(home, capsys):
    loose = home / "loose.yaml"
    loose.write_text(GOOD.replace("  - gradient: a\n", "  - gradient: a\n    tolerance: {rel: 0.5}\n"),
                     encoding="utf-8")
    code, out, _ = run(capsys, "check", str(loose))
    assert code == 1 and f"{loose}:12:5: steps[1]:" in out and "×1.1 would be accepted" in out


CHAPTER = """format_version: 1
chapter: 1
title: {en: First steps, zh: 第一步}
summary:
  - en: The learning rate sets the step: too small is slow.
    zh: 学习率决定步长。
  - en: A plus routes the gradient (seed 000).
    zh: 加号路由梯度（原文 000）。
"""


def test_check_reads_chapter_files_and_says_how_to_fix_a_colon_in_a_text(home, capsys):
    chapter = home / "1-first" / "chapter.yaml"
    chapter.parent.mkdir()
    chapter.write_text(CHAPTER, encoding="utf-8")
    (home / "1-first" / "product.yaml").write_text(GOOD, encoding="utf-8")
    code, out, _ = run(capsys, "check", str(home / "1-first"))
    assert code == 1, out
    assert f"{chapter}:5:40: a ': ' inside a text that is not in quotes" in out and "put the whole text in quotes" in out
    assert "2 files checked, 1 problem" in out


def test_a_bundled_chapter_summary_is_in_player_words(home, capsys):
    chapter = home / "chapter.yaml"
    chapter.write_text(CHAPTER.replace("sets the step: too", "sets the step, too"), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--bundled", str(chapter))
    assert code == 1, out
    assert f'{chapter}:7:5: summary[1]: the player reads "seed"' in out
    assert f'{chapter}:7:5: summary[1]: the player reads "原文"' in out
    assert "1 file checked, 2 problems" in out
    assert run(capsys, "check", str(chapter))[0] == 0  # a teacher's own chapter may name its sources


def test_test_command_one_line_per_level_and_a_total(home, capsys):
    good = home / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    failing = home / "failing.yaml"
    failing.write_text(GOOD.replace("id: demo.product", "id: demo.failing")
                       .replace("verdict: wrong, diagnosis: sign", "verdict: correct"), encoding="utf-8")
    report = home / "report.xml"
    code, out, _ = run(capsys, "test", str(good), str(failing), "--junit", str(report))
    lines = out.splitlines()
    assert code == 1
    assert any(line.startswith("FAIL demo.failing") for line in lines)
    assert any(line.startswith("PASS demo.product") for line in lines)
    assert lines[-1] == "1 passed, 1 failed"
    suite = ET.parse(report).getroot()
    assert suite.get("tests") == "2" and suite.get("failures") == "1"


def test_new_writes_a_level_that_passes_check_and_test(home, capsys):
    assert run(capsys, "new", "my.first-level", "--dir", str(home))[0] == 0
    path = home / "my.first-level.yaml"
    assert run(capsys, "check", str(path))[0] == 0
    code, out, _ = run(capsys, "test", str(path))
    assert code == 0 and out.splitlines()[-1] == "1 passed, 0 failed"
    assert run(capsys, "new", "my.first-level", "--dir", str(home))[0] == 1  # never overwrites
    assert run(capsys, "new", "Bad Id!", "--dir", str(home))[0] == 2


def test_new_points_the_editor_at_the_schema_gradquest_ships(home, capsys, monkeypatch):
    monkeypatch.chdir(home)  # an author's own folder, far from this checkout
    assert run(capsys, "new", "my.first-level")[0] == 0
    first = (home / "my.first-level.yaml").read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    schema = Path(first[len(prefix):])
    assert schema.is_absolute() and json.loads(schema.read_text(encoding="utf-8"))["title"].startswith("GradQuest level")


@pytest.mark.slow
def test_the_bundled_levels_pass_check_and_test(capsys):
    assert run(capsys, "check", str(bundled_levels_dir()))[0] == 0
    code, out, _ = run(capsys, "test")
    assert code == 0 and out.splitlines()[-1].endswith(" passed, 0 failed")


def test_solve_prints_the_answer_key(capsys):
    code, out, _ = run(capsys, "solve", "backprop.linear-chain-w")
    assert code == 0
    assert "∂z/∂w = ?" in out and "answer: 18.0" in out and "accepted: [17.982, 18.018]" in out
    assert run(capsys, "solve", "no.such-level")[0] == 1


def test_solve_ends_with_the_level_s_sources_and_corrections(capsys):
    code, out, _ = run(capsys, "solve", "backprop.two-paths")
    assert code == 0 and "\nSource:\nseed 001" in out and "Corrections: The tutorial's two iteration logs" in out
    code, out, _ = run(capsys, "--lang", "zh", "solve", "backprop.two-paths")
    assert "Corrections: The tutorial's" in out and "更新次数" in out and "updates" not in out  # a label, not the name


def test_list_shows_chapter_id_title_and_the_sources_only_to_an_author(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert any(" 2.12  backprop.manual" in line and "Manual backprop" in line for line in out.splitlines())
    assert "seed" not in out  # players use `list` to find a level: no source words
    code, out, _ = run(capsys, "list", "--sources")
    assert code == 0
    assert any("backprop.manual" in line and "Manual backprop" in line and "seed 000" in line
               for line in out.splitlines())


def test_help_names_every_command():
    out = subprocess.run([sys.executable, "-m", "gradquest", "--help"], capture_output=True, text=True).stdout
    for command in ("play", "check", "solve", "test", "new", "list"):
        assert command in out


def test_undotted():
    assert undotted("steps[3].iterate.steps[0]") == ("steps", 3, "iterate", "steps", 0)
    assert undotted("model.nodes.z") == ("model", "nodes", "z")


def test_line_play_saves_on_quit_and_resumes(home):
    level = load_level(bundled_levels_dir() / "2-backprop" / "08-linear-chain-w.yaml").level
    store = ProgressStore(home / "home")
    said = []
    typed = iter(["", "abc", "?", "17", "18", "q"])
    play_level(level, "en", store=store, read=lambda prompt: next(typed), write=said.append)
    assert any("not a number" in s for s in said) and any("✓" in s for s in said)
    record = store.load().levels[level.id]
    assert record.resume_at == 2 and not record.done
    assert (record.hints_used, record.attempts) == (1, 2)
    said.clear()
    prompts = []
    typed = iter(["q"])
    play_level(level, "en", store=store, read=lambda prompt: prompts.append(prompt) or next(typed),
               write=said.append)
    assert "Resuming" in " ".join(said) and "y = ?" in prompts[0]
    assert (store.load().levels[level.id].hints_used, store.load().levels[level.id].attempts) == (1, 2)


def test_line_play_keeps_progress_on_ctrl_c(home):
    level = load_level(bundled_levels_dir() / "2-backprop" / "08-linear-chain-w.yaml").level
    store = ProgressStore(home / "home")
    answers = iter(["", "18", "9"])

    def read(prompt):
        try:
            return next(answers)
        except StopIteration:
            raise KeyboardInterrupt from None

    play_level(level, "en", store=store, read=read, write=lambda s: None)
    assert store.load().levels[level.id].resume_at == 3


def test_plain_text_keeps_markdown_blocks_and_joins_chinese_lines_without_a_space():
    assert plain("第一行，\n第二行*强调*\n“引号”\nand English\nlines") == "第一行，第二行强调“引号” and English lines"
    assert plain("A *b*\nc with `x*y*z`:\n\n- one\n  two\n* three\n| a | b |\n| 1 | 2 |\n"
                 "```\nw = a*b*c\n\nv = 1\n```") == \
        "A b c with `x*y*z`:\n\n- one two\n* three\n| a | b |\n| 1 | 2 |\n```\nw = a*b*c\n\nv = 1\n```"


ITERATE = yaml.safe_load("""
format_version: 1
id: t.iterate
title: Iterate
chapter: 1
order: 1
model: {params: {x: 1.2}, nodes: {J: x**2}}
steps:
  - set: {x: 1.7}
  - iterate:
      steps:
        - update: x
          optimizer: {kind: sgd, lr: 0.3}
          explain: "x shrinks by **0.4**:\\n\\n- one\\n- two"
      until: {expr: J, below: 0.1}
      table: [x, J]
  - guess: {secret: 5, tries: 1}
""")


def test_line_play_prints_the_whole_step_log_once_and_a_revealed_answer_as_the_game_prints_numbers(home):
    said, typed = [], iter(["!", "3"])
    play_level(Level.model_validate(ITERATE), "en", store=ProgressStore(home / "home"),
               read=lambda prompt: next(typed), write=said.append)
    assert said[1:] == [
        "    x is now 1.7", "    Iteration 1", "  ! Answer: 0.68 — shown, no points.", "    x is now 0.68",
        "    x shrinks by 0.4:\n\n    - one\n    - two", "    x = 0.68   J = 0.4624",
        "    Iteration 2", "    x is now 0.272", "    x = 0.272   J = 0.073984",
        "    The game played the rest itself: 2 iterations in all, stopped when |J| < 0.1.",
        "  ! Out of tries. The answer: 5.", "    3: Too small.",
        "Level complete: score 0, ★☆☆, 0 hint(s), 1 attempt(s)."]


def test_the_map_in_plain_lines_lists_the_bundled_levels_and_plays_one(home, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n\nq\nq\n"))
    code, out, _ = run(capsys, "--plain", "--lang", "en")
    assert code == 0 and "  1.      1.1 Guess the number" in out and "== Guess the number ==" in out


@pytest.mark.parametrize("lang, words", [("en", "--watch reloads only in the full-screen game"),
                                         ("zh", "--watch 只在全屏游戏中重新载入")])
def test_watch_in_lines_says_in_one_line_that_it_does_not_reload(home, capsys, monkeypatch, lang, words):
    level = home / "good.yaml"
    level.write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    code, out, err = run(capsys, "--lang", lang, "play", str(level), "--plain", "--watch")
    assert code == 0 and "== " in out
    (line,) = err.strip().splitlines()
    assert line.startswith(words) and f"gradquest check --watch {level}" in line


@pytest.mark.parametrize("command", ["solve", "check", "test"])
def test_a_level_is_named_by_its_number_as_well_as_its_id(home, capsys, command):
    by_number = run(capsys, command, "2.9")
    by_id = run(capsys, command, "backprop.two-paths")
    assert by_number[0] == by_id[0] == 0
    strip = lambda out: [line.split("  (")[0] for line in out.splitlines()]  # noqa: E731 (test times differ)
    assert strip(by_number[1]) == strip(by_id[1]) and by_number[1]


def test_play_takes_a_number(home, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    code, out, _ = run(capsys, "--lang", "en", "play", "2.9", "--plain")
    assert code == 0 and "== Two paths to b ==" in out


@pytest.mark.parametrize("args", [("play", "backprop.two-path"), ("solve", "9.9"), ("check", "backprop.tw-paths"),
                                  ("test", "backprop.two-pahts")])
def test_an_unknown_level_is_one_sentence_naming_the_closest(home, capsys, args):
    code, out, err = run(capsys, *args)
    (line,) = err.strip().splitlines()
    assert code == 1 and line.startswith(f"gradquest: no level '{args[1]}' (did you mean ")
    assert ("backprop.two-paths" if args[1] != "9.9" else "2.9") in line and "Traceback" not in out + err
