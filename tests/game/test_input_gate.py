"""The gate every input passes: a length cap, NFKC, readers that cannot raise, linear readers,
and the decimal-comma hint. The inputs are the ones issue 13 reported."""

import sys

import pytest
import yaml

from gradquest.game import answers, gate
from gradquest.game.answers import Unreadable, read_choice, read_pairs, read_permutation, read_vector
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level

HEAD = """
format_version: 1
id: test.gate
title: {en: Test, zh: 测试}
chapter: 1
order: 1
model:
  params: {w: 3, b: 4}
  nodes: {x: 2*w + 3*b, y: 2*b + 1, z: x*y}
  output: z
"""

PICKS = HEAD + """
steps:
  - choose:
      options: [one, two, three]
      answer: 2
    prompt: Which?
  - order: [first, second, third]
    prompt: Order them.
  - match: [[a, A], [b, B], [c, C]]
    prompt: Match them.
"""

ASKS = HEAD + """
steps:
  - forward: x
  - vector: [w, b]
    name: wb
"""


def session(text: str, lang: str = "en") -> LevelSession:
    return LevelSession(Level.model_validate(yaml.safe_load(text)), lang=lang)


def at(s: LevelSession, kind: str) -> LevelSession:
    while s.stage.kind != kind and not (kind == "vector" and s.stage.size == 2):
        s.submit(s.stage.solution)
    return s


HOSTILE_PICKS = ["²", "①①", "⑳", "9" * 4301, "1" * 20_000, "1" * 20_000 + "a", "٩٩٩", "\x00", "\u202e²"]


@pytest.mark.parametrize("kind", ["choose", "order", "match"])
@pytest.mark.parametrize("typed", HOSTILE_PICKS, ids=lambda t: repr(t[:6]) + f"x{len(t)}")
def test_hostile_input_at_a_pick_is_refused_for_free(kind, typed):
    s = at(session(PICKS), kind)
    before = s.attempts
    verdict = s.submit(typed)
    assert verdict.status == "invalid" and s.attempts == before and s.stage.kind == kind


def test_circled_and_full_width_numbers_choose_an_option():
    s = session(PICKS)
    assert s.submit("②").status == "correct"
    assert s.stage.kind == "order"


def test_full_width_numbers_and_punctuation_are_read():
    s = session(ASKS)
    assert s.submit("１８").status == "correct"  # x = 18
    assert s.submit("（３，４）").status == "correct"  # (w, b) = (3, 4), written with full-width forms
    s = session(ASKS)
    assert s.submit("１８．０").status == "correct"


def test_superscripts_are_powers_not_digits():
    assert gate.admit("3²") == "3^(2)"
    s = session(ASKS)
    assert s.submit("3²·2").status == "correct"  # 3² · 2 = 18, never 32 · 2
    assert s.attempts == 1


@pytest.mark.parametrize("lang, words", [("en", "use a point for decimals"), ("zh", "小数请用小数点")])
def test_a_decimal_comma_at_a_vector_ask_is_a_hint_not_an_attempt(lang, words):
    s = at(session(ASKS, lang), "vector")
    verdict = s.submit("1,5 2")
    assert verdict.status == "invalid" and words in verdict.message and "1.5" in verdict.message
    assert s.attempts == 1  # the forward ask's one correct answer; nothing for 1,5
    assert s.submit("3 4").status == "correct"


def test_two_numbers_with_a_comma_are_two_numbers_where_two_are_asked():
    assert list(read_vector("0,0", 2)) == [0.0, 0.0]
    assert list(read_vector("1,5", 2)) == [1.0, 5.0]
    assert list(read_vector("6.5,-6.5", 2)) == [6.5, -6.5]  # what "6.5，-6.5" becomes at the gate
    with pytest.raises(Unreadable) as err:
        read_vector("1,5", 3)  # one number short: the comma looks like a decimal comma
    assert err.value.code == "vector_comma"


def test_vectors_with_spaces_or_parentheses_still_read_commas():
    assert list(read_vector("(1,5)", 2)) == [1.0, 5.0]
    assert list(read_vector("1, 5", 2)) == [1.0, 5.0]
    assert list(read_vector("1 5", 2)) == [1.0, 5.0]
    with pytest.raises(Unreadable) as err:
        read_vector("1,5 2", 2)
    assert err.value.code == "vector_comma"


def test_a_decimal_comma_at_a_number_ask():
    s = session(ASKS, "zh")
    verdict = s.submit("18,0")
    assert verdict.status == "invalid" and "18.0" in verdict.message and s.attempts == 0


@pytest.mark.parametrize("lang, words", [("en", "at most 1000"), ("zh", "最多 1000")])
def test_a_megabyte_is_refused_by_its_length_before_any_reading(lang, words, monkeypatch):
    seen = []
    s = at(session(ASKS, lang), "vector")
    monkeypatch.setattr(answers, "parse", lambda text, **k: seen.append(text))
    verdict = s.submit("1 " * 500_000)
    assert verdict.status == "invalid" and words in verdict.message and seen == []
    assert s.attempts == 1


def lines_run(function, *args) -> int:
    """How many lines of Python `function` runs: work counted, not timed."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        function(*args)
    except Unreadable:
        pass
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("text", ["1 ", "1  +  ", "(1 2) ", "sqrt(2) , "])
def test_the_vector_splitter_is_linear(text):
    small, large = lines_run(answers._split, text * 1000), lines_run(answers._split, text * 4000)
    assert large <= 4.2 * small


def test_long_runs_of_digits_are_refused_at_every_pick():
    for digits in ("1" * 20_000, "1" * 20_000 + "a", "12" * 10_000, "²" * 1000):
        for reader in (read_pairs, read_permutation, read_choice):
            with pytest.raises(Unreadable):
                reader(digits, 3)


def test_an_unexpected_reader_error_is_an_invalid_verdict_that_costs_nothing(monkeypatch):
    def broken(text):
        raise ZeroDivisionError("a bug in a reader")

    monkeypatch.setattr(answers, "read_number", broken)
    s = session(ASKS, "zh")
    verdict = s.submit("18")
    assert verdict.status == "invalid" and "本次不计" in verdict.message and s.attempts == 0
    monkeypatch.undo()
    assert s.submit("18").status == "correct"  # the level goes on


@pytest.mark.parametrize("typed, admitted", [
    ("２.５", "2.5"), ("（1，2）", "(1,2)"), ("①", "1"), ("x⁻¹", "x^(-1)"), ("٣", "3"), ("३", "3"),
    ("1\u200f2", "12"), ("\u200b18\ufeff", "18"), ("1\t2\n", "1 2 "), ("½", "1/2"), ("\x1b[A", "[A"),
])
def test_admitted_forms(typed, admitted):
    assert gate.admit(typed) == admitted


@pytest.mark.parametrize("lang, words", [("en", "Expected 1 number, like 2.4; found 2."),
                                         ("zh", "需要 1 个数，例如 2.4；你输入了 2 个。")])
def test_two_numbers_where_one_is_asked_is_said_in_the_singular(lang, words):
    verdict = session(ASKS, lang).submit("(1, 2)")
    assert verdict.status == "invalid" and verdict.message == words


def test_counts_in_messages_agree_with_their_nouns():
    from gradquest.game.messages import say

    assert say("input.vector_size", expected=3, found=2) == "Expected 3 numbers, like (2.4, 0.9); found 2."
    assert say("diagnosis.order", right=1, count=3) == "Not this order: 1 of 3 is in the right place."
    assert say("diagnosis.pairs", right=2, count=3) == "2 of 3 pairs are right."
    assert say("event.no_stop", n=1) == "Stopped after 1 iteration without meeting the stop rule."
    assert say("progress.repaired", count=1, path="p.json", names="a", aside="p.bad").startswith(
        "1 entry in p.json could not be read (a) and was reset;")


@pytest.mark.parametrize("lang, words", [("en", "Type the 2 numbers first, like (2.4, 0.9)."),
                                         ("zh", "请先输入 2 个数，例如 (2.4, 0.9)。")])
def test_nothing_typed_at_a_vector_ask_asks_for_the_numbers_not_found_0(lang, words):
    s = at(session(ASKS, lang), "vector")
    verdict = s.submit("")
    assert verdict.status == "invalid" and verdict.message == words and s.attempts == 1


@pytest.mark.parametrize("lang, words", [("en", "'abc' is not a number. Type a number, or arithmetic such as 2/3 or sqrt(2)."),
                                         ("zh", "'abc' 不是数。请输入一个数，或 2/3、sqrt(2) 这样的算式。")])
def test_a_word_is_named_without_a_column_number(lang, words):
    for typed in ("abc", "2*abc"):  # the name says where; "Column 3" read like a table's column
        verdict = session(ASKS, lang).submit(typed)
        assert verdict.status == "invalid" and verdict.message == words
