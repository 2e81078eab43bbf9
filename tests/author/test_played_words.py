"""The played-words rule: every string a headless play writes, in both languages, is in player words
(issue 22)."""

import pytest

from gradquest.author.lint import lint
from gradquest.author.played_words import played
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level
from gradquest.levels.schema import Level


def level(**body) -> Level:
    return Level.model_validate({"format_version": 1, "id": "t", "title": {"en": "t", "zh": "t"}, "chapter": 1,
                                 "order": 1, "source": "somewhere", "story": both("Here z = 2·w.", "这里 z = 2·w。"), **body})


def both(en: str, zh: str | None = None) -> dict:
    return {"en": en, "zh": zh or en}


def played_findings_of(lv: Level) -> list[str]:
    return [f.message for f in lint(lv, bundled=True) if f.message.startswith(("en ", "zh "))]


def test_the_bundled_pack_passes_in_both_languages():
    found = []
    for path in sorted(bundled_levels_dir().glob("*/*.yaml")):
        if path.name != "chapter.yaml":
            found += [f"{path.name}: {f.message}" for f in lint(load_level(path).level, bundled=True)
                      if f.message.startswith(("en ", "zh "))]
    assert found == []


def test_a_helper_value_set_by_the_level_is_not_bookkeeping_on_the_screen():
    model = {"params": {"w": 3, "rounds": 0}, "nodes": {"z": "2*w"}}
    lv = level(model=model, steps=[{"set": {"w": 4, "rounds": "rounds + 1"}}, {"forward": "z"}])
    rows = [text for _, where, text in played(lv, "en") if where == "log"]
    assert "w is now 4" in rows and not any("rounds" in r or "←" in r for r in rows)
    assert not any("bookkeeping" in m for m in played_findings_of(lv))


def test_each_kind_of_finding_is_caught():
    model = {"params": {"w": 3}, "nodes": {"z": "2*w"}}
    hint = both("The **chain rule** helps.", "**链式法则**有用。")
    steps = [
        {"say": both("The tutorial's table 2-1 shows it, which this level has the player find.", "原文的表。")},
        {"value": "2*w", "name": "ea", "hints": [hint]},
        {"forward": "z", "prompt": both("hit_x: z = ?"), "explain": both("w ← 4 and moons_X 100×2")},
    ]
    found = played_findings_of(level(model=model, steps=steps))
    assert any('"tutorial\'s" speaks to an author' in m for m in found)
    assert any('"原文" speaks to an author' in m for m in found)
    assert any('hint' in m and 'Markdown marker "**"' in m for m in found)
    assert any('the internal name "ea"' in m for m in found)  # the generated prompt "ea = ?"
    assert any('the internal name "hit_x"' in m for m in found)
    assert any("bookkeeping with ←" in m for m in found)
    assert any('a shape ("100×2")' in m for m in found)


def test_a_label_or_the_level_s_own_words_introduce_a_name():
    model = {"params": {"w": 3}, "labels": {"ea": both("first error", "第一次的误差")}, "nodes": {"z": "2*w"}}
    steps = [{"value": "2*w", "name": "ea"}, {"forward": "z", "prompt": both("The update w ← w − η·g. z = ?", "更新 w ← w − η·g。z = ?")}]
    assert played_findings_of(level(model=model, steps=steps)) == []


@pytest.mark.parametrize("lang, text", [("en", "w is now 2.33333"), ("zh", "w 现在是 2.33333")])
def test_a_parameter_moved_by_the_level_is_said_in_words(lang, text):
    lv = load_level(next(bundled_levels_dir().glob("*/08-linear-chain-w.yaml"))).level
    assert text in [t for _, where, t in played(lv, lang) if where == "log"]


def test_a_chinese_screen_follows_the_glossary_and_shows_no_english_words():
    model = {"params": {"w": 3}, "labels": {"z": {"en": "loss", "zh": "loss"}}, "nodes": {"z": "2*w"}}
    steps = [{"say": both("A vector.", "梯度是个矢量。")}, {"forward": "z", "prompt": both("loss = ?", "损失 loss = ?")}]
    found = played_findings_of(level(model=model, steps=steps))
    assert any('"矢量" where the glossary says "向量"' in m for m in found)
    assert any('English word "loss" on a Chinese screen' in m and m.startswith("zh prompt") for m in found)
    assert not any(m.startswith("en ") for m in found)
    fine = [{"say": both("A vector, tanh and ReLU.", "梯度是个向量；tanh 和 ReLU。")}, {"forward": "z"}]
    labels = {"z": {"en": "loss", "zh": "损失"}}
    assert played_findings_of(level(model={**model, "labels": labels}, steps=fine)) == []


def test_the_glossary_document_is_the_table_the_rule_reads():
    from pathlib import Path

    from gradquest.author.glossary import TERMS
    doc = (Path(__file__).parents[2] / "docs" / "glossary.md").read_text(encoding="utf-8")
    for term in TERMS:
        assert f"| {term.en} | {term.zh} | {', '.join(term.avoid) or '—'} |" in doc


def test_a_matrix_answer_is_played_wrong_and_its_shape_is_part_of_the_lesson():
    model = {"params": {"W": [[0.5, -1, 2], [1, 0.5, 0]], "x": [1, 2, 3]}, "nodes": {"L": "sum(W @ x)"}, "output": "L"}
    lv = level(model=model, story=both("L = sum(W·x): W is 2×3."), steps=[{"forward": "L"}, {"gradient": "W"}])
    typed = [t for path, where, t in played(lv, "en") if where == "answer" and path == "steps[1]"]
    assert typed == ["(-1, -2, -3, -1, -2, -3)", "[[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]"]
    assert played_findings_of(lv) == []  # the prompt's "a 2×3 matrix shaped like W" and the story's 2×3


def test_file_syntax_in_the_working_is_refused_and_the_game_writes_player_notation():
    model = {"params": {"W": [[1, 2], [3, 4]], "x": [1, 1], "t": 1.0},
             "nodes": {"y": "W @ x", "L": "0.5*sum((y - t)**2)", "c": "cos(pi*t)"}}
    lv = level(model=model, steps=[{"forward": "y"}, {"forward": "L"}, {"forward": "c"}])
    said = [body for _, _, body in played(lv, "en")]
    assert any("W·x" in s for s in said) and any("(y − t)²" in s for s in said)
    assert any("π" in s for s in said)
    assert not [m for m in played_findings_of(lv) if "file syntax" in m]


def test_each_piece_of_file_syntax_is_named():
    from gradquest.author.played_words import played_findings
    strings = [("steps[0]", "verdict", "y = W @ x + b"), ("steps[1]", "verdict", "L = (y − t)^2"),
               ("steps[2]", "screen", "x**2"), ("steps[3]", "say", "done after **3** updates")]
    found = [m for _, m in played_findings(level(steps=[{"say": both("Hi.")}]), strings, "en", set()) if "file syntax" in m]
    assert [m.split(": ", 1)[1] for m in found] == [
        'the file syntax " @ " is shown as it is here: write W·x', 'the file syntax "^2" is shown as it is here: write x²',
        'the file syntax "**2" is shown as it is here: write x²']


def test_a_power_the_game_itself_writes_with_a_caret_is_not_called_file_syntax():
    """The game writes whole powers as x² and keeps x^0.5 (no superscript for it): only the first is a slip of notation."""
    from gradquest.author.played_words import FILE_SYNTAX
    from gradquest.game.steps import pretty

    assert FILE_SYNTAX.search(pretty("x**0.5")) is None
    assert FILE_SYNTAX.search("(y − t)^2") and FILE_SYNTAX.search("x**2") and FILE_SYNTAX.search("W @ x")
