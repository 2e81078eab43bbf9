"""`gradquest explore`: any expression as a level, one node per operation, played and saved."""

import io
import math

import pytest

from gradquest.author.explore import MAX_DEPTH, MAX_NODES, ExploreError, exploration, explore
from gradquest.cli import main
from gradquest.levels.discover import bundled_levels_dir
from gradquest.levels.load import load_level
from gradquest.model.world import World


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADQUEST_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_expression_is_split_into_one_node_per_operation():
    ex = explore("tanh(w*x + b)", {"w": 0.5, "x": 2, "b": 0.1})
    assert ex.nodes == {"t1": "w * x", "t2": "t1 + b", "out": "tanh(t2)"} and ex.output == "out"
    assert ex.backward == ["out", "t2", "b", "t1", "x", "w"] and ex.drawn == []
    local = 1 - math.tanh(1.1) ** 2
    assert ex.grads == pytest.approx({"out": 1, "t2": local, "b": local, "t1": local, "x": 0.5 * local, "w": 2 * local})


def test_statements_name_their_nodes_and_the_last_is_the_output():
    ex = explore("d = a*b + c; L = d*f", {"a": 2, "b": -3, "c": 10, "f": -2})
    assert ex.nodes == {"t1": "a * b", "d": "t1 + c", "L": "d * f"} and ex.output == "L"
    assert ex.values == {"t1": -6, "d": 4, "L": -8}
    assert ex.grads == {"L": 1, "f": 4, "d": -2, "c": -2, "t1": -2, "b": -4, "a": 6}
    again = explore("d = a*b + c", {"a": 2, "b": -3, "c": 10, "f": -2}, extra=["L = d*f"])
    assert again.nodes == ex.nodes  # statements may come as more arguments too


def test_constants_are_folded_and_a_reused_leaf_is_asked_once():
    ex = explore("b = a + a; 2*3*b*a", {"a": 1.5})
    assert ex.nodes == {"b": "a + a", "t1": "6 * b", "out": "t1 * a"}
    assert ex.backward == ["out", "t1", "b", "a"] and ex.grads["a"] == pytest.approx(24 * 1.5)


def test_names_without_a_value_are_drawn_again_with_the_same_seed_and_said():
    one, two = explore("L = log(a) * b", {"b": 2}, seed=7), explore("L = log(a) * b", {"b": 2}, seed=7)
    assert one.params == two.params and one.drawn == ["a"] and one.params["a"] > 0  # log needs a > 0: drawn again
    story = one.level()["story"]
    assert "--seed 7" in story["en"] and f"a = {one.params['a']}" in story["zh"] and "b = 2" in story["en"]


@pytest.mark.parametrize(("args", "says"), [
    (["L = (a*b + c*f"], "column 15: expected ',' or ')' to close the '(' at column 5"),
    (["d = a*b; d = c*2"], "d is given twice: 'd = a*b' and 'd = c*2'"),
    (["L = log(a) * b", "a=-1", "b=2"], "t1 = log(a) is undefined at these values (a = -1)"),
    (["q = a / b", "a=1", "b=0"], "q = a / b is undefined at these values (a = 1, b = 0)"),
    (["; ".join(f"y{i} = x{i}*2" for i in range(MAX_NODES)) + "; L = y0 + y1"], f"explore takes at most {MAX_NODES}"),
    (["tanh(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1)], f"explore takes at most {MAX_DEPTH} on one chain"),
    (["a*b", "a=1", "a=2"], "a is given two values"),
    (["a*b", "z=1"], "z is given a value but the expression does not use it"),
    (["L = d*2; d = a + 1"], "d is used in statement 1 before it is defined"),
    (["mean(a)"], "explore takes numbers only"),
    ([], "give an expression"),
])
def test_bad_input_is_one_clear_line(home, capsys, args, says):
    code, out, err = run(capsys, "--lang", "en", "explore", *args, "--plain")
    lines = err.strip().splitlines()
    assert code == 2 and out == "" and lines[0].startswith("gradquest explore: ") and says in lines[0]
    assert len(lines) == (3 if "column" in says else 1)  # a parse error: the statement and a caret under the column


def test_a_parse_error_puts_the_caret_under_its_column_in_the_whole_line(home, capsys):
    code, _, err = run(capsys, "explore", "d = a*b; L = d*)", "--plain")
    assert err.splitlines()[1:] == ["d = a*b; L = d*)", " " * 15 + "^"] and "statement 2: column 16" in err


def test_bad_input_is_said_in_chinese_too():
    err = explore_error("L = log(a)", {"a": -1})
    assert err.message("zh").startswith("L = log(a) 在这些值下没有定义") and "a = -1" in err.message("zh")


def explore_error(text, values) -> ExploreError:
    with pytest.raises(ExploreError) as info:
        explore(text, values)
    return info.value


def test_the_explored_level_is_played_with_the_same_referee(home, capsys, monkeypatch):
    typed = ["", "-6", "4", "-8", "", "4", "-2", "-2", "-2", "-4", "-3", "6", ""]  # ∂L/∂a = -3 drops the upstream
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(typed) + "\n"))
    code, out, _ = run(capsys, "--lang", "en", "explore", "L = (a*b + c)*f", "a=2", "b=-3", "c=10", "f=-2", "--plain")
    assert code == 0 and "== Explore: L = (a*b + c)*f ==" in out
    assert out.count("✓") == 9 and out.count("✗") == 1, out


def test_save_writes_a_level_that_passes_check_and_test(home, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    code, _, err = run(capsys, "explore", "tanh(w*x + b)", "w=0.5", "x=2", "--seed", "4", "--save", "mine.yaml", "--plain")
    assert code == 0 and "drawn with --seed 4: b = " in err and "wrote mine.yaml" in err
    assert run(capsys, "check", "mine.yaml")[1].strip() == "1 file checked, 0 problems"
    code, out, _ = run(capsys, "test", "mine.yaml")
    assert code == 0 and "1 passed, 0 failed" in out
    code, _, err = run(capsys, "explore", "tanh(w*x + b)", "--save", "mine.yaml", "--plain")
    assert code == 2 and "mine.yaml already exists" in err


# ---- micrograd snippets (`--file`)

# Seed 000's two micrograd snippets ("推导并计算神经网络的梯度"), as written there (its blank lines and
# English comments left out): the tanh neuron, then o rebound to tanh built from exp and division.
NEURON = """\
x1 = Value(2.0, label='x1')
x2 = Value(0.0, label='x2')
w1 = Value(-3.0, label='w1')
w2 = Value(1.0, label='w2')
b = Value(6.8123512916312312331, label='b')
x1w1 = x1*w1; x1w1.label = 'x1*w1'
x2w2 = x2*w2; x2w2.label = 'x2*w2'
x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'
n = x1w1x2w2 + b; n.label = 'n'
o = n.tanh(); o.label = 'o'
"""
EXP_DIV = """\
# 添加上 pow 和 div 运算
e = (2*n).exp()
o = (e - 1) / (e + 1); o.label = 'o'
o.backward()
"""


@pytest.mark.parametrize(("snippet", "of"), [(NEURON + "o.backward()\n", "o"), (NEURON + EXP_DIV, "o2")])
def test_the_seeds_micrograd_snippets_give_the_numbers_of_level_2_12(home, snippet, of):

    (home / "neuron.py").write_text(snippet, encoding="utf-8")
    ex = exploration([], str(home / "neuron.py"))
    world = World(load_level(bundled_levels_dir() / "2-backprop/15-a-neuron.yaml").level)
    assert ex.output == "o" and ex.values["o"] == pytest.approx(float(world.value(of)), rel=1e-12)
    for leaf in ("x1", "x2", "w1", "w2", "b"):
        assert ex.grads[leaf] == pytest.approx(float(world.gradient(leaf, of=of)), rel=1e-9, abs=1e-12)
    assert "o_1" not in ex.nodes  # the tanh o, rebound before backward(), is not reached: left out


@pytest.mark.parametrize(("snippet", "says"), [
    ("import os\n", "1:1: `import os` is not read by explore; a snippet may hold:"),
    ("a = Value(2.0)\nb = a.data * 2\n", "2:5: `a.data` is not read by explore"),
    ("a = Value(2.0)\nprint(a)\n", "2:1: `print(a)` is not read by explore"),
    ("a = Value(2.0)\nb = a*c\n", "2:7: c is used before it is given a value"),
    ("a = Value(x)\n", "1:5: Value(...) takes a number"),
    ("a = Value(2.0\n", "1:10: this is not Python: '(' was never closed"),
    ("exp = Value(1.0)\n", "1:1: exp is the name of a function"),
])
def test_anything_else_in_a_snippet_is_refused_at_its_line_and_column(home, capsys, snippet, says):
    (home / "s.py").write_text(snippet, encoding="utf-8")
    code, out, err = run(capsys, "--lang", "en", "explore", "--file", "s.py", "--plain")
    (line,) = err.strip().splitlines()
    assert code == 2 and line.startswith("gradquest explore: s.py:") and says in line
