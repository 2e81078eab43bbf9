"""Toy data sets for the levels, in numpy only (no scikit-learn).

`make_moons` follows scikit-learn's `sklearn.datasets.make_moons` step for step (same draws from
the same generator, in the same order), so code written against scikit-learn — the seeds' training
loops — gets the very same points, to the bit, for the same seed.
"""

from __future__ import annotations

import numbers

import numpy as np


def _check_random_state(seed) -> np.random.RandomState:
    """scikit-learn's `check_random_state`: None → numpy's global generator (so that
    `np.random.seed(1337)` decides the data, as in the seeds), an int → a fresh
    `np.random.RandomState(seed)`, a `RandomState` → itself."""
    if seed is None or seed is np.random:
        return np.random.mtrand._rand
    if isinstance(seed, numbers.Integral):
        return np.random.RandomState(int(seed))
    if isinstance(seed, np.random.RandomState):
        return seed
    raise ValueError(f"{seed!r} cannot be used to seed a numpy.random.RandomState instance")


def make_moons(n_samples=100, noise=None, random_state=None):
    """Two interleaving half circles, labelled 0 (outer) and 1 (inner).

    The outer moon is (cos t, sin t) for `n_samples // 2` values of t evenly spaced over [0, π];
    the inner moon is (1 − cos t, 1 − sin t − 0.5) for the remaining points. The points are then
    shuffled and, if `noise` is given, gaussian noise of standard deviation `noise` is added to
    every coordinate.

    Parameters
    ----------
    n_samples : int or (int, int)
        Total number of points, or the number in the (outer, inner) moons.
    noise : float or None
        Standard deviation of the gaussian noise added to the points; None adds none.
    random_state : None, int or numpy.random.RandomState
        As in scikit-learn: None uses numpy's global generator (seeded by `np.random.seed`),
        an int seeds a fresh `np.random.RandomState`.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    y : ndarray of shape (n_samples,), integer labels 0 or 1
    """
    if isinstance(n_samples, numbers.Integral):
        n_out = int(n_samples) // 2
        n_in = int(n_samples) - n_out
    else:
        try:
            n_out, n_in = (int(n) for n in n_samples)
        except (TypeError, ValueError):
            raise ValueError("n_samples must be an int or a pair of ints") from None
    if n_out < 0 or n_in < 0:
        raise ValueError("n_samples must not be negative")

    generator = _check_random_state(random_state)

    outer_x = np.cos(np.linspace(0, np.pi, n_out))
    outer_y = np.sin(np.linspace(0, np.pi, n_out))
    inner_x = 1 - np.cos(np.linspace(0, np.pi, n_in))
    inner_y = 1 - np.sin(np.linspace(0, np.pi, n_in)) - 0.5

    X = np.vstack([np.append(outer_x, inner_x), np.append(outer_y, inner_y)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])

    # scikit-learn's `utils.shuffle`: one permutation of the indices, drawn by `shuffle`
    indices = np.arange(n_out + n_in)
    generator.shuffle(indices)
    X, y = X[indices], y[indices]

    if noise is not None:
        X += generator.normal(scale=noise, size=X.shape)
    return X, y


def noisy_linear(n, w, b, noise, x_range=(0, 1), random_state=None):
    """Points scattered around the line y = w·x + b, for a regression level.

    x is drawn uniformly from `x_range`, then y = w·x + b + ε with ε gaussian of standard
    deviation `noise` (0 or None for points exactly on the line).

    Parameters
    ----------
    n : int
        Number of points.
    w, b : float
        Slope and intercept of the true line.
    noise : float or None
        Standard deviation of the gaussian noise on y.
    x_range : (float, float)
        Interval x is drawn from.
    random_state : None, int or numpy.random.RandomState
        As for `make_moons`.

    Returns
    -------
    x : ndarray of shape (n,), float64
    y : ndarray of shape (n,), float64
    """
    generator = _check_random_state(random_state)
    low, high = x_range
    x = generator.uniform(low, high, size=n)
    y = w * x + b
    if noise:
        y = y + generator.normal(scale=noise, size=n)
    return x.astype(np.float64), np.asarray(y, dtype=np.float64)
