"""Chinese typography on a Chinese screen (issue 22): each rule of `author/typography.py` on a small bad
example, as `check` reports it for a bundled level; the game's own sentences join a Chinese name to the
text beside it; every bundled title is Chinese."""

from gradquest.author.chapters import chapter_problems
from gradquest.author.glossary import glossary_findings
from gradquest.author.lint import lint
from gradquest.author.played_words import played, played_findings
from gradquest.author.typography import typography_findings
from gradquest.game.messages import say
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level
from gradquest.levels.schema import Level

MODEL = {"params": {"w": 3}, "nodes": {"z": "2*w"}, "output": "z"}


def level(zh_say: str) -> Level:
    return Level.model_validate({"format_version": 1, "id": "t", "title": {"en": "t", "zh": "例子"}, "chapter": 1,
                                 "order": 1, "source": "somewhere", "story": {"en": "Here z = 2·w.", "zh": "这里 z = 2·w。"},
                                 "model": MODEL, "steps": [{"say": {"en": "Now z.", "zh": zh_say}}, {"forward": "z"}]})


def found(zh_say: str) -> list[tuple[str, str]]:
    return [(f.field, f.message.split(" (")[0]) for f in lint(level(zh_say), bundled=True)
            if not f.message.startswith(("en ", "zh "))]  # the level's own text, at its field


def test_a_half_width_colon_after_chinese_text():
    assert found("得分: 77。") == [("steps[0].say", "a half-width colon after Chinese text")]
    assert found("**得分**: 77。") == [("steps[0].say", "a half-width colon after Chinese text")]
    assert found("得分：77；函数 f: x ↦ 2x，比值 1:2。") == []


def test_a_closing_mark_at_the_start_of_a_line():
    assert found("他说“忙\n”，然后走了。") == [("steps[0].say", "a line starts with \"”\"")]
    assert found("先算 x\n。再算 z。") == [("steps[0].say", "a line starts with \"。\"")]
    assert found("先算 x。\n\n再算 z。") == []


def test_a_line_break_or_a_space_inside_a_chinese_sentence():
    assert found("答案正\n确。") == [("steps[0].say", "a line break between two Chinese characters")]
    assert found("那里 合页损失是平的。") == [("steps[0].say", "a space between two Chinese characters")]
    assert found("里面是 输出 = 1.3·t，1/分母 的导数，2·误差 要乘以它。") == []  # spaces setting off formulas


def test_the_played_strings_are_read_too():
    """What the game writes at play time (a verdict, a step-log row) passes the same rules."""
    said = [("steps[1]", "verdict", "得分: 77"), ("steps[1]", "log", "得分：6")]
    assert [m.split(": ", 2)[2][:30] for _, m in played_findings(level("好。"), said, "zh", {"z"})] == \
        ["a half-width colon after Chine"]


def test_the_game_joins_a_chinese_name_to_the_sentence_around_it():
    assert say("diagnosis.term_dropped", "zh", what="算式", term="4", value="2") == \
        "你漏掉了算式中的 4 这一项：少了它，答案就成了 2。"
    assert say("diagnosis.term_dropped", "zh", what="x", term="4", value="2") == \
        "你漏掉了 x 中的 4 这一项：少了它，答案就成了 2。"
    assert say("diagnosis.one_path", "zh", taken="衰减项", x="v1", missing="s → 合页损失", out="ℓ") == \
        "这只是经过衰减项的那条路径。v1 还经过 s → 合页损失到达 ℓ：要把每条路径的乘积加起来。"


def test_a_chapter_s_title_and_summary_are_read_too(tmp_path):
    path = tmp_path / "chapter.yaml"
    path.write_text("format_version: 1\nchapter: 1\ntitle: {en: Training, zh: 训练}\nsummary:\n"
                    "  - {en: 'Score: 77', zh: '得分: 77'}\n", encoding="utf-8")
    (problem,) = chapter_problems(path, bundled=True)
    assert problem.field == "summary[0]" and "half-width colon" in problem.message


def test_every_bundled_title_is_chinese_on_a_chinese_screen():
    """5.35 was "Softmax 与交叉熵"; softmax stays in Latin letters only in formulas (docs/glossary.md)."""
    for path in sorted(bundled_levels_dir().glob("*/*.yaml")):
        if path.name != "chapter.yaml":
            title = load_level(path).level.title
            assert glossary_findings(title.zh) == [], (path.name, title.zh)


def test_a_remark_in_half_width_parentheses_after_chinese_text():
    """ch5play problem 7: the matrix prompt's " (…)" on a Chinese screen; a formula's stay half-width."""
    old = "∂Lb/∂Z 是多少？每个样本一行。 (一个形状与 Z 相同的 2×3 矩阵：逐行输入，例如 [[1, 2], [3, 4]] 或 1 2; 3 4)"
    assert [f.split(" (")[0] for f in typography_findings(old)] == ["a half-width parenthesis around Chinese text"]
    for formula in ("(新误差 − 旧误差) / (新 t − 旧 t)", "两次推力之后，(横向的 v, 顺谷底的 v) = ?", "每个点贡献 (误差)²。"):
        assert typography_findings(formula) == []


def test_the_matrix_prompt_brackets_its_remark_full_width_in_chinese():
    for lang, opening in (("zh", "每个样本一行。（一个形状与 Z 相同的 2×3 矩阵："), ("en", "one row per example? (a 2×3 matrix")):
        s = LevelSession(load_level(next(bundled_levels_dir().glob("*/35-softmax.yaml"))).level, lang=lang)
        while s.stage.kind != "ask" or s.stage.shape != (2, 3):
            s.submit(s.stage.solution)
        assert opening in s.stage.prompt and s.stage.prompt.endswith(("3 4）", "3 4)")), s.stage.prompt
        assert lang == "en" or typography_findings(s.stage.prompt) == []


def test_the_lint_reads_every_diagnosis_an_ask_can_give():
    """Not only the one the typed wrong answer meets: y = x·x + x's one path ("直接相连的边") is read."""
    lv = Level.model_validate({"format_version": 1, "id": "t", "title": {"en": "t", "zh": "例子"}, "chapter": 1,
                               "order": 1, "model": {"params": {"x": 3}, "nodes": {"p": "x*x", "y": "p + x"}},
                               "steps": [{"gradient": "x"}]})
    said = [t for _, where, t in played(lv, "zh") if where == "verdict"]
    assert any("x 还经过直接相连的边到达 y" in t for t in said), said


def test_the_paths_a_one_path_message_lists_are_joined_with_a_chinese_comma():
    lv = Level.model_validate({"format_version": 1, "id": "t", "title": {"en": "t", "zh": "例子"}, "chapter": 1,
                               "order": 1, "model": {"params": {"x": 3}, "nodes": {"p": "2*x", "q": "3*x", "y": "p + q + x"}},
                               "steps": [{"gradient": "x"}]})
    said = LevelSession(lv, lang="zh").submit("2").message  # the path through p alone
    assert "x 还经过直接相连的边、q 到达 y" in said, said
    assert typography_findings(said) == []
