"""`gradquest practice`: mastery per rule, moved by two asks; reviews scheduled by FSRS on a fixed clock."""

import io
from collections import Counter
from datetime import datetime, timedelta, timezone

from gradquest.author.practice import SETTING, play_round, rule_of
from gradquest.author.explore import explore
from gradquest.cli import main
from gradquest.game.mastery import RULES, Mastery
from gradquest.store.progress import ProgressStore

START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def learner(wrong_on: set[str]):
    """Types the engine's answer, except a wrong number on the rules in `wrong_on`."""
    return lambda stage, rule: "12345.6" if rule in wrong_on else stage.solution


def rounds(n: int, wrong_on: set[str], mastery: Mastery | None = None):
    """`n` rounds a day apart; the asks per rule of the rounds after the first."""
    mastery = mastery or Mastery()
    asked: Counter = Counter()
    for day in range(n):
        now = START + timedelta(days=day)
        done = play_round(mastery, lambda now=now: now, learner(wrong_on), lambda line: None, seed=day)
        if day:
            asked.update({rule: len(v) for rule, v in done.items()})
    return mastery, asked


def test_two_right_asks_move_a_rule_up_and_two_wrong_down():
    m = Mastery()
    m.record("mul", True, START)
    assert m.level("mul") == "attempted"  # the first ask on a new rule
    m.record("mul", True, START)
    assert m.level("mul") == "familiar"
    m.record("mul", True, START)
    m.record("mul", False, START)
    assert m.level("mul") == "familiar"  # one of each: stays
    m.record("mul", False, START)
    m.record("mul", False, START)
    assert m.level("mul") == "attempted"


def test_a_learner_always_wrong_on_tanh_gets_more_tanh():
    wrong, asked_wrong = rounds(12, {"tanh"})
    right, asked_right = rounds(12, set())
    assert asked_wrong["tanh"] > 3 * asked_right["tanh"] and asked_wrong["tanh"] == max(asked_wrong.values())
    assert wrong.level("tanh") == "attempted" and right.level("tanh") != "attempted"
    assert wrong.to_practise(START + timedelta(days=12))[0] == "tanh"


def test_a_learner_always_right_reaches_mastered_and_is_scheduled_later():
    mastery, _ = rounds(12, set())
    now = START + timedelta(days=11)
    mastered = [r for r in RULES if mastery.level(r) == "mastered"]
    assert mastered, {r: mastery.level(r) for r in RULES}
    for rule in mastered:
        assert mastery.due(rule, now) > now + timedelta(days=1) and rule not in mastery.to_practise(now)


def test_every_ask_is_put_down_to_its_rule():
    ex = explore("r = a + a; s = r*b; L = tanh(s) + s", {"a": 1, "b": 2})
    assert ex.nodes == {"r": "a + a", "s": "r * b", "t1": "tanh(s)", "L": "t1 + s"}
    forward = {n: rule_of(ex, n, True) for n in ex.nodes}
    assert forward == {"r": "add", "s": "mul", "t1": "tanh", "L": "add"}
    backward = {n: rule_of(ex, n, False) for n in ex.backward[1:]}
    assert backward == {"t1": "add", "s": "fork", "b": "mul", "r": "mul", "a": "reuse"}


def test_the_state_is_kept_with_the_progress_and_a_bad_one_starts_afresh(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("1001\n1002\n1003\n" * 20))
    assert main(["--lang", "en", "practice", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "Practice: a round of about 10 asks" in out and "Round over: 0 of 10 right at the first try." in out
    kept = Mastery.from_json(ProgressStore().load().settings[SETTING])
    assert sum(s.asks for s in kept.rules.values()) == 10 and kept.level("mul") == "attempted"
    assert Mastery.from_json('{"mul": {"level": "x"}}').level("mul") == "new"
    assert Mastery.from_json("[not json").level("mul") == "new"


def test_a_rounds_first_line_lists_its_rules_with_the_list_comma_in_chinese(tmp_path):
    from gradquest.author.practice import Round

    lines = [Round(Mastery(), lambda: START, tmp_path, lang).start_words() for lang in ("en", "zh")]
    assert lines[0] == "Practice: a round of about 10 asks on the product a·b, the sum a + b, the quotient a/b."
    assert lines[1] == "练习：大约 10 题，练 乘法 a·b、加法 a + b、除法 a/b。"


def test_an_exercise_says_its_values_were_drawn_without_a_seed_practice_does_not_take():
    import random

    from gradquest.author.practice import exercise

    ex = exercise("mul", Mastery(), random.Random(3))
    story = ex.level()["story"]
    assert ex.drawn and "--seed" not in story["en"] + story["zh"]
    assert "Drawn: a = " in story["en"] and "随机抽取：a = " in story["zh"]
