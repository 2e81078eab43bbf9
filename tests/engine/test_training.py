"""End to end: seed 000's MLP and training loop on our `Value`, the tensor MLP's gradients against
a hand-written numpy backward and against the scalar MLP, and the moons data set."""

from __future__ import annotations

import random

import numpy as np
import pytest

from gradquest.engine import Value
from gradquest.engine.data import make_moons, noisy_linear
from gradquest.engine.nn import MLP, Layer, Neuron, TensorMLP, hinge_loss


# ---- seed 000's training loop, as the seed writes it ----------------------------------------

@pytest.mark.slow
def test_seed_training_loop_reaches_95_percent_on_the_training_set():
    np.random.seed(1337)
    random.seed(1337)

    X, y = make_moons(n_samples=100, noise=0.1)
    y = y*2 - 1 # make y be -1 or 1

    model = MLP(2, [16, 16, 1])
    assert len(model.parameters()) == 337

    epochs = 100
    batch_size = 32

    train_losses = []
    train_accuracies = []

    for epoch in range(epochs):

        # batch
        ri = np.random.permutation(X.shape[0])[:batch_size]
        Xb, yb = X[ri], y[ri]
        inputs = [list(map(Value, xrow)) for xrow in Xb]

        # forward
        scores = list(map(model, inputs))

        # svm loss
        batch_losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(batch_losses) * (1.0 / len(batch_losses))
        reg_loss = 1e-4 * sum((p*p for p in model.parameters()))
        total_loss = data_loss + reg_loss

        # accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        acc = sum(accuracy) / len(accuracy)

        # backward
        model.zero_grad()
        total_loss.backward()

        # update
        lr = 1.0 - 0.9*epoch/100
        for p in model.parameters():
            p.data -= lr * p.grad

        train_losses.append(total_loss.data)
        train_accuracies.append(acc)

    assert all(type(p.data) is float for p in model.parameters())
    assert np.mean(train_losses[-10:]) < np.mean(train_losses[:10])

    # the whole training set, all 100 points
    inputs = [list(map(Value, xrow)) for xrow in X]
    scores = np.array([model(x).data for x in inputs])
    full_accuracy = np.mean((scores > 0) == (y > 0))
    assert full_accuracy >= 0.95, f"accuracy on the training set {full_accuracy:.2%}"


# ---- an independent numpy forward/backward of the same network and loss ----------------------

def numpy_loss_and_grads(Ws, bs, X, y, alpha=1e-4):
    """Two hidden ReLU layers, a linear output, hinge loss mean(max(0, 1 − y·s)) + alpha·Σp²."""
    W1, W2, W3 = Ws
    b1, b2, b3 = bs
    n = X.shape[0]
    z1 = X @ W1 + b1
    h1 = np.maximum(z1, 0.0)
    z2 = h1 @ W2 + b2
    h2 = np.maximum(z2, 0.0)
    s = (h2 @ W3 + b3)[:, 0]
    margin = 1.0 - y * s
    loss = np.maximum(margin, 0.0).mean() + alpha * sum(np.sum(p * p) for p in (*Ws, *bs))

    ds = np.where(margin > 0.0, -y, 0.0) / n          # ∂loss/∂s
    dW3 = h2.T @ ds[:, None]
    db3 = np.array([ds.sum()])
    dh2 = ds[:, None] @ W3.T
    dz2 = dh2 * (z2 > 0.0)
    dW2 = h1.T @ dz2
    db2 = dz2.sum(axis=0)
    dh1 = dz2 @ W2.T
    dz1 = dh1 * (z1 > 0.0)
    dW1 = X.T @ dz1
    db1 = dz1.sum(axis=0)
    grads_W = [g + 2 * alpha * W for g, W in zip((dW1, dW2, dW3), Ws)]
    grads_b = [g + 2 * alpha * b for g, b in zip((db1, db2, db3), bs)]
    return loss, s, grads_W, grads_b


def assert_close(actual, expected, rtol=1e-10):
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape
    scale = max(float(np.abs(expected).max()), 1e-300)
    err = float(np.abs(actual - expected).max()) / scale
    assert err <= rtol, f"relative error {err:.3e}"


def _batch(seed=0, n=32):
    X, y = make_moons(n_samples=100, noise=0.1, random_state=seed)
    idx = np.random.RandomState(seed + 1).permutation(100)[:n]
    return X[idx], (y[idx] * 2 - 1).astype(np.float64)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tensor_mlp_gradients_match_handwritten_numpy(seed):
    model = TensorMLP([2, 16, 16, 1], np.random.default_rng(seed))
    # non-zero biases, so their gradients and their L2 terms are exercised too
    rng = np.random.default_rng(100 + seed)
    for b in model.b:
        b.data = rng.uniform(-0.5, 0.5, size=b.data.shape)
    Xb, yb = _batch(seed)

    scores = model(Value(Xb))
    assert scores.shape == (32,)
    total, acc = hinge_loss(scores, yb, model.parameters(), alpha=1e-4)
    model.zero_grad()
    total.backward()

    Ws = [W.data.copy() for W in model.W]
    bs = [b.data.copy() for b in model.b]
    loss, s, gW, gb = numpy_loss_and_grads(Ws, bs, Xb, yb, alpha=1e-4)

    assert isinstance(total.data, float)
    assert total.data == pytest.approx(loss, rel=1e-12)
    assert_close(scores.data, s)
    assert acc == pytest.approx(np.mean((yb > 0) == (s > 0)))
    assert 0.0 < np.mean(1.0 - yb * s > 0)  # some of the batch inside the margin: non-trivial
    for W, g in zip(model.W, gW):
        assert W.grad.shape == W.data.shape
        assert_close(W.grad, g)
    for b, g in zip(model.b, gb):
        assert b.grad.shape == b.data.shape
        assert_close(b.grad, g)


def _copy_weights(scalar: MLP, tensor: TensorMLP) -> None:
    """Put the scalar MLP's weights into the tensor MLP: neuron j of layer l is column j."""
    for layer, W, b in zip(scalar.layers, tensor.W, tensor.b):
        W.data = np.array([[n.w[i].data for n in layer.neurons] for i in range(W.data.shape[0])])
        b.data = np.array([float(n.b.data) for n in layer.neurons])
        W.grad = np.zeros_like(W.data)
        b.grad = np.zeros_like(b.data)


@pytest.mark.parametrize("seed", [0, 1])
def test_tensor_mlp_gradients_match_the_scalar_mlp(seed):
    random.seed(seed)
    scalar = MLP(2, [16, 16, 1])
    for p in scalar.parameters():  # non-zero biases
        if p.data == 0:
            p.data = random.uniform(-0.5, 0.5)
    tensor = TensorMLP([2, 16, 16, 1], seed)
    _copy_weights(scalar, tensor)
    Xb, yb = _batch(seed)

    # the seed's loss on the scalar MLP
    inputs = [list(map(Value, xrow)) for xrow in Xb]
    scores = list(map(scalar, inputs))
    batch_losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(yb, scores)]
    data_loss = sum(batch_losses) * (1.0 / len(batch_losses))
    reg_loss = 1e-4 * sum((p*p for p in scalar.parameters()))
    total_loss = data_loss + reg_loss
    scalar.zero_grad()
    total_loss.backward()

    t_scores = tensor(Value(Xb))
    t_total, _ = hinge_loss(t_scores, yb, tensor.parameters())
    tensor.zero_grad()
    t_total.backward()

    assert t_total.data == pytest.approx(total_loss.data, rel=1e-12)
    assert_close(t_scores.data, [s.data for s in scores])
    for layer, W, b in zip(scalar.layers, tensor.W, tensor.b):
        neurons = layer.neurons
        gW = np.array([[n.w[i].grad for n in neurons] for i in range(W.data.shape[0])])
        gb = np.array([n.b.grad for n in neurons], dtype=np.float64)
        assert_close(W.grad, gW)
        assert_close(b.grad, gb)


def test_seed_classes_print_as_the_seed_shows():
    random.seed(0)
    model = MLP(2, [16, 16, 1])
    text = repr(model)
    assert text.startswith("MLP of [Layer of [ReLUNeuron(2), ")
    assert text.endswith("Layer of [LinearNeuron(16)]]")
    assert repr(Layer(3, 2, nonlin=False)) == "Layer of [LinearNeuron(3), LinearNeuron(3)]"
    n = Neuron(3)
    assert n.b.data == 0 and all(-1 <= w.data <= 1 for w in n.w)
    assert repr(TensorMLP([2, 16, 16, 1], 0)) == "TensorMLP([2, 16, 16, 1])"
    shapes = [p.shape for p in TensorMLP([2, 16, 16, 1], 0).parameters()]
    assert shapes == [(2, 16), (16,), (16, 16), (16,), (16, 1), (1,)]


# ---- make_moons -----------------------------------------------------------------------------

@pytest.mark.parametrize("n", [100, 101, 7, 2])
def test_make_moons_shapes_and_balanced_labels(n):
    X, y = make_moons(n_samples=n, noise=0.1, random_state=0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,)
    assert set(np.unique(y)) <= {0, 1}
    assert np.sum(y == 0) == n // 2
    assert np.sum(y == 1) == n - n // 2


def test_make_moons_is_deterministic_for_a_seed():
    a = make_moons(100, noise=0.2, random_state=42)
    b = make_moons(100, noise=0.2, random_state=42)
    c = make_moons(100, noise=0.2, random_state=43)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    # random_state=None draws from numpy's global generator, as scikit-learn does
    np.random.seed(1337)
    d = make_moons(100, noise=0.1)
    np.random.seed(1337)
    e = make_moons(100, noise=0.1)
    assert np.array_equal(d[0], e[0]) and np.array_equal(d[1], e[1])


def test_make_moons_draws_what_scikit_learn_draws():
    # values from sklearn.datasets.make_moons (scikit-learn 1.9.1, numpy 2.4.6)
    X, y = make_moons(n_samples=10, noise=0.1, random_state=0)
    assert X[:3].tolist() == [[0.095008841752559, 0.9848642791702302],
                              [1.6967848960071916, -0.16604693099271034],
                              [-0.9855956428839122, 0.1454273506962976]]
    assert y.tolist() == [0, 1, 0, 1, 0, 1, 1, 0, 0, 1]
    np.random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1)
    assert X[:2].tolist() == [[1.1221146075409685, 0.08147717341718697],
                              [-0.8188294130836691, 0.058790063907949996]]
    assert y[:10].tolist() == [0, 0, 1, 0, 1, 1, 1, 1, 1, 0]


@pytest.mark.parametrize("noise", [None, 0.0])
def test_make_moons_without_noise_lies_on_the_half_circles(noise):
    n = 51
    X, y = make_moons(n_samples=n, noise=noise, random_state=3)
    outer, inner = X[y == 0], X[y == 1]
    t_out = np.linspace(0, np.pi, n // 2)
    t_in = np.linspace(0, np.pi, n - n // 2)
    # exactly the points of the two half circles, in some order
    expected_outer = np.column_stack([np.cos(t_out), np.sin(t_out)])
    expected_inner = np.column_stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5])
    assert np.array_equal(outer[np.lexsort(outer.T)], expected_outer[np.lexsort(expected_outer.T)])
    assert np.array_equal(inner[np.lexsort(inner.T)], expected_inner[np.lexsort(expected_inner.T)])
    # on the circles: radius 1 around (0, 0), upper half; radius 1 around (1, 0.5), lower half
    np.testing.assert_allclose(np.hypot(outer[:, 0], outer[:, 1]), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(np.hypot(inner[:, 0] - 1, inner[:, 1] - 0.5), 1.0, rtol=0, atol=1e-15)
    assert np.all(outer[:, 1] >= 0) and np.all(inner[:, 1] <= 0.5)
    # and shuffled, not outer-then-inner
    assert not np.array_equal(y, np.sort(y))


def test_noisy_linear():
    x, y = noisy_linear(50, w=2.0, b=-1.0, noise=0.0, x_range=(-3, 3), random_state=0)
    assert x.shape == y.shape == (50,)
    assert np.all((x >= -3) & (x < 3))
    np.testing.assert_array_equal(y, 2.0 * x - 1.0)
    x1, y1 = noisy_linear(200, w=2.0, b=-1.0, noise=0.5, random_state=1)
    x2, y2 = noisy_linear(200, w=2.0, b=-1.0, noise=0.5, random_state=1)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2)
    resid = y1 - (2.0 * x1 - 1.0)
    assert 0.35 < resid.std() < 0.65
    slope, intercept = np.polyfit(x1, y1, 1)
    assert abs(slope - 2.0) < 0.5 and abs(intercept + 1.0) < 0.3
