"""`gradquest check`'s second half: linting a level by playing it with the engine's answers."""

from gradquest.author.lint import lint
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level


def level(**body) -> Level:
    return Level.model_validate({"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1, **body})


def test_only_a_nonzero_answer_within_the_absolute_tolerance_is_flagged():
    model = {"params": {"w": 0, "v": 5, "u": 1e-7}}
    assert lint(level(model=model, steps=[{"vector": ["w", "v"]}])) == []
    (finding,) = lint(level(model=model, steps=[{"vector": ["u", "v"]}]))
    assert "within the absolute tolerance" in finding.message


def test_a_plot_that_cannot_be_computed_is_a_finding():
    model = {"params": {"w": 1}, "data": {"x": [1, 2, 3]}, "nodes": {"L": "mean((w*x - 2*x)**2)"}}
    curve = {"curve": ["L"], "over": "w", "range": [0, 4], "tangent": True}
    assert lint(level(model=model, plot=curve, steps=[{"forward": "L"}])) == []
    (finding,) = lint(level(model=model, plot={**curve, "curve": ["w*x"]}, steps=[{"forward": "L"}]))
    assert (finding.field, finding.message) == ("plot", "the plot cannot be computed: the curve w*x is not one "
                                                        "number for each w: take the mean or sum over the data")


def test_a_round_number_the_story_names_must_not_pass_for_the_answer():
    model = {"params": {"w": 3, "b": 3.809524}, "nodes": {"z": "(2*w + 3*b)*(2*b + 1)"}}
    story = "The target is z = 150: bring z down to it."
    assert lint(level(model=model, story=story, steps=[{"forward": "z"}])) == []  # z = 150.218
    loose = {"forward": "z", "tolerance": {"rel": 5e-3}}
    (finding, leak) = lint(level(model=model, story=story, steps=[loose]))
    assert "read on the screen" in leak.message  # 150 passes for the answer, and the story shows it
    assert finding.message == "150, a round number the level names, would be accepted for 150.218: tighten the tolerance"


def test_player_words_only_in_a_bundled_level():
    model = {"params": {"w": 3, "updates": 0}, "nodes": {"vloss": "(w - 2)**2", "z": "2*w"}}
    say = {"en": "The seed's table: `w.grad` and hit_x come next.", "zh": "原文的表：`w.grad` 和 hit_x。"}
    calls = {"en": "As torch.optim.SGD does.", "zh": "就像 SGD(lr=0.1, momentum=0.9) 那样。"}
    bad = level(source="somewhere", title={"en": "t", "zh": "t"}, model=model,
                steps=[{"say": say}, {"say": calls}, {"forward": "z", "prompt": {"en": "z = ?", "zh": "z = ?"}}])
    found = {(f.field, f.message.split(":")[0]) for f in lint(bad, bundled=True)}
    assert ("steps[0].say", 'the player reads "seed"') in found
    assert ("steps[0].say", 'the player reads "原文"') in found
    assert ("steps[0].say", 'the player reads "`"') in found
    assert ("steps[1].say", 'the player reads "torch.optim.SGD"') in found
    assert ("steps[1].say", 'the player reads "SGD(lr=0.1, momentum="') in found
    assert ("model.nodes.vloss", 'players see "vloss" here') in found
    assert ("model.params.updates", 'players see "updates" here') in found
    assert not any(field.startswith("model.nodes.z") or field.startswith("model.params.w") for field, _ in found)
    labels = {"vloss": {"en": "loss", "zh": "损失"}, "updates": {"en": "updates", "zh": "更新次数"}}
    good = level(source="somewhere", title={"en": "t", "zh": "t"}, model={**model, "labels": labels},
                 notes={"en": "Other texts count the start as 1; we count it as 0.", "zh": "有的教材从 1 数起；我们从 0 数起。"},
                 steps=[{"say": {"en": "The table: w and z come next, e.g. f(x) = x², as PyTorch's SGD (momentum 0.9) does.",
                                 "zh": "表：w 和 z。"}},
                        {"forward": "z", "prompt": {"en": "z = ?", "zh": "z = ?"}}])
    assert lint(good, bundled=True) == []


def test_a_node_may_carry_its_label():
    model = {"params": {"w": 3}, "nodes": {"vloss": {"expr": "(w - 2)**2", "label": {"en": "loss", "zh": "损失"}}}}
    lv = level(model=model, steps=[{"forward": "vloss"}])
    assert lv.model.nodes["vloss"] == "(w - 2)**2" and lv.label("vloss", "zh") == "损失"


TWO_PATHS = {"params": {"w": 3, "b": 4}, "nodes": {"x": "2*w + 3*b", "y": "2*b + 1", "z": "x*y"}, "output": "z"}


def test_the_leak_rule_catches_an_answer_planted_on_the_screen():
    curve = {"curve": ["z"], "over": "b", "range": [3, 5], "tangent": "answered"}
    moved = {"params": {**TWO_PATHS["params"], "w": 3.1}}  # ∂z/∂b = 4w + 12b + 3 = 63.4
    model = {**TWO_PATHS, **moved}
    found = [f for f in lint(level(model=model, plot=curve, steps=[{"gradient": "b"}])) if "read on the" in f.message]
    assert found == []  # the tangent is drawn once the player has worked its slope out
    planted = {**curve, "title": "z against b: its slope here is {{dz_db}}"}
    (finding,) = [f for f in lint(level(model=model, plot=planted, steps=[{"forward": "x"}, {"gradient": "b"}]))
                  if "read on the" in f.message]
    assert finding.field == "steps[1]" and finding.message.startswith(
        'the answer can be read on the screen before it is asked (plot: 63.4 in "z against b: its slope')
    story = "We start at w = 3.1, b = 4: z = {{(2*3.1 + 12)*9}}."  # 163.8, then asked
    (finding,) = [f for f in lint(level(model={**TWO_PATHS, **moved}, story=story, steps=[{"forward": "z"}]))
                  if "read on the screen" in f.message]
    assert '(text: 163.8 in "We start at' in finding.message
    given = lint(level(model={**TWO_PATHS, **moved}, story=story, steps=[{"forward": "z", "given": True}]))
    assert not [f for f in given if "read on the screen" in f.message]


def test_a_table_column_that_is_the_next_iteration_s_answer_leaks():
    model = {"params": {"w": 1}, "nodes": {"L": "(w - 3)**2 + 0.123"}}
    body = {"model": model, "steps": [{"iterate": {"steps": [{"gradient": "w"}, {"update": "w"}],
                                                   "until": {"expr": "dL_dw", "below": 0.5}, "manual": 3,
                                                   "table": ["w", "L", "dL_dw"]}}]}
    found = [f for f in lint(level(**body)) if "read on the screen" in f.message]
    assert found and found[0].field == "steps[0].iterate.steps[0]" and "(table: " in found[0].message


def test_a_bundled_choice_says_why_each_wrong_option_is_wrong():
    choose = {"choose": {"options": [{"en": "Up", "zh": "上"}, {"en": "Down", "zh": "下"}, {"en": "Stay", "zh": "不动"}],
                         "answer": 2}, "prompt": {"en": "Which way?", "zh": "往哪边？"}}
    bare = level(source="s", title={"en": "t", "zh": "t"}, steps=[choose])
    (finding,) = lint(bare, bundled=True)
    assert (finding.field, finding.message) == (
        "steps[0].choose.why", "a bundled level says why each wrong option is wrong; missing for option 1, 3")
    why = [{"en": "Up climbs.", "zh": "往上是上坡。"}, None, {"en": "Staying learns nothing.", "zh": "不动什么也学不到。"}]
    told = level(source="s", title={"en": "t", "zh": "t"}, steps=[{**choose, "choose": {**choose["choose"], "why": why}}])
    assert lint(told, bundled=True) == []
    s = LevelSession(told)
    assert s.submit("1").message == "Up climbs." and s.submit("c").message == "Staying learns nothing."


def test_a_name_that_reads_as_a_product_must_be_that_product():
    model = {"params": {"x1": 2, "w1": -3, "x2": 0, "w2": 1},
             "nodes": {"x1w1": "x1*w1", "x2w2": "x2*w2", "x1w1x2w2": "x1w1 + x2w2", "o": "tanh(x1w1x2w2)"}}
    body = dict(source="s", title={"en": "t", "zh": "t"}, story={"en": "o = tanh(x1·w1 + x2·w2)", "zh": "o = tanh(x1·w1 + x2·w2)"},
                steps=[{"gradient": "x1w1x2w2"}, {"value": "2*do_dx1w1x2w2", "name": "twice"}])
    found = {(f.field, f.message.split(":")[0]) for f in lint(level(model=model, **body), bundled=True)
             if not f.message.startswith(("en ", "zh "))}  # what the played-words rule adds is tested on its own
    assert found == {("model.nodes.x1w1x2w2", 'players see "x1w1x2w2" here'),  # a sum, named like a product
                     ("steps[1].name", 'players see "twice" here')}  # a named answer in the step log
    labels = {"x1w1x2w2": {"en": "x1w1+x2w2", "zh": "x1w1+x2w2"}, "twice": {"en": "twice ∂o/∂n", "zh": "∂o/∂n 的两倍"}}
    labelled = level(model={**model, "labels": labels}, **body)
    assert lint(labelled, bundled=True) == []
    s = LevelSession(labelled, lang="zh")
    s.advance()  # the story
    assert s.stage.prompt == "∂o/∂(x1w1+x2w2) = ?"
    s.submit(s.stage.solution)
    assert s.log[-1].text.startswith("∂o/∂(x1w1+x2w2) = ") and s.stage.prompt == "∂o/∂n 的两倍 = ?"
    s.submit(s.stage.solution)
    assert s.log[-1].text.startswith("∂o/∂n 的两倍 = ")


def test_the_leak_rule_solves_a_card_that_is_the_answer_plus_or_minus_a_number(monkeypatch):
    from gradquest.author import leaks
    from gradquest.figures.graph_cards import HIDDEN, Card
    model = {"params": {"n": 0.8123512916312317},
             "nodes": {"e": "exp(2*n)", "num": "e - 1", "den": "1 + e", "o2": "num/den"}, "output": "o2"}
    s = LevelSession(level(model=model, steps=[{"forward": "e"}]))
    planted = [Card("n", "", "0.812351", HIDDEN, [], ["e"], 0, False),
               Card("e", "exp(2·n)", HIDDEN, HIDDEN, ["n"], ["num", "den"], 1, True),
               Card("num", "e − 1", "4.07691", HIDDEN, ["e"], ["o2"], 2, False, "分子"),
               Card("den", "1 + e", "6.07691", HIDDEN, ["e"], ["o2"], 2, False)]
    monkeypatch.setattr(leaks, "cards", lambda session: planted)  # a screen that shows num and den while e is asked
    assert leaks.leaks(s, []) == ['card: 5.07691 in "分子 = 4.07691, so e = 5.07691"',
                                  'card: 5.07691 in "den = 6.07691, so e = 5.07691"']


def test_another_node_s_card_holding_a_forward_answer_leaks(monkeypatch):
    from gradquest.author import leaks
    from gradquest.figures.graph_cards import HIDDEN, Card
    model = {"params": {"x": 1, "s": 1}, "nodes": {"hill": "sin(x) + 0.1*x**2", "f": "s*hill"}, "output": "f"}
    s = LevelSession(level(model=model, steps=[{"forward": "hill"}]))
    planted = [Card("hill", "", HIDDEN, HIDDEN, ["x"], ["f"], 1, True), Card("f", "s·hill", "0.941471", HIDDEN,
                                                                               ["s", "hill"], [], 2, False)]
    monkeypatch.setattr(leaks, "cards", lambda session: planted)
    assert leaks.leaks(s, []) == ['card: 0.941471 in "f = 0.941471"']


def test_a_value_the_graph_shows_before_an_update_that_leaves_it_as_it_was_is_a_finding():
    model = {"params": {"w": 3, "b": 1}, "nodes": {"z": "w*w + 0*b"}}
    still = [{"say": "z = w² here."}, {"update": "b"}, {"forward": "z"}]  # ∂z/∂b = 0: b, so z, stays
    (finding,) = lint(level(model=model, steps=still))
    assert finding.field == "steps[2]" and finding.message.startswith("the graph shows z's value, this ask's answer")
    moved = [{"say": "z = w² here."}, {"update": "w"}, {"forward": "z"}]  # z changes: 9 is not the answer
    assert lint(level(model=model, steps=moved)) == []
    given = [{"say": "z = w² here."}, {"update": "b"}, {"forward": "z", "given": True}]
    assert lint(level(model=model, steps=given)) == []


def test_two_wrong_rules_of_one_op_that_give_the_same_number_are_reported_until_one_is_switched_off():
    # ∂(a·b)/∂b = a = 0; "the same factor" gives b = 3 and "the sum of the factors" a + b = 3 too
    model = {"params": {"a": 0, "b": 3}, "nodes": {"z": "a*b"}}
    found = [f for f in lint(level(model=model, steps=[{"local": "z", "wrt": "b"}])) if "give the same number" in f.message]
    assert [f.field for f in found] == ["steps[0]"]
    assert "mul_same_factor" in found[0].message and "slips_off: [mul_sum_of_factors]" in found[0].message
    switched = {"local": "z", "wrt": "b", "slips_off": ["mul_sum_of_factors"]}
    assert not [f for f in lint(level(model=model, steps=[switched])) if "give the same number" in f.message]
