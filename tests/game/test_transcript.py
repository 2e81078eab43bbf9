"""What the transcript says: a choice by the option chosen (its list is not repeated), iterations
the game plays itself summed up (the step log keeps each one), table headers in the level's words."""

import re

import pytest

from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level

BUNDLED = sorted(p for p in bundled_levels_dir().glob("*/*.yaml") if p.name != "chapter.yaml")


def bundled(name: str):
    return load_level(next(bundled_levels_dir().glob(f"*/{name}"))).level


def played(level, lang: str = "en") -> LevelSession:
    s = LevelSession(level, seed=11, lang=lang)
    while not s.done:
        s.submit(s.stage.solution)
    return s


def test_a_choice_is_transcribed_by_the_option_chosen_not_its_whole_list_again():
    s = LevelSession(bundled("21-learning-rate.yaml"), lang="en")
    while s.stage.kind != "choose":
        s.submit(s.stage.solution)
    options, right = s.stage.options, int(s.stage.solution)
    wrong = 1 if right != 1 else 2
    s.submit(str(wrong))
    s.submit(str(right))
    ask = [e for e in s.transcript if e.kind == "ask"][-1]
    tried = [e for e in s.transcript if e.kind == "answer"][-2:]
    assert ask.text.startswith("Predict") and ask.options == []
    assert [e.text for e in tried] == [f"{wrong}. {options[wrong - 1]}", f"{right}. {options[right - 1]}"]
    assert [e.status for e in tried] == ["wrong", "correct"]


def test_an_order_keeps_its_numbers_in_the_transcript_so_an_answer_like_5_6_1_reads_back():
    s = LevelSession(bundled("07-training-loop.yaml"), lang="en")
    while s.stage.kind != "order":
        s.submit(s.stage.solution)
    items = s.stage.options
    ask = [e for e in s.transcript if e.kind == "ask"][-1]
    assert ask.options == [f"{i}. {item}" for i, item in enumerate(items, start=1)]


def test_a_revealed_choice_names_the_option():
    s = LevelSession(bundled("21-learning-rate.yaml"), lang="en")
    while s.stage.kind != "choose":
        s.submit(s.stage.solution)
    options, right = s.stage.options, int(s.stage.solution)
    s.reveal()
    shown = next(e for e in s.transcript if e.kind == "answer" and e.status == "revealed")
    assert shown.message.startswith(f"Answer: {right}. {options[right - 1]}")


def test_iterations_the_game_plays_itself_are_summed_up_in_the_transcript_and_kept_in_the_step_log():
    s = played(bundled("19-two-variables.yaml"))
    said = [e.text for e in s.transcript]
    logged = [e.text for e in s.log]
    assert "Iteration 3" in logged and "Iteration 3" not in said  # two by hand, then the game's own
    assert sum(t.startswith("Iteration") for t in logged) > 40 > sum(t.startswith("Iteration") for t in said)
    summary = next(i for i, t in enumerate(said) if t.startswith("The game played the rest itself: 16 iterations"))
    assert said[summary - 1].startswith("x = ") and "J = " in said[summary - 1]  # the last row, in words
    assert len(s.transcript) < 60  # it was 262 entries, one per internal event


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_table_headers_and_stop_rules_are_in_the_levels_words(lang):
    headers = {}
    for path in BUNDLED:
        level = load_level(path).level
        s = LevelSession(level, seed=11, lang=lang)
        while not s.done:
            s.submit(s.stage.solution)
            for name in s.table[0] if s.table else []:
                headers.setdefault(level.id, set()).add(name)
        renamed = {name for name in level.model.labels if level.label(name, lang) != name}
        for header in headers.get(level.id, ()):
            assert not re.search(r"\s[-/]\s|\*", header), f"{level.id}: {header!r} is a raw expression"
            assert not renamed & set(re.findall(r"[A-Za-z_]\w*", header)), f"{level.id}: {header!r} is an internal name"
        for said in (e.text for e in s.transcript if e.kind == "event"):
            assert not re.search(r"\(1\.3\*tb", said)
    assert "z − 150" in headers["backprop.two-paths"]
    assert "t" in headers["concepts.black-box"] and "tb" not in headers["concepts.black-box"]
    assert ("更新次数" if lang == "zh" else "updates") in headers["backprop.two-paths"]


def test_a_stop_rule_on_a_column_says_the_columns_name():
    said = [e.text for e in played(bundled("02-black-box.yaml")).transcript]
    assert any("stopped when |error| < 0.01" in t for t in said)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_a_stop_rule_names_no_internal_name_and_no_code(path):
    for lang in ("en", "zh"):
        s = played(load_level(path).level, lang)
        rules = [e.text for e in s.transcript if e.event is not None and e.event.kind == "info" and "|" in e.text]
        for rule in rules:
            assert "_" not in rule and "abs(" not in rule and "*" not in rule, rule
