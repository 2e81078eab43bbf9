"""`- train: {loss, optimizer, steps, choose, win}`: a training run the player sets up and watches."""

from gradquest.levels.kinds.kind import Kind
from gradquest.levels.schema import Train


class TrainKind(Kind):
    """Training: settings the player may choose, a live plot, a goal to reach."""
    key, model, changes_later = "train", Train, True

    def check(self, step, c, path, scope):
        c.train(path + ("train",), step.train, scope)

    def shown_names(self, step, output):
        return [(("train", "loss"), step.train.loss)] + [(("train", "metrics", j), m)
                                                         for j, m in enumerate(step.train.metrics)]

    def changes(self, step, params):
        return set(step.train.params) or params

    def training(self, step):
        return step.train

    def run(self, step, session, index, iteration):
        yield from session.train(step, index)


KIND = TrainKind()
