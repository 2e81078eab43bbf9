"""500 random expressions explored to the end (issue 24): depth 1 to 6, every operation explore
takes, leaves used twice (b = a + a) and statements used by several later ones (forks). Each is
played headlessly with the engine's answers; each ask first gets a wrong number the mistake model
foresees, which must be named by it (not "too big / too small"); the answer key agrees with the
gradient check (central differences) for every leaf and with explore's own graph for every node."""

import math
import random

import pytest


from gradquest.author.explore import ExploreError, explore
from gradquest.engine.gradcheck import check
from gradquest.game.diagnose import candidates, mistake_message, near
from gradquest.game.session import LevelSession
from gradquest.levels.load import load_level

UNARY = ["exp", "log", "tanh", "sigmoid", "relu", "abs", "sin", "cos", "sqrt", "neg"]
BINARY = ["+", "-", "*", "/", "**", "max", "min"]
GENERIC = ("sign", "magnitude", "too_big", "too_small", "precision")
PATTERNS = ("factor",)  # speaks only when the digits explain the number: not a slip to type


def expression(rng: random.Random, depth: int, names: list[str]) -> str:
    """A random expression exactly `depth` operations deep over `names` and a few constants."""
    if depth == 0:
        return rng.choice(names) if rng.random() < 0.85 else rng.choice(["2", "0.5", "3"])
    if rng.random() < 0.4:
        op, inner = rng.choice(UNARY), expression(rng, depth - 1, names)
        return f"-({inner})" if op == "neg" else f"{op}({inner})"
    op = rng.choice(BINARY)
    left = expression(rng, depth - 1, names)
    right = expression(rng, rng.randrange(depth), names)
    if op == "**":
        return f"({left})**{rng.choice(['2', '3', '0.5', '-1'])}"
    if op in ("max", "min"):
        return f"{op}({left}, {right})"
    return f"({left}) {op} ({right})" if rng.random() < 0.5 else f"({right}) {op} ({left})"


def program(rng: random.Random) -> str:
    """Statements: maybe a reused leaf (b = a + a), maybe forks, and the output using them all."""
    leaves = ["a", "b", "c", "w", "x"][:rng.randint(1, 4)]
    lines, names = [], list(leaves)
    if rng.random() < 0.3:
        lines.append("r = a + a" if rng.random() < 0.5 else "r = a * a")
        names.append("r")
    for k in range(rng.randint(0, 2)):
        lines.append(f"s{k} = {expression(rng, rng.randint(1, 3), names)}")
        names.append(f"s{k}")
    made = [n for n in names if n not in leaves]
    last = expression(rng, rng.randint(1, 6), names)
    lines.append("L = " + " + ".join([f"({last})"] + made) if made else f"L = {last}")
    return "; ".join(lines)


def explorations(count: int, seed: int = 24):
    rng, found, refused = random.Random(seed), [], 0
    while len(found) < count:
        text = program(rng)
        try:
            ex = explore(text, seed=rng.randrange(10**6))
        except ExploreError:  # undefined at every draw, too deep, constants only: explore refuses it
            refused += 1
            continue
        if all(abs(v) < 1e6 for v in (*ex.values.values(), *ex.grads.values())):
            found.append(ex)
    return found, refused


@pytest.mark.slow  # about a minute: 500 levels played to the end, with a slip at every ask
def test_500_random_expressions_play_to_the_end_with_every_slip_named(tmp_path):
    found, refused = explorations(500)
    ops = {op for ex in found for text in ex.nodes.values() for op in UNARY + BINARY if op in text}
    assert ops >= set(UNARY + BINARY) - {"neg"} and any(" - " in t or "-" == t[:1] for ex in found for t in ex.nodes.values())
    assert refused < len(found)  # most random expressions are explored
    asks = named = 0
    for n, ex in enumerate(found):
        path = tmp_path / f"{n}.yaml"
        path.write_text(ex.yaml(), encoding="utf-8")
        level = load_level(path).level
        session = LevelSession(level)
        world = session.world
        named_values = world.named
        leaves = [named_values[p] for p in ex.params]
        for c in check(world.output, leaves, tolerance=1e-5):
            assert c.ok or c.kink is not None, (ex.source, c)
        while not session.done:
            stage = session.stage
            if stage.kind != "ask":
                session.advance()
                continue
            asks += 1
            expected = float(stage.expected)
            node = stage.source.forward if hasattr(stage.source, "forward") else stage.source.gradient
            truth = ex.values[node] if hasattr(stage.source, "forward") else ex.grads[node]
            assert math.isclose(expected, truth, rel_tol=1e-9, abs_tol=1e-12), (ex.source, node)
            slips = [c for c in candidates(stage.source, world, stage.expected, "en")
                     if c.code not in GENERIC + PATTERNS and math.isfinite(float(c.value)) and not near(float(c.value), expected, None)]
            if slips:
                verdict = session.submit(repr(float(slips[0].value)))
                said = mistake_message(slips[0], world, "en")  # also when the same number is a flipped sign
                told = verdict.message.lower()  # named second, it goes on the sentence in lower case
                assert verdict.status == "wrong" and (verdict.diagnosis not in GENERIC or said.lower() in told), \
                    (ex.source, node, verdict)
                named += 1
            verdict = session.submit(stage.solution)
            assert verdict.status == "correct", (ex.source, node, verdict)
        assert session.done
    print(f"{len(found)} explored ({refused} refused), {asks} asks, {named} slips named")
    assert named > asks // 2, (named, asks)  # the mistake model had a candidate for most asks
