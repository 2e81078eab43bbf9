"""Δ is a change, new − old, in every bundled level (issue 22): a parameter p moves by p ← p + Δp, the
asks compute Δ as target − current, and the amount taken off (old − new) is told that its sign is flipped."""

import re

from gradquest.game.session import LevelSession
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level
from gradquest.levels.schema import every_step, text


def bundled(name: str):
    return load_level(next(bundled_levels_dir().glob(f"*/{name}"))).level


def uses_of_a_change(level):
    """(the expression, the parameter, the name of its Δ) for each set or value ask that moves a
    parameter p by a name labelled "Δp"."""
    deltas = {name: text(label, "en")[1:] for name, label in level.model.labels.items()
              if text(label, "en").startswith("Δ") and text(label, "en")[1:] in level.model.params}
    for _, step in every_step(level.steps):
        exprs = [*(getattr(step, "set", None) or {}).values(), getattr(step, "value", None)]
        for expr in (str(e) for e in exprs if e is not None):
            for name, p in deltas.items():
                if re.search(rf"\b{p}\b", expr) and re.search(rf"\b{name}\b", expr):
                    yield expr, p, name


def test_a_change_is_added_to_its_parameter_never_taken_off():
    seen = 0
    for path in sorted(bundled_levels_dir().glob("*/*.yaml")):
        if path.name == "chapter.yaml":
            continue
        for expr, p, name in uses_of_a_change(load_level(path).level):
            seen += 1
            assert not re.search(rf"\b{p}\s*-\s*{name}\b", expr), f"{path.name}: {expr} takes Δ{p} off {p}"
    assert seen >= 8  # 2.6–2.9 move w, b and x by their Δ


def test_the_delta_typed_is_the_change_it_makes():
    """2.6: Δw is new w − old w; the amount taken off w is diagnosed as the sign flipped, in both languages."""
    for lang, words in (("en", "sign is flipped"), ("zh", "符号反了")):
        s = LevelSession(bundled("08-linear-chain-w.yaml"), lang=lang)
        while not (s.stage.kind == "ask" and "Δw" in s.stage.prompt):
            s.submit(s.stage.solution)
        old, change = s.world.value("w"), s.stage.expected
        v = s.submit(f"{-change:.6g}")
        assert (v.status, v.diagnosis) == ("wrong", "misconception") and words in v.message
        assert s.submit(s.stage.solution).status == "correct"
        while s.world.value("w") == old:
            s.submit(s.stage.solution)
        assert abs(s.world.value("w") - old - change) < 1e-9 and change < 0  # z = 162 must come down to 150
