"""`- choose: {options, answer, why}`: pick the right option."""

from pydantic import Field, model_validator

from gradquest.levels.common import StepCommon, Strict, Text
from gradquest.levels.kinds.kind import Kind


class ChooseSpec(Strict):
    options: list[Text] = Field(min_length=2)
    answer: int = Field(ge=1, description="the right option, counting from 1")
    why: list[Text | None] = Field(default_factory=list, description=(
        "for each option in order, why it is wrong (said when it is chosen); null for the right one"))

    @model_validator(mode="after")
    def _one_why_per_option(self):
        if self.why and len(self.why) != len(self.options):
            raise ValueError(f"why: give one entry per option ({len(self.options)}), null for the right one")
        return self


class Choose(StepCommon):
    choose: ChooseSpec
    prompt: Text
    hints: list[Text] = Field(default_factory=list)
    explain: Text | None = None


class ChooseKind(Kind):
    """One right option among several, each wrong one with why it is wrong."""
    key, model = "choose", Choose

    def check(self, step, c, path, scope):
        if step.choose.answer > len(step.choose.options):
            c.error(path + ("choose", "answer"),
                    f"answer {step.choose.answer} but there are only {len(step.choose.options)} options")

    def texts(self, step, path):
        return ([(path + ("choose", "options", j), o) for j, o in enumerate(step.choose.options)]
                + [(path + ("choose", "why", j), w) for j, w in enumerate(step.choose.why) if w is not None])

    def bundled_findings(self, step):
        spec = step.choose
        missing = [j + 1 for j in range(len(spec.options)) if j + 1 != spec.answer
                   and (len(spec.why) <= j or spec.why[j] is None)]
        if not missing:
            return []
        return [(".choose.why", "a bundled level says why each wrong option is wrong; missing for option "
                 + ", ".join(map(str, missing)))]

    def run(self, step, session, index, iteration):
        yield from session.pick(step, index)

    def pick(self, step, fill, rng, lang, g):
        options = [fill(o) for o in step.choose.options]
        whys = step.choose.why
        return (options, g.answers.choice_reader(options), g.answers.choice_label(options, step.choose.answer),
                lambda v: v == step.choose.answer,
                lambda v: fill(whys[v - 1]) if len(whys) >= v and whys[v - 1] else g.say("wrong", lang))


KIND = ChooseKind()
