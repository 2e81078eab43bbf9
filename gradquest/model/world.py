"""A level's model made live: parameters drawn, nodes compiled into one engine graph, and every
number an ask needs (values, local derivatives, gradients, `d<out>_d<x>` names) read off it.

The world is exact. What the player typed and the game accepted is kept apart, in `answers`;
`evaluate(..., player=True)` recomputes with those numbers in place of the engine's, so a later
answer built on the player's own rounded values is recognised too.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import numpy as np

from gradquest.engine import Value
from gradquest.engine.value import topo_of
from gradquest.engine.data import make_moons, noisy_linear
from gradquest.engine.explain import number
from gradquest.engine.graph import gradient, hessian, paths, recompute
from gradquest.engine.parser import VALUE_LIB, evaluate, names
from gradquest.model.errors import ModelError, reason
from gradquest.model.evaluator import Evaluator, parsed
from gradquest.model.training import make_optimizer
from gradquest.levels.derived import STATE, derived
from gradquest.levels.schema import NUMBER_SLOT, Between, Choice, Level, Linear, Moons

GRADIENT_NAME = re.compile(r"^d\w+_d\w+$")


def gradient_name(key: str, named) -> tuple[str, str] | None:
    """`dz_dw` → ("z", "w") when both are names of the model; names may hold underscores, so
    every split at "_d" is tried (`dz_out_dw` → ("z_out", "w"))."""
    if not GRADIENT_NAME.match(key):
        return None
    for i in range(2, len(key) - 2):
        if key.startswith("_d", i) and key[1:i] in named and key[i + 2:] in named:
            return key[1:i], key[i + 2:]
    return None
MAX_DRAWS = 1000


class World:
    def __init__(self, level: Level, seed: int | None = None):
        self.level = level
        self.seed = level.model.seed if seed is None else seed
        if not 0 <= self.seed < 2**63:
            raise ModelError("model.seed", f"{self.seed} cannot be used: give a whole number from 0 up")
        self.rng = np.random.default_rng(self.seed)
        self.exact: dict[str, object] = {}  # the engine's value of every named answer so far
        self.answers: dict[str, object] = {}  # the player's accepted numbers, by name
        self._gradients: dict[str, dict[Value, object]] = {}
        self._optimizers: dict[tuple, object] = {}
        self._state_of: dict[str, tuple] = {}  # parameter → (its optimizer, its index), after an update
        self.iteration: int | None = None  # the current iteration of an iterate step
        self.evaluator: Evaluator | None = None  # the nodes in dependency order, once the inputs are built
        for _ in range(MAX_DRAWS):
            self._build()
            if self._requirements_met():
                break
        else:
            raise ModelError("model.require", f"no draw of the random parameters met it in {MAX_DRAWS} tries")
        self._check_finite()
        self.trail: list[dict[str, float]] = []  # the scalar parameters each time they moved, for plots
        self._mark()

    # ---- building
    def _build(self) -> None:
        """The whole graph, in one pass over the nodes in dependency order; whatever fails is
        reported at the parameter, data entry, network or node it failed in."""
        model = self.level.model
        self.params = {}
        for name, spec in model.params.items():
            with _at(f"model.params.{name}"):
                self.params[name] = Value(self.draw(spec), label=name)
        self.data = {}
        for name, spec in model.data.items():
            with _at(f"model.data.{name}"):
                for key, array in _arrays(name, spec).items():
                    self.data[key] = Value(array, label=key)
        self.nodes: dict[str, Value] = {}
        if model.network:
            with _at("model.network"):
                self._build_network(model.network)
        env = {**self.params, **self.data, **self.nodes}
        self.evaluator = self.evaluator or Evaluator(model.nodes)
        for name in self.evaluator.order:
            with _at(f"model.nodes.{name}", _sizes(model.nodes[name], env)):
                node = self.evaluator.value(name, env)
                if not isinstance(node, Value) or node.label:  # a constant, or an alias of a name
                    node = node + 0.0 if isinstance(node, Value) else Value(node)
            node.label = name
            self.nodes[name] = env[name] = node
        self._named = {**self.params, **self.data, **self.nodes}  # built once: read in loops over the nodes
        self._named_values = set(self._named.values())
        self.order = topo_of(tuple(self.nodes.values()))
        self._gradients.clear()
        self._readers = None

    def draw(self, spec):
        if isinstance(spec, list):  # a vector or a matrix given row by row
            return np.asarray(spec, dtype=np.float64)
        if isinstance(spec, Between):
            lo, hi = spec.between
            if spec.integer:
                lo, hi = math.ceil(lo), math.floor(hi)
                if lo > hi:
                    raise ModelError("", f"no whole number lies between {number(spec.between[0])} and "
                                         f"{number(spec.between[1])}")
                if max(abs(lo), abs(hi)) > 2**53:
                    raise ModelError("", "whole numbers this large cannot be drawn exactly: keep the bounds "
                                         "within ±9,007,199,254,740,992")
                return float(self.rng.integers(lo, hi + 1))
            return float(self.rng.uniform(lo, hi))
        if isinstance(spec, Choice):
            return float(self.rng.choice(spec.choice))
        return float(spec)

    def _build_network(self, spec) -> None:
        """The network's parameters (given, or drawn as the seed's MLP draws them) and its layers as
        nodes: z1, h1, …, net."""
        from gradquest.engine.nn import TensorMLP  # noqa: PLC0415 (only levels with a network need it)

        drawn = TensorMLP(spec.sizes, np.random.default_rng(spec.seed), spec.activation)
        for i, (W, b) in enumerate(zip(drawn.W, drawn.b), start=1):
            for name, data in ((f"W{i}", W.data.T), (f"b{i}", b.data)):  # W·x: one row per unit
                given = spec.weights.get(name)
                self.params[name] = Value(data if given is None else np.asarray(given, dtype=np.float64), label=name)
        self.network = Layers(spec, self.params)
        taken = {*self.level.model.params, *self.data, *self.level.model.nodes}
        for name, node in self.network.nodes(self.data[spec.input]).items():
            if name not in taken or name == "net":  # a layer's z, h: where the level's own names leave room
                node.label = name
                self.nodes[name] = node

    def _requirements_met(self) -> bool:
        for i, r in enumerate(self.level.model.require):
            with _at(f"model.require[{i}]"):
                if not self._within(r.expr, r.min, r.max):
                    return False
        return True

    def _within(self, expr, lo, hi) -> bool:
        x = self.evaluate(expr)
        return math.isfinite(x) and (lo is None or x >= lo) and (hi is None or x <= hi)

    def _check_finite(self) -> None:
        for section, named in (("params", self.params), ("nodes", self.nodes)):
            for name, node in named.items():
                if not np.all(np.isfinite(node.data)):
                    where = "model.network" if section == "params" and name not in self.level.model.params \
                        else f"model.{section}.{name}"
                    raise ModelError(where, f"{name} is {_shown(node.data)} at the initial values: "
                                            "not a finite number (a division by zero, a log of 0, an overflow?)")

    # ---- reading numbers
    @property
    def named(self) -> dict[str, Value]:
        return self._named

    @property
    def output(self) -> Value:
        model = self.level.model
        return self.nodes[model.output] if model.output else list(self.nodes.values())[-1]

    def accuracy(self) -> float:
        """For a network classifying ±1 labels: the share of points on the right side (for another
        model: of its plot's boundary score, on the side of their `classes`)."""
        network = self.level.model.network
        boundary = getattr(self.level.plot, "boundary", None)
        if network is None and getattr(boundary, "classes", None):
            labels, scores = np.ravel(self.value(boundary.classes)), np.ravel(self.value(boundary.score))
            positive = labels > (0.0 if np.min(labels) < 0 else 0.5)
            return float(np.mean((scores > boundary.threshold) == positive))
        if network is None:
            raise ModelError("accuracy", "accuracy needs a model.network")
        name = labels_of(network.input)
        if name not in self.data:
            raise ModelError("model.network.input", f"accuracy compares the network's scores with labels (−1 and +1, or 0 and 1) "
                                                    f"in a data array named {name}: there is none; add it (one "
                                                    f"label per row of {network.input})")
        labels, scores = self.data[name].data, self.nodes["net"].data
        if np.shape(labels) != np.shape(scores):
            raise ModelError(f"model.data.{name}", f"accuracy needs one label per row of {network.input}: "
                                                   f"{name} has shape {np.shape(labels)}, the scores {np.shape(scores)}")
        positive = labels > (0.0 if np.min(labels) < 0 else 0.5)  # labels ±1, or 1 and 0
        return float(np.mean((scores > 0) == positive))

    def value(self, name: str):
        return _plain(self.named[name].data)

    def gradients(self, of: str | None = None) -> dict[Value, object]:
        """∂out/∂v for every node v of the graph (cached until the world changes)."""
        key = of or ""
        if key not in self._gradients:
            out = self.named[of] if of else self.output
            for v in self.order:
                v.grad = 0.0 if type(v.data) is float else np.zeros_like(v.data)
            out.backward()
            self._gradients[key] = {v: _plain(v.grad) for v in out.topo()}
        return self._gradients[key]

    def gradient(self, x: str, of: str | None = None):
        return self.gradients(of).get(self.named[x], 0.0)

    def local(self, node: str, wrt: str):
        """∂node/∂wrt holding every other named input of node's expression fixed."""
        root, target = self.nodes[node], self.named[wrt]
        stop = self._named_values
        order = _topo_until(root, stop)
        for v in order:
            v.grad = 0.0
        root.grad = 1.0
        for v in reversed(order):
            if v._fn is not None and (v is root or v not in stop):
                v._fn.backward(v)
        result = target.grad
        return _plain(result)

    def env(self, player: bool = False) -> dict[str, object]:
        """Names an expression may use: parameters, data, nodes and named answers (the engine's,
        or the player's own with `player`); gradient names d<out>_d<x> are resolved on demand."""
        table = {k: v.data for k, v in self.named.items()}
        table.update(self.exact)
        if player:
            table.update(self.answers)
        return table

    def evaluate(self, expr: str, player: bool = False):
        """An expression of the level, in floats (or arrays), from the exact or the player's values."""
        with self.player_values(player):
            result = evaluate(parsed(expr), self.value_env(player), VALUE_LIB)
        return _plain(result.data if isinstance(result, Value) else result)

    def value_env(self, player: bool = False) -> Mapping[str, Value]:
        """`env` as `Value`s, for evaluating with the engine (gradient names resolved lazily)."""
        return _Lazy(self, {k: Value(v) for k, v in self.env(player).items()})

    def remember(self, name: str, player, exact=None) -> None:
        """Keep the player's accepted number under `name` (a node, a gradient name or the ask's
        own name); an ask's own name also keeps the engine's value for the exact world."""
        self.answers[name] = player
        if exact is not None:
            self.exact[name] = exact

    @contextmanager
    def player_values(self, on: bool = True) -> Iterator[None]:
        """Within: the graph holds the player's accepted values for the nodes they computed."""
        overrides = {self.named[k]: v for k, v in self.answers.items() if on and k in self.named}
        if not overrides:
            yield
            return
        saved_data = {v: v.data for v in overrides}
        saved_gradients, self._gradients = self._gradients, {}
        for node in self.order:
            if node in overrides:
                node.data = overrides[node]
            elif node._fn is not None:
                node.data = node._fn.forward(*(p.data for p in node._prev), node._arg)
        try:
            yield
        finally:
            for v, data in saved_data.items():
                v.data = data
            recompute(self.order)
            self._gradients = saved_gradients

    @contextmanager
    def at(self, point: Mapping[str, object]) -> Iterator[None]:
        """Within: the parameters at `point` (an earlier entry of `trail`), the graph recomputed;
        afterwards the world as it was, its cached gradients too."""
        saved = {k: self.params[k].data for k in point}
        saved_gradients, self._gradients = self._gradients, {}
        try:
            for k, v in point.items():
                self.params[k].data = v
            recompute(self.order)
            yield
        finally:
            for k, v in saved.items():
                self.params[k].data = v
            recompute(self.order)
            self._gradients = saved_gradients

    # ---- changing the world
    def set(self, assignments: Mapping[str, str | float]) -> dict[str, object]:
        """Assign parameters from expressions or numbers (all evaluated first), then recompute. The
        player's world follows with the player's own numbers."""
        new = {name: self.evaluate(str(expr)) for name, expr in assignments.items()}
        theirs = {name: self.evaluate(str(expr), player=True) for name, expr in assignments.items()}
        stale = [k for k in self.answers if k in self.nodes or k in self.params or GRADIENT_NAME.match(k)]
        for k in stale:  # numbers read off the old point
            del self.answers[k]
        for name, value in new.items():
            self.params[name].data = value
            if not _same(theirs[name], value):
                self.answers[name] = theirs[name]
        self.changed()
        self._mark()
        return new

    def optimizer_step(self, names: list[str], spec, commit: bool = False) -> np.ndarray:
        """The parameters' values after one optimiser step on the output. The optimiser's state
        (momentum, Adam's moments) carries over between committed steps."""
        current = [self.params[n].data for n in names]
        arrays = any(np.ndim(c) for c in current)
        if arrays and (len(names) > 1 or spec.kind == "newton"):
            raise ModelError("", f"{', '.join(n for n, c in zip(names, current) if np.ndim(c))} is an array: "
                                 "update it alone, and with an optimizer other than newton")
        if spec.kind == "newton":
            ps = [self.params[n] for n in names]
            new = np.array(current) - np.linalg.solve(hessian(self.output, ps), gradient(self.output, ps))
        else:
            key = (tuple(names), spec)
            if key not in self._optimizers:
                self._optimizers[key] = make_optimizer([_Slot() for _ in names], spec)
            opt = self._optimizers[key] if commit else copy.deepcopy(self._optimizers[key])
            if commit:
                self._state_of.update({n: (opt, i) for i, n in enumerate(names)})
            for slot, name in zip(opt.params, names):
                slot.data, slot.grad = self.params[name].data, self.gradient(name)
            opt.step()
            new = np.array(opt.params[0].data, dtype=float) if arrays else np.array([slot.data for slot in opt.params])
        if commit:
            for name, value in zip(names, [new] if arrays else new):
                self.params[name].data = value.copy() if arrays else float(value)
                self.answers.pop(name, None)
            self.changed()
            self._mark()
        return new

    def derived_value(self, meaning: tuple):
        """The number a derived name stands for (see `levels.derived`)."""
        if meaning[0] == "iteration":
            return float(self.iteration)
        if meaning[0] == "state":
            _, kind, p = meaning
            if p not in self._state_of:
                return 0.0  # before the first step an optimizer's state is 0
            opt, i = self._state_of[p]
            state = opt.state[i]
            found = next((state[k] for k in STATE[kind] if k in state), 0.0)
            return _plain(np.asarray(found, dtype=float))
        _, out, x, y = meaning
        ps = [self.params[x]] if x == y else [self.params[x], self.params[y]]
        matrix = hessian(self.named[out], ps)
        return float(matrix[0, 0] if x == y else matrix[0, 1])

    def changed(self) -> None:
        recompute(self.order)
        self._gradients.clear()

    def _mark(self) -> None:
        self.trail.append({k: float(v.data) for k, v in self.params.items() if np.ndim(v.data) == 0})

    def named_paths(self, x: str, of: str | None = None, limit: int = 10_000) -> list[tuple[tuple[str, ...], float]]:
        """Each path from x to out, as the names it passes through and its product; none when
        there are more than `limit`."""
        out = self.named[of] if of else self.output
        try:
            found = paths(out, self.named[x], limit)
        except NotImplementedError:  # array ops have Jacobians, not one number per edge
            return []
        except ValueError:  # more than `limit`
            return []
        return [(tuple(n.label for n in p.via if n.label), p.product) for p in found]

    def reaches(self, name: str, of: str | None = None) -> bool:
        """Whether out (the output, or `of`) depends on `name`: out itself does."""
        return self.named[name] in self.gradients(of)

    def consumers(self, x: str) -> list[str]:
        """The named nodes whose own expression reads x directly (an index built once: the graph's
        shape never changes, only its numbers)."""
        if self._readers is None:
            readers: dict[str, list[str]] = {}
            stop = self._named_values
            for name, node in self.nodes.items():
                if name in self.level.model.nodes:
                    inputs = names(parsed(self.level.model.nodes[name]), constants=True)
                else:  # the network's scores: read off the graph
                    inputs = {v.label for v in _topo_until(node, stop) if v in stop and v is not node}
                for used in inputs:
                    readers.setdefault(used, []).append(name)
            self._readers = readers
        return [n for n in self._readers.get(x, []) if n != x]


@contextmanager
def _at(field: str, sizes=None) -> Iterator[None]:
    """Any failure inside is a `ModelError` at `field` (a ModelError without a field gets it);
    `sizes()` names the arrays involved when shapes do not fit."""
    try:
        yield
    except ModelError as err:
        if err.field:
            raise
        raise ModelError(field, err.message) from None
    except Exception as err:  # noqa: BLE001 (whatever fails building a model is the author's to fix)
        message = reason(err)
        if sizes is not None and "shape" in str(err) and sizes():
            message += " — " + sizes()
        raise ModelError(field, message) from None


def _sizes(expr: str, env: Mapping[str, Value]):
    """A function saying the shapes of the arrays an expression uses: `xs has 7 entries, ys has 8`."""
    def said() -> str:
        arrays = [(n, np.shape(env[n].data)) for n in sorted(names(parsed(expr))) if n in env and np.ndim(env[n].data)]
        return ", ".join(f"{n} has {s[0]} entries" if len(s) == 1 else f"{n} is {'×'.join(map(str, s))}"
                         for n, s in arrays)
    return said


def _shown(data) -> str:
    if np.ndim(data) == 0:
        return number(float(data))
    bad = np.asarray(data)[~np.isfinite(data)]
    return f"an array holding {number(float(bad.flat[0]))}"


def labels_of(data: str) -> str:
    """The labels that go with a network's input: `moons_X` → `moons_y`, `pts` → `pts_y`."""
    return re.sub(r"_X$", "", data) + "_y"


def fill_numbers(body: str, world: World) -> str:
    """The text with every `{{expr}}` replaced by the engine's value now (an array by its mean)."""
    return NUMBER_SLOT.sub(lambda m: number(_plain_number(world.evaluate(m.group(1)))), body)


def _plain_number(value):
    return float(np.mean(value)) if np.ndim(value) else value


class _Lazy(Mapping):
    """`env` plus gradient names resolved only when an expression asks for them."""

    def __init__(self, world: World, env: dict):
        self.world, self.env = world, env

    def __contains__(self, key):
        return key in self.env or self._gradient_name(key) is not None or self._derived(key) is not None

    def __getitem__(self, key):
        if key in self.env:
            return self.env[key]
        parts = self._gradient_name(key)
        if parts is not None:
            out, x = parts
            return Value(self.world.gradient(x, of=out))
        meaning = self._derived(key)
        if meaning is None:
            raise KeyError(key)
        return Value(self.world.derived_value(meaning))

    def _derived(self, key):
        meaning = derived(key, self.world.named, self.world.params)
        if meaning == ("iteration",) and self.world.iteration is None:
            return None  # only inside an iterate step
        return meaning

    def _gradient_name(self, key):
        return gradient_name(key, self.world.named)

    def __iter__(self):
        return iter(self.env)

    def __len__(self):
        return len(self.env)


def _topo_until(root: Value, stop: set[Value]) -> list[Value]:
    """The nodes of root's expression, not descending past the nodes in `stop` (root excepted)."""
    order, seen, stack = [], {root}, [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        stack.append((node, True))
        if node in stop and node is not root:
            continue
        for p in node._prev:
            if p not in seen:
                seen.add(p)
                stack.append((p, False))
    return order


class _Slot:
    """A parameter as an optimiser sees it: a value and its gradient."""

    def __init__(self):
        self.data, self.grad = 0.0, 0.0


class Layers:
    """A level's network written W·x: z_i = W_i·h_(i-1) + b_i, h_i its activation; for a batch (one
    point per row) Z_i = H_(i-1)·W_iᵀ + b_i. With one output unit the scores are one number per point."""

    def __init__(self, spec, params: Mapping[str, Value]):
        self.spec, self.params = spec, params

    def nodes(self, X) -> dict[str, Value]:
        """z1, h1, …, and `net`, the last layer's scores."""
        h = X if isinstance(X, Value) else Value(X)
        found, last = {}, len(self.spec.sizes) - 1
        for i in range(1, last + 1):
            z = h @ self.params[f"W{i}"].T + self.params[f"b{i}"]
            if i == last:
                break
            h = getattr(z, self.spec.activation)()
            found[f"z{i}"], found[f"h{i}"] = z, h
        if self.spec.sizes[-1] == 1:
            z = z.reshape(-1) if np.ndim(h.data) > 1 else z[0]  # a batch: one score per point; one point: a number
        found["net"] = z
        return found

    def __call__(self, X) -> Value:
        return self.nodes(X)["net"]


def _arrays(name: str, spec) -> dict[str, np.ndarray]:
    """A data entry's arrays: inline data under its own name; a generator gives two,
    `<name>_X` and `<name>_y` (moons: points and labels ±1) or `<name>_x` and `<name>_y`."""
    if isinstance(spec, Moons):
        X, y = make_moons(spec.moons, noise=spec.noise, random_state=spec.seed)
        return {f"{name}_X": X, f"{name}_y": y * 2.0 - 1.0}
    if isinstance(spec, Linear):
        x, y = noisy_linear(spec.linear, spec.w, spec.b, spec.noise, spec.x_range, spec.seed)
        return {f"{name}_x": x, f"{name}_y": y}
    return {name: np.asarray(spec, dtype=np.float64)}


def _same(a, b) -> bool:
    return bool(np.all(np.asarray(a) == np.asarray(b)))


def _plain(x):
    if isinstance(x, np.ndarray):
        return float(x) if x.ndim == 0 else x.copy()
    return float(x)
