"""A training plot keeps every run of the play side by side (5.33's batch, mini-batch and SGD; 4.25
run again with other settings), each named by how it ran, each point the loss on all the data."""

import math

from gradquest.figures.plots import drawn, figures, legend
from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir, find_level_files
from gradquest.levels.load import load_level
from gradquest.model.training import run_training


def session_of(level_id, lang="en"):
    path = next(p for p in find_level_files([bundled_levels_dir()]) if load_level(p).level.id == level_id)
    return LevelSession(load_level(path).level, seed=11, lang=lang)


def play_to_train(session):
    while session.stage is not None and session.stage.kind != "train":
        session.submit(session.stage.solution if session.stage.kind != "say" else "")


def loss_chart(session):
    return drawn(figures(session)[-1])


def test_two_runs_with_other_settings_are_both_drawn_each_with_its_own_sign_and_words():
    session = session_of("training.linear-regression")
    play_to_train(session)
    session.submit("lr=0.01 steps=100")
    session.submit("lr=0.5 steps=300")
    fig = loss_chart(session)
    entries = legend(fig, "en")
    assert [words for _, _, words in entries] == ["η = 0.01, 100 steps", "η = 0.5, 300 steps"]
    assert len({sign for sign, _, _ in entries}) == 2 and len({colour for _, colour, _ in entries}) == 2
    assert [len(s.xs) for s in fig.series] == [101, 301]  # from the start to after the last step
    assert fig.ylabel == "L"


def test_5_33_draws_batch_mini_batch_and_sgd_in_the_order_run_in_both_languages():
    expected = {"en": ["batch, η = 0.1", "mini-batch of 2, η = 0.02", "SGD, η = 0.01"],
                "zh": ["整批，η = 0.1", "2 个点的小批量，η = 0.02", "SGD，η = 0.01"]}
    for lang, words in expected.items():
        session = session_of("beyond.batches", lang)
        while session.stage is not None:
            session.submit(session.stage.solution if session.stage.kind != "say" else "")
        entries = legend(loss_chart(session), lang)
        assert [w for _, _, w in entries] == words
        assert len({sign for sign, _, _ in entries}) == 3


def test_an_sgd_run_is_plotted_as_the_loss_on_all_the_data_after_each_step():
    """5.33's SGD run: each step sees one point, but the curve is L on the four points (31.69 at
    w = 0, then L after the first step), never the one point's loss."""
    session = session_of("beyond.batches")
    while session.stage is not None:
        session.submit(session.stage.solution if session.stage.kind != "say" else "")
    sgd = next(s for s in loss_chart(session).series if s.label.startswith("SGD"))
    spec, settings, _ = session.runs[-1]
    world = session.world
    world.params["w"].data = 0.0
    world.changed()
    at_start = float(world.value("L"))
    *_, after_one = run_training(world, spec, {**settings, "steps": 1})  # the same seed: the same first point
    assert sgd.xs[:2] == [0.0, 1.0]
    assert math.isclose(sgd.ys[0], at_start) and math.isclose(sgd.ys[1], after_one.loss)
    assert max(sgd.ys) <= at_start


def test_a_run_that_diverged_is_drawn_until_it_leaves_the_chart_of_the_others():
    session = session_of("training.linear-regression")
    play_to_train(session)
    session.submit("lr=1.5 steps=100")  # past the stable rate: the line flies off
    session.submit("lr=0.5 steps=300")
    wild, calm = loss_chart(session).series
    assert wild.xs and len(wild.xs) < 101
    assert all(math.isfinite(y) and y <= max(calm.ys) for y in wild.ys)
    assert "η = 1.5" in wild.label
