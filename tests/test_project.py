"""The project's own rules: the README's commands, CI, the layering of the package."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gradquest"


def readme_commands() -> list[str]:
    """The shell lines of the README's quick start."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)\n(.*?)```", section, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_quick_start_has_exactly_two_commands():
    commands = readme_commands()
    assert len(commands) == 2, commands
    play, test = commands
    assert play.endswith("gradquest") and "pip install" in play
    assert "pytest" in test and ".[test]" in test


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in ci.splitlines()]
    assert readme_commands()[1] in lines
    assert "set -euo pipefail" in ci and "|| true" not in ci
    assert "rm -rf .venv" in ci  # a fresh environment, never the machine's own site-packages


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


# Each floor may import only itself and the floors beneath it:
# engine -> levels -> model -> game -> figures | store -> author | lineplay | tui | classroom -> cli.
BELOW_FRONT_ENDS = {"engine", "levels", "model", "game", "figures", "store"}
ALLOWED = {
    "engine": {"engine"},
    "levels": {"engine", "levels"},
    "model": {"engine", "levels", "model"},
    "game": {"engine", "levels", "model", "game"},
    "figures": {"engine", "levels", "model", "game", "figures"},
    "store": {"engine", "levels", "model", "game", "store"},
    "terminal": {"levels"},
    "author": BELOW_FRONT_ENDS | {"author"},
    "lineplay": BELOW_FRONT_ENDS | {"lineplay", "terminal"},
    "tui": BELOW_FRONT_ENDS | {"tui", "terminal"},
    "classroom": BELOW_FRONT_ENDS | {"classroom"},
    "cli": BELOW_FRONT_ENDS | {"author", "lineplay", "tui", "classroom", "terminal"},
    "__main__": {"cli"},
    "__init__": set(),
}


def floor_of(path: Path) -> str:
    """The floor a module of the package is on: its sub-package, or its own name at the top."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_of_the_package_is_on_a_floor():
    assert {floor_of(p) for p in package_modules()} == set(ALLOWED)


@pytest.mark.parametrize("layer", sorted(set(ALLOWED) - {"tui", "classroom", "cli", "__main__"}))
def test_nothing_below_the_tui_imports_textual(layer):
    for path in package_modules():
        if floor_of(path) != layer:
            continue
        bad = {m for m in imports_of(path) if m.split(".")[0] in {"textual", "rich"}}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_the_engine_imports_nothing_else_of_gradquest():
    for path in (PACKAGE / "engine").rglob("*.py"):
        outside = {m for m in imports_of(path)
                   if m.startswith("gradquest") and not m.startswith("gradquest.engine")}
        assert not outside, f"{path.relative_to(ROOT)} imports {outside}"


def floors_imported(path: Path) -> set[str]:
    return {m.split(".")[1] for m in imports_of(path)
            if m.startswith("gradquest.") and m.count(".") >= 1}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_floor_imports_only_the_floors_beneath_it(layer):
    for path in package_modules():
        if floor_of(path) != layer:
            continue
        bad = floors_imported(path) - ALLOWED[layer]
        assert not bad, f"{path.relative_to(ROOT)} imports gradquest.{bad}"


def test_no_two_modules_share_a_name():
    """A name says one thing: no `graph_view.py` on two floors, no two `words.py`."""
    seen: dict[str, list[str]] = {}
    for path in package_modules():
        if path.name != "__init__.py":
            seen.setdefault(path.name, []).append(str(path.relative_to(PACKAGE)))
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}


def test_no_module_imports_another_modules_private_names():
    for path in package_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gradquest"):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                assert not private, f"{path.relative_to(ROOT)} imports {private} from {node.module}"


def test_the_game_keeps_no_author_tool():
    for tool in ("lint", "playtest", "answer_key", "starter", "watch"):
        assert not (PACKAGE / "game" / f"{tool}.py").exists()
        assert not (PACKAGE / "levels" / f"{tool}.py").exists()


def test_the_import_rule_checker_sees_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from textual.app import App\nimport gradquest.tui\n")
    assert imports_of(bad) == {"textual.app", "gradquest.tui"}
    assert floors_imported(bad) == {"tui"}


def test_version_and_module_entry_point():
    from gradquest import __version__

    out = subprocess.run([sys.executable, "-m", "gradquest", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"gradquest {__version__}"
    help_text = subprocess.run([sys.executable, "-m", "gradquest", "--help"],
                               capture_output=True, text=True, check=True).stdout
    assert "usage: gradquest" in help_text


def test_every_runtime_dependency_is_bounded_and_what_screens_show_is_pinned():
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
        assert "==" in requirement or (">=" in requirement and "<" in requirement), requirement
    pinned = {r.split("==")[0].lower() for r in project["dependencies"] if "==" in r}
    assert {"textual", "rich", "textual-plotext", "plotext"} <= pinned


def textual_private_names() -> set[str]:
    """Every private attribute or method name Textual's own source defines (`self._x`, `def _x`)."""
    import textual

    names = set()
    for path in Path(textual.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"\bself\.(_[a-z]\w*)", text)) | set(re.findall(r"^\s+def (_[a-z]\w*)", text, re.M))
    return names


def test_tests_reach_textual_privates_only_through_one_helper_module():
    private, helper = textual_private_names(), ROOT / "tests" / "tui" / "textual_private.py"
    reached = {}
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in private:
                reached.setdefault(path, set()).add(node.attr)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
                reached.setdefault(path, set()).update(a.name for a in node.names if a.name.startswith("_"))
    reached = {path: names for path, names in reached.items() if names}
    assert "_compositor" in reached.pop(helper, set())  # the check sees a private name where there is one
    assert not reached, {str(path.relative_to(ROOT)): sorted(names) for path, names in reached.items()}


def test_ruff_finds_nothing():
    """The lint CI runs (the config is pyproject's `[tool.ruff]`): `noqa` comments name rules it checks."""
    ran = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "gradquest", "tests", "bench", "tools"],
                         cwd=ROOT, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_tui_screens_do_not_import_each_other():
    """Moving between screens goes through the app (`app.open_level`, `open_results`, `back_to_map`…)."""
    screens = {path.stem for path in (PACKAGE / "tui").glob("*.py")
               if any(isinstance(node, ast.ClassDef) and any(getattr(b, "id", "").endswith("Screen") for b in node.bases)
                      for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))}
    assert {"chapter_map", "level_screen", "results"} <= screens, screens
    for name in screens:
        others = {f"gradquest.tui.{other}" for other in screens - {name}}
        assert not imports_of(PACKAGE / "tui" / f"{name}.py") & others, name
