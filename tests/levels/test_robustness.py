"""Hostile and broken level files: each gives `LevelErrors` at file:line:column, quickly, and
nothing in them runs. Every case is tried with libyaml's parser and with the pure-Python one."""

import random

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradquest.levels import source
from gradquest.levels.load import LevelErrors, load_level

GOOD = """\
format_version: 1
id: demo.product
title: {en: A product, zh: 乘积}
chapter: 1
order: 1
model:
  params: {a: 2, b: -3}
  nodes: {e: a*b}
  output: e
steps:
  - forward: e
  - gradient: a
"""

LOL = "\n".join(
    ['lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
) + "\n"

LIBYAML = [pytest.param(True, id="libyaml", marks=pytest.mark.skipif(
    not yaml.__with_libyaml__, reason="PyYAML built without libyaml")), pytest.param(False, id="python")]


@pytest.fixture(params=LIBYAML, autouse=True)
def parser(request, monkeypatch):
    monkeypatch.setattr(source, "USE_LIBYAML", request.param)


def refused(path, line=None, column=None, contains=""):
    """Load `path`: it must be refused, naming the file with a position (pytest-timeout guards hangs)."""
    with pytest.raises(LevelErrors) as caught:
        load_level(path)
    errors = caught.value.errors
    assert errors and all(e.file == str(path) and e.line >= 1 and e.column >= 1 for e in errors)
    first = errors[0]
    assert str(first).startswith(f"{path}:{first.line}:{first.column}: ")
    if line is not None:
        assert (first.line, first.column) == (line, column), str(caught.value)
    assert contains in str(caught.value)
    return errors


def write(tmp_path, content, name="level.yaml"):
    path = tmp_path / name
    (path.write_bytes if isinstance(content, bytes) else lambda t: path.write_text(t, encoding="utf-8"))(content)
    return path


def test_the_good_level_loads(tmp_path):
    assert load_level(write(tmp_path, GOOD)).level.id == "demo.product"


def test_yaml_syntax_error(tmp_path):
    errors = refused(write(tmp_path, GOOD.replace("output: e", "output: [e, f")), 10, 6)
    assert errors[0].message and "Traceback" not in str(errors[0])  # the words are PyYAML's own


def test_wrong_types(tmp_path):
    refused(write(tmp_path, GOOD.replace("order: 1", "order: first")), 5, 8, "expected a whole number, found 'first'")


def test_unknown_keys_list_the_allowed_ones(tmp_path):
    errors = refused(write(tmp_path, GOOD.replace("model:", "modle:")), 6, 1, "unknown key 'modle'")
    assert "expected one of: format_version, id, title, chapter, order, source, story, teaches, model, plot, steps, notes, tests" \
        in errors[0].message


def test_billion_laughs(tmp_path):
    assert LOL.count("*") == 72 and LOL.count("&") == 9
    refused(write(tmp_path, LOL), 1, 6, "anchors and aliases are not allowed in level files")


def test_an_alias_is_refused_where_it_is(tmp_path):
    refused(write(tmp_path, GOOD + "story: *story\n"), 13, 8, "anchors and aliases are not allowed")


def test_python_tags_never_run(tmp_path):
    target = tmp_path / "created"
    payload = f'!!python/object/apply:os.mkdir ["{target}"]'
    yaml.load(f"x: {payload}".replace(str(target), str(tmp_path / "live")), Loader=yaml.UnsafeLoader)  # noqa: S506 (proves the payload is real)
    assert (tmp_path / "live").is_dir()  # the payload is real: an unsafe loader runs it
    refused(write(tmp_path, GOOD + f"story: {payload}\n"), 13, 8,
            "the tag !!python/object/apply:os.mkdir is not allowed")
    assert not target.exists()
    refused(write(tmp_path, 'steps: !!python/object/apply:os.system ["echo hi"]\n'), 1, 8, "!!python/object/apply")


def test_local_tags_are_refused_and_core_tags_pass(tmp_path):
    refused(write(tmp_path, GOOD.replace("order: 1", "order: !foo 1")), 5, 8, "the tag !foo is not allowed")
    assert load_level(write(tmp_path, GOOD.replace("order: 1", "order: !!int 1"))).level.order == 1


def test_cyclic_nodes(tmp_path):
    refused(write(tmp_path, GOOD.replace("nodes: {e: a*b}", "nodes: {e: a*f, f: g + b, g: f * 2}")), 8, 32,
            "the nodes form a cycle: f → g → f")


def test_undefined_node_reference(tmp_path):
    refused(write(tmp_path, GOOD.replace("- forward: e", "- forward: q")), 11, 14, "unknown node 'q'")
    refused(write(tmp_path, GOOD.replace("nodes: {e: a*b}", "nodes: {e: a*c}")), 8, 16, "unknown name 'c'")


def test_an_expression_the_parser_refuses(tmp_path):
    refused(write(tmp_path, GOOD.replace("nodes: {e: a*b}", "nodes: {e: 'a*(b+'}")), 8, 20,
            "cannot read the expression: expected a number, a name or '(' but found the end of the input")


def test_a_ten_megabyte_file(tmp_path):
    path = write(tmp_path, GOOD.encode() + b"#" * 10_000_000 + b"\n")
    size = path.stat().st_size
    assert size > 10_000_000
    refused(path, 1, 1, f"the file is {size:,} bytes, more than the limit of 1,048,576 bytes (1 MB)")


def test_binary_junk(tmp_path):
    refused(write(tmp_path, random.Random(0).randbytes(100_000)), contains="not UTF-8")


def test_non_utf8_bytes(tmp_path):
    latin = GOOD.replace("A product", "Café").encode("latin-1", errors="replace")
    refused(write(tmp_path, latin), 3, 16, "the file is not UTF-8: byte 0xE9")


def test_control_characters(tmp_path):
    refused(write(tmp_path, GOOD.replace("demo.product", "demo\x00product")), 2, 9, "U+0000 is not allowed")
    refused(write(tmp_path, GOOD.replace("demo.product", "demo\x1bproduct")), 2, 9, "U+001B is not allowed")
    # YAML itself takes these, but editors and YAML would disagree on the line numbers
    refused(write(tmp_path, GOOD.replace("demo.product", "demo\x85product")), 2, 9, "only tab, newline and carriage")
    refused(write(tmp_path, GOOD.replace("A product", "A\u2028product")), 3, 14, "U+2028 is not allowed")


def test_an_empty_file(tmp_path):
    refused(write(tmp_path, ""), 1, 1, "the file is empty")
    refused(write(tmp_path, "# only a comment\n\n"), 1, 1, "the file is empty")


def test_a_list_instead_of_a_mapping(tmp_path):
    refused(write(tmp_path, "- forward: e\n- gradient: a\n"), 1, 1, "must be a mapping")
    refused(write(tmp_path, "just words\n"), 1, 1, "must be a mapping")


@pytest.mark.parametrize("text", ["steps: " + "[" * 10_000, "steps: " + "[" * 10_000 + "]" * 10_000,
                                  "steps: " + "{a: " * 10_000, "- " * 10_000])
def test_deeply_nested(tmp_path, text):
    refused(write(tmp_path, text), contains="nested more than 100 levels deep")


def test_too_many_values(tmp_path):
    refused(write(tmp_path, "steps: [" + "1, " * 300_000 + "]\n"), contains="more than 50,000 values")


def test_a_huge_number(tmp_path):
    refused(write(tmp_path, GOOD.replace("order: 1", "order: " + "9" * 10_000)), 5, 8, "too long")


def test_a_step_with_no_kind(tmp_path):
    refused(write(tmp_path, GOOD.replace("- forward: e", "- prompt: what is e?")), 11, 5,
            "a step needs one of the keys: say, forward")


def test_duplicate_keys(tmp_path):
    refused(write(tmp_path, GOOD + "order: 2\n"), 13, 1, "duplicate key 'order' (first at line 5)")


def test_two_documents(tmp_path):
    refused(write(tmp_path, GOOD + "---\n" + GOOD), 13, 1, "found another document")


def test_a_folder_and_a_missing_file(tmp_path):
    refused(tmp_path, 1, 1, "not a regular file")
    refused(tmp_path / "nowhere.yaml", 1, 1, "cannot read the file")


SYNTAX = st.sampled_from(list("ab:-[]{}&*!|>'\"#,?% \n\t1.e"))
YAMLISH = st.text(alphabet=st.one_of(SYNTAX, st.characters(codec="utf-8")), max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(YAMLISH.map(str.encode), st.binary(max_size=300),
                 st.builds(lambda a, b: GOOD[:a] + b + GOOD[a:], st.integers(0, len(GOOD)), YAMLISH.map(str))))
def test_anything_loads_or_gives_level_errors(tmp_path, content):
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    try:
        load_level(path)
    except LevelErrors as exc:
        assert all(e.file == str(path) and e.line >= 1 and e.column >= 1 for e in exc.errors)
