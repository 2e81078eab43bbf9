"""A step kind is one module (`gradquest/levels/kinds/<key>_step.py`), from a registry: nothing else
tests a step's class, and every kind says everything a kind must say."""

import ast
import inspect
from pathlib import Path

from gradquest.levels import kinds
from gradquest.levels.kinds import KINDS, kind_of
from gradquest.levels.kinds.kind import AskKind, Kind
from gradquest.levels.schema import STEP_KINDS, AskCommon, StepCommon

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "gradquest"
KINDS_DIR = PACKAGE / "levels" / "kinds"
STEP_CLASSES = {cls.__name__ for cls in STEP_KINDS.values()} | {AskCommon.__name__, StepCommon.__name__}


def step_class_tests(source: str) -> list[int]:
    """The lines of `isinstance(x, <a step class>)` (or a tuple holding one) in a module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance" and len(node.args) == 2:
            tested = node.args[1]
            classes = tested.elts if isinstance(tested, ast.Tuple) else [tested]
            names = {c.id if isinstance(c, ast.Name) else getattr(c, "attr", None) for c in classes}
            if names & STEP_CLASSES:
                found.append(node.lineno)
    return found


def test_no_module_but_a_kinds_own_tests_a_steps_class():
    found = {str(path.relative_to(ROOT)): lines for path in sorted(PACKAGE.rglob("*.py"))
             if KINDS_DIR not in path.parents and (lines := step_class_tests(path.read_text(encoding="utf-8")))}
    assert found == {}, "ask the step's kind (gradquest.levels.kinds.kind_of) instead of testing its class"


def test_the_scan_sees_a_step_class_tested():
    source = "if isinstance(step, Forward) or isinstance(s, (int, schema.Train)) or isinstance(x, str): pass"
    assert step_class_tests(source) == [1, 1]


def test_the_registry_holds_every_kind_of_the_format_by_its_key():
    assert list(KINDS) == list(STEP_KINDS)
    for key, kind in KINDS.items():
        assert kind.key == key and kind.model is STEP_KINDS[key]
        module = f"{kinds.__name__}.{key}_step"
        assert inspect.getmodule(kind).__name__ == module and kind.model.__module__ == module, (
            f"the {key} kind and its model are in levels/kinds/{key}_step.py")


def hooks_of(cls) -> list[str]:
    return [name for name, value in vars(cls).items() if callable(value) and not name.startswith("_")]


def test_every_kind_writes_every_hook_left_to_it_and_each_hook_is_documented():
    assert {"check", "run", "expected", "prompt", "hints", "reveal", "keep", "asked_node", "shown_names"} <= set(
        hooks_of(Kind))
    for base in (Kind, AskKind):
        for name in hooks_of(base):
            assert inspect.getdoc(getattr(base, name)), f"{base.__name__}.{name} says what it is for"
    for key, kind in KINDS.items():
        bases = [cls for cls in type(kind).__mro__ if cls in (Kind, AskKind)]
        unwritten = [name for base in bases for name in hooks_of(base)
                     if getattr(getattr(kind, name), "__abstract__", False)]
        assert unwritten == [], f"the {key} kind leaves {unwritten} unwritten"
        assert isinstance(kind, AskKind) == issubclass(kind.model, AskCommon), key


def test_every_kind_is_documented_in_its_module_and_in_the_authoring_guide():
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    for key, kind in KINDS.items():
        assert inspect.getdoc(inspect.getmodule(kind)) and type(kind).__doc__, key
        assert f"#### `{key}`" in guide, f"docs/authoring.md has a section for `{key}`"


def test_a_loaded_step_is_asked_of_its_kind():
    step = STEP_KINDS["forward"](forward="x")
    assert kind_of(step) is KINDS["forward"] and kind_of(step).asked_node(step) == "x"
