"""The headless game: verdicts, diagnoses, the player's own numbers, hints, score, resume."""

import numpy as np
import pytest
import yaml

from gradquest.game.answers import Unreadable, read_number, read_vector
from gradquest.store.progress import ProgressStore
from gradquest.store.resume import fresh_seed, open_session
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level
from gradquest.levels.schema import Level

HEAD = """
format_version: 1
id: test.level
title: {en: Test, zh: 测试}
chapter: 1
order: 1
"""

TWO_PATHS = HEAD + """
model:
  params: {w: 3, b: 4}
  nodes: {x: 2*w + 3*b, y: 2*b + 1, z: x*y}
  output: z
steps:
  - forward: x
  - gradient: b
  - value: (z - 150) / dz_db
    name: db
    prompt: How much must b change to bring z to 150?
  - set: {b: b - db}
  - forward: z
"""


def level(text: str) -> Level:
    return Level.model_validate(yaml.safe_load(text))


def play_to(session: LevelSession, kind: str = "ask") -> None:
    while session.stage is not None and session.stage.kind != kind:
        session.submit(session.stage.solution)


def test_correct_wrong_and_unreadable_answers():
    s = LevelSession(level(TWO_PATHS))
    assert s.stage.prompt == "x = ?"
    for typed in ("", "abc", "18)", "1/0", "2 3"):
        v = s.submit(typed)
        assert v.status == "invalid" and v.message, typed
    assert s.attempts == 0  # unreadable input uses no attempt
    assert s.submit("17").status == "wrong"
    v = s.submit("18")
    assert v.status == "correct" and v.events[0].text == "x = 2·3 + 3·4 = 18"
    assert s.attempts == 2


@pytest.mark.parametrize("typed, diagnosis, words", [
    ("36", "one_path", "only the path through y"),
    ("27", "one_path", "only the path through x"),
    ("−63", "sign", "sign"),
    ("3", "no_upstream", "∂z/∂x = 9"),
    ("630", "magnitude", "decimal point"),
    ("70", "too_big", "too big"),
])
def test_a_wrong_gradient_is_diagnosed(typed, diagnosis, words):
    s = LevelSession(level(TWO_PATHS))
    s.submit("18")
    v = s.submit(typed)
    assert v.status == "wrong" and v.diagnosis == diagnosis and words in v.message


def test_chinese_diagnosis():
    s = LevelSession(level(TWO_PATHS), lang="zh")
    s.submit("18")
    assert "经过 y 的那条路径" in s.submit("36").message


def test_a_later_answer_from_the_players_own_rounded_numbers_is_accepted():
    s = LevelSession(level(TWO_PATHS.replace("prompt: How much", "tolerance: {rel: 0.25}\n    prompt: How much")))
    s.submit("18")
    s.submit("63")
    assert s.submit("0.15").status == "correct"  # within the author's 25 %
    exact_z = s.world.value("z")  # b = 4 − 0.190476…
    theirs_z = (2 * 3 + 3 * (4 - 0.15)) * (2 * (4 - 0.15) + 1)
    assert abs(exact_z - theirs_z) / exact_z > 0.005  # far enough apart to tell
    v = s.submit(repr(theirs_z))
    assert v.status == "correct" and "your own" in v.message


def test_the_overwrite_mistake_for_a_node_used_twice():
    s = LevelSession(level(HEAD + """
model:
  params: {a: 3}
  nodes: {b: a + a}
steps:
  - gradient: a
"""))
    v = s.submit("1")
    assert v.diagnosis == "overwrite" and "+=" in v.message
    assert s.submit("2").status == "correct"


def test_update_mistakes():
    s = LevelSession(level(HEAD + """
model:
  params: {w: 3, b: 4}
  nodes: {x: 2*w + 3*b, y: 2*b + 1, z: x*y}
steps:
  - update: w
    optimizer: {kind: sgd, lr: 0.01}
"""))
    assert s.submit(repr(3 - 18)).diagnosis == "no_lr"
    assert s.submit(repr(3 + 0.18)).diagnosis == "ascent"
    assert s.submit("0.18").diagnosis == "step_only"
    assert s.submit("2.82").status == "correct"
    assert s.world.value("w") == pytest.approx(2.82)


def test_vector_updates_and_adam_state_carry_over():
    s = LevelSession(level(HEAD + """
model:
  params: {x: 1.5, y: -0.5}
  nodes: {f: sin(x) + cos(y) + 0.1*(x**2 + y**2)}
steps:
  - update: [x, y]
    optimizer: {kind: adam, lr: 0.1}
  - update: [x, y]
    optimizer: {kind: adam, lr: 0.1}
"""))
    first = np.array([1.5, -0.5]) - 0.1 * np.sign([np.cos(1.5) + 0.3, -np.sin(-0.5) - 0.1])
    assert s.stage.size == 2
    assert s.submit(f"({first[0]}, {first[1]})").status == "correct"
    # the second Adam step uses the moments kept from the first
    from gradquest.engine.optim import Adam
    from gradquest.engine import Value
    x, y = Value(1.5), Value(-0.5)
    opt = Adam([x, y], lr=0.1)
    for _ in range(2):
        x.grad = np.cos(x.data) + 0.2 * x.data
        y.grad = -np.sin(y.data) + 0.2 * y.data
        opt.step()
    assert s.submit(f"{x.data} {y.data}").status == "correct"


@pytest.mark.parametrize("typed, value", [
    ("-2", -2.0), ("−2", -2.0), ("6.0", 6.0), ("1e-3", 1e-3), ("2/3", 2 / 3), ("-2*3", -6.0),
    ("sqrt(2)", 2**0.5), (" 4 ", 4.0),
])
def test_number_answers(typed, value):
    assert read_number(typed) == pytest.approx(value, rel=1e-15)


def test_vector_answers():
    for typed in ("(2.4, 0.909)", "2.4 0.909", "2.4, 0.909", "[2.4; 0.909]"):
        assert list(read_vector(typed, 2)) == [2.4, 0.909]
    assert list(read_vector("(sqrt(4), -1)", 2)) == [2.0, -1.0]
    assert list(read_vector("1 + 1, 3", 2)) == [2.0, 3.0]
    with pytest.raises(Unreadable):
        read_vector("1 2 3", 2)


def test_hints_unlock_one_at_a_time_and_cost_points():
    s = LevelSession(level(TWO_PATHS))
    s.submit("18")
    assert s.hints_left == 2
    first, second = s.hint(), s.hint()
    assert "∂z/∂x·∂x/∂b + ∂z/∂y·∂y/∂b" in first and second == "With the numbers: 9·3 + 18·2"  # not "= 63"
    assert s.hints_used == 2 and s.hints_left == 0
    assert s.hint().startswith("No more hints")
    s.submit("63")
    assert s.points == [100, 60]


SLOTS = HEAD + """
model:
  params: {w: 3}
  nodes: {z: w*w}
steps:
  - forward: z
    hints: ["z = {{w}}·{{w}}"]
    misconceptions: [{expr: 2*w, feedback: "That is 2·w = {{2*w}}."}]
  - choose: {options: ["{{z}}", "{{z + 1}}"], answer: 1}
    prompt: z?
  - order: ["{{w}}", "{{z}}"]
    prompt: Smallest first
  - match: [[w, "{{w}}"], [z, "{{z}}"]]
    prompt: Match
  - guess: {secret: 5, bands: [{min: 0, say: "Above {{z - 4}}"}]}
"""


def test_numbers_are_filled_in_hints_feedback_options_items_and_bands():
    s = LevelSession(level(SLOTS))
    assert s.hint() == "z = 3·3"
    assert s.submit("6").message == "That is 2·w = 6."
    s.submit("9")
    assert s.stage.options == ["9", "10"]
    s.submit("1")
    assert sorted(s.stage.options) == ["3", "9"]
    s.submit(s.stage.solution)
    assert sorted(o[3:] for o in s.stage.options) == ["3", "9", "w", "z"]
    s.submit(s.stage.solution)
    assert s.submit("7").message == "Above 5"


def test_a_randomised_level_is_deterministic_per_seed_and_meets_its_requirement():
    text = HEAD + """
model:
  params: {a: {between: [-5, 5], integer: true}, b: {between: [-5, 5]}}
  nodes: {c: a*b}
  require: [{expr: abs(dc_da), min: 1}]
steps:
  - gradient: a
"""
    draws = [LevelSession(level(text), seed=s).world.value("b") for s in (1, 1, 2)]
    assert draws[0] == draws[1] != draws[2]
    for seed in range(20):
        assert abs(LevelSession(level(text), seed=seed).world.gradient("a")) >= 1


def test_a_guess_with_a_random_secret_gets_a_fresh_draw_each_play():
    drawn = level(HEAD + "steps:\n  - iterate:\n      steps: [guess: {secret: {choice: [1, 2, 3]}}]\n"
                         "      until: {expr: '0', below: 1}\n")
    assert drawn.randomised and fresh_seed(drawn) is not None
    assert fresh_seed(level(HEAD + "steps:\n  - guess: {secret: 7}\n")) is None
    bundled = load_level(bundled_levels_dir() / "1-three-concepts" / "01-guess-the-number.yaml").level
    assert fresh_seed(bundled) is not None


def test_resume_replays_to_the_saved_position():
    s = LevelSession(level(TWO_PATHS))
    s.submit("18")
    s.submit("63")
    resumed = LevelSession(level(TWO_PATHS), resume_at=s.position)
    assert resumed.stage.prompt == s.stage.prompt
    assert resumed.world.value("b") == s.world.value("b")


def test_playing_to_the_end_scores_and_stars():
    s = LevelSession(level(TWO_PATHS))
    play_to(s, kind="never")
    assert s.done and s.score == 100 and s.stars == 3


def test_progress_is_saved_atomically_and_an_unreadable_file_is_left_alone(tmp_path):
    store = ProgressStore(tmp_path)
    progress = store.load()
    s = LevelSession(level(TWO_PATHS))
    s.submit("18")
    progress.save_play("test.level", s)
    store.save(progress)
    again = store.load().levels["test.level"]
    assert again.resume_at == 1 and not again.done
    assert sorted(p.name for p in tmp_path.iterdir()) == [".progress.lock", "progress.json"]
    (tmp_path / "progress.json").write_text("{not json", encoding="utf-8")
    broken = store.load()
    assert broken.levels == {} and "left as it is" in str(broken.warning)
    store.save(broken)
    assert (tmp_path / "progress.json").read_text(encoding="utf-8") == "{not json"


def test_revealing_an_answer_enters_it_for_no_points():
    s = LevelSession(level(TWO_PATHS))
    v = s.reveal()
    assert v.status == "revealed" and v.message == "Answer: 18 — shown, no points."  # never "Correct"
    assert s.points == [0] and s.stage.prompt == "∂z/∂b = ?"


def test_the_transcript_holds_each_ask_what_was_typed_the_steps_revealed_and_hints_in_order():
    s = LevelSession(level(TWO_PATHS))
    s.submit("17")
    s.submit("18")
    s.hint()
    s.submit("63")
    assert [(e.kind, e.text, e.status) for e in s.transcript] == [
        ("ask", "x = ?", ""), ("answer", "17", "wrong"), ("answer", "18", "correct"),
        ("event", "x = 2·3 + 3·4 = 18", ""), ("ask", "∂z/∂b = ?", ""), ("hint", "Chain rule: ∂z/∂b = ∂z/∂x·∂x/∂b + ∂z/∂y·∂y/∂b", ""),
        ("answer", "63", "correct"), ("event", "∂z/∂b = 9·3 + 18·2 = 63", ""),
        ("ask", "How much must b change to bring z to 150?", "")]


def test_a_resumed_session_has_the_transcript_and_log_of_the_replayed_part():
    played = LevelSession(level(TWO_PATHS))
    for _ in range(3):
        played.submit(played.stage.solution)
    resumed = LevelSession(level(TWO_PATHS), resume_at=3)
    assert [e.text for e in resumed.log] == [e.text for e in played.log] and resumed.log
    assert [(e.kind, e.status) for e in resumed.transcript] == [(e.kind, e.status) for e in played.transcript]


def test_iterations_the_game_plays_itself_apply_updates_and_fill_the_table():
    s = LevelSession(level(HEAD + """
model:
  params: {x: 1.2}
  nodes: {J: x**2}
steps:
  - iterate:
      steps:
        - update: x
          optimizer: {kind: sgd, lr: 0.3}
      until: {expr: J, below: 0.01}
      manual: 1
      table: [x, J]
"""))
    assert s.submit("0.48").status == "correct"  # 1.2 − 0.3·2.4
    assert s.done
    xs = [row["x"] for row in s.table]
    assert xs[:3] == pytest.approx([0.48, 0.192, 0.0768])  # x ← 0.4·x each step
    assert s.table[-1]["J"] < 0.01 <= s.table[-2]["J"] and len(s.table) == 3


def test_train_settings_by_name_or_as_values_alone_in_the_order_shown():
    from gradquest.game.play import read_settings

    s = LevelSession(level(HEAD + """
model:
  params: {w: 0}
  nodes: {L: (w - 1)**2}
steps:
  - train:
      loss: L
      choose: [{name: lr, min: 0.01, max: 1, default: 0.1}, {name: steps, min: 1, max: 500, default: 7}]
"""))
    spec = s.level.steps[0].train
    assert "lr=0.1 steps=7" in s.stage.prompt and "0.1, 7" in s.stage.prompt
    assert read_settings("0.5, 300", spec) == read_settings("lr=0.5 steps=300", spec) == {"lr": 0.5, "steps": 300}
    assert read_settings("0.5", spec)["lr"] == 0.5
    with pytest.raises(Unreadable):
        read_settings("0.5, 300, 4", spec)


def test_the_train_event_counts_the_steps_trained():
    s = LevelSession(level(HEAD + """
model:
  params: {w: 0}
  nodes: {L: (w - 1)**2}
steps:
  - train: {loss: L, steps: 7}
"""))
    verdict = s.submit("")
    assert verdict.status == "correct" and verdict.events[0].text.startswith("Trained 7 steps: ")


def test_check_reports_training_that_cannot_win_instead_of_retrying_for_ever():
    from gradquest.author.lint import lint

    never = level("""
format_version: 1
id: t.never
title: t
chapter: 1
order: 1
model:
  params: {w: 0}
  nodes: {L: (w - 3)**2}
steps:
  - train: {loss: L, optimizer: {lr: 0.01}, steps: 2, win: {expr: L, max: 0.001}}
""")
    findings = lint(never)
    assert [f.field for f in findings] == ["steps[0]"]
    assert findings[0].message.startswith("the goal L ≤ 0.001 was not reached with the default settings within 2 steps")


def test_set_takes_plain_numbers(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text(HEAD + "model: {params: {w: 3, b: 1}, nodes: {z: w*b}}\nsteps:\n"
                    "  - set: {w: 4, b: -1.5}\n  - forward: z\n", encoding="utf-8")
    s = LevelSession(load_level(path).level)
    assert [e.text for e in s.log] == ["w is now 4", "b is now −1.5"]
    assert s.submit("-6").status == "correct"


def test_the_chain_rule_leaves_out_consumers_that_do_not_reach_the_output():
    s = LevelSession(level(HEAD + """
model:
  params: {a: 1}
  nodes: {b: 2*a + 1, c: 6*a + b}
steps:
  - gradient: a
    of: b
"""))
    assert s.hint() == "Differentiate b = 2·a + 1 with respect to a alone." and s.hint().startswith("No more hints")
    assert s.submit("6").diagnosis == "too_big"  # not "multiply ∂c/∂a by ∂b/∂c = 0"
    assert s.submit("2").events[0].text == "∂b/∂a = 2"


def test_a_resumed_level_shows_each_replayed_ask_as_it_went(tmp_path):
    """A shown answer stays shown (no points), the player's own accepted answer is theirs, and a
    wrong try before it is not turned into "Correct"."""
    store = ProgressStore(tmp_path)
    progress = store.load()
    s = LevelSession(level(TWO_PATHS))
    s.reveal()  # x: shown
    s.submit("60")  # wrong
    s.submit("6.3e1")  # ∂z/∂b, typed their way
    progress.save_play("test.level", s)
    store.save(progress)
    record = store.load().record("test.level")
    assert record.answers == [None, "6.3e1"]
    resumed, _, _ = open_session(level(TWO_PATHS).model_copy(update={"id": "test.level"}), "en", store.load())
    answered = [(e.text, e.status, e.message) for e in resumed.transcript if e.kind == "answer"]
    assert answered == [("", "revealed", "Answer: 18 — shown, no points."), ("6.3e1", "correct", "Correct.")]
    assert resumed.points == [0, 75] and resumed.position == 2


def test_a_progress_file_without_answers_still_resumes_a_shown_answer_as_shown():
    s = LevelSession(level(TWO_PATHS), resume_at=2, points=[0, 100])
    answered = [(e.text, e.status) for e in s.transcript if e.kind == "answer"]
    assert answered == [("", "revealed"), ("63", "correct")]


CHOICE = HEAD + """
steps:
  - choose:
      options: [{en: One, zh: 一}, {en: Two, zh: 二}, {en: Three, zh: 三}]
      answer: 2
    prompt: {en: "Which?", zh: "哪个？"}
"""


def test_the_same_wrong_choice_again_uses_no_attempt_and_says_it_was_tried():
    s = LevelSession(level(CHOICE))
    assert s.submit("1").status == "wrong" and s.attempts == 1
    again = s.submit("1")
    assert again.status == "invalid" and "already tried" in again.message and s.attempts == 1
    assert s.submit("3").status == "wrong" and s.attempts == 2
    assert s.submit("2").status == "correct" and s.points == [50]
    zh = LevelSession(level(CHOICE), lang="zh")
    zh.submit("1")
    assert "已经试过" in zh.submit("1").message


def _guesses(s: LevelSession, n: int) -> None:
    """n guesses at the guess in progress: n − 1 misses, then the secret."""
    secret = int(float(s.stage.solution))
    misses = [g for g in range(1, 51) if g != secret][:n - 1]
    for g in misses:
        assert s.submit(str(g)).status == "wrong"
    assert s.submit(str(secret)).status == "correct"


def test_a_guess_scores_by_the_guesses_halving_needs_and_says_so():
    bundled = load_level(bundled_levels_dir() / "1-three-concepts" / "01-guess-the-number.yaml").level
    six = LevelSession(bundled, seed=3)
    play_to(six, kind="guess")
    _guesses(six, 6)  # halving finds one of 50 numbers in at most 6
    assert six.points == [100]
    play_to(six, kind="never")
    assert six.stars == 3
    nine = LevelSession(bundled, seed=3)
    play_to(nine, kind="guess")
    _guesses(nine, 9)
    said = next(e.message for e in reversed(nine.transcript) if e.kind == "answer")
    assert nine.points == [70] and "guess 9" in said and "at most 6" in said and "10 fewer" in said


def test_leaving_and_resuming_an_ask_keeps_its_wrong_answers_and_hints_with_their_cost(tmp_path):
    store = ProgressStore(tmp_path)
    progress = store.load()
    lvl = level(TWO_PATHS).model_copy(update={"id": "test.level"})
    s = LevelSession(lvl)
    s.submit("18")
    assert s.submit("36").status == "wrong"  # ∂z/∂b: one path
    s.hint()
    progress.save_play("test.level", s)
    store.save(progress)
    resumed, _, was = open_session(lvl, "en", store.load())
    assert was and resumed.position == 1 and resumed.hints_left == s.hints_left
    kept = [(e.kind, e.text) for e in resumed.transcript if e.kind in ("answer", "hint")]
    assert kept == [(e.kind, e.text) for e in s.transcript if e.kind in ("answer", "hint")]
    assert (resumed.attempts, resumed.hints_used) == (2, 1)
    resumed.submit("63")
    assert resumed.points == [100, 55]  # the wrong answer and the hint still cost


FIXED_RUN = HEAD + """
model:
  params: {x: 1.2}
  nodes: {J: x**2}
steps:
  - iterate:
      steps:
        - update: x
          optimizer: {kind: sgd, lr: 0.3}
      times: 4
      manual: 0
      table: [x]
"""


@pytest.mark.parametrize("lang, words", [("en", "After 4 iterations: x = 0.0307"), ("zh", "4 次迭代之后：x = 0.0307")])
def test_an_iteration_a_fixed_number_of_times_says_what_happened_not_that_a_stop_rule_was_missed(lang, words):
    s = LevelSession(level(FIXED_RUN), lang=lang)
    assert s.done and len(s.table) == 4 and s.table[-1]["x"] == pytest.approx(1.2 * 0.4**4)
    shown = [e.text for e in s.log if not e.quiet]
    assert any(t.startswith(words) for t in shown), shown
    assert not any("stop" in t or "停止" in t for t in shown)


def test_an_iteration_takes_either_a_stop_rule_or_a_number_of_times(tmp_path):
    from gradquest.levels.load import LevelErrors

    both = tmp_path / "both.yaml"
    both.write_text(FIXED_RUN.replace("times: 4", "times: 4\n      until: {expr: J, below: 0.1}"), encoding="utf-8")
    neither = tmp_path / "neither.yaml"
    neither.write_text(FIXED_RUN.replace("times: 4", "max: 4"), encoding="utf-8")
    for path in (both, neither):
        with pytest.raises(LevelErrors) as err:
            load_level(path)
        assert "either `until`" in str(err.value)


NUMBER_CHOICE = HEAD + """
model:
  params: {a: 3}
  nodes: {c: a*2}
steps:
  - choose:
      options: ["{{a}}", "1", "{{c}}"]
      answer: 1
      why: [null, "No.", "That is c."]
    prompt: What is a?
"""


@pytest.mark.parametrize("lang, words", [
    ("en", "Did you mean option 3 (6) or the option that says 3 (option 1)? Type the option's number."),
    ("zh", "你是指选项 3（6），还是写着 3 的那个选项（选项 1）？请输入选项的编号。")])
def test_a_number_that_is_one_options_number_and_another_options_text_is_asked_about_not_guessed(lang, words):
    s = LevelSession(level(NUMBER_CHOICE), lang=lang)
    verdict = s.submit("3")
    assert (verdict.status, verdict.message, s.attempts) == ("invalid", words, 0)
    assert s.submit("3").status == "wrong" and s.attempts == 1  # asked once: now a number is an option's number
    assert s.submit("1").status == "correct"
    s = LevelSession(level(NUMBER_CHOICE.replace("answer: 1", "answer: 3")), lang=lang)
    assert s.reveal().status == "revealed"  # the answer shown is sent as its letter: never asked about
    s = LevelSession(level(NUMBER_CHOICE.replace('"{{c}}"', '"{{a}}"')), lang=lang)  # option 3 says 3 too: no doubt
    assert s.submit("3").status == "wrong" and s.submit("2").status == "wrong"  # 2: no option says 2



def test_a_set_that_speaks_says_its_words_before_what_changed():
    """5.33: "Trained 40 steps: L 0.17" then "w is now 0" read as the run's result; the level's own words
    ("Back to w = 0 again.") come first, and then the line saying what changed."""
    s = LevelSession(level("""
format_version: 1
id: test.set-says
title: t
chapter: 1
order: 1
model: {params: {w: 3}, nodes: {z: 2*w}, output: z}
steps:
  - forward: z
  - set: {w: 0}
    say: {en: "Back to w = 0 again.", zh: "回到 w = 0。"}
  - forward: z
"""))
    s.submit("6")
    play_to(s, "say")
    assert "Back to w = 0" in s.stage.body
    assert not any(e.text == "w is now 0" for e in s.log)  # not yet: the words come first
    s.advance()
    assert s.stage.kind == "ask" and [e.text for e in s.log][-1] == "w is now 0"
    assert s.world.value("z") == 0
