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
