"""Training asks: trying settings the level invites is free, a run that blows up is named as
divergence, and a failed run's fitted line stays drawn until the next run."""

from gradquest.engine.explain import magnitude
from gradquest.figures.plots import figures
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level

BOWL = {"params": {"w": 0}, "nodes": {"L": "(w - 3)**2"}}
CHOOSE = [{"name": "lr", "min": 0.001, "max": 1.5, "default": 0.1}, {"name": "steps", "min": 1, "max": 100, "default": 100}]


def level(model=BOWL, plot=None, **train) -> Level:
    spec = {"loss": "L", "optimizer": {"kind": "sgd", "lr": 0.1}, "steps": 100, "choose": CHOOSE,
            "win": {"expr": "L", "max": 0.001}, **train}
    body = {"format_version": 1, "id": "t", "title": "t", "chapter": 1, "order": 1, "model": model,
            "steps": [{"train": spec}]}
    return Level.model_validate({**body, **({"plot": plot} if plot else {})})


def test_trying_settings_is_free_where_the_level_invites_it():
    free = LevelSession(level(explore=True))
    missed = free.submit("lr=0.001 steps=5")
    assert (missed.status, missed.diagnosis, free.attempts) == ("info", "train", 0)
    assert free.submit("").status == "correct" and free.points == [100]
    counted = LevelSession(level())
    assert counted.submit("lr=0.001 steps=5").status == "wrong" and counted.attempts == 1
    counted.submit("")
    assert counted.points[0] < 100


def test_a_run_that_blows_up_is_named_divergence_in_both_languages():
    # each step multiplies w − 3 by 1 − 2·1.5 = −2: after 100 steps L = 9·4¹⁰⁰ ≈ 1.4·10⁶¹
    en = LevelSession(level()).submit("lr=1.5 steps=100")
    assert en.message == ("L grew to 1·10⁶¹: the step is too big, the run diverged. Choose a smaller learning "
                          "rate and train again.")
    assert "L 1·10⁶¹" in en.events[0].text  # the run's summary, not 1.42725e61
    zh = LevelSession(level(), lang="zh").submit("lr=1.5 steps=100")
    assert zh.message == "L 增大到了 1·10⁶¹：步子太大，训练发散了。选一个更小的学习率，再训练一次。"
    slow = LevelSession(level()).submit("lr=0.001 steps=5")
    assert slow.message.startswith("L reached ") and "diverged" not in slow.message  # too slow is not divergence


def test_magnitude_writes_a_huge_number_as_a_power_of_ten():
    assert (magnitude(4.34104e93), magnitude(-2.6e7), magnitude(123.4)) == ("4·10⁹³", "−3·10⁷", "123.4")


def test_a_failed_run_s_fitted_line_is_drawn_until_the_next_run():
    model = {"params": {"w": 0, "b": 0}, "data": {"xs": [0, 0.5, 1], "ys": [0.8, 2.3, 3.8]},
             "nodes": {"L": "mean((w*xs + b - ys)**2)"}}
    plot = {"training": ["L"], "data": ["xs", "ys"], "line": "w*t + b"}
    session = LevelSession(level(model=model, plot=plot))
    fitted = figures(session)[0].series[1]
    assert fitted.ys[0] == fitted.ys[-1] == 0  # the start: w = b = 0
    assert session.submit("lr=0.1 steps=5").status == "wrong"
    fitted = figures(session)[0].series[1]
    w, b = (float(session.world.params[n].data) for n in "wb")
    assert w > 0 and b > 0 and abs(fitted.ys[0] - b) < 1e-9 and abs(fitted.ys[-1] - (w + b)) < 1e-9
