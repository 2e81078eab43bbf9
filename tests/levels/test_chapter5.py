"""Chapter 5's headline numbers, as `gradquest solve` computes them, against the values their sources print."""

import math
import re

import pytest

from gradquest.author.answer_key import answer_key
from gradquest.levels.catalog import catalog
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level

CHAPTER = bundled_levels_dir() / "5-beyond"


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text.replace("−", "-"))]


def solved(name: str) -> tuple[dict, dict]:
    """The answer key of the level in `name`: each ask's answer by its step, and what auto steps
    worked out (`∂f/∂y = (−4)·1 = −4`) by the name left of the first `=`, at the precision shown."""
    (path,) = CHAPTER.glob(f"*-{name}.yaml")
    answers, worked = {}, {}
    for entry in answer_key(load_level(path).level):
        answers[entry.path] = numbers(entry.answer)
        for line in entry.working:
            left, _, right = line.partition(" = ")
            if right and re.fullmatch(r"[^=]+ = [^=]+( = [^=]+)?", line):
                worked.setdefault(left, numbers(right.rpartition(" = ")[2] or right)[-1:])
    return answers, worked


def near(got: list[float], *want: float, rel: float = 1e-3, abs_: float = 1e-9) -> bool:
    return len(got) == len(want) and all(g == pytest.approx(w, rel=rel, abs=abs_) for g, w in zip(got, want))


def test_cs231n_gate_patterns_and_the_add_multiply_circuit():
    answers, worked = solved("gate-patterns")
    assert near(answers["steps[0]"], 3) and near(answers["steps[1]"], -12)  # q, f
    assert near(answers["steps[2]"], 3) and near(answers["steps[4]"], -4) and near(worked["∂f/∂y"], -4)
    assert near(answers["steps[7]"], 2) and near(worked["g"], -20)  # max(z, w); 2·(x·y + max(z, w))
    assert near(answers["steps[14]"], -8) and near(worked["∂g/∂y"], 6)  # mul swaps
    assert near(answers["steps[12]"], 2) and near(answers["steps[13]"], 0)  # max routes
    assert near(answers["steps[11]"], 2)  # add distributes


def test_cs231n_sigmoid_neuron_as_one_gate():
    answers, worked = solved("sigmoid-gate")
    assert near(answers["steps[0]"], 1)  # the dot product
    assert near(answers["steps[3]"], 0.73, rel=1e-2) and near(worked["s"], 0.73, rel=1e-2)  # σ ≈ 0.73, both ways
    assert near(answers["steps[9]"], 0.2, rel=2e-2)  # the sigmoid gate's local gradient ≈ 0.2
    assert near(answers["steps[8]"], 0.1966) and near(answers["steps[9]"], 0.1966)  # the long way, the one gate
    assert near(answers["steps[10]"], -0.1966) and near(answers["steps[11]"], 0.3932)  # dw0, dx0
    assert near(answers["steps[12]"], -0.3932, 0.1966)  # dw1, dw2


def test_micrograd_order_and_accumulation():
    answers, _ = solved("order-and-accumulation")
    assert near(answers["steps[0]"], 4) and near(answers["steps[3]"], 4)  # c = b + b = 4a
    assert near(answers["steps[5]"], 8)  # b visited twice: a's gradient counted twice
    assert near(answers["steps[7]"], 7)  # y = x·x + x: 2x + 1
    (path,) = CHAPTER.glob("*-order-and-accumulation.yaml")
    key = {e.path: e for e in answer_key(load_level(path).level)}
    assert numbers(key["steps[8]"].working[0])[:2] == [3, 7]  # with = the last write, x·1 = 3, stays


def test_vanishing_through_sigmoids_and_a_dead_relu():
    answers, _ = solved("vanishing-and-dying")
    bound = answers["steps[5]"]
    assert near(bound, 0.25 ** 3) and 0 < answers["steps[4]"][0] < bound[0]  # σ′ ≤ 0.25 per layer
    assert answers["steps[4]"][0] < answers["steps[6]"][0] < answers["steps[7]"][0] == 1  # sigmoid < tanh < ReLU
    assert near(answers["steps[11]"], 0)  # the dead unit passes nothing


def test_d2l_valley_learning_rates_momentum_and_saddle():
    answers, _ = solved("valleys-and-saddles")
    assert near(answers["steps[0]"], -4.6, 1.2)  # one step of η = 0.4 from (−5, −2)
    assert near(answers["steps[1]"], 0.92) and near(answers["steps[2]"], -0.6)  # x1 creeps, x2 converges
    assert near(answers["steps[5]"], -1.4) and near(answers["steps[6]"], 0.5)  # η = 0.6 diverges in x2
    assert near(answers["steps[10]"], 1.2)  # momentum's effective step η/(1 − β)
    assert near(answers["steps[12]"], 2, -2)  # the saddle x1² − x2²


def test_d2l_x_cos_pi_x_local_and_global_minima():
    (path,) = CHAPTER.glob("*-where-descent-ends.yaml")
    stops = [numbers(line)[0] for e in answer_key(load_level(path).level) for line in e.working
             if line.startswith("x = ")]  # where each descent stopped: "x = −0.273853   f = −0.178603"
    assert stops == [pytest.approx(-0.3, abs=0.05), pytest.approx(1.1, abs=0.05)]
    lows = [numbers(line)[1] for e in answer_key(load_level(path).level) for line in e.working if line.startswith("x = ")]
    assert lows[1] < lows[0]  # the global minimum's f is the lower


def test_batches_the_full_gradient_is_the_mean_of_the_points():
    answers, _ = solved("batches")
    per_point = answers["steps[2]"]
    assert near(answers["steps[1]"], sum(per_point) / len(per_point))
    assert answers["steps[4]"][0] < answers["steps[3]"][0]  # a single steep point needs the smaller rate


def test_mazur_network_by_hand():
    answers, worked = solved("a-network-by-hand")
    assert near(answers["steps[0]"], 0.3775)  # net_h1
    assert near(answers["steps[1]"], 0.593269992, rel=1e-8) and near(worked["h2"], 0.596884, rel=1e-6)
    assert near(answers["steps[4]"], 0.75136507, rel=1e-7) and near(worked["o2"], 0.772928, rel=1e-6)
    assert near(answers["steps[6]"], 0.298371109, rel=1e-8)  # the total error
    assert near(answers["steps[9]"], 0.082167041, rel=1e-7) and near(answers["steps[10]"], 0.35891648, rel=1e-7)
    assert near(answers["steps[11]"], 0.036350306, rel=1e-7) and near(answers["steps[12]"], 0.000438568, rel=1e-6)
    assert near(answers["steps[14]"], 0.291027924, rel=1e-6)  # after one step with η = 0.5


def test_the_chapter_is_on_the_map():
    (chapter,) = [c for c in catalog() if c.number == 5]
    assert [e.id for e in chapter.levels][:2] == ["beyond.gates", "beyond.sigmoid-gate"] and len(chapter.levels) >= 10


def test_softmax_and_cross_entropy_gradient_is_p_minus_y():
    answers, _ = solved("softmax")
    assert near(answers["steps[0]"], 0.659, 0.242, 0.0986, rel=2e-3)  # softmax(2, 1, 0.1)
    assert near(answers["steps[1]"], 0.417, rel=1e-3)  # −log p1
    assert near(answers["steps[2]"], 0.659 - 1, 0.242, 0.0986, rel=2e-3)  # p − y
    p2 = [math.exp(v) / sum(math.exp(u) for u in (0.5, 2, -1)) for v in (0.5, 2, -1)]
    rows = [e / 2 for e in answers["steps[2]"] + [p2[0], p2[1] - 1, p2[2]]]  # the mean over the batch of two
    assert near(answers["steps[5]"], *rows)


def test_a_layer_as_a_matrix_by_dimension_analysis():
    answers, _ = solved("a-layer-as-a-matrix")
    W, x, delta = [[0.5, -1, 2], [1, 0.5, 0]], [1, 2, 3], answers["steps[2]"]
    assert near(answers["steps[0]"], 4.6, 1.8) and near(delta, 0.6, 0.8)
    assert near(answers["steps[4]"], *(d * v for d in delta for v in x))  # δ·xᵀ, row by row
    assert near(answers["steps[5]"], *(sum(W[i][j] * delta[i] for i in range(2)) for j in range(3)))  # Wᵀ·δ
    X, T = [[1, 2, 3], [0, -1, 1]], [[4, 1], [0, 0]]
    deltas = [[sum(W[i][j] * r[j] for j in range(3)) + (0.1, -0.2)[i] - t[i] for i in range(2)] for r, t in zip(X, T)]
    assert near(answers["steps[8]"], *(sum(d[i] * r[j] for d, r in zip(deltas, X)) for i in range(2) for j in range(3)))
