"""Loading levels: positions, the schema's errors in the author's words, the semantic checks."""

import pickle
import textwrap

import pytest

from gradquest.levels.load import LevelError, LevelErrors, load_chapter, load_level, load_levels, model_names
from gradquest.levels.source import position_of, read_yaml, text_position

GOOD = """\
format_version: 1
id: demo.product
title: {en: A product, zh: 乘积}
chapter: 1
order: 1
source: seed 000, manual backprop
model:
  params: {a: 2, b: -3}
  nodes: {e: a*b}
  output: e
steps:
  - say: {en: Multiply., zh: 相乘。}
  - forward: e
  - gradient: a
"""

HEAD = """\
format_version: 1
id: demo.level
title: A level
chapter: 1
order: 1
"""


def write(tmp_path, text, name="level.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(tmp_path, text) -> list[LevelError]:
    with pytest.raises(LevelErrors) as caught:
        load_level(write(tmp_path, text))
    return caught.value.errors


def only(errors, contains):
    found = [e for e in errors if contains in e.message]
    assert len(found) == 1, "\n".join(map(str, errors))
    return found[0]


def level(model: str, steps: str) -> str:
    return HEAD + "model:\n" + textwrap.indent(textwrap.dedent(model), "  ") + "steps:\n" + \
        textwrap.indent(textwrap.dedent(steps), "  ")


# ---- a good level and its positions

def test_good_level_loads_with_positions(tmp_path):
    loaded = load_level(write(tmp_path, GOOD))
    assert loaded.level.id == "demo.product"
    assert loaded.level.model.nodes == {"e": "a*b"}
    assert loaded.path == tmp_path / "level.yaml"
    p = loaded.positions
    assert p[("id",)] == (2, 5)
    assert p[("title", "zh")] == (3, 28)
    assert p[("model", "params", "b")] == (8, 21)
    assert p[("model", "nodes", "e")] == (9, 14)
    assert p[("steps", 2)] == (14, 5)
    assert p[("steps", 2, "gradient")] == (14, 15)
    assert p.keys_at[("model",)] == (7, 1)
    assert p.keys_at[("model", "nodes", "e")] == (9, 11)


def test_positions_of_block_values_and_quoted_text(tmp_path):
    data, p = read_yaml(write(tmp_path, "a:\n  - x\n  - 'y + z'\nb: |\n  text\nc: \"q\"\n"))
    assert data == {"a": ["x", "y + z"], "b": "text\n", "c": "q"}
    assert p[("a",)] == (2, 3) and p.keys_at[("a",)] == (1, 1)
    assert p[("a", 1)] == (3, 5)
    assert text_position(p, ("a", 1), 3) == (3, 8)  # the '+' inside the quotes
    assert text_position(p, ("b",), 2) == (4, 4)  # a block scalar: its start
    assert text_position(p, ("c",), 1) == (6, 5)


def test_position_of_skips_union_tags_and_falls_back_to_the_deepest_ancestor(tmp_path):
    _, p = read_yaml(write(tmp_path, GOOD))
    assert position_of(p, ("steps", 2, "gradient", "gradient")) == (14, 15)
    assert position_of(p, ("title", "I18n", "en")) == (3, 13)
    assert position_of(p, ("steps", 1, "hints", 0)) == (13, 5)  # no hints: the step
    assert position_of(p, ("nowhere",)) == (1, 1)
    assert position_of(p, ("model", "nodes", "e"), key=True) == (9, 11)


def test_level_error_prints_file_line_column_field_message_hint():
    error = LevelError("a.yaml", 3, 7, "steps[1].hints[0]", "expected a text", "quote it")
    assert str(error) == "a.yaml:3:7: steps[1].hints[0]: expected a text (quote it)"
    assert str(LevelError("a.yaml", 1, 1, "", "the file is empty")) == "a.yaml:1:1: the file is empty"
    many = LevelErrors([LevelError("b", 2, 1, "", "two"), LevelError("b", 1, 1, "", "one")])
    assert [e.message for e in many.errors] == ["one", "two"]
    assert str(many) == "b:1:1: one\nb:2:1: two"
    assert pickle.loads(pickle.dumps(many)).errors == many.errors


# ---- the schema's errors

def test_wrong_types_name_the_field_and_what_was_found(tmp_path):
    text = GOOD.replace("a: 2,", "a: abc,").replace("chapter: 1", "chapter: one").replace(
        "title: {en: A product, zh: 乘积}", "title: 5")
    errors = errors_of(tmp_path, text)
    assert len(errors) == 3, errors  # one per field, though a param and a title are unions
    param = only(errors, "found 'abc'")
    assert (param.line, param.column, param.field) == (8, 15, "model.params.a")
    assert param.message == "expected a number or a mapping or a list, found 'abc'"
    assert only(errors, "found 'one'").message == "expected a whole number, found 'one'"
    title = only(errors, "found 5")
    assert (title.line, title.field, title.message) == (3, "title", "expected a text or a mapping, found 5")


def test_unknown_key_lists_the_allowed_keys_and_guesses(tmp_path):
    errors = errors_of(tmp_path, GOOD.replace("  - forward: e\n", "  - forward: e\n    hintz: [look]\n"))
    (error,) = errors
    assert (error.line, error.column, error.field) == (14, 5, "steps[1].hintz")
    assert error.message == ("unknown key 'hintz'; expected one of: prompt, hints, misconceptions, "
                             "tolerance, explain, name, given, auto, slips_off, forward, id")
    assert error.hint == "did you mean 'hints'?"


def test_errors_inside_a_union_member_win_over_the_other_members(tmp_path):
    text = GOOD.replace("a: 2,", "a: {between: [1, 5], integr: true},")
    (error,) = errors_of(tmp_path, text)
    assert error.field == "model.params.a.integr"
    assert "expected one of: between, integer" in error.message


def test_missing_key_points_at_the_mapping(tmp_path):
    (error,) = errors_of(tmp_path, GOOD.replace("  - gradient: a\n", "  - local: e\n"))
    assert (error.line, error.column, error.field) == (14, 5, "steps[2].wrt")
    assert error.message == "missing key 'wrt'"


def test_a_step_without_a_kind(tmp_path):
    (error,) = errors_of(tmp_path, GOOD.replace("  - forward: e\n", "  - forwrd: e\n"))
    assert (error.line, error.column, error.field) == (13, 5, "steps[1]")
    assert error.message.startswith("a step needs one of the keys: say, forward")
    assert error.hint == "did you mean 'forward'?"


def test_every_problem_is_reported_at_once(tmp_path):
    text = GOOD.replace("order: 1", "order: 0").replace("id: demo.product", "id: Demo Product").replace(
        "  - gradient: a\n", "  - gradient: a\n    tolerance: {rel: -1}\n")
    errors = errors_of(tmp_path, text)
    assert {e.field for e in errors} == {"order", "id", "steps[2].tolerance.rel"}
    assert only(errors, "at least 1").message == "must be at least 1, found 0"


# ---- expressions

@pytest.mark.parametrize("written, line, column", [
    ("a +* b", 9, 11),             # plain: '*' is the 4th character, the text starts at column 8
    ("'a +* b'", 9, 12),            # single-quoted: one more for the quote
    ('"a +* b"', 9, 12),
    ("a + b +\n      (a * * b)", 10, 14),  # a plain text over two lines
    ("|\n      a +* b", 9, 8),      # a block: its start
])
def test_an_expression_the_parser_refuses_points_at_its_column(tmp_path, written, line, column):
    text = level(f"params: {{a: 1, b: 2}}\nnodes:\n  e: {written}\n", "- forward: e\n")
    (error,) = errors_of(tmp_path, text)
    assert (error.line, error.column, error.field) == (line, column, "model.nodes.e")
    assert error.message.startswith("cannot read the expression: expected a number, a name or '('")
    assert "column" not in error.message


def test_undefined_names_are_reported_where_they_are_used(tmp_path):
    text = level("params: {w: 1}\nnodes: {y: w * xx, z: y + 1}\noutput: z\n",
                 "- value: 'dz_dw + dz_dq'\n- gradient: ww\n- forward: zz\n")
    errors = errors_of(tmp_path, text)
    node = only(errors, "'xx'")
    assert (node.line, node.column) == (8, 18)
    assert node.message == "unknown name 'xx'; known: w, y, z"
    gradient = only(errors, "'dz_dq'")
    assert (gradient.line, gradient.column, gradient.field) == (11, 21, "steps[0].value")
    assert "d<out>_d<x>" in gradient.hint
    assert only(errors, "'ww'").hint == "did you mean 'w'?"
    assert only(errors, "'zz'").message.startswith("unknown node 'zz'")
    assert len(errors) == 4


def test_cyclic_nodes_are_reported_with_the_cycle(tmp_path):
    text = level("params: {w: 1}\nnodes:\n  a: w * b\n  b: a + 1\n  c: c\n", "- forward: a\n")
    errors = errors_of(tmp_path, text)
    assert sorted(e.message for e in errors) == ["the nodes form a cycle: a → b → a",
                                                 "the nodes form a cycle: c → c"]
    ab = only(errors, "a → b")
    assert (ab.line, ab.column, ab.field) == (10, 8, "model.nodes.b")


def test_nodes_may_be_written_in_any_order(tmp_path):
    text = level("params: {w: 3}\nnodes: {z: y * y, y: x + w, x: w * 2}\noutput: z\n",
                 "- forward: x\n- local: z\n  wrt: y\n- gradient: w\n")
    assert load_level(write(tmp_path, text)).level.model.output == "z"


def test_names_from_earlier_asks_iterations_and_gradients(tmp_path):
    steps = """\
        - gradient: w
          name: g
          misconceptions: [{expr: -dz_dw, feedback: the sign}]
        - value: g * 2 + pi
        - set: {w: w - 0.1 * g}
        - iterate:
            steps:
              - gradient: w
                name: gw
              - set: {w: w - 0.1 * gw}
            until: {expr: abs(gw), below: 0.001}
            table: [w, gw, dz_dw]
        - train: {loss: z, params: [w], lr_schedule: 0.1 / (1 + k), win: {expr: z, max: 1}}
    """
    text = level("params: {w: 3}\nnodes: {z: w * w}\noutput: z\nrequire: [{expr: dz_dw, min: 1}]\n", steps)
    load_level(write(tmp_path, text))
    errors = errors_of(tmp_path, text.replace("{expr: -dz_dw,", "{expr: -g,").replace("lr_schedule: 0.1 / (1 + k)",
                                                                                   "lr_schedule: 0.1 / (1 + kk)"))
    assert {e.field for e in errors} == {"steps[0].misconceptions[0].expr", "steps[4].train.lr_schedule"}


def test_numbers_in_every_text_the_player_reads_are_checked(tmp_path):
    steps = """\
        - forward: z
          hints: ["{{h}}"]
          misconceptions: [{expr: w, feedback: {en: "{{f}}"}}]
        - choose: {options: [a, "{{c}}"], answer: 1}
          prompt: p
        - order: [a, "{{o}}"]
          prompt: p
        - match: [[a, b], ["{{m}}", d]]
          prompt: p
        - guess: {secret: 1, bands: [{min: 0, say: "{{g}}"}, {max: 0, say: lower}]}
    """
    errors = errors_of(tmp_path, level("params: {w: 3}\nnodes: {z: w * w}\n", steps))
    assert [(e.field, e.message.split(";")[0]) for e in errors] == [
        ("steps[0].hints[0]", "unknown name 'h'"), ("steps[0].misconceptions[0].feedback.en", "unknown name 'f'"),
        ("steps[1].choose.options[1]", "unknown name 'c'"), ("steps[2].order[1]", "unknown name 'o'"),
        ("steps[3].match[1][0]", "unknown name 'm'"), ("steps[4].guess.bands[0].say", "unknown name 'g'")]
    assert (only(errors, "'m'").line, only(errors, "'m'").column) == (17, 23)


def test_nodes_cannot_use_gradient_names(tmp_path):
    (error,) = errors_of(tmp_path, level("params: {w: 3}\nnodes: {z: w * w, y: 2 * dz_dw}\n", "- forward: y\n"))
    assert (error.line, error.column, error.field) == (8, 28, "model.nodes.y")
    assert error.message == "a node cannot use the gradient name 'dz_dw'"


def test_a_name_is_known_only_after_its_ask(tmp_path):
    text = level("params: {w: 3}\nnodes: {z: w * w}\noutput: z\n", "- value: g + 1\n- gradient: w\n  name: g\n")
    (error,) = errors_of(tmp_path, text)
    assert (error.field, error.message) == ("steps[0].value", "unknown name 'g'; known: w, z")


def test_references_must_name_things_that_exist(tmp_path):
    steps = """\
        - local: z
          wrt: w
        - gradient: y
          of: q
        - update: y
        - update: [w, z]
        - set: {y: 1 + w}
        - train: {loss: w, params: [z], metrics: [w]}
        - choose: {options: [yes, no], answer: 3}
          prompt: pick
        - probe: {inputs: [u], outputs: {v: 2 * u}, noise: {vv: 1}, goal: {expr: v, min: 3}}
    """
    text = level("params: {w: 3}\nnodes: {y: w * 2, z: y * y}\noutput: z\n", steps)
    errors = {e.field: e.message for e in errors_of(tmp_path, text)}
    assert errors == {
        "steps[0].wrt": "'w' is not an input of z = y * y",
        "steps[1].of": "unknown node or parameter 'q'; known: w, y, z",
        "steps[2].update": "unknown parameter 'y'; known: w",
        "steps[3].update[1]": "unknown parameter 'z'; known: w",
        "steps[4].set.y": "unknown parameter 'y'; known: w",
        "steps[5].train.loss": "unknown node 'w'; known: y, z",
        "steps[5].train.params[0]": "unknown parameter 'z'; known: w",
        "steps[5].train.metrics[0]": "unknown metric 'w'; known: y, z",
        "steps[6].choose.answer": "answer 3 but there are only 2 options",
        "steps[7].probe.noise.vv": "unknown output 'vv'; known: v",
    }


def test_a_gradient_or_update_needs_a_node(tmp_path):
    steps = "- gradient: w\n- gradient: w\n  of: w\n- update: w\n"
    load_level(write(tmp_path, level("params: {w: 3}\nnodes: {z: w * w}\n", steps)))  # the last node is the output
    errors = errors_of(tmp_path, level("params: {w: 3}\n", steps))
    assert [e.field for e in errors] == ["steps[0].gradient", "steps[2].update"]


def test_network_parameters_and_data_names(tmp_path):
    model = """\
        data: {pts: {moons: 20}, line: {linear: 5, w: 1, b: 0}, xs: [1, 2]}
        network: {sizes: [2, 4, 1], input: pts_X}
        params: {c: 1}
        nodes: {loss: mean(relu(1 - pts_y * net)) + c * sum(xs + line_x)}
        output: loss
    """
    steps = ("- gradient: W2\n"
             "- train: {loss: loss, params: [W1, c], metrics: [accuracy, net], win: {expr: accuracy, min: 0.8}}\n")
    loaded = load_level(write(tmp_path, level(model, steps)))
    assert model_names(loaded.level.model) == {
        "c": "parameter", "pts_X": "data", "pts_y": "data", "line_x": "data", "line_y": "data", "xs": "data",
        "W1": "parameter", "b1": "parameter", "W2": "parameter", "b2": "parameter", "z1": "node", "h1": "node",
        "net": "node", "loss": "node"}
    broken = model.replace("pts_y", "pts").replace("input: pts_X", "input: X").replace("c: 1", "c: 1, W2: 0")
    errors = errors_of(tmp_path, level(broken, steps.replace("accuracy, net", "accuracy, nett")))
    assert {e.field: e.message.split(";")[0] for e in errors} == {
        "model.network": "the network's names are taken already: W2",
        "model.network.input": "unknown data 'X'",
        "model.nodes.loss": "unknown name 'pts'",
        "steps[1].train.metrics[1]": "unknown metric 'nett'"}


def test_names_that_clash(tmp_path):
    errors = errors_of(tmp_path, level("params: {c: 1, w: 1, exp: 2}\nnodes: {w: c + 1, f: c * 2}\n",
                                       "- gradient: w\n  of: f\n  name: f\n"))
    messages = {e.field: e.message for e in errors}
    assert messages == {"model.params.exp": "'exp' is a function in expressions, so no expression could use it",
                        "model.nodes.w": "'w' is already a parameter",
                        "steps[0].name": "'f' is already a node"}


def test_a_level_may_name_a_node_e_and_then_e_is_that_node(tmp_path):
    text = level("params: {a: 2}\nnodes: {e: a * 3, f: e + pi}\noutput: f\n", "- local: f\n  wrt: e\n")
    load_level(write(tmp_path, text))
    errors = errors_of(tmp_path, text.replace("e: a * 3", "e: a * f").replace("wrt: e", "wrt: pi"))
    assert sorted(e.message for e in errors) == ["'pi' is not an input of f = e + pi",
                                                 "the nodes form a cycle: e → f → e"]


# ---- many levels, chapters

def test_load_levels_reports_a_duplicate_id_at_the_second_file(tmp_path):
    first = write(tmp_path, GOOD, "first.yaml")
    second = write(tmp_path, "# the same level again\n" + GOOD, "second.yaml")
    broken = write(tmp_path, "id: [\n", "broken.yaml")
    loaded, errors = load_levels([first, second, broken])
    assert [item.path for item in loaded] == [first]
    duplicate, syntax = sorted(errors, key=lambda e: e.file, reverse=True)
    assert (duplicate.file, duplicate.line, duplicate.column, duplicate.field) == (str(second), 3, 5, "id")
    assert duplicate.message == f"the id 'demo.product' is already used by {first}"
    assert syntax.file == str(broken)


def test_yes_and_no_stay_text_and_dates_stay_strings(tmp_path):
    data, _ = read_yaml(write(tmp_path, "a: [yes, no, on, off, true, False]\nb: 2024-01-31\n"))
    assert data == {"a": ["yes", "no", "on", "off", True, False], "b": "2024-01-31"}


def test_load_chapter(tmp_path):
    chapter = load_chapter(write(tmp_path, "format_version: 1\nchapter: 2\ntitle: {en: Backprop, zh: 反向传播}\n"))
    assert chapter.chapter == 2 and chapter.title.zh == "反向传播"
    with pytest.raises(LevelErrors) as caught:
        load_chapter(write(tmp_path, "format_version: 1\nchapter: 0\ntitle: x\nsumary: []\n"))
    assert [(e.line, e.field) for e in caught.value.errors] == [(2, "chapter"), (4, "sumary")]
