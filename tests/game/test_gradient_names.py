"""A gradient name a level writes (`dloss_da`) reaches the player as ∂loss/∂a: in a vector ask's
prompt and in the step log after it, never as the internal name."""

import yaml

from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level

LEVEL = yaml.safe_load("""
format_version: 1
id: t.names
title: t
chapter: 1
order: 1
model:
  params: {a: 2, b: 1}
  nodes: {loss: a*a*b}
steps:
  - vector: [dloss_da, dloss_db]
  - value: (loss - 1) / dloss_da
""")


def test_gradient_names_are_written_as_partial_derivatives():
    s = LevelSession(Level.model_validate(LEVEL))
    assert s.stage.prompt == "(∂loss/∂a, ∂loss/∂b) = ?"
    s.submit("4 4")
    assert s.log[-1].text == "∂loss/∂a, ∂loss/∂b = (4, 4)"
    assert s.stage.prompt == "(loss − 1) / (∂loss/∂a) = ?"
    assert "dloss" not in " ".join(e.text for e in s.transcript)
