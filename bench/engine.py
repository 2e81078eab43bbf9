"""Benchmark of the autograd engine, side by side in one run (a script, not a test).

    .venv/bin/python bench/engine.py [--quick] [--steps N] [--profile]

1. Scalar mode: seed 000's MLP and training loop (moons, 2-16-16-1, hinge loss, L2 1e-4, batch 32)
   with `gradquest.engine.Value` and `gradquest.engine.nn.MLP` against micrograd's own `Value` and `nn.MLP` (the seed's classes are micrograd's nn.py),
   the same data, weights and batches. Ratio micrograd_time / gradquest_time (target ≥ 2).
2. Tensor mode: `TensorMLP` + `hinge_loss` over array `Value`s against a hand-written numpy
   forward/backward of the same network, same data, weights and batches.
   Ratio gradquest_time / numpy_time (target ≤ 2.5).
3. Backward through a 200,000-node scalar chain (x = x * 1.0000001): time and peak memory.

Times are the best of several repeats; the script never fails on time, it only reports.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import sys
import time
import tracemalloc

import numpy as np

from gradquest.engine import Value as GQValue
from gradquest.engine.data import make_moons
from gradquest.engine.nn import MLP as GQMLP
from gradquest.engine.nn import TensorMLP, hinge_loss

try:
    import micrograd
    from micrograd.engine import Value as MGValue
    from micrograd.nn import MLP as MGMLP
except ImportError:  # pragma: no cover - depends on the environment
    micrograd = None
    MGValue = MGMLP = None

INSTALL_HINT = "micrograd is not installed; for the comparison: pip install -e '.[bench]'"


# ---- seed 000's classes: they are micrograd's own nn.py, which gradquest.engine.nn copies as the
# ---- seed writes it; each side uses its own copy over its own Value.

def seed_classes(Value):
    """Seed 000's MLP class over `Value`: gradquest's copy of the seed, or micrograd's original."""
    return GQMLP if Value is GQValue else MGMLP


def seed_training(Value, MLP, X, y, epochs, batch_size=32):
    """Seed 000's training loop (printing left out). Returns the losses."""
    np.random.seed(1337)
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    train_losses = []
    t0 = time.perf_counter()
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
        acc = sum(accuracy) / len(accuracy)  # noqa: F841 (the seed's loop computes it: both engines do the same work)

        # backward
        model.zero_grad()
        total_loss.backward()

        # update
        lr = 1.0 - 0.9*epoch/100
        for p in model.parameters():
            p.data -= lr * p.grad

        train_losses.append(total_loss.data)
    elapsed = time.perf_counter() - t0
    return elapsed, train_losses


# ---- tensor mode ------------------------------------------------------------------------------

def numpy_loss_and_grads(Ws, bs, X, y, alpha=1e-4):
    """Two hidden ReLU layers, a linear output, hinge loss mean(max(0, 1 − y·s)) + alpha·Σp².
    (The same hand-written backward as tests/engine/test_training.py.)"""
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


def tensor_training_gradquest(X, y, batches, init):
    model = TensorMLP([2, 16, 16, 1], 0)
    for p, v in zip(model.parameters(), init):
        p.data = v.copy()
        p.grad = np.zeros_like(v)
    params = model.parameters()
    losses = []
    t0 = time.perf_counter()
    for epoch, ri in enumerate(batches):
        Xb, yb = X[ri], y[ri]
        scores = model(GQValue(Xb))
        total_loss, acc = hinge_loss(scores, yb, params, alpha=1e-4)
        model.zero_grad()
        total_loss.backward()
        lr = 1.0 - 0.9*epoch/100
        for p in params:
            p.data -= lr * p.grad
        losses.append(total_loss.data)
    elapsed = time.perf_counter() - t0
    return elapsed, losses


def tensor_training_numpy(X, y, batches, init):
    Ws = [init[0].copy(), init[2].copy(), init[4].copy()]
    bs = [init[1].copy(), init[3].copy(), init[5].copy()]
    losses = []
    t0 = time.perf_counter()
    for epoch, ri in enumerate(batches):
        Xb, yb = X[ri], y[ri]
        loss, s, gW, gb = numpy_loss_and_grads(Ws, bs, Xb, yb, alpha=1e-4)
        acc = np.mean((yb > 0) == (s > 0))  # noqa: F841 (as the seed's loop)
        lr = 1.0 - 0.9*epoch/100
        for p, g in zip(Ws + bs, gW + gb):
            p -= lr * g
        losses.append(float(loss))
    elapsed = time.perf_counter() - t0
    return elapsed, losses


# ---- the long chain ---------------------------------------------------------------------------

def chain(Value, n):
    x = Value(1.0)
    for _ in range(n):
        x = x * 1.0000001
    return x


def chain_backward(Value, n):
    """(build seconds, backward seconds, d out/d x0) or raises what backward raises."""
    t0 = time.perf_counter()
    x0 = Value(1.0)
    x = x0
    for _ in range(n):
        x = x * 1.0000001
    t1 = time.perf_counter()
    x.backward()
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, x0.grad


def chain_memory(Value, n):
    """(MB held by the built graph, peak MB during backward above it)."""
    gc.collect()
    tracemalloc.start()
    try:
        x = chain(Value, n)
        graph = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        x.backward()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return graph / 2**20, (peak - graph) / 2**20


# ---- driver -----------------------------------------------------------------------------------

def best_of(repeats, fn, *args):
    best, result = float("inf"), None
    for _ in range(repeats):
        gc.collect()
        elapsed, result = fn(*args)
        best = min(best, elapsed)
    return best, result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--steps", type=int, default=100, help="training steps (both sides alike)")
    ap.add_argument("--chain", type=int, default=200_000, help="length of the scalar chain")
    ap.add_argument("--profile", action="store_true",
                    help="also print cProfile of the gradquest scalar and tensor loops")
    args = ap.parse_args(argv)
    scalar_repeats = 1 if args.quick else 3
    tensor_repeats = 15 if args.quick else 50
    chain_repeats = 1 if args.quick else 3

    print(f"Python {platform.python_version()} ({platform.python_implementation()}), "
          f"numpy {np.__version__}, "
          f"micrograd {getattr(micrograd, '__version__', '0.1.0') if micrograd else 'not installed'}, "
          f"{platform.machine()}, {platform.system()}")
    print(f"repeats: scalar {scalar_repeats}, tensor {tensor_repeats}, chain {chain_repeats} "
          f"(best of); training steps {args.steps}, batch 32")
    if micrograd is None:
        print(INSTALL_HINT)

    np.random.seed(1337)
    random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1)
    y = y*2 - 1

    rows = []

    # 1. scalar mode
    gq_time, gq_losses = best_of(scalar_repeats, seed_training, GQValue, seed_classes(GQValue),
                                 X, y, args.steps)
    if micrograd is not None:
        mg_time, mg_losses = best_of(scalar_repeats, seed_training, MGValue,
                                     seed_classes(MGValue), X, y, args.steps)
        diff = max(abs(a - b) for a, b in zip(gq_losses, mg_losses))
        rows.append((f"scalar: seed 000 loop, {args.steps} steps", f"{gq_time:.3f} s",
                     f"micrograd {mg_time:.3f} s", f"{mg_time / gq_time:.2f}x", "≥ 2",
                     "ok" if mg_time / gq_time >= 2 else "MISSED"))
        same = f"max |loss diff| over the steps {diff:.1e}"
    else:
        rows.append((f"scalar: seed 000 loop, {args.steps} steps", f"{gq_time:.3f} s",
                     "micrograd n/a", "-", "≥ 2", "-"))
        same = "(no micrograd to compare losses)"
    scalar_note = (f"  scalar: final loss {gq_losses[-1]:.6f}; gradquest vs micrograd {same}")
    # how much of each side is the cyclic garbage collector (one run each, gc disabled)
    gc_off = [("gradquest", GQValue)] + ([("micrograd", MGValue)] if micrograd else [])
    parts = []
    for name, V in gc_off:
        gc.collect()
        gc.disable()
        try:
            t, _ = seed_training(V, seed_classes(V), X, y, args.steps)
        finally:
            gc.enable()
            gc.collect()
        parts.append(f"{name} {t:.3f} s")
    scalar_note += "\n  scalar with gc disabled (one run each): " + ", ".join(parts)

    # 2. tensor mode: the same data, initial weights and batches on both sides
    rng = np.random.RandomState(1337)
    batches = [rng.permutation(X.shape[0])[:32] for _ in range(args.steps)]
    init = [p.data.copy() for p in TensorMLP([2, 16, 16, 1], np.random.default_rng(1337)).parameters()]
    yf = y.astype(np.float64)
    gt_time, gt_losses = best_of(tensor_repeats, tensor_training_gradquest, X, yf, batches, init)
    np_time, np_losses = best_of(tensor_repeats, tensor_training_numpy, X, yf, batches, init)
    tdiff = max(abs(a - b) for a, b in zip(gt_losses, np_losses))
    ratio = gt_time / np_time
    rows.append((f"tensor: TensorMLP loop, {args.steps} steps", f"{gt_time * 1e3:.2f} ms",
                 f"numpy {np_time * 1e3:.2f} ms", f"{ratio:.2f}x", "≤ 2.5",
                 "ok" if ratio <= 2.5 else "MISSED"))
    tensor_note = (f"  tensor: {gt_time / args.steps * 1e6:.0f} µs/step vs numpy "
                   f"{np_time / args.steps * 1e6:.0f} µs/step; max |loss diff| {tdiff:.1e}")

    # 3. the long chain
    n = args.chain
    best_build = best_bw = float("inf")
    for _ in range(chain_repeats):
        gc.collect()
        build, bw, g = chain_backward(GQValue, n)
        best_build, best_bw = min(best_build, build), min(best_bw, bw)
    expected = 1.0000001 ** n
    graph_mb, peak_mb = chain_memory(GQValue, n)
    rows.append((f"chain: {n:,} x*c, {2 * n + 1:,} nodes", f"{best_bw:.3f} s",
                 f"build {best_build:.3f} s", f"graph {graph_mb:.1f} MB",
                 f"+{peak_mb:.1f} MB peak", "grad ok" if abs(g - expected) < 1e-6 * expected
                 else f"grad {g} != {expected}"))
    if micrograd is not None:
        gc.collect()
        try:
            build, bw, g = chain_backward(MGValue, n)
            mg_graph, mg_peak = chain_memory(MGValue, n)
            rows.append(("chain: micrograd", f"{bw:.3f} s", f"build {build:.3f} s",
                         f"graph {mg_graph:.1f} MB", f"+{mg_peak:.1f} MB peak", ""))
        except RecursionError:
            rows.append(("chain: micrograd", "RecursionError", "", "", "", ""))
        gc.collect()

    header = ("benchmark", "gradquest", "other side", "ratio", "target", "")
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print()
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    print(line)
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    print(line)
    print(scalar_note)
    print(tensor_note)
    print("  chain row: columns are backward time, build time, memory held by the graph "
          "(tracemalloc), peak during backward above that")

    if args.profile:
        import cProfile  # noqa: PLC0415
        import pstats  # noqa: PLC0415
        print("\n== cProfile: gradquest scalar loop ==")
        MLP = seed_classes(GQValue)
        cProfile.runctx("seed_training(GQValue, MLP, X, y, args.steps)", globals(),
                        {"GQValue": GQValue, "MLP": MLP, "X": X, "y": y, "args": args,
                         "seed_training": seed_training}, "/tmp/gq_scalar.prof")
        pstats.Stats("/tmp/gq_scalar.prof").sort_stats("tottime").print_stats(15)
        print("\n== cProfile: gradquest tensor loop ==")
        pr = cProfile.Profile()
        pr.enable()
        for _ in range(20):
            tensor_training_gradquest(X, yf, batches, init)
        pr.disable()
        pstats.Stats(pr).sort_stats("tottime").print_stats(20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
