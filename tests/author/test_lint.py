"""`gradquest check`'s second half: linting a level by playing it with the engine's answers."""

from gradquest.author.lint import lint
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
    (finding,) = lint(level(model=model, story=story, steps=[loose]))
    assert finding.message == "150, a round number the level names, would be accepted for 150.218: tighten the tolerance"


def test_player_words_only_in_a_bundled_level():
    model = {"params": {"w": 3, "updates": 0}, "nodes": {"vloss": "(w - 2)**2", "z": "2*w"}}
    say = {"en": "The seed's table: `w.grad` and hit_x come next.", "zh": "原文的表：`w.grad` 和 hit_x。"}
    bad = level(source="somewhere", title={"en": "t", "zh": "t"}, model=model,
                steps=[{"say": say}, {"forward": "z", "prompt": {"en": "z = ?", "zh": "z = ?"}}])
    found = {(f.field, f.message.split(":")[0]) for f in lint(bad, bundled=True)}
    assert ("steps[0].say", 'the player reads "seed"') in found
    assert ("steps[0].say", 'the player reads "原文"') in found
    assert ("steps[0].say", 'the player reads "`"') in found
    assert ("model.nodes.vloss", 'players see "vloss" here') in found
    assert ("model.params.updates", 'players see "updates" here') in found
    assert not any(field.startswith("model.nodes.z") or field.startswith("model.params.w") for field, _ in found)
    labels = {"vloss": {"en": "loss", "zh": "损失"}, "updates": {"en": "updates", "zh": "更新次数"}}
    good = level(source="somewhere", title={"en": "t", "zh": "t"}, model={**model, "labels": labels},
                 notes={"en": "The seed's table has a typo.", "zh": "原文的表有笔误。"},
                 steps=[{"say": {"en": "The table: w and z come next.", "zh": "表：w 和 z。"}},
                        {"forward": "z", "prompt": {"en": "z = ?", "zh": "z = ?"}}])
    assert lint(good, bundled=True) == []


def test_a_node_may_carry_its_label():
    model = {"params": {"w": 3}, "nodes": {"vloss": {"expr": "(w - 2)**2", "label": {"en": "loss", "zh": "损失"}}}}
    lv = level(model=model, steps=[{"forward": "vloss"}])
    assert lv.model.nodes["vloss"] == "(w - 2)**2" and lv.label("vloss", "zh") == "损失"
