"""`gradquest report` names each ask as the student read it ("∂z/∂w = ?") beside its path, from one play
of its level (bundled, or a class's own with `--levels DIR`); a level not found leaves the path alone."""

import json

from gradquest.classroom import ask_labels
from gradquest.classroom.report import as_json, as_table, build
from gradquest.classroom.report_page import as_html
from gradquest.cli import main
from gradquest.levels.catalog import find_bundled
from gradquest.store.class_store import ClassStore, Submission

ASKS = [("backprop.linear-chain-w", "steps[6]"), ("backprop.two-paths", "steps[5]"),
        ("backprop.two-paths", "steps[13].iterate.steps[0]#1"), ("backprop.two-paths", "steps[13].iterate.steps[0]#2")]


def a_class(folder, asks=ASKS) -> ClassStore:
    store = ClassStore(folder)
    who = store.student("Ada").id
    for i, (level, ask) in enumerate(asks):
        store.record(Submission(who, level, ask, "1", "correct", None, 0, False, float(i)))
    return store


def test_each_ask_is_named_by_its_question_in_the_table_the_page_and_json(tmp_path):
    report = build(a_class(tmp_path / "class"), "en")
    labels = {(a.level, a.ask): a.label for a in report.asks}
    assert labels[ASKS[0]] == "∂z/∂w = ?"
    assert labels[ASKS[1]] == "Δb, the change of b … = ?"
    assert labels[ASKS[2]] == labels[ASKS[3]] == "The factor at the new point: ∂z/∂b … = ?"  # each iteration alike
    assert all(len(label) <= 40 for label in labels.values())
    table = as_table(report, 120)
    assert "∂z/∂w = ?" in table and "steps[6]" in table
    assert "∂z/∂w = ?</td>" in as_html(report)
    assert json.loads(as_json(report))["asks"][0]["label"] == "∂z/∂w = ?"


def test_the_labels_speak_chinese_in_a_chinese_report(tmp_path):
    report = build(a_class(tmp_path / "class"), "zh")
    labels = {(a.level, a.ask): a.label for a in report.asks}
    assert labels[ASKS[2]] == "新位置上的因子：∂z/∂b = 3y + 2x = ?"
    assert "新位置上的因子" in as_table(report, 120, "zh") and "新位置上的因子" in as_html(report, "zh")


def test_an_unknown_level_is_named_by_its_path_alone(tmp_path):
    report = build(a_class(tmp_path / "class", [("no.such-level", "steps[3]"), ("backprop.two-paths", "steps[99]")]))
    assert [a.label for a in report.asks] == ["", ""]
    assert "steps[3]" in as_table(report, 120)


def test_report_levels_finds_a_teachers_own_level(tmp_path, capsys):
    mine = tmp_path / "course"
    mine.mkdir()
    text = find_bundled("backprop.linear-chain-w")[0].read_text(encoding="utf-8")
    (mine / "w.yaml").write_text(text.replace("id: backprop.linear-chain-w", "id: course.my-chain"), encoding="utf-8")
    a_class(tmp_path / "class", [("course.my-chain", "steps[6]")])
    assert main(["report", str(tmp_path / "class"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["asks"][0]["label"] == ""
    assert main(["report", str(tmp_path / "class"), "--json", "--levels", str(mine)]) == 0
    assert json.loads(capsys.readouterr().out)["asks"][0]["label"] == "∂z/∂w = ?"
    assert main(["report", str(tmp_path / "class"), "--levels", str(tmp_path / "missing")]) == 0
    assert "steps[6]" in capsys.readouterr().out


def test_a_label_with_a_control_character_is_gated_and_escaped(tmp_path, monkeypatch):
    monkeypatch.setattr(ask_labels, "prompts", lambda path, lang: {"steps[6]": "\x1b[2J<script>x</script> = ?"})
    report = build(a_class(tmp_path / "class", ASKS[:1]))
    assert report.asks[0].label and "\x1b" not in report.asks[0].label
    assert "\x1b" not in as_table(report, 120) and "\x1b" not in as_json(report)
    assert "<script>" not in as_html(report)


def test_a_level_is_played_once_however_many_asks_it_has(tmp_path, monkeypatch):
    loaded = []
    real = ask_labels.load_level
    monkeypatch.setattr(ask_labels, "load_level", lambda path: loaded.append(path) or real(path))
    asks = [(level, f"steps[{i}]") for level in ("backprop.linear-chain-w", "backprop.two-paths") for i in range(12)]
    report = build(a_class(tmp_path / "class", asks + ASKS))
    assert len(loaded) == 2
    assert sum(bool(a.label) for a in report.asks) > 10


def test_a_label_is_the_prompts_last_sentence_shortened_in_the_middle():
    short = ask_labels.short
    assert short("∂x/∂b = ?   (the local derivative: everything else in x held fixed)") == "∂x/∂b = ?"
    assert short("The factor stays at 53. z = 152.469. Δb = (150 − z) / factor = ?") == "Δb = (150 − z) / factor = ?"
    assert short("Order the steps (e.g. 3 1 2 6 5 4):") == "Order the steps (e.g. 3 1 2 6 5 4):"
    assert short("z 要从 116 变到 150。新位置上的因子：∂z/∂b = 3y + 2x = ?") == "新位置上的因子：∂z/∂b = 3y + 2x = ?"
    assert short("word " * 20) == "word word word word word word word word…"
