"""The YAML examples of the authoring guide (and of the README) are levels that work, and the guide
keeps up with the schema.

Every block fenced as ```yaml is one of (decided by its first line):

- `# fragment: steps`: a list of steps, put under `steps:` of a minimal level whose model is the
  tutorial's (w = 3, b = 4, x = 2w + 3b, y = 2b + 1, z = x·y, output z);
- `# fragment: model`: the inside of `model:`; the level gets one `say` step;
- `# fragment: level`: top-level keys of a level without its header; they replace the keys of the
  same minimal level (header, the tutorial's model, one `say` step);
- `# chapter.yaml`: a chapter file, loaded with `load_chapter`;
- `# not a level` (a CI workflow, say): it only has to be valid YAML;
- anything else: a whole level.

A fragment is wrapped as text (indented, never re-dumped), so the loader reads exactly what the
guide shows. Each level is loaded from a file with `load_level` (as `gradquest check` does),
linted (`check`'s second half) and played through headless (`gradquest test`): no finding, no
failure.

`KNOWN_LOADER_BUGS` lists the loader's known refusals of things the game plays: an example hit by
one is validated against the schema instead, must still lint and play through, and is then
reported as xfail — but only if every loader error is explained by a listed bug, and the test
fails as soon as the loader accepts it (so the entry gets removed).
"""

from __future__ import annotations

import re
import textwrap
import typing
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from gradquest.author.lint import lint
from gradquest.author.playtest import playtest
from gradquest.game.session import LevelSession
from gradquest.levels import schema
from gradquest.levels.schema import STEP_KINDS, AskCommon, Level, Model, step_kind

try:  # the loader with file:line:column errors; the schema alone until it exists
    from gradquest.levels.load import LevelErrors, load_chapter, load_level
except ImportError:  # pragma: no cover
    load_level = load_chapter = None

    class LevelErrors(Exception):
        pass

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "authoring.md"
DOCS = [GUIDE, ROOT / "README.md"]

HEADER = {
    "format_version": "format_version: 1\n",
    "id": "id: docs.example\n",
    "title": "title: An example from the authoring guide\n",
    "chapter": "chapter: 1\n",
    "order": "order: 1\n",
}
TUTORIAL_MODEL = """\
model:
  params: {w: 3, b: 4}
  nodes:
    x: 2*w + 3*b
    y: 2*b + 1
    z: x*y
  output: z
"""
ONE_SAY = "steps:\n  - say: An example from the authoring guide.\n"


@dataclass(frozen=True)
class KnownBug:
    what: str
    markers: tuple[str, ...]  # an example containing one of these may hit the bug
    message: str  # a regex every loader error it causes matches


# e.g. KnownBug("the loader does not know a network's node 'net'", ("network:",), r"unknown name 'net'")
KNOWN_LOADER_BUGS: tuple[KnownBug, ...] = ()


# ---- the examples

@dataclass(frozen=True)
class Example:
    file: Path
    line: int  # of the opening fence, 1-based
    text: str

    @property
    def kind(self) -> str:
        first = self.text.split("\n", 1)[0].strip()
        m = re.fullmatch(r"#\s*fragment:\s*(\w+)", first)
        if m:
            return m.group(1)
        if first.startswith("#") and first.lstrip("# ").startswith("fragment"):
            raise AssertionError(f"{self}: write '# fragment: steps', '# fragment: model' or '# fragment: level'")
        if first == "# chapter.yaml":
            return "chapter"
        if first.startswith("# not a level"):
            return "other"
        return "whole"

    def __str__(self) -> str:
        return f"{self.file.name}:{self.line}"


def yaml_blocks(path: Path) -> list[Example]:
    """Every block fenced as ```yaml (or ```yml) in a Markdown file."""
    if not path.exists():
        return []
    found, lines = [], path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)(```+|~~~+)\s*(\S*)", lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.groups()
        start, i = i, i + 1
        body = []
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        if info.split("{")[0].lower() in ("yaml", "yml"):
            found.append(Example(path, start + 1, "\n".join(body) + "\n"))
    return found


EXAMPLES = [e for doc in DOCS for e in yaml_blocks(doc)]
LEVEL_EXAMPLES = [e for e in EXAMPLES if e.kind in ("whole", "steps", "model", "level")]


def level_text(example: Example) -> str:
    """The example as the text of a whole level file."""
    kind, body = example.kind, example.text
    if kind == "whole":
        return body
    if kind == "steps":
        assert isinstance(yaml.safe_load(body), list), f"{example}: a steps fragment is a list of steps"
        return "".join(HEADER.values()) + TUTORIAL_MODEL + "steps:\n" + textwrap.indent(body, "  ")
    if kind == "model":
        assert isinstance(yaml.safe_load(body), dict), f"{example}: a model fragment is a mapping"
        return "".join(HEADER.values()) + "model:\n" + textwrap.indent(body, "  ") + ONE_SAY
    if kind == "level":
        data = yaml.safe_load(body)
        assert isinstance(data, dict), f"{example}: a level fragment is a mapping of top-level keys"
        head = "".join(v for k, v in HEADER.items() if k not in data)
        model = "" if "model" in data else TUTORIAL_MODEL
        steps = "" if "steps" in data else ONE_SAY
        return head + model + steps + body
    raise AssertionError(f"{example}: unknown fragment kind '{kind}' (steps, model or level)")


def load(example: Example, path: Path) -> tuple[Level, list[KnownBug]]:
    """The level through the loader; or, when a known loader bug refuses it, through the schema
    (with the bugs that did it)."""
    text = path.read_text(encoding="utf-8")
    if load_level is None:
        return Level.model_validate(yaml.safe_load(text)), []
    bugs = [b for b in KNOWN_LOADER_BUGS if any(m in example.text for m in b.markers)]
    try:
        loaded = load_level(path)
    except LevelErrors as exc:
        messages = [e.message for e in exc.errors]
        failure = str(exc)
    except TypeError as exc:  # a crash of the loader
        if not bugs:
            raise
        messages, failure = [str(exc)], f"{type(exc).__name__}: {exc}"
    else:
        assert not bugs, (f"{example}: the loader now accepts this example; remove from KNOWN_LOADER_BUGS: "
                          + "; ".join(b.what for b in bugs))
        return loaded.level, []
    unexplained = [m for m in messages if not any(re.search(b.message, m) for b in bugs)]
    assert not unexplained, f"{example}: the level does not load:\n{failure}\n\n{text}"
    hit = [b for b in bugs if any(re.search(b.message, m) for m in messages)]
    return Level.model_validate(yaml.safe_load(text)), hit


@pytest.mark.parametrize("example", LEVEL_EXAMPLES, ids=str)
def test_every_level_example_loads_lints_and_plays_through(example: Example, tmp_path):
    text = level_text(example)
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    level, bugs = load(example, path)
    findings = lint(level)
    assert not findings, f"{example}: `gradquest check` would report:\n" + "\n".join(
        f"{f.field}: {f.message}" for f in findings) + f"\n\n{text}"
    result = playtest(level)
    assert result.passed, f"{example}: the playthrough fails:\n" + "\n".join(result.failures) + f"\n\n{text}"
    assert result.checks > 0
    if bugs:
        pytest.xfail("the game plays it, but a known loader bug refuses it: " + "; ".join(b.what for b in bugs))


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.kind == "chapter"], ids=str)
def test_every_chapter_example_loads(example: Example, tmp_path):
    path = tmp_path / "chapter.yaml"
    path.write_text(example.text, encoding="utf-8")
    if load_chapter is None:  # pragma: no cover
        schema.Chapter.model_validate(yaml.safe_load(example.text))
    else:
        load_chapter(path)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.kind == "other"], ids=str)
def test_other_yaml_blocks_are_valid_yaml(example: Example):
    assert isinstance(yaml.safe_load(example.text), (dict, list)), example


def test_the_guide_has_whole_levels_and_fragments():
    kinds = [e.kind for e in yaml_blocks(GUIDE)]
    assert kinds.count("whole") >= 3 and kinds.count("steps") >= 10
    assert {"model", "level", "chapter", "other"} <= set(kinds)


def _step_kinds(steps) -> set[str]:
    found = set()
    for raw in steps or []:
        kind = step_kind(raw)
        if kind:
            found.add(kind)
        if kind == "iterate" and isinstance(raw.get("iterate"), dict):
            found |= _step_kinds(raw["iterate"].get("steps"))
    return found


def test_every_step_kind_has_a_section_and_a_tested_example():
    guide = GUIDE.read_text(encoding="utf-8")
    used = set()
    for example in LEVEL_EXAMPLES:
        used |= _step_kinds(yaml.safe_load(level_text(example)).get("steps"))
    for kind in STEP_KINDS:
        assert f"#### `{kind}`" in guide, f"no section for the step kind '{kind}'"
        assert kind in used, f"no tested YAML example uses the step kind '{kind}'"


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """The models reachable from `root` through its fields' types."""
    found, todo = [], [root]
    while todo:
        model = todo.pop()
        if model in found:
            continue
        found.append(model)
        for field in model.model_fields.values():
            todo += [t for t in _types(field.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
    return found


def _types(tp) -> list:
    """`tp` and every type nested in it (unions, lists, dicts, Annotated)."""
    out, todo = [], [tp]
    while todo:
        t = todo.pop()
        if isinstance(t, typing.ForwardRef) or isinstance(t, str):
            continue
        out.append(t)
        todo += list(typing.get_args(t))
    return out


def _literals(model: type[BaseModel]) -> set[str]:
    values = set()
    for field in model.model_fields.values():
        for t in _types(field.annotation):
            if typing.get_origin(t) is typing.Literal:
                values |= {str(v) for v in typing.get_args(t) if isinstance(v, str)}
    return values


@pytest.mark.parametrize("model", [Level, Model, AskCommon], ids=lambda m: m.__name__)
def test_the_reference_names_every_field_of_the_main_models(model):
    guide = GUIDE.read_text(encoding="utf-8")
    missing = [name for name in model.model_fields if f"`{name}`" not in guide]
    assert not missing, f"docs/authoring.md does not mention {model.__name__}'s fields: {missing}"


def test_the_reference_names_every_field_and_choice_of_the_format():
    guide = GUIDE.read_text(encoding="utf-8")
    models = _models(Level) + _models(schema.Chapter)
    models += [cls for cls in STEP_KINDS.values() if cls not in models]
    missing = {}
    for model in models:
        names = [n for n in model.model_fields if f"`{n}`" not in guide]
        values = [v for v in _literals(model) if f"`{v}`" not in guide]
        if names or values:
            missing[model.__name__] = names + values
    assert not missing, f"docs/authoring.md does not mention: {missing}"


def test_the_fragment_convention_catches_a_broken_example(tmp_path):
    """A broken fragment or level fails the same checks the examples pass."""
    broken = Example(GUIDE, 0, "# fragment: steps\n- gradient: q\n")
    path = tmp_path / "broken.yaml"
    path.write_text(level_text(broken), encoding="utf-8")
    if load_level is not None:
        with pytest.raises(LevelErrors, match="unknown node or parameter 'q'"):
            load_level(path)
    loose = Example(GUIDE, 0, "# fragment: steps\n- forward: x\n  tolerance: {rel: 0.5}\n")
    level = Level.model_validate(yaml.safe_load(level_text(loose)))
    assert lint(level) and not playtest(level).passed


def test_the_guide_says_manual_counts_the_iterations_by_hand_and_0_plays_them_all():
    row = next(line for line in GUIDE.read_text(encoding="utf-8").splitlines() if line.startswith("| `manual` |"))
    assert "the player does by hand" in row and "`0`: every iteration plays itself" in row
    level = Level.model_validate(yaml.safe_load(
        HEADER["format_version"] + HEADER["id"] + HEADER["title"] + "chapter: 1\norder: 1\n"
        "model: {params: {x: 1.2}, nodes: {J: x**2}}\nsteps:\n"
        "  - iterate: {steps: [{update: x, optimizer: {lr: 0.3}}], until: {expr: J, below: 0.01}, manual: 0}\n"))
    session = LevelSession(level)
    assert session.done and len(session.table) == 3  # no stage: every iteration played itself


def test_the_three_teacher_levels_are_in_the_guide_with_what_they_asked_for():
    """Issue 12's teachers: softmax over a vector of logits with a vector misconception; the shower
    with a hidden function and a knob range; logistic regression with hand asks, a boundary and
    class-marked points. (Each is loaded, linted and played through by the test above.)"""
    levels = {}
    for example in LEVEL_EXAMPLES:
        data = yaml.safe_load(example.text)
        if isinstance(data, dict) and str(data.get("id", "")).startswith("teacher."):
            levels[data["id"]] = Level.model_validate(data)
    softmax, shower, logistic = levels["teacher.softmax"], levels["teacher.shower"], levels["teacher.logistic"]
    vector = next(s for s in softmax.steps if getattr(s, "vector", None))
    assert any(m.expr and m.expr.startswith("(") for m in vector.misconceptions)
    probe = next(s for s in shower.steps if getattr(s, "probe", None))
    assert probe.probe.range and shower.model.hidden and shower.plot.reveal_at
    assert logistic.plot.boundary and {"gradient", "update"} <= {k for s in logistic.steps for k in ("gradient", "update")
                                                                  if getattr(s, k, None)}
    assert "pts_y" in logistic.model.data
