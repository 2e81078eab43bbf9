"""A matrix layer's rules where the player meets them: the hint of an array gradient, the
explanation after it, and Enter on the product in the graph (its numbers once worked out)."""

import yaml

from gradquest.figures.graph_model import picture
from gradquest.game.session import LevelSession
from gradquest.levels.schema import Level

LAYER = """
format_version: 1
id: test.layer
title: {en: A layer, zh: 一层}
chapter: 1
order: 1
model:
  params:
    W: [[0.5, -1, 2], [1, 0.5, 0]]
    x: [1, 2, 3]
    b: [0.1, -0.2]
    t: [4, 1]
  nodes:
    y: W @ x + b
    L: 0.5*sum((y - t)**2)
  output: L
steps:
  - gradient: y
  - gradient: W
  - gradient: x
"""


def session(lang="en") -> LevelSession:
    s = LevelSession(Level.model_validate(yaml.safe_load(LAYER)), lang=lang)
    s.submit("(0.6, 0.8)")
    return s


def product_rules(s: LevelSession) -> list[str]:
    (node,) = [n for n in picture(s).nodes.values() if n.kind == "op" and n.label == "@"]
    return node.rules


def test_the_hint_of_a_matrix_gradient_says_the_product_s_rule_in_words():
    s = session()
    hints = [s.hint() for _ in range(s.hints_left)]
    assert any(h.startswith("The rule there: ∂L/∂W = ∂L/∂(W·x)·xᵀ: each entry is the gradient δ") for h in hints)
    zh = session("zh")
    assert any(h.startswith("那里的法则：∂L/∂W = ∂L/∂(W·x)·xᵀ：每一项") for h in [zh.hint() for _ in range(zh.hints_left)])


def test_the_explanation_after_it_plugs_in_the_numbers():
    verdict = session().submit("0.6 1.2 1.8; 0.8 1.6 2.4")
    assert verdict.status == "correct"
    assert "∂L/∂W = ∂L/∂(W·x)·xᵀ = [[0.6, 1.2, 1.8], [0.8, 1.6, 2.4]]" in [e.text for e in verdict.events]


def test_a_batch_s_weights_behind_a_transpose_get_the_product_s_rule_transposed_back():
    text = LAYER.replace("    L: 0.5*sum((y - t)**2)", "    Y: X @ W.T\n    L: 0.5*sum(Y**2)").replace(
        "    t: [4, 1]", "  data:\n    X: [[1, 2, 3], [0, -1, 1]]").replace("    y: W @ x + b\n", "")
    text = text.replace("  - gradient: y\n", "").replace("  - gradient: x\n", "")
    s = LevelSession(Level.model_validate(yaml.safe_load(text)))
    hints = [s.hint() for _ in range(s.hints_left)]
    assert any(h.startswith("The rule there: ∂L/∂W = (Xᵀ·∂L/∂Y)ᵀ: each entry adds up") for h in hints), hints


def test_enter_on_the_product_gives_its_rule_and_its_numbers_only_once_worked_out():
    s = session()
    before = product_rules(s)
    assert before[0].startswith("∂L/∂W = ∂L/∂(W·x)·xᵀ: each entry") and "[[" not in " ".join(before)
    s.submit("0.6 1.2 1.8; 0.8 1.6 2.4")
    s.submit("(1.1, -0.2, 1.2)")
    after = product_rules(s)
    assert after[0].startswith("∂L/∂W = ∂L/∂(W·x)·xᵀ = [[0.6, 1.2, 1.8], [0.8, 1.6, 2.4]]: each entry")
    assert after[1].startswith("∂L/∂x = Wᵀ·∂L/∂(W·x) = (1.1, −0.2, 1.2): each entry adds up")
